/* SPDX-License-Identifier: MIT */
/*
 * IORING_OP_CLONE / IORING_OP_EXEC tests of kernel-spawn-spec.md §5, run as
 * a static binary inside the test VM (TAP output, exit 1 on any failure).
 *   kspawn           the patched kernel: every case must behave as specified
 *   kspawn --stock   an unpatched kernel: detection must fail cleanly and
 *                    the stock io_uring checks must pass
 * Cases can be picked by number: kspawn 1 2 10.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#include "kchain.h"
#include "ktest.h"

static volatile sig_atomic_t sigchld_seen;

static void on_sigchld(int sig)
{
	sigchld_seen++;
}

/* 1. /bin/true: CLONE res = pid, EXEC 0, exit 0, SIGCHLD. */
static void t1(struct io_uring *ring)
{
	struct chain c;
	int want[] = {1, 0};

	sigchld_seen = 0;
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 2), "1 true: CLONE gives a pid, EXEC gives 0");
	ktest_ok(c.order[0] == 0, "1 true: the CLONE CQE comes first");
	int st = c.res[0] > 0 ? wait_pid(c.res[0]) : -1;
	ktest_ok(exited0(st), "1 true: waitpid(pid) reports exit 0 (status %#x)", st);
	ktest_ok(sigchld_seen > 0, "1 true: SIGCHLD arrived");
}

/* 2. PATH search: -ENOENT..., then 0, then -ECANCELED. */
static void t2(struct io_uring *ring)
{
	struct chain c;
	int want[] = {1, -ENOENT, -ENOENT, 0, -ECANCELED};

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/nonexistent/true", argv_true, IOSQE_IO_HARDLINK);
	add_exec(&c, "/usr/bin/true", argv_true, IOSQE_IO_HARDLINK);
	add_exec(&c, "/bin/true", argv_true, IOSQE_IO_HARDLINK);
	add_exec(&c, "/bin/false", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 5), "2 PATH search: -ENOENT, -ENOENT, 0, -ECANCELED");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "2 PATH search: exit 0");
}

/* 3. Every EXEC missing: all -ENOENT, then SIGKILL. */
static void t3(struct io_uring *ring)
{
	struct chain c;
	int want[] = {1, -ENOENT, -ENOENT, -ENOENT};

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/nonexistent/a", argv_true, IOSQE_IO_HARDLINK);
	add_exec(&c, "/nonexistent/b", argv_true, IOSQE_IO_HARDLINK);
	add_exec(&c, "/nonexistent/c", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 4), "3 all missing: every EXEC -ENOENT");
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "3 all missing: child SIGKILLed");
}

/* 4. Soft-linked missing EXEC: -ENOENT, the rest -ECANCELED, killed. */
static void t4(struct io_uring *ring)
{
	struct chain c;
	int want[] = {1, -ENOENT, -ECANCELED};

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/nonexistent/true", argv_true, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 3), "4 soft link: -ENOENT then -ECANCELED");
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "4 soft link: child SIGKILLed");
}

/* 5. NOP-only chain: all 0, then SIGKILL. */
static void t5(struct io_uring *ring)
{
	struct chain c;
	int want[] = {1, 0, 0, 0};

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_nop(&c, 0, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 4), "5 NOP chain: all 0");
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "5 NOP chain: child SIGKILLed");
}

/* 6. Failing NOP (-255): the rest -ECANCELED; with HARDLINK it continues. */
static void t6(struct io_uring *ring)
{
	struct chain c;
	int want[] = {1, 0, -255, -ECANCELED, -ECANCELED};
	int want_hard[] = {1, -255, 0};

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_nop(&c, -255, IOSQE_IO_LINK);
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 5), "6 failing NOP: -255 then -ECANCELED");
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "6 failing NOP: child SIGKILLed");

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_nop(&c, -255, IOSQE_IO_HARDLINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want_hard, 3), "6 failing hard-linked NOP: the chain goes on");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "6 hard link: exit 0");
}

/* 7. After a successful exec, a later OPENAT(O_CREAT) is -ECANCELED. */
static void t7(struct io_uring *ring)
{
	struct chain c;
	int want[] = {1, 0, -ECANCELED};
	struct io_uring_sqe *sqe;

	unlink("/tmp/t7");
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, IOSQE_IO_LINK);
	sqe = sqe_at(&c);
	io_uring_prep_openat(sqe, AT_FDCWD, "/tmp/t7", O_WRONLY | O_CREAT, 0644);
	sqe->user_data = 2;
	run(&c);
	ktest_ok(res_is(&c, want, 3), "7 after exec: OPENAT -ECANCELED");
	ktest_ok(access("/tmp/t7", F_OK) < 0, "7 after exec: no file created");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "7 after exec: exit 0");
}

/* 8. -EINVAL, the rest -ECANCELED, and no process. */
static void t8(struct io_uring *ring)
{
	struct chain c;
	struct io_uring_sqe *sqe;

	ktest_ok(no_children(), "8 no children before");

	chain_init(&c, ring); /* unlinked CLONE */
	add_clone(&c, 0);
	run(&c);
	ktest_ok(c.res[0] == -EINVAL && no_children(), "8 unlinked CLONE: -EINVAL (%d)", c.res[0]);

	chain_init(&c, ring); /* CLONE not at the head */
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(c.res[0] == -ECANCELED && c.res[1] == -EINVAL && c.res[2] < 0 && no_children(),
		 "8 CLONE not at the head: -EINVAL (%d %d %d)", c.res[0], c.res[1], c.res[2]);

	chain_init(&c, ring); /* nested CLONE */
	add_clone(&c, IOSQE_IO_LINK);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(c.res[0] == -ECANCELED && c.res[1] == -EINVAL && c.res[2] == -ECANCELED &&
			 no_children(),
		 "8 nested CLONE: -EINVAL (%d %d %d)", c.res[0], c.res[1], c.res[2]);

	chain_init(&c, ring); /* empty chain */
	add_clone(&c, IOSQE_IO_LINK);
	run(&c);
	ktest_ok(c.res[0] == -EINVAL && no_children(), "8 empty chain: -EINVAL (%d)", c.res[0]);

	int pers = io_uring_register_personality(ring);
	if (pers > 0) {
		chain_init(&c, ring); /* personality on CLONE */
		add_clone(&c, IOSQE_IO_LINK);
		add_exec(&c, "/bin/true", argv_true, 0);
		io_uring_sqe_set_flags(
			&ring->sq.sqes[(ring->sq.sqe_tail - 2) & *ring->sq.kring_mask],
			IOSQE_IO_LINK);
		ring->sq.sqes[(ring->sq.sqe_tail - 2) & *ring->sq.kring_mask].personality = pers;
		run(&c);
		ktest_ok(c.res[0] == -EINVAL && c.res[1] == -ECANCELED && no_children(),
			 "8 personality on CLONE: -EINVAL (%d %d)", c.res[0], c.res[1]);

		chain_init(&c, ring); /* personality in the chain */
		add_clone(&c, IOSQE_IO_LINK);
		add_exec(&c, "/bin/true", argv_true, 0);
		ring->sq.sqes[(ring->sq.sqe_tail - 1) & *ring->sq.kring_mask].personality = pers;
		run(&c);
		ktest_ok(c.res[0] == -ECANCELED && c.res[1] == -EINVAL && no_children(),
			 "8 personality on EXEC: -EINVAL (%d %d)", c.res[0], c.res[1]);
		io_uring_unregister_personality(ring, pers);
	} else {
		ktest_ok(0, "8 register personality: %s", strerror(-pers));
	}

	int p[2];
	if (pipe(p) == 0) {
		chain_init(&c, ring); /* a forbidden op */
		add_clone(&c, IOSQE_IO_LINK);
		sqe = sqe_at(&c);
		io_uring_prep_poll_add(sqe, p[0], POLLIN);
		sqe->user_data = 1;
		sqe->flags |= IOSQE_IO_LINK;
		add_exec(&c, "/bin/true", argv_true, 0);
		run(&c);
		ktest_ok(c.res[0] == -ECANCELED && c.res[1] == -EINVAL && c.res[2] == -ECANCELED &&
				 no_children(),
			 "8 POLL_ADD in a chain: -EINVAL (%d %d %d)", c.res[0], c.res[1], c.res[2]);
		close(p[0]);
		close(p[1]);
	}

	chain_init(&c, ring); /* a bare EXEC */
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(c.res[0] == -EINVAL && no_children(), "8 bare EXEC: -EINVAL (%d)", c.res[0]);

	chain_init(&c, ring); /* EXEC after a NOP head */
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(c.res[1] == -EINVAL && no_children(), "8 EXEC linked to a NOP: -EINVAL (%d %d)",
		 c.res[0], c.res[1]);
}

/* 9. CLONE fails (pids.max): -EAGAIN and the chain -ECANCELED, even hard-linked. */
static void t9(struct io_uring *ring)
{
	struct chain c;
	int want[] = {-EAGAIN, -ECANCELED, -ECANCELED};
	char pid[32];
	FILE *f;

	if (geteuid() != 0) {
		printf("# 9 skipped: cgroup files need root\n");
		return;
	}
	mkdir("/sys/fs/cgroup", 0755);
	if (mount("none", "/sys/fs/cgroup", "cgroup2", 0, NULL) < 0 && errno != EBUSY) {
		ktest_ok(0, "9 mount cgroup2: %s", strerror(errno));
		return;
	}
	f = fopen("/sys/fs/cgroup/cgroup.subtree_control", "w");
	if (f) {
		fputs("+pids", f);
		fclose(f);
	}
	mkdir("/sys/fs/cgroup/t9", 0755);
	f = fopen("/sys/fs/cgroup/t9/pids.max", "w");
	if (!f) {
		ktest_ok(0, "9 pids.max: %s", strerror(errno));
		return;
	}
	fputs("1", f);
	fclose(f);
	snprintf(pid, sizeof(pid), "%d", getpid());
	f = fopen("/sys/fs/cgroup/t9/cgroup.procs", "w");
	fputs(pid, f);
	fclose(f);

	struct stat before, after;
	fstat(1, &before);
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_HARDLINK);
	add_exec(&c, "/bin/true", argv_true, IOSQE_IO_HARDLINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);

	f = fopen("/sys/fs/cgroup/cgroup.procs", "w");
	fputs(pid, f);
	fclose(f);
	rmdir("/sys/fs/cgroup/t9");
	fstat(1, &after);
	ktest_ok(res_is(&c, want, 3), "9 pids.max: -EAGAIN, the chain -ECANCELED");
	ktest_ok(no_children() && before.st_ino == after.st_ino,
		 "9 no child, parent fds untouched");
}

static bool file_is(const char *path, const char *want)
{
	char buf[256] = "";
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return false;
	buf[n] = 0;
	if (strcmp(buf, want))
		fprintf(stderr, "#   %s holds '%s'\n", path, buf);
	return !strcmp(buf, want);
}

/* 10. Redirection through OPENAT and through FIXED_FD_INSTALL. */
static void t10(struct io_uring *ring)
{
	static char *argv_echo[] = {"echo", "hello", NULL};
	struct io_uring_sqe *sqe;
	struct stat before, after;
	struct chain c;
	int want[] = {1, 0, 1, 0};

	fstat(1, &before);
	unlink("/tmp/t10a");
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	sqe = sqe_at(&c);
	io_uring_prep_close(sqe, 1);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_LINK;
	sqe = sqe_at(&c);
	io_uring_prep_openat(sqe, AT_FDCWD, "/tmp/t10a", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	sqe->user_data = 2;
	sqe->flags |= IOSQE_IO_LINK;
	add_exec(&c, "/bin/echo", argv_echo, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 4), "10 OPENAT redirect: CLOSE 0, OPENAT 1, EXEC 0");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "10 OPENAT redirect: exit 0");
	ktest_ok(file_is("/tmp/t10a", "hello\n"), "10 OPENAT redirect: output in the file");

	int fd = open("/tmp/t10b", O_WRONLY | O_CREAT | O_TRUNC, 0644);
	int ret = io_uring_register_files(ring, &fd, 1);
	close(fd);
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	sqe = sqe_at(&c);
	io_uring_prep_close(sqe, 1);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_LINK;
	sqe = sqe_at(&c);
	uspawn_prep_fixed_fd_install(sqe, 0, USPAWN_FIXED_FD_NO_CLOEXEC);
	sqe->user_data = 2;
	sqe->flags |= IOSQE_IO_LINK;
	add_exec(&c, "/bin/echo", argv_echo, 0);
	run(&c);
	ktest_ok(ret == 0 && res_is(&c, want, 4), "10 FIXED_FD_INSTALL redirect: CQEs");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "10 FIXED_FD_INSTALL: exit 0");
	ktest_ok(file_is("/tmp/t10b", "hello\n"), "10 FIXED_FD_INSTALL: output in the file");
	io_uring_unregister_files(ring);

	fstat(1, &after);
	ktest_ok(before.st_ino == after.st_ino && before.st_dev == after.st_dev &&
			 fcntl(1, F_GETFD) >= 0,
		 "10 the parent's fd 1 is untouched");
}

/* 11. Pipe WRITE then READ in the chain; a short read breaks a soft link. */
static void t11(struct io_uring *ring)
{
	static char wbuf[] = "abc", rbuf[8];
	struct io_uring_sqe *sqe;
	struct chain c;
	int p[2];
	int want[] = {1, 3, 3, 0};
	int want_short[] = {1, 2, 2, -ECANCELED};

	if (pipe(p) < 0)
		return;
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	sqe = sqe_at(&c);
	io_uring_prep_write(sqe, p[1], wbuf, 3, 0);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_LINK;
	sqe = sqe_at(&c);
	io_uring_prep_read(sqe, p[0], rbuf, 3, 0);
	sqe->user_data = 2;
	sqe->flags |= IOSQE_IO_LINK;
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 4) && !memcmp(rbuf, "abc", 3), "11 pipe WRITE+READ in a chain");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "11 pipe: exit 0");

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	sqe = sqe_at(&c);
	io_uring_prep_write(sqe, p[1], wbuf, 2, 0);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_LINK;
	sqe = sqe_at(&c);
	io_uring_prep_read(sqe, p[0], rbuf, 3, 0);
	sqe->user_data = 2;
	sqe->flags |= IOSQE_IO_LINK;
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want_short, 4), "11 short read breaks the soft link");
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "11 short read: child SIGKILLed");

	/* a READ that fails (-EISDIR) hard-linked: the chain goes on */
	int dir = open("/", O_RDONLY | O_DIRECTORY);
	int want_hard[] = {1, -EISDIR, 0};
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	sqe = sqe_at(&c);
	io_uring_prep_read(sqe, dir, rbuf, 3, 0);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_HARDLINK;
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want_hard, 3), "11 failed hard-linked READ: the chain goes on");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "11 failed READ: exit 0");
	close(dir);
	close(p[0]);
	close(p[1]);
}

/*
 * 12, the total limit. fs/exec.c (bprm_stack_limits) gives argv + envp
 * strings min(RLIMIT_STACK / 4, 3/4 of _STK_LIM) but at least ARG_MAX (32
 * pages), less one pointer per string; the exec'd path is copied first and
 * counts too. /init sets no rlimit, so in the VM this is 8 MiB / 4 = 2 MiB.
 * argv is filled to exactly that (exec works) and to one byte more (-E2BIG,
 * the child is killed without exec).
 */
static long arg_space(int argc, int envc)
{
	struct rlimit rl;
	unsigned long lim = 6ul << 20;

	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY &&
	    rl.rlim_cur / 4 < lim)
		lim = rl.rlim_cur / 4;
	if (lim < 32 * 4096)
		lim = 32 * 4096;
	return (long)lim - (long)(argc + envc) * (long)sizeof(void *);
}

/* argv "true", then strings of 128 KiB (NUL included) up to total bytes */
static char **argv_of_total(long total, const char *path, long *space)
{
	enum { MAX_ARG_STRLEN = 32 * 4096 };
	long fixed = (long)strlen(path) + 1 + 5, rest = total - fixed;
	int n = (int)((rest + MAX_ARG_STRLEN - 1) / MAX_ARG_STRLEN);
	char **argv = calloc((size_t)n + 2, sizeof(char *));

	argv[0] = "true";
	for (int i = 1; i <= n; i++) {
		long len = rest > MAX_ARG_STRLEN ? MAX_ARG_STRLEN : rest;
		argv[i] = malloc((size_t)len);
		memset(argv[i], 'a' + i % 26, (size_t)len - 1);
		argv[i][len - 1] = 0;
		rest -= len;
	}
	*space = arg_space(n + 1, 0);
	return argv;
}

static void free_argv(char **argv)
{
	for (int i = 1; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static void t12_total(struct io_uring *ring)
{
	int want_ok[] = {1, 0}, want_2big[] = {1, -E2BIG};
	struct chain c;
	long space, total = arg_space(1, 0);
	char **argv;

	/* the string count depends on the total: settle on a fixed point */
	for (int i = 0; i < 4; i++) {
		argv = argv_of_total(total, "/bin/true", &space);
		free_argv(argv);
		total = space;
	}
	argv = argv_of_total(total, "/bin/true", &space);
	printf("# 12: argv+path limit %ld bytes (RLIMIT_STACK / 4 less the pointers)\n", space);
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv, 0);
	run(&c);
	ktest_ok(total == space && res_is(&c, want_ok, 2),
		 "12 argv + path of exactly the limit (%ld bytes): exec works", total);
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "12 argv at the limit: exit 0");
	free_argv(argv);

	argv = argv_of_total(total + 1, "/bin/true", &space);
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv, 0);
	run(&c);
	ktest_ok(total + 1 > space && res_is(&c, want_2big, 2),
		 "12 one byte over the total limit: -E2BIG");
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1),
		 "12 over the total limit: child SIGKILLed, never exec'd");
	free_argv(argv);
}

/* 12. argv near the limit works; over it -E2BIG; bad pointers -EFAULT. */
static void t12(struct io_uring *ring)
{
	enum { MAX_ARG_STRLEN = 32 * 4096 };
	static char *big[10], *huge[3];
	struct chain c;
	int want_ok[] = {1, 0}, want_2big[] = {1, -E2BIG}, want_fault[] = {1, -EFAULT};

	big[0] = "true";
	for (int i = 1; i < 9; i++) {
		big[i] = malloc(MAX_ARG_STRLEN);
		memset(big[i], 'x', MAX_ARG_STRLEN - 1);
		big[i][MAX_ARG_STRLEN - 1] = 0;
	}
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", big, 0);
	run(&c);
	ktest_ok(res_is(&c, want_ok, 2), "12 8 args of 128 KiB - 1: exec works");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "12 big argv: exit 0");

	huge[0] = "true";
	huge[1] = malloc(MAX_ARG_STRLEN + 1);
	memset(huge[1], 'y', MAX_ARG_STRLEN);
	huge[1][MAX_ARG_STRLEN] = 0;
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", huge, 0);
	run(&c);
	ktest_ok(res_is(&c, want_2big, 2), "12 one arg over 128 KiB: -E2BIG");
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "12 -E2BIG: child SIGKILLed");

	t12_total(ring);

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", (char **)16, 0);
	run(&c);
	ktest_ok(res_is(&c, want_fault, 2), "12 bad argv pointer: -EFAULT");
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "12 -EFAULT: child SIGKILLed");

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, (const char *)16, argv_true, 0);
	run(&c);
	ktest_ok(c.res[0] == -ECANCELED && c.res[1] == -EFAULT && no_children(),
		 "12 bad path pointer: -EFAULT at prep, no child (%d %d)", c.res[0], c.res[1]);
	for (int i = 1; i < 9; i++)
		free(big[i]);
	free(huge[1]);
}

static void sigpause_child(struct io_uring *ring, unsigned clone_flags, const char *what)
{
	static char *argv_sp[] = {"sigpause", NULL};
	struct chain c;
	int want[] = {1, 0};

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK | clone_flags);
	add_exec(&c, "/bin/sigpause", argv_sp, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 2), "13 %s: spawned", what);
	if (c.res[0] <= 0)
		return;
	usleep(200000);
	kill(c.res[0], SIGTERM);
	int st = wait_pid(c.res[0]);
	ktest_ok(st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM,
		 "13 %s: SigBlk 0, dies on SIGTERM, reaped (status %#x)", what, st);
}

/*
 * 13. IOSQE_ASYNC and drained CLONEs (issued by io-wq, copied from the
 * submitter): the submitter's empty mask, SIGTERM kills, reaped. An SQPOLL
 * ring has no submitter to copy: CLONE -EINVAL, no child, the chain
 * -ECANCELED (the old series spawned from the SQPOLL thread).
 */
static void t13(struct io_uring *ring)
{
	struct io_uring sq;
	struct io_uring_params p = {.flags = IORING_SETUP_SQPOLL, .sq_thread_idle = 100};
	struct chain c;

	sigpause_child(ring, IOSQE_ASYNC, "IOSQE_ASYNC CLONE");
	sigpause_child(ring, IOSQE_IO_DRAIN, "drained CLONE");
	if (io_uring_queue_init_params(8, &sq, &p) < 0) {
		ktest_ok(0, "13 SQPOLL ring");
		return;
	}
	chain_init(&c, &sq);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(c.res[0] == -EINVAL && c.res[1] == -ECANCELED && no_children(),
		 "13 SQPOLL ring: CLONE -EINVAL, no child (%d %d)", c.res[0], c.res[1]);
	if (c.res[0] > 0)
		wait_pid(c.res[0]);
	io_uring_queue_exit(&sq);
}

static volatile sig_atomic_t sigusr1_seen;

static void on_sigusr1(int sig)
{
	sigusr1_seen++;
}

/*
 * 14, -EINTR made certain. copy_process() fails with -ERESTARTNOINTR (the
 * CQE says -EINTR) when the issuer has an unblocked signal pending, and a
 * signal raised during io_uring_enter() is only delivered on its return. A
 * pipe read end with O_ASYNC, owned by this thread (F_OWNER_TID) and
 * F_SETSIG SIGUSR1, turns a WRITE into that signal: pipes are FMODE_NOWAIT,
 * so the WRITE runs inline in io_submit_sqes() before the CLONE links
 * queued behind it are issued, and every one of them must fail.
 */
static void t14_sigio(struct io_uring *ring)
{
	static char wbuf[] = "s";
	struct f_owner_ex own = {.type = F_OWNER_TID, .pid = gettid()};
	struct io_uring_sqe *sqe;
	struct chain c;
	int p[2];
	int want[] = {1, -EINTR, -ECANCELED, -EINTR, -ECANCELED, -ECANCELED, -EINTR, -ECANCELED};

	if (pipe(p) < 0)
		return;
	if (fcntl(p[0], F_SETOWN_EX, &own) < 0 || fcntl(p[0], F_SETSIG, SIGUSR1) < 0 ||
	    fcntl(p[0], F_SETFL, O_ASYNC) < 0) {
		ktest_ok(0, "14 O_ASYNC pipe setup: %s", strerror(errno));
		goto out;
	}
	sigusr1_seen = 0;
	chain_init(&c, ring);
	sqe = sqe_at(&c);
	io_uring_prep_write(sqe, p[1], wbuf, 1, 0);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	add_clone(&c, IOSQE_IO_HARDLINK);
	add_nop(&c, 0, IOSQE_IO_HARDLINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want, 8),
		 "14 signal raised by an inline WRITE: each CLONE -EINTR, its chain -ECANCELED"
		 " (hard-linked too)");
	ktest_ok(sigusr1_seen == 1 && no_children(),
		 "14 -EINTR: no child, the signal delivered once after the submit (%d)",
		 (int)sigusr1_seen);
out:
	close(p[0]);
	close(p[1]);
}

struct hammer {
	pid_t tid;
	atomic_bool stop;
	long sent;
};

static void *hammer_fn(void *arg)
{
	struct hammer *h = arg;

	while (!atomic_load(&h->stop)) {
		syscall(SYS_tgkill, getpid(), h->tid, SIGUSR1);
		h->sent++;
		sched_yield();
	}
	return NULL;
}

/*
 * 14, -EINTR raced: while the submitting thread sends rounds of 8 CLONE ->
 * EXEC chains, a second thread tgkill()s it with a caught SIGUSR1 and a
 * POSIX timer (SIGEV_THREAD_ID, every tick) does the same. On the test VM
 * (1 CPU, PREEMPT_NONE) the thread runs only when the submitter sleeps or
 * returns to user space, where the signal is delivered at once; the timer
 * fires from the tick interrupt, so it can land inside io_uring_enter()
 * between two CLONEs. Whether it does is up to timing: the number of
 * -EINTR is reported, not asserted. Asserted: every CLONE is a pid or
 * -EINTR (never -ERESTART*), an -EINTR chain is -ECANCELED and leaves no
 * child, every pid execs and is reaped, no zombie is left.
 */
static void t14_hammer(struct io_uring *ring)
{
	enum { CHAINS = 8 };
	long rounds = env_long("USPAWN_EINTR_ROUNDS", 100), pids = 0, eintr = 0, reaped = 0,
	     bad = 0;
	struct hammer h = {.tid = gettid()};
	sigset_t usr1;
	pthread_t th;

	sigusr1_seen = 0;
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	/* the hammer thread keeps SIGUSR1 blocked: only the submitter gets it */
	pthread_sigmask(SIG_BLOCK, &usr1, NULL);
	int err = pthread_create(&th, NULL, hammer_fn, &h);
	pthread_sigmask(SIG_UNBLOCK, &usr1, NULL);
	if (err) {
		ktest_ok(0, "14 hammer thread: %s", strerror(err));
		return;
	}
	struct sigevent sev = {.sigev_notify = SIGEV_THREAD_ID, .sigev_signo = SIGUSR1};
	struct itimerspec every = {.it_value.tv_nsec = 1000000, .it_interval.tv_nsec = 1000000};
	timer_t tick;
	sev._sigev_un._tid = h.tid; /* glibc 2.36 lacks sigev_notify_thread_id */
	bool timer = timer_create(CLOCK_MONOTONIC, &sev, &tick) == 0;
	if (timer)
		timer_settime(tick, 0, &every, NULL);
	for (long r = 0; r < rounds; r++) {
		int clone_res[CHAINS], exec_res[CHAINS], got = 0;

		for (int i = 0; i < CHAINS; i++) {
			struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
			uspawn_prep_clone(sqe);
			sqe->flags = IOSQE_IO_LINK;
			sqe->user_data = (uint64_t)i << 1;
			sqe = io_uring_get_sqe(ring);
			uspawn_prep_execveat(sqe, AT_FDCWD, "/bin/true", argv_true, envp0, 0);
			sqe->user_data = (uint64_t)i << 1 | 1;
			clone_res[i] = exec_res[i] = NOT_SEEN;
		}
		io_uring_submit(ring);
		while (got < 2 * CHAINS) {
			struct io_uring_cqe *cqe;
			if (wait_cqe(ring, &cqe, 20) < 0)
				break;
			int i = (int)(cqe->user_data >> 1) % CHAINS;
			if (cqe->user_data & 1)
				exec_res[i] = cqe->res;
			else
				clone_res[i] = cqe->res;
			io_uring_cqe_seen(ring, cqe);
			got++;
		}
		for (int i = 0; i < CHAINS; i++) {
			if (clone_res[i] > 0) {
				pids++;
				bad += exec_res[i] != 0;
				int st = wait_pid(clone_res[i]);
				reaped += st != -1;
				bad += !exited0(st);
			} else if (clone_res[i] == -EINTR) {
				eintr++;
				bad += exec_res[i] != -ECANCELED;
			} else {
				bad++;
				fprintf(stderr, "#   round %ld chain %d: CLONE %d EXEC %d\n", r, i,
					clone_res[i], exec_res[i]);
			}
		}
	}
	if (timer)
		timer_delete(tick);
	atomic_store(&h.stop, true);
	pthread_join(th, NULL);
	printf("# 14: %ld -EINTR of %ld CLONEs (%ld tgkill()s, timer %s, %d signals caught)\n",
	       eintr, rounds * CHAINS, h.sent, timer ? "on" : "off", (int)sigusr1_seen);
	ktest_ok(timer && !bad && pids + eintr == rounds * CHAINS && reaped == pids &&
			 no_children(),
		 "14 CLONE under tgkill: %ld pids (exec'd, reaped), %ld -EINTR (chain -ECANCELED, "
		 "no child), %ld bad",
		 pids, eintr, bad);
}

/* 14. An inline CLONE inherits the submitter's mask; a pending signal: -EINTR. */
static void t14(struct io_uring *ring)
{
	static char *argv_blk[] = {"sigblk", "200", NULL}; /* SIGUSR2 = 12 -> bit 11 */
	struct chain c;
	sigset_t set, old;
	int want[] = {1, 0};

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, &old);
	argv_blk[1] = "800"; /* 1 << (12 - 1) */
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/sigblk", argv_blk, 0);
	run(&c);
	sigprocmask(SIG_SETMASK, &old, NULL);
	ktest_ok(res_is(&c, want, 2), "14 inline CLONE: spawned");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1),
		 "14 the exec'd child has the submitter's mask");
	t14_sigio(ring);
	t14_hammer(ring);
}

/* 15. SIGKILL the child while it blocks in a READ: every CQE still arrives. */
static void t15(struct io_uring *ring)
{
	static char rbuf[8];
	struct io_uring_sqe *sqe;
	struct chain c;
	int p[2];

	if (pipe(p) < 0)
		return;
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	sqe = sqe_at(&c);
	io_uring_prep_read(sqe, p[0], rbuf, 3, 0);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_LINK;
	add_exec(&c, "/bin/true", argv_true, 0);
	io_uring_submit(ring);
	struct io_uring_cqe *cqe;
	int pid = -1;
	if (wait_cqe(ring, &cqe, 10) == 0) {
		pid = cqe->user_data == 0 ? cqe->res : -1;
		io_uring_cqe_seen(ring, cqe);
	}
	usleep(200000);
	/* the blocked chain holds no ring lock: the parent's NOP goes through */
	struct io_uring_sqe *nop = io_uring_get_sqe(ring);
	io_uring_prep_nop(nop);
	nop->user_data = 9;
	io_uring_submit(ring);
	int nop_res = NOT_SEEN;
	if (wait_cqe(ring, &cqe, 10) == 0) {
		if (cqe->user_data == 9)
			nop_res = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	ktest_ok(nop_res == 0, "15 the parent's NOP completes while the chain blocks");
	if (pid > 0)
		kill(pid, SIGKILL);
	int got = 0, r1 = NOT_SEEN, r2 = NOT_SEEN;
	while (got < 2 && wait_cqe(ring, &cqe, 10) == 0) {
		if (cqe->user_data == 1)
			r1 = cqe->res;
		if (cqe->user_data == 2)
			r2 = cqe->res;
		got++;
		io_uring_cqe_seen(ring, cqe);
	}
	ktest_ok(pid > 0 && r1 < 0 && r2 == -ECANCELED, "15 SIGKILL during READ: READ %d, EXEC %d",
		 r1, r2);
	ktest_ok(killed(pid > 0 ? wait_pid(pid) : -1), "15 child reaped, SIGKILLed");
	close(p[0]);
	close(p[1]);
}

/*
 * 16, deterministic: the chain's CLOSE drops the last reference of the
 * pipe's write end, as close(2) in a forked child would, so the READ after
 * it gets EOF. The child waits on a gate pipe until the parent has closed
 * its own copy. close(2) releases the file when it returns to user space
 * (a task_work); a chain never returns there between its requests, so the
 * chain must run that work itself, as io-wq does between two requests, or
 * the READ waits for a writer that only its own pending work would drop.
 */
static void t16_last_close(void)
{
	static char rbuf[8];
	struct io_uring r;
	struct chain c;
	struct io_uring_sqe *sqe;
	int p[2], g[2], res[5] = {NOT_SEEN, NOT_SEEN, NOT_SEEN, NOT_SEEN, NOT_SEEN};

	if (pipe(p) < 0 || pipe(g) < 0 || io_uring_queue_init(8, &r, 0) < 0) {
		ktest_ok(0, "16 last close: setup");
		return;
	}
	chain_init(&c, &r);
	add_clone(&c, IOSQE_IO_LINK); /* 0 */
	sqe = sqe_at(&c);             /* 1: wait for the gate */
	io_uring_prep_read(sqe, g[0], rbuf, 1, 0);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = sqe_at(&c); /* 2: the last reference of the write end */
	io_uring_prep_close(sqe, p[1]);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = sqe_at(&c); /* 3: EOF, or blocked for good */
	io_uring_prep_read(sqe, p[0], rbuf + 1, 1, 0);
	sqe->flags |= IOSQE_IO_HARDLINK;         /* EOF is a short read */
	add_exec(&c, "/bin/true", argv_true, 0); /* 4 */
	int ret = io_uring_submit(&r);
	/* the copy is made before io_uring_enter() returns: it holds p[1] now */
	close(p[1]);
	bool gate = ret == 5 && write(g[1], "x", 1) == 1;
	pid_t pid = -1;
	for (int got = 0; gate && got < 5; got++) {
		struct io_uring_cqe *cqe;
		/* a guard, not a timing claim: EOF comes at once when it comes */
		if (wait_cqe(&r, &cqe, 20) < 0)
			break;
		if (cqe->user_data < 5)
			res[cqe->user_data] = cqe->res;
		if (cqe->user_data == 0)
			pid = cqe->res;
		io_uring_cqe_seen(&r, cqe);
	}
	bool stuck = res[3] == NOT_SEEN && pid > 0;
	if (stuck)
		kill(pid, SIGKILL); /* its exit runs the pending close */
	int st = pid > 0 ? wait_pid(pid) : -1;
	if (res[0] <= 0 || res[1] != 1 || res[2] || res[3] || res[4] || !exited0(st))
		printf("# 16 last close: %d %d %d %d %d, status %#x\n", res[0], res[1], res[2],
		       res[3], res[4], st);
	ktest_ok(gate && res[0] > 0 && res[1] == 1 && !res[2] && !res[3] && !res[4] && exited0(st),
		 "16 a chain's CLOSE of the last write end: the READ after it gets EOF, exec, "
		 "exit 0");
	io_uring_queue_exit(&r);
	close(p[0]);
	close(g[0]);
	close(g[1]);
}

/*
 * 16. The parent exits while the child waits on a pipe whose write end the
 * chain closed first: the child gets EOF and execs.
 */
static void t16(void)
{
	static char *argv_touch[] = {"touch", "/tmp/t16", NULL};
	unlink("/tmp/t16");
	pid_t sub = fork();
	if (sub == 0) {
		static char rbuf[8];
		struct io_uring r;
		struct chain c;
		struct io_uring_sqe *sqe;
		int p[2];

		if (pipe(p) < 0 || io_uring_queue_init(8, &r, 0) < 0)
			_exit(2);
		chain_init(&c, &r);
		add_clone(&c, IOSQE_IO_LINK);
		sqe = sqe_at(&c);
		io_uring_prep_close(sqe, p[1]);
		sqe->user_data = 1;
		sqe->flags |= IOSQE_IO_LINK;
		sqe = sqe_at(&c);
		io_uring_prep_read(sqe, p[0], rbuf, 3, 0);
		sqe->user_data = 2;
		sqe->flags |= IOSQE_IO_HARDLINK;
		add_exec(&c, "/bin/touch", argv_touch, 0);
		io_uring_submit(&r);
		usleep(100000);
		_exit(0);
	}
	int st = wait_pid(sub);
	ktest_ok(exited0(st), "16 the parent exits while the chain blocks");
	bool seen = false;
	/* 60 s: a guard, not a timing claim (TCG on a loaded host is slow) */
	for (int i = 0; i < 6000 && !seen; i++) {
		seen = access("/tmp/t16", F_OK) == 0;
		usleep(10000);
	}
	ktest_ok(seen, "16 the orphaned child got EOF and exec'd");
	t16_last_close();
}

/* 17. The parent execs while its chain blocks: the exec kills the child. */
static void t17(void)
{
	static char *argv_touch[] = {"touch", "/tmp/t17", NULL};
	unlink("/tmp/t17");
	pid_t sub = fork();
	if (sub == 0) {
		static char rbuf[8];
		struct io_uring r;
		struct chain c;
		struct io_uring_sqe *sqe;
		int p[2];

		if (pipe(p) < 0 || io_uring_queue_init(8, &r, 0) < 0)
			_exit(2);
		chain_init(&c, &r);
		add_clone(&c, IOSQE_IO_LINK);
		sqe = sqe_at(&c);
		io_uring_prep_read(sqe, p[0], rbuf, 3, 0);
		sqe->user_data = 1;
		sqe->flags |= IOSQE_IO_LINK;
		add_exec(&c, "/bin/touch", argv_touch, 0);
		io_uring_submit(&r);
		usleep(100000);
		execv("/bin/true", argv_true);
		_exit(3);
	}
	int st = wait_pid(sub);
	ktest_ok(exited0(st), "17 the parent's exec completes during a blocked chain (%#x)", st);
	usleep(200000);
	ktest_ok(access("/tmp/t17", F_OK) < 0, "17 the blocked child was killed, never exec'd");
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

/*
 * 18. Many spawns (USPAWN_STRESS_N, default 2000), every 10th blocked in a
 * READ and SIGKILLed mid-chain; then the ring closes. The debug kernel run
 * checks kmemleak and lockdep afterwards.
 */
static void t18(void)
{
	static char rbuf[8];
	long total = env_long("USPAWN_STRESS_N", 2000), spawned = 0, pids = 0, eintr = 0,
	     reaped = 0, bad = 0;
	struct io_uring r;
	int p[2];

	if (pipe(p) < 0 || io_uring_queue_init(64, &r, 0) < 0) {
		ktest_ok(0, "18 setup");
		return;
	}
	while (spawned < total) {
		int batch = total - spawned < 8 ? (int)(total - spawned) : 8, nsqe = 0;
		int clone_res[8], exec_res[8];

		for (int b = 0; b < batch; b++) {
			long id = spawned + b;
			struct io_uring_sqe *sqe = io_uring_get_sqe(&r);
			uspawn_prep_clone(sqe);
			sqe->flags = IOSQE_IO_LINK;
			sqe->user_data = (uint64_t)id << 2 | 0;
			nsqe++;
			if (id % 10 == 9) {
				sqe = io_uring_get_sqe(&r);
				io_uring_prep_read(sqe, p[0], rbuf, 1, 0);
				sqe->flags = IOSQE_IO_LINK;
				sqe->user_data = (uint64_t)id << 2 | 1;
				nsqe++;
			}
			sqe = io_uring_get_sqe(&r);
			uspawn_prep_execveat(sqe, AT_FDCWD, "/bin/true", argv_true, envp0, 0);
			sqe->user_data = (uint64_t)id << 2 | 2;
			nsqe++;
			clone_res[b] = exec_res[b] = NOT_SEEN;
		}
		io_uring_submit(&r);
		for (int got = 0; got < nsqe; got++) {
			struct io_uring_cqe *cqe;
			if (wait_cqe(&r, &cqe, 20) < 0) {
				bad++;
				break;
			}
			long id = (long)(cqe->user_data >> 2);
			int kind = cqe->user_data & 3;
			if (kind == 0 && cqe->res > 0 && id % 10 == 9)
				kill(cqe->res, SIGKILL);
			if (kind == 0)
				clone_res[id - spawned] = cqe->res;
			if (kind == 2)
				exec_res[id - spawned] = cqe->res;
			io_uring_cqe_seen(&r, cqe);
		}
		/*
		 * A caught SIGCHLD of an earlier child may be pending while this
		 * thread makes the copy: -EINTR, the chain cancelled, no child.
		 */
		for (int b = 0; b < batch; b++) {
			bool blocked = (spawned + b) % 10 == 9;
			if (clone_res[b] > 0) {
				pids++;
				bad += !blocked && exec_res[b] != 0;
			} else if (clone_res[b] == -EINTR) {
				eintr++;
				bad += exec_res[b] != -ECANCELED;
			} else {
				bad++;
			}
		}
		spawned += batch;
		/* the per-case alarm guards against a hang, not a long run */
		alarm(900);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			reaped++;
		/* progress for long runs: a stopped run still says how far it got */
		if (spawned % 5000 == 0)
			printf("# 18: %ld spawns, %ld reaped, %ld bad\n", spawned, reaped, bad);
	}
	io_uring_queue_exit(&r);
	for (pid_t w; reaped < pids && ((w = waitpid(-1, NULL, 0)) > 0 || errno == EINTR);)
		reaped += w > 0;
	close(p[0]);
	close(p[1]);
	ktest_ok(!bad && reaped == pids && pids > spawned / 2,
		 "18 %ld spawns (10%% killed mid-chain): %ld children, %ld reaped, %ld -EINTR "
		 "(a SIGCHLD pending), %ld bad",
		 spawned, pids, reaped, eintr, bad);
}

static unsigned long long rnd_state = 88172645463325252ull;

static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static uint64_t rnd_ptr(void *good)
{
	static const uint64_t bad[] = {
		0, 1, 16, 0xfffffffffffff000ull, 0x7fffffffffffull, 0xffff800000000000ull};
	switch (rnd() % 3) {
	case 0:
		return (uint64_t)(uintptr_t)good;
	case 1:
		return bad[rnd() % 6];
	default:
		return rnd();
	}
}

static bool fuzz_res_ok(int res, bool clone)
{
	static const int ok[] = {0,       -EOPNOTSUPP, -EINVAL,    -EFAULT,       -E2BIG,
				 -ENOENT, -EBADF,      -ECANCELED, -ENAMETOOLONG, -ENOTDIR,
				 -EACCES, -ENOEXEC,    -ELOOP,     -EPERM,        -ENOMEM};
	/* a CLONE: a pid, or -EINTR when a SIGCHLD is pending at the copy */
	if (clone && (res > 0 || res == -EINTR))
		return true;
	for (unsigned i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		if (res == ok[i])
			return true;
	return false;
}

/* 21. Fuzz the SQE fields of CLONE and EXEC (USPAWN_FUZZ_N rounds). */
static void t21(void)
{
	static char *good_argv[] = {"true", NULL};
	static char path[] = "/bin/true";
	long rounds = env_long("USPAWN_FUZZ_N", 3000), bad = 0;
	struct io_uring r;

	/* SUBMIT_ALL: a bad SQE must not leave the rest of the round queued */
	if (io_uring_queue_init(16, &r, IORING_SETUP_SUBMIT_ALL) < 0) {
		ktest_ok(0, "21 setup");
		return;
	}
	for (long i = 0; i < rounds; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&r);
		int n = 1;

		uspawn_prep_clone(sqe);
		if (rnd() % 4 == 0) {
			sqe->fd = (int)rnd();
			sqe->addr = rnd_ptr(path);
			sqe->len = (unsigned)rnd() % 3;
			sqe->rw_flags = (unsigned)rnd() % 4;
			sqe->addr3 = rnd() % 2;
		}
		sqe->flags = (rnd() % 8) ? IOSQE_IO_LINK : (uint8_t)(rnd() & 0x3f);
		sqe->user_data = 0;
		int nexec = (int)(rnd() % 3);
		for (int e = 0; e < nexec; e++) {
			sqe = io_uring_get_sqe(&r);
			uspawn_prep_execveat(sqe, (rnd() % 4) ? AT_FDCWD : (int)rnd(),
					     (const char *)(uintptr_t)rnd_ptr(path),
					     (char **)(uintptr_t)rnd_ptr(good_argv),
					     (char **)(uintptr_t)rnd_ptr(envp0),
					     (rnd() % 4) ? 0 : (unsigned)rnd());
			if (rnd() % 4 == 0) {
				sqe->len = (unsigned)rnd();
				sqe->buf_index = (uint16_t)rnd();
				sqe->file_index = (unsigned)rnd();
				sqe->ioprio = (uint16_t)rnd();
			}
			sqe->flags = e + 1 < nexec
					     ? ((rnd() % 2) ? IOSQE_IO_HARDLINK : IOSQE_IO_LINK)
					     : (uint8_t)((rnd() % 8) ? 0 : rnd() & 0x3f);
			sqe->user_data = 1;
			n++;
		}
		int sub = io_uring_submit(&r);
		for (int got = 0; got < sub && got < n; got++) {
			struct io_uring_cqe *cqe;
			if (wait_cqe(&r, &cqe, 10) < 0)
				break;
			if (!fuzz_res_ok(cqe->res, cqe->user_data == 0)) {
				if (bad++ < 10)
					printf("# 21 unexpected res %d (%s)\n", cqe->res,
					       cqe->user_data ? "EXEC" : "CLONE");
			}
			io_uring_cqe_seen(&r, cqe);
		}
		/* drain strays from unterminated links, reap every child */
		struct io_uring_cqe *cqe;
		while (io_uring_peek_cqe(&r, &cqe) == 0)
			io_uring_cqe_seen(&r, cqe);
		while (waitpid(-1, NULL, WNOHANG) > 0)
			;
	}
	io_uring_queue_exit(&r);
	usleep(100000);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	ktest_ok(!bad, "21 fuzz: %ld rounds, %ld unexpected results", rounds, bad);
}

/* 19. DEFER_TASKRUN and IOPOLL rings: CLONE -EINVAL, no child. */
static void t19(void)
{
	unsigned flags[] = {IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
			    IORING_SETUP_IOPOLL};
	const char *names[] = {"DEFER_TASKRUN", "IOPOLL"};

	for (int i = 0; i < 2; i++) {
		struct io_uring r;
		struct chain c;

		if (io_uring_queue_init(8, &r, flags[i]) < 0) {
			ktest_ok(0, "19 %s ring setup", names[i]);
			continue;
		}
		chain_init(&c, &r);
		add_clone(&c, IOSQE_IO_LINK);
		add_exec(&c, "/bin/true", argv_true, 0);
		run(&c);
		/* IOPOLL rings refuse the EXEC itself too (no .iopoll): either is fine */
		ktest_ok(c.res[0] == -EINVAL && (c.res[1] == -ECANCELED || c.res[1] == -EINVAL) &&
				 no_children(),
			 "19 %s ring: CLONE -EINVAL (%d %d)", names[i], c.res[0], c.res[1]);
		io_uring_queue_exit(&r);
	}
}

/* 20. Detection: feature bit, probe handshake, definitive CLONE+NOP. */
static void t20(bool stock)
{
	struct io_uring_params p = {0};
	struct io_uring r;
	struct chain c;

	if (io_uring_queue_init_params(8, &r, &p) < 0) {
		ktest_ok(0, "20 ring setup");
		return;
	}
	bool feat = p.features & USPAWN_FEAT_SPAWN;
	ktest_ok(feat == !stock, "20 feature bit %s", stock ? "absent" : "present");

	chain_init(&c, &r);
	struct io_uring_sqe *sqe = sqe_at(&c);
	uspawn_prep_clone(sqe);
	sqe->user_data = 0;
	sqe->rw_flags = USPAWN_CLONE_PROBE;
	run(&c);
	if (stock)
		ktest_ok(c.res[0] == -EINVAL && no_children(), "20 probe fails cleanly: %d",
			 c.res[0]);
	else
		ktest_ok(c.res[0] == USPAWN_SPAWN_MAGIC && no_children(),
			 "20 probe answers the magic");

	chain_init(&c, &r);
	add_clone(&c, IOSQE_IO_LINK);
	add_nop(&c, 0, 0);
	run(&c);
	if (stock) {
		ktest_ok(c.res[0] == -EINVAL && c.res[1] == -ECANCELED && no_children(),
			 "20 CLONE+NOP: -EINVAL, -ECANCELED (%d %d)", c.res[0], c.res[1]);
	} else {
		ktest_ok(c.res[0] > 0 && c.res[1] == 0, "20 CLONE+NOP: pid, 0");
		ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "20 CLONE+NOP: SIGKILL");
	}
	io_uring_queue_exit(&r);
}

/* Stock io_uring behaviour that must survive the series. */
static void stock_checks(struct io_uring *ring)
{
	static char buf[16];
	struct io_uring_sqe *sqe;
	struct chain c;
	int want_nops[] = {0, 0, 0};

	chain_init(&c, ring);
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_nop(&c, 0, 0);
	run(&c);
	ktest_ok(res_is(&c, want_nops, 3), "stock: linked NOPs");

	chain_init(&c, ring);
	add_nop(&c, -5, IOSQE_IO_LINK);
	add_nop(&c, 0, 0);
	run(&c);
	ktest_ok(c.res[0] == -5 && c.res[1] == -ECANCELED, "stock: failed NOP cancels its link");

	int fd = open("/tmp/stock", O_RDWR | O_CREAT | O_TRUNC, 0644);
	write(fd, "stock io_uring", 14);
	chain_init(&c, ring);
	sqe = sqe_at(&c);
	io_uring_prep_read(sqe, fd, buf, sizeof(buf), 0);
	sqe->user_data = 0;
	run(&c);
	ktest_ok(c.res[0] == 14 && !memcmp(buf, "stock io_uring", 14), "stock: READ");
	close(fd);

	pid_t pid = fork();
	if (pid == 0)
		_exit(7);
	siginfo_t si = {0};
	chain_init(&c, ring);
	sqe = sqe_at(&c);
	uspawn_prep_waitid(sqe, P_PID, pid, &si, WEXITED, 0);
	sqe->user_data = 0;
	run(&c);
	ktest_ok(c.res[0] == 0 && si.si_pid == pid && si.si_status == 7, "stock: WAITID");
}

/*
 * 22. O_DIRECT on a block device (brd's /dev/ram0) in a chain: WRITE a
 * block, READ it back, EXEC. A chain's I/O is synchronous, so both complete
 * in the child with their byte count and the chain goes on. The old series
 * completed a queued O_DIRECT write inline with -EIOCBQUEUED and again when
 * the block layer ended it (a use-after-free), and issued without the
 * reference io-wq holds, so the parent's task_work could free a request
 * its issuer still used: many rounds on two CPUs, KASAN in the debug run.
 * A misaligned O_DIRECT write fails at once (-EINVAL): hard-linked, the
 * EXEC still runs.
 */
static void t22(struct io_uring *ring)
{
	const char *dev = getenv("USPAWN_BLKDEV") ? getenv("USPAWN_BLKDEV") : "/dev/ram0";
	long rounds = env_long("USPAWN_DIO_ROUNDS", 200), bad = 0;
	int want[] = {1, 4096, 4096, 0}, want_bad[] = {1, -EINVAL, 0};
	int fd = open(dev, O_RDWR | O_DIRECT);
	char *wbuf, *rbuf;
	struct chain c;

	if (fd < 0) {
		ktest_ok(0, "22 open %s O_DIRECT: %s", dev, strerror(errno));
		return;
	}
	if (posix_memalign((void **)&wbuf, 4096, 8192) ||
	    posix_memalign((void **)&rbuf, 4096, 4096))
		exit(2);
	for (long r = 0; r < rounds; r++) {
		off_t off = (off_t)(r % 64) * 4096;

		memset(wbuf, 'a' + (int)(r % 26), 4096);
		memset(rbuf, 0, 4096);
		chain_init(&c, ring);
		add_clone(&c, IOSQE_IO_LINK);
		struct io_uring_sqe *w = add_op(&c, IOSQE_IO_LINK);
		PREP(w, io_uring_prep_write(w, fd, wbuf, 4096, (uint64_t)off));
		struct io_uring_sqe *rd = add_op(&c, IOSQE_IO_LINK);
		PREP(rd, io_uring_prep_read(rd, fd, rbuf, 4096, (uint64_t)off));
		add_exec(&c, "/bin/true", argv_true, 0);
		run(&c);
		int st = c.res[0] > 0 ? wait_pid(c.res[0]) : -1;
		bool ok = c.res[0] > 0 && c.res[1] == want[1] && c.res[2] == want[2] &&
			  c.res[3] == want[3] && !memcmp(wbuf, rbuf, 4096) && exited0(st);
		if (!ok && bad++ < 3)
			printf("# 22 round %ld: %d %d %d %d, status %#x\n", r, c.res[0], c.res[1],
			       c.res[2], c.res[3], st);
	}
	ktest_ok(!bad, "22 O_DIRECT WRITE, READ, EXEC in a chain: %ld rounds, %ld bad", rounds,
		 bad);

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	struct io_uring_sqe *w = add_op(&c, IOSQE_IO_HARDLINK);
	PREP(w, io_uring_prep_write(w, fd, wbuf + 1, 4096, 0));
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(res_is(&c, want_bad, 3),
		 "22 misaligned O_DIRECT write: -EINVAL, hard link goes on");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "22 misaligned: exit 0");
	free(wbuf);
	free(rbuf);
	close(fd);
}

/* 23, a WRITE cut short by RLIMIT_FSIZE: the CQE says 4096, not -ECANCELED. */
static void t23_fsize(struct io_uring *ring)
{
	static char buf[8192];
	struct sigaction ign = {.sa_handler = SIG_IGN}, old_sa;
	struct rlimit old, lim;
	int want[] = {1, 4096, 0};
	struct chain c;
	struct stat st;
	int fd = open("/tmp/t23", O_RDWR | O_CREAT | O_TRUNC, 0644);

	getrlimit(RLIMIT_FSIZE, &old);
	lim = old;
	lim.rlim_cur = 4096;
	sigaction(SIGXFSZ, &ign, &old_sa);
	setrlimit(RLIMIT_FSIZE, &lim);
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	struct io_uring_sqe *w = add_op(&c, IOSQE_IO_HARDLINK);
	PREP(w, io_uring_prep_write(w, fd, buf, sizeof(buf), 0));
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	setrlimit(RLIMIT_FSIZE, &old);
	sigaction(SIGXFSZ, &old_sa, NULL);
	fstat(fd, &st);
	ktest_ok(res_is(&c, want, 3) && st.st_size == 4096,
		 "23 WRITE cut short by RLIMIT_FSIZE: 4096 written, hard link goes on");
	ktest_ok(exited0(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "23 short write: exit 0");
	close(fd);
	unlink("/tmp/t23");
}

/* 23, MSG_WAITALL cut short by SO_RCVTIMEO / SO_SNDTIMEO: the bytes moved. */
static void t23_waitall(struct io_uring *ring)
{
	static char rbuf[8], sbuf[1 << 20];
	struct timeval tv = {.tv_usec = 300000};
	int sndbuf = 4096, sv[2], tx[2];
	struct chain c;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM, 0, tx) < 0) {
		ktest_ok(0, "23 socketpair: %s", strerror(errno));
		return;
	}
	setsockopt(sv[0], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (write(sv[1], "abc", 3) != 3)
		exit(2);
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	struct io_uring_sqe *r = add_op(&c, IOSQE_IO_LINK);
	PREP(r, io_uring_prep_recv(r, sv[0], rbuf, 6, MSG_WAITALL));
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(c.res[0] > 0 && c.res[1] == 3 && c.res[2] == -ECANCELED && !memcmp(rbuf, "abc", 3),
		 "23 RECV MSG_WAITALL cut short by its timeout: 3 bytes, not -ECANCELED (%d %d)",
		 c.res[1], c.res[2]);
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "23 short RECV: child SIGKILLed");

	setsockopt(tx[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	setsockopt(tx[0], SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	struct io_uring_sqe *snd = add_op(&c, IOSQE_IO_LINK);
	PREP(snd, io_uring_prep_send(snd, tx[0], sbuf, sizeof(sbuf), MSG_WAITALL));
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	ktest_ok(c.res[0] > 0 && c.res[1] > 0 && c.res[1] < (int)sizeof(sbuf) &&
			 c.res[2] == -ECANCELED,
		 "23 SEND MSG_WAITALL cut short by its timeout: the bytes sent (%d %d)", c.res[1],
		 c.res[2]);
	ktest_ok(killed(c.res[0] > 0 ? wait_pid(c.res[0]) : -1), "23 short SEND: child SIGKILLed");
	close(sv[0]);
	close(sv[1]);
	close(tx[0]);
	close(tx[1]);
}

/* 23, a READ of a pipe interrupted by SIGSTOP: -EINTR, never a restart code. */
static void t23_intr(struct io_uring *ring)
{
	static char rbuf[8];
	struct io_uring_cqe *cqe;
	int p[2], pid = -1, r1 = NOT_SEEN, r2 = NOT_SEEN;
	struct chain c;

	if (pipe(p) < 0)
		return;
	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK);
	struct io_uring_sqe *r = add_op(&c, IOSQE_IO_LINK);
	PREP(r, io_uring_prep_read(r, p[0], rbuf, 3, 0));
	add_exec(&c, "/bin/true", argv_true, 0);
	io_uring_submit(ring);
	if (wait_cqe(ring, &cqe, 10) == 0) {
		pid = cqe->user_data == 0 ? cqe->res : -1;
		io_uring_cqe_seen(ring, cqe);
	}
	usleep(200000);
	if (pid > 0)
		kill(pid, SIGSTOP);
	for (int got = 0; got < 2 && wait_cqe(ring, &cqe, 10) == 0; got++) {
		if (cqe->user_data == 1)
			r1 = cqe->res;
		if (cqe->user_data == 2)
			r2 = cqe->res;
		io_uring_cqe_seen(ring, cqe);
	}
	ktest_ok(pid > 0 && r1 == -EINTR && r2 == -ECANCELED,
		 "23 READ interrupted by SIGSTOP: -EINTR, then -ECANCELED (%d %d)", r1, r2);
	if (pid > 0) {
		kill(pid, SIGKILL);
		wait_pid(pid);
	}
	close(p[0]);
	close(p[1]);
}

/*
 * 23. What a chain's request did is what its CQE says, as io-wq reports it:
 * the old series turned a partial write's or a MSG_WAITALL send's -EAGAIN
 * into -ECANCELED after bytes had moved.
 */
static void t23(struct io_uring *ring)
{
	t23_fsize(ring);
	t23_waitall(ring);
	t23_intr(ring);
}

static bool want_case(int argc, char **argv, int n)
{
	bool any = false;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			continue;
		any = true;
		if (atoi(argv[i]) == n)
			return true;
	}
	return !any;
}

int main(int argc, char **argv)
{
	struct io_uring ring;
	bool stock = argc > 1 && !strcmp(argv[1], "--stock");
	/* SA_RESTART: a SIGCHLD must not cut a blocking waitpid short */
	struct sigaction sa = {.sa_handler = on_sigchld, .sa_flags = SA_RESTART};

	setvbuf(stdout, NULL, _IOLBF, 0);
	ktest_init();
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = on_sigusr1; /* 14: the signal that makes a CLONE fail */
	sigaction(SIGUSR1, &sa, NULL);
	if (io_uring_queue_init(MAXQ, &ring, 0) < 0) {
		ktest_ok(0, "io_uring_queue_init");
		return ktest_done();
	}
	stock_checks(&ring);
	if (stock) {
		t20(true);
		return ktest_done();
	}
	void (*ring_cases[])(struct io_uring *) = {
		[1] = t1,   [2] = t2,   [3] = t3,   [4] = t4,   [5] = t5,   [6] = t6,
		[7] = t7,   [8] = t8,   [9] = t9,   [10] = t10, [11] = t11, [12] = t12,
		[13] = t13, [14] = t14, [15] = t15, [22] = t22, [23] = t23,
	};
	for (int i = 1; i <= 23; i++) {
		if (!want_case(argc, argv, i))
			continue;
		alarm(900);
		if (ring_cases[i])
			ring_cases[i](&ring);
		else if (i == 16)
			t16();
		else if (i == 17)
			t17();
		else if (i == 18)
			t18();
		else if (i == 19)
			t19();
		else if (i == 20)
			t20(false);
		else if (i == 21)
			t21();
	}
	alarm(0);
	return ktest_done();
}
