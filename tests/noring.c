/* SPDX-License-Identifier: MIT */
/*
 * noring FILE ARGV0 [ARG...]: execs FILE, with the argv ARGV0 ARG..., where
 * io_uring is refused, as in a container under Docker's default seccomp
 * profile or with the sysctl kernel.io_uring_disabled=2: io_uring_setup,
 * io_uring_enter and io_uring_register fail with EPERM in FILE and in
 * everything it starts. (ARGV0 apart: a shell names itself by its $0.)
 * The filter needs no privilege (PR_SET_NO_NEW_PRIVS) and changes nothing
 * outside the process tree, so a test can use it.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define REFUSE(nr)                                                                                 \
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (nr), 0, 1),                                           \
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM)

int main(int argc, char **argv)
{
	struct sock_filter code[] = {
		/* another architecture's system call numbers mean other calls */
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		REFUSE(__NR_io_uring_setup),
		REFUSE(__NR_io_uring_enter),
		REFUSE(__NR_io_uring_register),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof code / sizeof code[0], .filter = code};

	if (argc < 3) {
		fprintf(stderr, "usage: noring FILE ARGV0 [ARG...]\n");
		return 2;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		fprintf(stderr, "noring: seccomp: %s\n", strerror(errno));
		return 2;
	}
	execv(argv[1], argv + 2);
	fprintf(stderr, "noring: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
