/* SPDX-License-Identifier: MIT */
/*
 * libuspawn behaviour, run once per engine: ctest sets USPAWN_ENGINE
 * (and USPAWN_TEST_NO_WAITID=1 to force the pidfd reaping fallback).
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uspawn.h"

#ifndef PROBE_CHILD
#error "PROBE_CHILD must name the probe_child binary"
#endif

static char tmpdir[] = "/tmp/uspawn-unit-XXXXXX";

/* run under tests/noring.c: io_uring is refused, the handle runs on poll(2) */
static int noring(void)
{
	return getenv("USPAWN_TEST_NORING") != NULL;
}

static struct uspawn *open_handle(unsigned entries)
{
	struct uspawn_opts o = {.ring_entries = entries};

	if (getenv("USPAWN_TEST_NO_WAITID"))
		o.flags |= USPAWN_OPEN_NO_WAITID;
	struct uspawn *u = uspawn_open(&o);
	ck_assert_msg(u != NULL, "uspawn_open: %s", strerror(errno));
	return u;
}

/* Collected result of one job. */
struct result {
	struct uspawn_event exit;
	char out[8192];
	size_t out_len;
	char err[8192];
	size_t err_len;
};

static void collect(struct uspawn *u, struct result *res, unsigned n)
{
	struct uspawn_event ev[32];

	while (uspawn_running(u)) {
		int got = uspawn_wait(u, ev, 32, 10000);
		if (got == -EINTR)
			continue; /* Check's own signal handlers */
		ck_assert_int_gt(got, 0);
		for (int i = 0; i < got; i++) {
			ck_assert_uint_lt(ev[i].user_data, n);
			struct result *r = &res[ev[i].user_data];
			if (ev[i].type == USPAWN_EV_EXIT) {
				r->exit = ev[i];
				continue;
			}
			ck_assert_int_eq(ev[i].type, USPAWN_EV_OUTPUT);
			char *buf = ev[i].stream == 1 ? r->out : r->err;
			size_t *len = ev[i].stream == 1 ? &r->out_len : &r->err_len;
			size_t room = sizeof r->out - 1 - *len;
			size_t take = ev[i].len < room ? ev[i].len : room;
			memcpy(buf + *len, ev[i].data, take);
			*len += take;
			buf[*len] = 0;
		}
	}
}

static void probe_cmd(struct uspawn_cmd *c, char **argv, uint64_t ud)
{
	uspawn_cmd_init(c);
	c->argv = argv;
	c->path = PROBE_CHILD;
	c->user_data = ud;
	c->flags = USPAWN_CAPTURE_STDOUT | USPAWN_CAPTURE_STDERR;
}

static struct result run1(struct uspawn_cmd *c)
{
	struct uspawn *u = open_handle(0);
	struct result r = {0};

	c->user_data = 0;
	ck_assert_int_eq(uspawn_submit(u, c, 1), 1);
	collect(u, &r, 1);
	uspawn_close(u);
	return r;
}

/* posix_spawn says only that it failed, not at which step */
static int precise_stages(void)
{
	const char *e = getenv("USPAWN_ENGINE");
	return !e || strcmp(e, "posix");
}

static void assert_no_children(void)
{
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
	ck_assert_int_eq(errno, ECHILD);
}

START_TEST(exit_codes)
{
	struct uspawn *u = open_handle(0);
	struct uspawn_cmd c[256];
	char *argv[256][4];
	char num[256][8];
	static struct result res[256];

	memset(res, 0, sizeof res);
	for (int i = 0; i < 256; i++) {
		snprintf(num[i], sizeof num[i], "%d", i);
		argv[i][0] = "probe_child";
		argv[i][1] = "exit";
		argv[i][2] = num[i];
		argv[i][3] = NULL;
		probe_cmd(&c[i], argv[i], (uint64_t)i);
	}
	ck_assert_int_eq(uspawn_submit(u, c, 256), 256);
	collect(u, res, 256);
	for (int i = 0; i < 256; i++) {
		ck_assert(WIFEXITED(res[i].exit.status));
		ck_assert_int_eq(WEXITSTATUS(res[i].exit.status), i);
		ck_assert_int_eq(res[i].exit.error, 0);
		ck_assert_int_gt(res[i].exit.pid, 0);
	}
	uspawn_close(u);
	assert_no_children();
}
END_TEST

START_TEST(killed_by_signal)
{
	int sigs[] = {SIGTERM, SIGKILL, SIGSEGV, SIGINT, SIGUSR1};
	for (unsigned i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		char num[8];
		snprintf(num, sizeof num, "%d", sigs[i]);
		char *argv[] = {"probe_child", "kill", num, NULL};
		struct uspawn_cmd c;
		probe_cmd(&c, argv, 0);
		struct result r = run1(&c);
		ck_assert_msg(WIFSIGNALED(r.exit.status), "signal %d: status %x", sigs[i],
			      r.exit.status);
		ck_assert_int_eq(WTERMSIG(r.exit.status), sigs[i]);
	}
	assert_no_children();
}
END_TEST

static void expect_exec_error(const char *path, int want, int search)
{
	char *argv[] = {(char *)path, NULL};
	struct uspawn_cmd c;

	probe_cmd(&c, argv, 0);
	c.path = NULL;
	if (search)
		c.flags |= USPAWN_PATH_SEARCH;
	struct result r = run1(&c);
	ck_assert_msg(r.exit.error == want, "%s: error %d (%s), want %d", path, r.exit.error,
		      strerror(r.exit.error), want);
	ck_assert_int_eq(r.exit.stage, USPAWN_STAGE_EXEC);
	ck_assert(WIFEXITED(r.exit.status));
	ck_assert_int_eq(WEXITSTATUS(r.exit.status), 127);
}

START_TEST(exec_errors)
{
	char path[512];

	expect_exec_error("/nonexistent/program", ENOENT, 0);
	expect_exec_error("no-such-program-uspawn", ENOENT, 1);
	expect_exec_error(tmpdir, EACCES, 0); /* a directory */
	snprintf(path, sizeof path, "%s/noexec", tmpdir);
	int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "echo hi\n", 8), 8);
	close(fd);
	expect_exec_error(path, EACCES, 0); /* not executable */
	assert_no_children();
}
END_TEST

START_TEST(enoexec_script_runs_with_sh)
{
	char path[512];

	snprintf(path, sizeof path, "%s/script", tmpdir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("echo script-ran \"$1\"\n", f);
	fclose(f);
	chmod(path, 0755);
	char *argv[] = {path, "arg1", NULL};
	struct uspawn_cmd c;
	probe_cmd(&c, argv, 0);
	c.path = NULL;
	struct result r = run1(&c);
	ck_assert_int_eq(r.exit.error, 0);
	ck_assert_int_eq(r.exit.status, 0);
	ck_assert_str_eq(r.out, "script-ran arg1\n");

	/* with USPAWN_NO_SH_FALLBACK it is an error */
	c.flags |= USPAWN_NO_SH_FALLBACK;
	r = run1(&c);
	ck_assert_int_eq(r.exit.error, ENOEXEC);
}
END_TEST

START_TEST(path_search)
{
	char *argv[] = {"true", NULL};
	struct uspawn_cmd c;

	probe_cmd(&c, argv, 0);
	c.path = NULL;
	c.flags |= USPAWN_PATH_SEARCH;
	struct result r = run1(&c);
	ck_assert_int_eq(r.exit.error, 0);
	ck_assert_int_eq(r.exit.status, 0);

	/* without the flag, "true" is a relative path that does not exist here */
	c.flags &= ~USPAWN_PATH_SEARCH;
	c.cwd = tmpdir;
	r = run1(&c);
	ck_assert_int_eq(r.exit.error, ENOENT);
}
END_TEST

START_TEST(redirect_open_dup2_close)
{
	char path[512];

	snprintf(path, sizeof path, "%s/out.txt", tmpdir);
	char *argv[] = {"probe_child", "echo", "5", "to-fd-5", NULL};
	struct uspawn_fa fa[] = {
		{.op = USPAWN_FA_OPEN,
		 .fd = 4,
		 .path = path,
		 .oflag = O_WRONLY | O_CREAT | O_TRUNC,
		 .mode = 0644},
		{.op = USPAWN_FA_DUP2, .fd = 5, .src = 4},
		{.op = USPAWN_FA_CLOSE, .fd = 4},
		{.op = USPAWN_FA_CLOSE, .fd = 77}, /* not open: no error */
	};
	struct uspawn_cmd c;
	probe_cmd(&c, argv, 0);
	c.actions = fa;
	c.n_actions = 4;
	struct result r = run1(&c);
	ck_assert_int_eq(r.exit.status, 0);
	char buf[64] = {0};
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(read(fd, buf, sizeof buf - 1), 0);
	close(fd);
	ck_assert_str_eq(buf, "to-fd-5");

	/* stdin from a file */
	char *cat[] = {"probe_child", "cat", NULL};
	struct uspawn_fa in = {.op = USPAWN_FA_OPEN, .fd = 0, .path = path, .oflag = O_RDONLY};
	probe_cmd(&c, cat, 0);
	c.actions = &in;
	c.n_actions = 1;
	r = run1(&c);
	ck_assert_str_eq(r.out, "to-fd-5");

	/* a failing open names its action */
	struct uspawn_fa bad[] = {
		{.op = USPAWN_FA_CLOSE, .fd = 9},
		{.op = USPAWN_FA_OPEN, .fd = 1, .path = "/nonexistent/dir/x", .oflag = O_RDONLY},
	};
	probe_cmd(&c, cat, 0);
	c.actions = bad;
	c.n_actions = 2;
	r = run1(&c);
	ck_assert_int_eq(r.exit.error, ENOENT);
	if (precise_stages()) {
		ck_assert_int_eq(r.exit.stage, USPAWN_STAGE_ACTION);
		ck_assert_int_eq(r.exit.stage_index, 1);
	}
}
END_TEST

START_TEST(redirect_dup2_self_keeps_fd)
{
	int p[2];

	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);
	char num[8];
	snprintf(num, sizeof num, "%d", p[1]);
	char *argv[] = {"probe_child", "echo", num, "through-pipe", NULL};
	struct uspawn_fa fa = {.op = USPAWN_FA_DUP2, .fd = p[1], .src = p[1]};
	struct uspawn_cmd c;
	probe_cmd(&c, argv, 0);
	c.actions = &fa;
	c.n_actions = 1;
	struct result r = run1(&c);
	close(p[1]);
	ck_assert_int_eq(r.exit.status, 0);
	char buf[64] = {0};
	ck_assert_int_eq(read(p[0], buf, sizeof buf), 12);
	close(p[0]);
	ck_assert_str_eq(buf, "through-pipe");
}
END_TEST

START_TEST(redirect_registered_file)
{
	char path[512];

	snprintf(path, sizeof path, "%s/registered.txt", tmpdir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND, 0644);
	ck_assert_int_ge(fd, 0);
	struct uspawn *u = open_handle(0);
	int slot = uspawn_register_fd(u, fd);
	ck_assert_int_ge(slot, 0);
	close(fd);

	char *argv[] = {"probe_child", "echo", "1", "line\n", NULL};
	struct uspawn_fa fa = {.op = USPAWN_FA_INSTALL, .fd = 1, .src = slot};
	struct uspawn_cmd c[3];
	for (int i = 0; i < 3; i++) {
		probe_cmd(&c[i], argv, (uint64_t)i);
		c[i].flags = 0;
		c[i].actions = &fa;
		c[i].n_actions = 1;
	}
	struct result res[3] = {0};
	ck_assert_int_eq(uspawn_submit(u, c, 3), 3);
	collect(u, res, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(res[i].exit.status, 0);
	ck_assert_int_eq(uspawn_unregister_fd(u, slot), 0);
	ck_assert_int_eq(uspawn_unregister_fd(u, slot), -EBADF);

	/* an unknown slot is refused up front */
	ck_assert_int_eq(uspawn_submit(u, c, 1), -EINVAL);
	uspawn_close(u);

	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 15);
}
END_TEST

START_TEST(capture_merge)
{
	char *argv[] = {"sh", "-c", "echo out; echo err >&2; echo out2", NULL};
	struct uspawn_cmd c;

	probe_cmd(&c, argv, 0);
	c.path = "/bin/sh";
	c.flags = USPAWN_CAPTURE_STDOUT | USPAWN_CAPTURE_MERGE;
	struct result r = run1(&c);
	ck_assert_str_eq(r.out, "out\nerr\nout2\n");
	ck_assert_int_eq(r.err_len, 0);
}
END_TEST

START_TEST(no_fd_leaks)
{
	/* fds the parent holds without CLOEXEC must not reach the child... */
	int leak = open("/dev/null", O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(leak, 3);
	struct uspawn *u = open_handle(0);
	int slot = uspawn_register_fd(u, leak);
	ck_assert_int_ge(slot, 0);

	/* ...and only what the job asked for is there besides 0, 1, 2 */
	char *argv[] = {"probe_child", "fds", NULL};
	struct uspawn_fa fa = {.op = USPAWN_FA_INSTALL, .fd = 7, .src = slot};
	struct uspawn_cmd c[2];
	probe_cmd(&c[0], argv, 0);
	probe_cmd(&c[1], argv, 1);
	c[1].actions = &fa;
	c[1].n_actions = 1;
	struct result res[2] = {0};
	ck_assert_int_eq(uspawn_submit(u, c, 2), 2);
	collect(u, res, 2);
	uspawn_close(u);
	close(leak);
	ck_assert_str_eq(res[0].out, "0\n1\n2\n");
	ck_assert_str_eq(res[1].out, "0\n1\n2\n7\n");
}
END_TEST

START_TEST(cwd_per_job)
{
	char sub[512];

	snprintf(sub, sizeof sub, "%s/sub", tmpdir);
	mkdir(sub, 0755);
	char *argv[] = {"probe_child", "cwd", NULL};
	struct uspawn_cmd c[2];
	probe_cmd(&c[0], argv, 0);
	probe_cmd(&c[1], argv, 1);
	c[0].cwd = tmpdir;
	c[1].cwd = sub;
	struct uspawn *u = open_handle(0);
	struct result res[2] = {0};
	ck_assert_int_eq(uspawn_submit(u, c, 2), 2);
	collect(u, res, 2);
	uspawn_close(u);
	char want[600];
	snprintf(want, sizeof want, "%s\n", tmpdir);
	ck_assert_str_eq(res[0].out, want);
	snprintf(want, sizeof want, "%s\n", sub);
	ck_assert_str_eq(res[1].out, want);

	/* a missing cwd is a CWD failure */
	c[0].cwd = "/nonexistent-dir";
	struct result r = run1(&c[0]);
	ck_assert_int_eq(r.exit.error, ENOENT);
	if (precise_stages())
		ck_assert_int_eq(r.exit.stage, USPAWN_STAGE_CWD);
}
END_TEST

START_TEST(environment)
{
	char *argv[] = {"probe_child", "env", "USPAWN_T", NULL};
	char *envp[] = {"USPAWN_T=given", NULL};
	struct uspawn_cmd c;

	probe_cmd(&c, argv, 0);
	c.envp = envp;
	struct result r = run1(&c);
	ck_assert_str_eq(r.out, "given\n");

	setenv("USPAWN_T", "inherited", 1);
	c.envp = NULL;
	r = run1(&c);
	ck_assert_str_eq(r.out, "inherited\n");
	unsetenv("USPAWN_T");

	char *empty[] = {NULL};
	c.envp = empty;
	r = run1(&c);
	ck_assert_str_eq(r.out, "(unset)\n");
}
END_TEST

static void on_usr1(int sig)
{
	(void)sig;
}

START_TEST(signals_mask_and_handlers)
{
	/* the parent's caught handlers are reset; its mask is inherited */
	signal(SIGUSR1, on_usr1);
	sigset_t s, old;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, &old);
	char *hand[] = {"probe_child", "handlers", NULL};
	char *mask[] = {"probe_child", "sigmask", NULL};
	struct uspawn_cmd c;
	probe_cmd(&c, hand, 0);
	struct result r = run1(&c);
	ck_assert_str_eq(r.out, "0\n");
	probe_cmd(&c, mask, 0);
	r = run1(&c);
	char want[32];
	snprintf(want, sizeof want, "%lx\n", 1ul << SIGUSR2);
	ck_assert_str_eq(r.out, want);

	/* USPAWN_SIGMASK sets the child's mask */
	c.flags |= USPAWN_SIGMASK;
	sigemptyset(&c.sigmask);
	sigaddset(&c.sigmask, SIGHUP);
	r = run1(&c);
	snprintf(want, sizeof want, "%lx\n", 1ul << SIGHUP);
	ck_assert_str_eq(r.out, want);
	sigprocmask(SIG_SETMASK, &old, NULL);
	signal(SIGUSR1, SIG_DFL);
}
END_TEST

/*
 * A signal the job's mask blocks, sent while the child is between clone
 * and exec, stays pending as it would after exec: it must not take the
 * default action in the child (the parent's handler is reset there). A
 * sibling floods our process group with SIGUSR1 while jobs that block it
 * are spawned one at a time; every job must exit 0, none die of it.
 */
START_TEST(masked_signal_in_spawn_window)
{
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
	sigaction(SIGUSR1, &sa, NULL);
	ck_assert_int_eq(setpgid(0, 0), 0); /* the flood stays in this group */
	pid_t flood = fork();
	ck_assert_int_ge(flood, 0);
	if (flood == 0) {
		signal(SIGUSR1, SIG_IGN);
		for (;;)
			kill(0, SIGUSR1);
	}
	struct uspawn *u = open_handle(0);
	char *argv[] = {"probe_child", "exit", "0", NULL};
	unsigned killed = 0, other = 0;
	for (int i = 0; i < 100; i++) {
		struct uspawn_cmd c;
		struct uspawn_event ev;
		probe_cmd(&c, argv, (uint64_t)i);
		c.flags |= USPAWN_SIGMASK;
		sigemptyset(&c.sigmask);
		sigaddset(&c.sigmask, SIGUSR1);
		ck_assert_int_eq(uspawn_submit(u, &c, 1), 1);
		int got;
		while ((got = uspawn_wait(u, &ev, 1, 10000)) == -EINTR)
			;
		ck_assert_int_eq(got, 1);
		if (WIFSIGNALED(ev.status) && WTERMSIG(ev.status) == SIGUSR1)
			killed++;
		else if (!WIFEXITED(ev.status) || WEXITSTATUS(ev.status) != 0)
			other++;
	}
	kill(flood, SIGKILL);
	waitpid(flood, NULL, 0);
	uspawn_close(u);
	signal(SIGUSR1, SIG_DFL);
	ck_assert_msg(killed == 0, "%u of 100 jobs killed by SIGUSR1 before exec", killed);
	ck_assert_uint_eq(other, 0);
	assert_no_children();
}
END_TEST

START_TEST(process_group)
{
	char *argv[] = {"probe_child", "pgid", NULL};
	struct uspawn_cmd c;

	probe_cmd(&c, argv, 0);
	struct result r = run1(&c);
	ck_assert_str_eq(r.out, "other\n");
	c.flags |= USPAWN_SETPGROUP;
	r = run1(&c);
	ck_assert_str_eq(r.out, "same\n");
}
END_TEST

static void *thread_spawns(void *arg)
{
	struct uspawn *u = open_handle(0);
	char *argv[] = {"probe_child", "exit", "3", NULL};
	unsigned done = 0;

	(void)arg;
	for (int batch = 0; batch < 20; batch++) {
		struct uspawn_cmd c[10];
		for (int i = 0; i < 10; i++) {
			uspawn_cmd_init(&c[i]);
			c[i].path = PROBE_CHILD;
			c[i].argv = argv;
		}
		if (uspawn_submit(u, c, 10) != 10)
			break;
		while (uspawn_running(u)) {
			struct uspawn_event ev[16];
			int n = uspawn_wait(u, ev, 16, 10000);
			if (n == -EINTR)
				continue; /* Check's own signal handlers */
			if (n <= 0)
				break;
			for (int i = 0; i < n; i++)
				if (ev[i].type == USPAWN_EV_EXIT && WIFEXITED(ev[i].status) &&
				    WEXITSTATUS(ev[i].status) == 3)
					done++;
		}
	}
	uspawn_close(u);
	return (void *)(uintptr_t)done;
}

START_TEST(threads_8x200)
{
	pthread_t t[8];

	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(pthread_create(&t[i], NULL, thread_spawns, NULL), 0);
	for (int i = 0; i < 8; i++) {
		void *ret;
		pthread_join(t[i], &ret);
		ck_assert_uint_eq((uintptr_t)ret, 200);
	}
	assert_no_children();
}
END_TEST

/* Spawn total jobs, at most inflight at once, through a ring of entries. */
static unsigned spawn_many(unsigned entries, unsigned total, unsigned inflight, unsigned batch)
{
	struct uspawn *u = open_handle(entries);
	char *argv[] = {"true", NULL};
	struct uspawn_cmd *c = calloc(batch, sizeof *c);
	unsigned submitted = 0, ok = 0;

	for (unsigned i = 0; i < batch; i++) {
		uspawn_cmd_init(&c[i]);
		c[i].argv = argv;
		c[i].path = "/bin/true";
	}
	while (ok < total) {
		while (submitted < total && uspawn_running(u) + batch <= inflight) {
			unsigned n = total - submitted < batch ? total - submitted : batch;
			ck_assert_int_eq(uspawn_submit(u, c, n), (int)n);
			submitted += n;
		}
		struct uspawn_event ev[64];
		int n = uspawn_wait(u, ev, 64, 10000);
		if (n == -EINTR)
			continue;
		ck_assert_int_gt(n, 0);
		for (int i = 0; i < n; i++)
			if (ev[i].type == USPAWN_EV_EXIT && ev[i].status == 0 && ev[i].error == 0)
				ok++;
			else
				ck_abort_msg("job failed: status %x error %d", ev[i].status,
					     ev[i].error);
	}
	uspawn_close(u);
	free(c);
	return ok;
}

START_TEST(ten_thousand_through_small_ring)
{
	/*
	 * 16 SQEs, 32 CQEs, 200 jobs in flight: the CQ overflows and must not
	 * drop. The path is the ring's, not the engine's: the reference engines
	 * do a tenth of it.
	 */
	const char *e = getenv("USPAWN_ENGINE");
	unsigned total =
		(!e || !strcmp(e, "vfork") || !strcmp(e, "nowait")) && !getenv("USPAWN_TEST_QUICK")
			? 10000
			: 1000;
	ck_assert_uint_eq(spawn_many(16, total, 200, 100), total);
	assert_no_children();
}
END_TEST

START_TEST(batch_of_1000)
{
	ck_assert_uint_eq(spawn_many(0, 1000, 1000, 1000), 1000);
	assert_no_children();
}
END_TEST

START_TEST(rlimit_nproc_eagain)
{
	/* root ignores RLIMIT_NPROC: do it as nobody, in a child of our own */
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		/* 65534: nobody, without a passwd lookup (static builds, the VM) */
		if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
			_exit(3);
		struct rlimit rl = {0, 0};
		setrlimit(RLIMIT_NPROC, &rl);
		struct uspawn *u = uspawn_open(NULL);
		if (!u)
			_exit(4);
		char *argv[] = {"true", NULL};
		struct uspawn_cmd c[5];
		for (int i = 0; i < 5; i++) {
			uspawn_cmd_init(&c[i]);
			c[i].argv = argv;
			c[i].path = "/bin/true";
			c[i].user_data = (uint64_t)i;
		}
		if (uspawn_submit(u, c, 5) != 5)
			_exit(5);
		unsigned seen = 0, eagain = 0;
		while (uspawn_running(u)) {
			struct uspawn_event ev[8];
			int n = uspawn_wait(u, ev, 8, 10000);
			if (n == -EINTR)
				continue;
			if (n <= 0)
				_exit(6);
			for (int i = 0; i < n; i++) {
				seen |= 1u << ev[i].user_data;
				if (ev[i].error == EAGAIN && ev[i].stage == USPAWN_STAGE_SPAWN &&
				    ev[i].pid == 0)
					eagain++;
			}
		}
		uspawn_close(u);
		_exit(seen == 0x1f && eagain == 5 ? 0 : 7);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %x", st);
}
END_TEST

START_TEST(bad_input)
{
	struct uspawn *u = open_handle(0);
	struct uspawn_cmd c;
	char *noargs[] = {NULL};

	uspawn_cmd_init(&c);
	ck_assert_int_eq(uspawn_submit(u, &c, 1), -EINVAL);
	c.argv = noargs;
	ck_assert_int_eq(uspawn_submit(u, &c, 1), -EINVAL);
	char *argv[] = {"true", NULL};
	struct uspawn_fa fa = {.op = USPAWN_FA_OPEN, .fd = 1, .path = NULL};
	c.argv = argv;
	c.actions = &fa;
	c.n_actions = 1;
	ck_assert_int_eq(uspawn_submit(u, &c, 1), -EINVAL);
	ck_assert_uint_eq(uspawn_running(u), 0);
	uspawn_close(u);

	struct uspawn_opts o = {.engine = "no-such-engine"};
	ck_assert_ptr_null(uspawn_open(&o));
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(ring_min_fd)
{
	struct uspawn_opts o = {.ring_entries = 8, .min_fd = 40};
	struct uspawn *u = uspawn_open(&o);

	ck_assert_ptr_nonnull(u);
	if (noring()) /* no ring, so no fd to poll: said so */
		ck_assert_int_eq(uspawn_ring_fd(u), -EOPNOTSUPP);
	else
		ck_assert_int_ge(uspawn_ring_fd(u), 40);
	/* the ring still works from its new fd: spawn and reap through it */
	char *argv[] = {"probe_child", "exit", "3", NULL};
	struct uspawn_cmd c;
	struct result r = {0};
	probe_cmd(&c, argv, 0);
	ck_assert_int_eq(uspawn_submit(u, &c, 1), 1);
	collect(u, &r, 1);
	ck_assert_int_eq(r.exit.type, USPAWN_EV_EXIT);
	ck_assert_int_eq(WEXITSTATUS(r.exit.status), 3);
	uspawn_close(u);
	/* the lowest fd is free again: nothing stayed open below */
	int fd = open("/dev/null", O_RDONLY);
	ck_assert_int_lt(fd, 40);
	close(fd);
}
END_TEST

START_TEST(ring_reads)
{
	struct uspawn *u = open_handle(0);
	int p[2];
	char buf[8];

	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(uspawn_read(u, p[0], buf, 1, 42), 0);
	ck_assert_int_eq(write(p[1], "+", 1), 1);
	struct uspawn_event ev;
	ck_assert_int_eq(uspawn_wait(u, &ev, 1, 5000), 1);
	ck_assert_int_eq(ev.type, USPAWN_EV_READ);
	ck_assert_int_eq(ev.user_data, 42);
	ck_assert_int_eq(ev.res, 1);
	ck_assert_int_eq(buf[0], '+');

	/* a pending read is cancellable */
	ck_assert_int_eq(uspawn_read(u, p[0], buf, 1, 43), 0);
	ck_assert_int_eq(uspawn_cancel_reads(u, p[0]), 1);
	ck_assert_int_eq(uspawn_wait(u, &ev, 1, 5000), 1);
	ck_assert_int_eq(ev.user_data, 43);
	ck_assert_int_eq(ev.res, -ECANCELED);
	uspawn_close(u);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* fds this process has open: shows whether a handle has set its ring up */
static int open_fds(void)
{
	char path[64];
	int n = 0;

	for (int fd = 0; fd < 1024; fd++) {
		snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
		n += access(path, F_OK) == 0;
	}
	return n;
}

START_TEST(lazy_ring)
{
	struct uspawn_opts o = {.ring_entries = 8, .flags = USPAWN_OPEN_LAZY_RING};
	int before = open_fds();
	struct uspawn *u = uspawn_open(&o);

	ck_assert_ptr_nonnull(u);
	/* auto leaves the uring engine out; only USPAWN_ENGINE=uring names it */
	int uring = uspawn_engine(u) == USPAWN_ENGINE_URING;
	const char *want = getenv("USPAWN_ENGINE");
	if (!want || !strcmp(want, "auto"))
		ck_assert(!uring);
	ck_assert_int_eq(open_fds(), before + uring);

	/* one job at a time: spawned and waited for without a ring */
	char *argv[] = {"probe_child", "exit", "5", NULL};
	struct uspawn_cmd c;
	struct uspawn_event ev;
	uspawn_cmd_init(&c);
	c.argv = argv;
	c.path = PROBE_CHILD;
	c.user_data = 9;
	ck_assert_int_eq(uspawn_run(u, &c, &ev), 0);
	ck_assert_int_eq(ev.type, USPAWN_EV_EXIT);
	ck_assert_int_eq(ev.user_data, 9);
	ck_assert_int_gt(ev.pid, 0);
	ck_assert_int_eq(ev.error, 0);
	ck_assert(WIFEXITED(ev.status));
	ck_assert_int_eq(WEXITSTATUS(ev.status), 5);
	c.path = "/nonexistent/program";
	ck_assert_int_eq(uspawn_run(u, &c, &ev), 0);
	ck_assert_int_eq(ev.error, ENOENT);
	ck_assert_int_eq(WEXITSTATUS(ev.status), 127);
	ck_assert_int_eq(open_fds(), before + uring);
	assert_no_children();

	/* two at once, with output: the ring comes up to reap and read them */
	struct uspawn_cmd two[2];
	char *echo[] = {"probe_child", "echo", "1", "lazy", NULL};
	static struct result res[2];
	memset(res, 0, sizeof res);
	probe_cmd(&two[0], argv, 0);
	probe_cmd(&two[1], echo, 1);
	ck_assert_int_eq(uspawn_submit(u, two, 2), 2);
	collect(u, res, 2);
	ck_assert_int_eq(WEXITSTATUS(res[0].exit.status), 5);
	ck_assert_int_eq(WEXITSTATUS(res[1].exit.status), 0);
	ck_assert_str_eq(res[1].out, "lazy");
	ck_assert_int_eq(open_fds(), before + !noring());
	uspawn_close(u);
	ck_assert_int_eq(open_fds(), before);
	assert_no_children();
}
END_TEST

/*
 * Whether this kernel keeps a reaped child's status for its pidfd
 * (PIDFD_GET_INFO with PIDFD_INFO_EXIT, Linux 6.15): then the vfork
 * engine's jobs report their real status whoever reaps them.
 */
struct test_pidfd_info {
	uint64_t mask, cgroupid;
	uint32_t ids[11];
	int32_t exit_code;
	uint32_t coredump_mask, spare;
};
#define TEST_PIDFD_GET_INFO _IOWR(0xFF, 11, struct test_pidfd_info)

static int kernel_keeps_exit_status(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(9);
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	waitpid(pid, NULL, 0);
	struct test_pidfd_info in = {.mask = 1u << 3};
	int ok = fd >= 0 && ioctl(fd, TEST_PIDFD_GET_INFO, &in) == 0 && (in.mask & (1u << 3)) &&
		 in.exit_code == W_EXITCODE(9, 0);
	if (fd >= 0)
		close(fd);
	return ok;
}

/*
 * The vfork engine's statuses survive whoever reaps (a pidfd taken at
 * clone time) where the kernel keeps them; elsewhere a lost status is
 * said so: ECHILD at USPAWN_STAGE_WAIT, status -1, never a made-up 127.
 */
static void expect_status(const struct uspawn_event *ev, int want, int must_be_real)
{
	if (ev->error == ECHILD && !must_be_real) {
		ck_assert_int_eq(ev->stage, USPAWN_STAGE_WAIT);
		ck_assert_int_eq(ev->status, -1);
		ck_assert_int_gt(ev->pid, 0);
		return;
	}
	ck_assert_msg(ev->error == 0 && ev->status == want,
		      "status %x error %d (%s) stage %d, want status %x", ev->status, ev->error,
		      strerror(ev->error), ev->stage, want);
}

static int vfork_engine(void)
{
	const char *e = getenv("USPAWN_ENGINE");
	return !e || !strcmp(e, "vfork") || !strcmp(e, "nowait") || !strcmp(e, "auto");
}

/* Jobs exiting 0..5 and one killed by SIGTERM, through submit and through run. */
static void check_statuses(int must_be_real)
{
	struct uspawn *u = open_handle(0);
	struct uspawn_cmd c[7];
	char *argv[7][4];
	char num[7][8];
	struct result res[7];

	memset(res, 0, sizeof res);
	for (int i = 0; i < 7; i++) {
		snprintf(num[i], sizeof num[i], "%d", i < 6 ? i : SIGTERM);
		argv[i][0] = "probe_child";
		argv[i][1] = i < 6 ? "exit" : "kill";
		argv[i][2] = num[i];
		argv[i][3] = NULL;
		probe_cmd(&c[i], argv[i], (uint64_t)i);
	}
	ck_assert_int_eq(uspawn_submit(u, c, 7), 7);
	collect(u, res, 7);
	for (int i = 0; i < 7; i++)
		expect_status(&res[i].exit, i < 6 ? W_EXITCODE(i, 0) : SIGTERM, must_be_real);
	uspawn_close(u);

	/* uspawn_run on a lazy handle waits without a ring */
	struct uspawn_opts o = {.flags = USPAWN_OPEN_LAZY_RING};
	u = uspawn_open(&o);
	ck_assert_ptr_nonnull(u);
	struct uspawn_event ev;
	c[3].flags = 0;
	ck_assert_int_eq(uspawn_run(u, &c[3], &ev), 0);
	expect_status(&ev, W_EXITCODE(3, 0), must_be_real);
	uspawn_close(u);
}

START_TEST(sigchld_ignored)
{
	/* Check runs each test in a process of its own: the disposition stays here */
	int real = vfork_engine() && kernel_keeps_exit_status();

	signal(SIGCHLD, SIG_IGN);
	check_statuses(real);
	struct sigaction sa = {.sa_handler = SIG_DFL, .sa_flags = SA_NOCLDWAIT};
	sigaction(SIGCHLD, &sa, NULL);
	check_statuses(real);
	signal(SIGCHLD, SIG_DFL);
	check_statuses(1); /* and as usual once it is not */
}
END_TEST

static void reap_all(int sig)
{
	int saved = errno;

	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	errno = saved;
}

START_TEST(sigchld_handler_reaps_everything)
{
	/* a caller whose handler reaps whatever child exits: ours are not its */
	int real = vfork_engine() && kernel_keeps_exit_status();
	struct sigaction sa = {.sa_handler = reap_all, .sa_flags = SA_RESTART};

	sigaction(SIGCHLD, &sa, NULL);
	for (int round = 0; round < 5; round++)
		check_statuses(real);
	signal(SIGCHLD, SIG_DFL);
}
END_TEST

/*
 * Faults so far. getrusage is called twice: the first call's copy out may
 * fault (the struct straddled a stack page that a fork write-protected, seen
 * in perf trace in about one CI run in three), and that fault would only
 * show in the next reading, as if the spawn measured had taken it.
 */
static long minor_faults(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	getrusage(who, &ru);
	return ru.ru_minflt;
}

START_TEST(vfork_child_faults_after_fork)
{
	/*
	 * A fork of the caller's write-protects its memory; the vfork
	 * engine's child, which runs in that memory until it execs, must not
	 * pay a copy-on-write fault for it (its stack is MADV_WIPEONFORK, it
	 * writes nothing else). A job that cannot exec shows the child's own
	 * faults alone: RUSAGE_CHILDREN has no program's start-up in it.
	 */
	if (!vfork_engine())
		return;
	struct uspawn *u = open_handle(0);
	char *argv[] = {"probe_child", NULL};
	struct uspawn_cmd c;
	struct uspawn_event ev;

	uspawn_cmd_init(&c);
	c.path = "/nonexistent/program";
	c.argv = argv;
	ck_assert_int_eq(uspawn_run(u, &c, &ev), 0); /* the stack is set up */
	for (int round = 0; round < 3; round++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
		long before = minor_faults(RUSAGE_CHILDREN);
		ck_assert_int_eq(uspawn_run(u, &c, &ev), 0);
		ck_assert_int_eq(ev.error, ENOENT);
		ck_assert_int_eq(minor_faults(RUSAGE_CHILDREN) - before, 0);
	}
	uspawn_close(u);
}
END_TEST

/* Writes the stack below the caller: a fork left those pages write-protected too. */
static void __attribute__((noinline)) touch_stack(void)
{
	volatile char buf[32 * 1024];

	for (size_t i = 0; i < sizeof buf; i += 512)
		buf[i] = 0;
}

START_TEST(wait_faults_after_fork)
{
	/*
	 * Issue 17: after a fork of the caller's, each page a spawn writes
	 * costs a copy-on-write fault. The reaping of a job (its EXIT queued,
	 * its record back to the spares) writes the handle's page, which the
	 * spawn wrote already, and no page of its own: the queue of events
	 * was a malloc'd heap page, one fault more per spawn after a fork.
	 * The engines whose child shares our memory (the fork engine's own
	 * fork protects our pages again); the stack below is written first,
	 * so that only the library's pages count, and the heap is written
	 * after the open, as in a program that does more than spawn, so that
	 * what the library allocates later is not on the handle's page.
	 */
	if (!vfork_engine())
		return;
	struct uspawn *u = open_handle(0);
	char *pad = malloc(16384);
	ck_assert_ptr_nonnull(pad);
	memset(pad, 1, 16384);
	char *argv[] = {"true", NULL};
	struct uspawn_cmd c;
	struct uspawn_event ev;

	uspawn_cmd_init(&c);
	c.path = "/bin/true";
	c.argv = argv;
	ck_assert_int_eq(uspawn_run(u, &c, &ev), 0); /* the ring and the pages are set up */
	for (int round = 0; round < 3; round++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(0);
		ck_assert_int_eq(waitpid(pid, NULL, 0), pid);
		touch_stack();
		long before = minor_faults(RUSAGE_SELF);
		ck_assert_int_eq(uspawn_submit(u, &c, 1), 1);
		long spawned = minor_faults(RUSAGE_SELF);
		int n;
		while ((n = uspawn_wait(u, &ev, 1, -1)) == -EINTR)
			;
		long reaped = minor_faults(RUSAGE_SELF);
		ck_assert_int_eq(n, 1);
		ck_assert_int_eq(ev.type, USPAWN_EV_EXIT);
		ck_assert_int_eq(ev.status, 0);
#if !defined(__SANITIZE_ADDRESS__)
		/*
		 * (under ASan its shadow pages, written after a fork, fault too;
		 * without a ring poll.c allocates an op per poll: not counted)
		 */
		if (!noring()) {
			/* the spawn: the handle's page, at most (it may share one the fork wrote) */
			ck_assert_int_le(spawned - before, 1);
			ck_assert_int_eq(reaped - spawned, 0);
		}
#else
		(void)before, (void)spawned, (void)reaped;
#endif
	}
	free(pad);
	uspawn_close(u);
}
END_TEST

/*
 * uspawn_run() while another job runs: that job's EXIT, which comes in
 * while uspawn_run() waits, stays queued for the next uspawn_wait().
 * The other job holds the write end of the pipe uspawn_run()'s job
 * reads, so it has exited before that job can.
 */
START_TEST(run_keeps_other_events)
{
	struct uspawn *u = open_handle(16);
	int p[2];
	ck_assert_int_eq(pipe2(p, O_CLOEXEC), 0);

	char *exit3[] = {"probe_child", "exit", "3", NULL};
	struct uspawn_fa hold = {.op = USPAWN_FA_DUP2, .fd = 5, .src = p[1]};
	struct uspawn_cmd a;
	uspawn_cmd_init(&a);
	a.argv = exit3;
	a.path = PROBE_CHILD;
	a.actions = &hold;
	a.n_actions = 1;
	a.user_data = 1;
	ck_assert_int_eq(uspawn_submit(u, &a, 1), 1);
	close(p[1]);

	char *cat[] = {"probe_child", "cat", NULL};
	struct uspawn_fa in[] = {
		{.op = USPAWN_FA_DUP2, .fd = 0, .src = p[0]},
		{.op = USPAWN_FA_OPEN, .fd = 1, .path = "/dev/null", .oflag = O_WRONLY},
	};
	struct uspawn_cmd b;
	struct uspawn_event ev;
	uspawn_cmd_init(&b);
	b.argv = cat;
	b.path = PROBE_CHILD;
	b.actions = in;
	b.n_actions = 2;
	b.user_data = 2;
	ck_assert_int_eq(uspawn_run(u, &b, &ev), 0);
	close(p[0]);
	ck_assert_int_eq(ev.user_data, 2);
	ck_assert_int_eq(WEXITSTATUS(ev.status), 0);

	ck_assert_uint_eq(uspawn_running(u), 1);
	int got;
	while ((got = uspawn_wait(u, &ev, 1, 10000)) == -EINTR)
		;
	ck_assert_int_eq(got, 1);
	ck_assert_int_eq(ev.type, USPAWN_EV_EXIT);
	ck_assert_int_eq(ev.user_data, 1);
	ck_assert_int_eq(WEXITSTATUS(ev.status), 3);
	ck_assert_uint_eq(uspawn_running(u), 0);
	uspawn_close(u);
	assert_no_children();
}
END_TEST

START_TEST(ring_fd_readable_without_wait)
{
	/* a caller that polls the ring's fd sees the EXIT come before it waits */
	struct uspawn *u = open_handle(0);
	int fd = uspawn_ring_fd(u);

	if (fd == -EOPNOTSUPP) { /* no ring: nothing to poll */
		uspawn_close(u);
		return;
	}
	ck_assert_int_ge(fd, 0);
	char *argv[] = {"probe_child", "exit", "4", NULL};
	struct uspawn_cmd c;
	probe_cmd(&c, argv, 0);
	c.flags = 0;
	ck_assert_int_eq(uspawn_submit(u, &c, 1), 1);
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ck_assert_int_eq(poll(&p, 1, 10000), 1);
	struct result r = {0};
	collect(u, &r, 1);
	ck_assert_int_eq(r.exit.status, W_EXITCODE(4, 0));
	uspawn_close(u);
}
END_TEST

START_TEST(engine_names)
{
	ck_assert_str_eq(uspawn_engine_name(USPAWN_ENGINE_VFORK), "vfork");
	ck_assert(uspawn_engine_available(USPAWN_ENGINE_VFORK));
	ck_assert(uspawn_engine_available(USPAWN_ENGINE_POSIX));
	ck_assert(uspawn_engine_available(USPAWN_ENGINE_FORK));
	struct uspawn *u = open_handle(0);
	const char *want = getenv("USPAWN_ENGINE");
	if (want && strcmp(want, "auto"))
		ck_assert_str_eq(uspawn_engine_name(uspawn_engine(u)), want);
	uspawn_close(u);
}
END_TEST

static void setup(void)
{
	/* fds Check and ctest leave open must not count as leaks of ours */
	close_range(3, ~0u, CLOSE_RANGE_CLOEXEC);
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void teardown(void)
{
	char cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	memcpy(tmpdir + strlen(tmpdir) - 6, "XXXXXX", 6);
}

int main(void)
{
	Suite *s = suite_create("uspawn");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, engine_names);
	tcase_add_test(tc, exit_codes);
	tcase_add_test(tc, killed_by_signal);
	tcase_add_test(tc, exec_errors);
	tcase_add_test(tc, enoexec_script_runs_with_sh);
	tcase_add_test(tc, path_search);
	tcase_add_test(tc, redirect_open_dup2_close);
	tcase_add_test(tc, redirect_dup2_self_keeps_fd);
	tcase_add_test(tc, redirect_registered_file);
	tcase_add_test(tc, capture_merge);
	tcase_add_test(tc, no_fd_leaks);
	tcase_add_test(tc, cwd_per_job);
	tcase_add_test(tc, environment);
	tcase_add_test(tc, signals_mask_and_handlers);
	tcase_add_test(tc, masked_signal_in_spawn_window);
	tcase_add_test(tc, process_group);
	tcase_add_test(tc, threads_8x200);
	tcase_add_test(tc, ten_thousand_through_small_ring);
	tcase_add_test(tc, batch_of_1000);
	tcase_add_test(tc, rlimit_nproc_eagain);
	tcase_add_test(tc, bad_input);
	tcase_add_test(tc, ring_reads);
	tcase_add_test(tc, ring_min_fd);
	tcase_add_test(tc, lazy_ring);
	tcase_add_test(tc, sigchld_ignored);
	tcase_add_test(tc, sigchld_handler_reaps_everything);
	tcase_add_test(tc, vfork_child_faults_after_fork);
	tcase_add_test(tc, wait_faults_after_fork);
	tcase_add_test(tc, ring_fd_readable_without_wait);
	tcase_add_test(tc, run_keeps_other_events);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
