/* SPDX-License-Identifier: MIT */
/*
 * clone3 for the engines whose child shares the parent's memory (vfork,
 * nowait): its arguments, the flags older headers lack, and the call that
 * runs the child's function on its own stack (clone_x86_64.S).
 */
#ifndef USPAWN_CLONE_H
#define USPAWN_CLONE_H

#include <stdint.h>
#include <sys/syscall.h>

#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif
#ifndef CLONE_PIDFD
#define CLONE_PIDFD 0x00001000
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#endif
#ifndef SYS_clone3
#define SYS_clone3 435
#endif

struct clone3_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

long uspawn_clone_call(long nr, long a0, long a1, long a2, int (*fn)(void *), void *arg);

/*
 * Whether another may reap our children: the kernel, when SIGCHLD is
 * ignored, or a handler of the caller's (waitpid(-1)). Their jobs then
 * take a pidfd, which keeps the status (reap.c); else none is spent.
 */
int clone_sigchld_not_ours(void);

#endif
