/* SPDX-License-Identifier: MIT */
/*
 * The nowait engine (src/lib/engine/nowait.c): the parent goes on while
 * its children exec. Each test holds children between clone and exec (a
 * file action that opens a FIFO blocks until the test opens its other
 * end) and does there what a caller may do: return from uspawn_submit,
 * change or free what the job was made of, fork, exit, exec, take
 * signals, close another handle from another thread.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "uspawn.h"

#ifndef PROBE_CHILD
#error "PROBE_CHILD must name the probe_child binary"
#endif

/* a job held before its exec until its FIFO is opened */
#define HELD 4

static char dir[] = "/tmp/uspawn-nowait-XXXXXX";
static char fifo[HELD][64];

static struct uspawn *open_nowait(unsigned flags)
{
	struct uspawn_opts o = {.engine = "nowait", .flags = flags};
	struct uspawn *u = uspawn_open(&o);

	ck_assert_msg(u != NULL, "uspawn_open(nowait): %s", strerror(errno));
	ck_assert_int_eq(uspawn_engine(u), USPAWN_ENGINE_NOWAIT);
	return u;
}

/* probe_child ARGS with fd 0 the FIFO i (opened before the exec) */
static void held_cmd(struct uspawn_cmd *c, struct uspawn_fa *fa, char **argv, int i)
{
	uspawn_cmd_init(c);
	c->path = PROBE_CHILD;
	c->argv = argv;
	c->user_data = (uint64_t)i;
	*fa = (struct uspawn_fa){.op = USPAWN_FA_OPEN, .fd = 0, .path = fifo[i], .oflag = O_RDONLY};
	c->actions = fa;
	c->n_actions = 1;
}

/* Let held job i go on to its exec, with text on its stdin. */
static void release(int i, const char *text)
{
	int fd = open(fifo[i], O_WRONLY);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

/* Wait for every event; out[i]: job i's stdout, st[i]: its EXIT. */
static void collect(struct uspawn *u, char out[][64], struct uspawn_event *st, unsigned n)
{
	while (uspawn_running(u)) {
		struct uspawn_event ev[16];
		int got = uspawn_wait(u, ev, 16, 20000);
		if (got == -EINTR)
			continue;
		ck_assert_int_gt(got, 0);
		for (int k = 0; k < got; k++) {
			ck_assert_uint_lt(ev[k].user_data, n);
			if (ev[k].type == USPAWN_EV_EXIT) {
				st[ev[k].user_data] = ev[k];
				continue;
			}
			char *o = out[ev[k].user_data];
			size_t have = strlen(o), take = ev[k].len;
			if (take > 63 - have)
				take = 63 - have;
			memcpy(o + have, ev[k].data, take);
			o[have + take] = 0;
		}
	}
}

/* Start HELD jobs `probe_child cat`, each stopped before its exec. */
static void submit_held(struct uspawn *u, char **argv, unsigned flags)
{
	struct uspawn_cmd c[HELD];
	struct uspawn_fa fa[HELD];

	for (int i = 0; i < HELD; i++) {
		held_cmd(&c[i], &fa[i], argv, i);
		c[i].flags |= flags;
	}
	/* the vfork engine would wait here for ever: its first child cannot exec */
	ck_assert_int_eq(uspawn_submit(u, c, HELD), HELD);
}

START_TEST(submit_returns_before_exec)
{
	struct uspawn *u = open_nowait(0);
	char *cat[] = {"probe_child", "cat", NULL};
	char out[HELD][64] = {{0}};
	struct uspawn_event st[HELD];

	submit_held(u, cat, USPAWN_CAPTURE_STDOUT);
	/* all HELD children are there at once, none exec'd: open in reverse */
	for (int i = HELD - 1; i >= 0; i--) {
		char t[8];
		snprintf(t, sizeof t, "job%d", i);
		release(i, t);
	}
	collect(u, out, st, HELD);
	for (int i = 0; i < HELD; i++) {
		char t[8];
		snprintf(t, sizeof t, "job%d", i);
		ck_assert_str_eq(out[i], t);
		ck_assert_int_eq(st[i].error, 0);
		ck_assert_int_eq(st[i].status, 0);
	}
	uspawn_close(u);
}
END_TEST

START_TEST(caller_memory_changed_after_submit)
{
	/* the plan is the engine's copy: the caller may reuse or free its job at once */
	struct uspawn *u = open_nowait(0);
	char *argv = strdup("probe_child"), *what = strdup("env"), *name = strdup("NOWAIT_VAR");
	char *var = strdup("NOWAIT_VAR=before"), *cwd = strdup(dir), *path = strdup(PROBE_CHILD);
	char *av[] = {argv, what, name, NULL}, *env[] = {var, NULL};
	struct uspawn_cmd c;
	struct uspawn_fa fa;
	char out[1][64] = {{0}};
	struct uspawn_event st[1];

	held_cmd(&c, &fa, av, 0);
	c.path = path;
	c.envp = env;
	c.cwd = cwd;
	c.flags |= USPAWN_CAPTURE_STDOUT;
	ck_assert_int_eq(uspawn_submit(u, &c, 1), 1);
	memset(var, 'x', strlen(var));
	memset(name, 'y', strlen(name));
	strcpy(what, "cwd");
	memset(path, 0, strlen(path));
	memset(cwd, 0, strlen(cwd));
	av[1] = NULL;
	free(var);
	free(name);
	free(what);
	free(argv);
	free(path);
	free(cwd);
	release(0, "");
	collect(u, out, st, 1);
	ck_assert_str_eq(out[0], "before\n");
	ck_assert_int_eq(st[0].status, 0);
	uspawn_close(u);
}
END_TEST

START_TEST(exec_error_reported_later)
{
	/* the child fails after submit returned: its errno and stage still come in EXIT */
	struct uspawn *u = open_nowait(0);
	char *av[] = {"nowhere", NULL};
	struct uspawn_cmd c[2];
	struct uspawn_fa fa[2];
	char out[2][64] = {{0}};
	struct uspawn_event st[2];

	held_cmd(&c[0], &fa[0], av, 0);
	c[0].path = "/nonexistent/program";
	held_cmd(&c[1], &fa[1], av, 1);
	fa[1].path = "/nonexistent/dir/file"; /* fails at its action, never blocks */
	fa[1].fd = 1;
	ck_assert_int_eq(uspawn_submit(u, c, 2), 2);
	release(0, "");
	collect(u, out, st, 2);
	ck_assert_int_eq(st[0].error, ENOENT);
	ck_assert_int_eq(st[0].stage, USPAWN_STAGE_EXEC);
	ck_assert_int_eq(st[0].status, W_EXITCODE(127, 0));
	ck_assert_int_eq(st[1].error, ENOENT);
	ck_assert_int_eq(st[1].stage, USPAWN_STAGE_ACTION);
	ck_assert_int_eq(st[1].stage_index, 0);

	/* USPAWN_NO_REAP: the caller waits itself, so the EXIT says at once what failed */
	struct uspawn_cmd nr[3];
	char *tr[] = {"true", NULL};
	for (int i = 0; i < 3; i++) {
		uspawn_cmd_init(&nr[i]);
		nr[i].argv = tr;
		nr[i].path = i == 1 ? "/nonexistent/program" : "/bin/true";
		nr[i].flags = USPAWN_NO_REAP;
		nr[i].user_data = (uint64_t)i;
	}
	ck_assert_int_eq(uspawn_submit(u, nr, 3), 3);
	struct uspawn_event ev[3];
	ck_assert_int_eq(uspawn_wait(u, ev, 3, 0), 3);
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(ev[i].error, ev[i].user_data == 1 ? ENOENT : 0);
		int ws;
		ck_assert_int_eq(waitpid(ev[i].pid, &ws, 0), ev[i].pid);
		ck_assert_int_eq(ws, ev[i].user_data == 1 ? W_EXITCODE(127, 0) : 0);
	}
	uspawn_close(u);
}
END_TEST

START_TEST(huge_argv)
{
	/* more than a pool slot holds: still spawned, every byte there */
	struct uspawn *u = open_nowait(0);
	enum { N = 4000 };
	char **av = calloc(N + 4, sizeof *av);
	char *arg = malloc(200);

	memset(arg, 'a', 199);
	arg[199] = 0;
	av[0] = "probe_child";
	av[1] = "echo";
	av[2] = "1";
	av[3] = "ok";
	for (int i = 4; i < N + 3; i++)
		av[i] = arg;
	struct uspawn_cmd c;
	uspawn_cmd_init(&c);
	c.path = PROBE_CHILD;
	c.argv = av;
	c.flags = USPAWN_CAPTURE_STDOUT;
	char out[1][64] = {{0}};
	struct uspawn_event st[1];
	ck_assert_int_eq(uspawn_submit(u, &c, 1), 1);
	collect(u, out, st, 1);
	ck_assert_str_eq(out[0], "ok");
	ck_assert_int_eq(st[0].status, 0);
	uspawn_close(u);
	free(av);
	free(arg);
}
END_TEST

/*
 * The orphans of a test's own child come to the test (a subreaper): every
 * one must exit 0, none die of a fault on a stack that went away.
 */
static void reap_orphans(unsigned want)
{
	for (unsigned got = 0; got < want; got++) {
		int ws;
		pid_t p = waitpid(-1, &ws, 0);
		ck_assert_int_gt(p, 0);
		ck_assert_msg(ws == 0, "child %d: wait status %#x", (int)p, ws);
	}
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
}

/* LeakSanitizer's: the running jobs' records are known only to the ring */
extern void __lsan_disable(void) __attribute__((weak));

/* A child of the test: HELD jobs held before exec, then leave as how says. */
static pid_t held_then(const char *how)
{
	ck_assert_int_eq(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid)
		return pid;
	static struct uspawn *u; /* reachable when exit() checks for leaks */
	char *av[] = {"probe_child", "exit", "0", NULL};
	if (__lsan_disable) /* what it allocates from here on is not a leak at exit() */
		__lsan_disable();
	u = open_nowait(0);
	submit_held(u, av, 0);
	if (!strcmp(how, "exit"))
		exit(0);
	if (!strcmp(how, "exec"))
		execl("/bin/true", "true", (char *)NULL);
	if (!strcmp(how, "kill"))
		raise(SIGKILL);
	_exit(3);
}

static void parent_leaves(const char *how)
{
	pid_t pid = held_then(how);
	int ws;

	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert_int_eq(ws, strcmp(how, "kill") ? 0 : SIGKILL);
	/* the held children live on in the memory they shared; now they exec */
	for (int i = 0; i < HELD; i++)
		release(i, "");
	reap_orphans(HELD);
}

START_TEST(parent_exits_mid_exec)
{
	parent_leaves("exit");
}
END_TEST

START_TEST(parent_execs_mid_exec)
{
	parent_leaves("exec");
}
END_TEST

START_TEST(parent_killed_mid_exec)
{
	parent_leaves("kill");
}
END_TEST

START_TEST(parent_forks_mid_exec)
{
	/*
	 * The fork's copy of the handle has the pool of the parent, whose
	 * slots hold children that are not its own: it reads them as free
	 * (MADV_WIPEONFORK) and spawns on. Jobs that need no ring (NO_REAP,
	 * as uring-sh's) may run through the copied handle.
	 */
	struct uspawn *u = open_nowait(0);
	char *cat[] = {"probe_child", "cat", NULL};
	char out[HELD][64] = {{0}};
	struct uspawn_event st[HELD];

	submit_held(u, cat, USPAWN_CAPTURE_STDOUT);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		enum { N = 40 };
		struct uspawn_cmd c[N];
		char *tr[] = {"true", NULL};
		for (int i = 0; i < N; i++) {
			uspawn_cmd_init(&c[i]);
			c[i].argv = tr;
			c[i].path = i % 2 ? "/bin/true" : "/nonexistent/program";
			c[i].flags = USPAWN_NO_REAP;
		}
		alarm(20);
		if (uspawn_submit(u, c, N) != N)
			_exit(10);
		struct uspawn_event ev[N];
		int got = uspawn_wait(u, ev, N, 0);
		if (got != N) {
			fprintf(stderr, "fork: %d events of %d\n", got, N);
			_exit(11);
		}
		for (int i = 0; i < N; i++) {
			int ws;
			if (ev[i].error != (i % 2 ? 0 : ENOENT) ||
			    waitpid(ev[i].pid, &ws, 0) != ev[i].pid ||
			    ws != (i % 2 ? 0 : W_EXITCODE(127, 0)))
				_exit(12);
		}
		_exit(0);
	}
	int ws;
	ck_assert_int_eq(waitpid(pid, &ws, 0), pid);
	ck_assert_int_eq(ws, 0);
	for (int i = 0; i < HELD; i++)
		release(i, "f");
	collect(u, out, st, HELD);
	for (int i = 0; i < HELD; i++) {
		ck_assert_str_eq(out[i], "f");
		ck_assert_int_eq(st[i].status, 0);
	}
	uspawn_close(u);
}
END_TEST

static volatile sig_atomic_t ticks;

static char scribble[64 * 1024];

static void on_alarm(int sig)
{
	/*
	 * The parent writes its memory (its data and its stack) while children
	 * share it. Not the heap: malloc is not async-signal-safe, and a
	 * malloc here that lands inside the test's own malloc corrupts it.
	 */
	volatile char local[4096];

	(void)sig;
	memset(scribble, 0x5a ^ (int)ticks, sizeof scribble);
	for (size_t i = 0; i < sizeof local; i += 64)
		local[i] = (char)i;
	ticks++;
}

START_TEST(parent_signalled_mid_spawn)
{
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
	struct itimerval it = {{0, 200}, {0, 200}};
	struct uspawn *u = open_nowait(0);
	enum { N = 300, B = 30 };
	char *av[] = {"probe_child", "exit", "7", NULL};
	struct uspawn_cmd c[B];
	unsigned ok = 0, started = 0;

	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	for (int i = 0; i < B; i++) {
		uspawn_cmd_init(&c[i]);
		c[i].path = PROBE_CHILD;
		c[i].argv = av;
	}
	while (ok < N) {
		if (started < N && uspawn_running(u) < 2 * B) {
			ck_assert_int_eq(uspawn_submit(u, c, B), B);
			started += B;
		}
		struct uspawn_event ev[64];
		int n = uspawn_wait(u, ev, 64, 20000);
		if (n == -EINTR)
			continue;
		ck_assert_int_gt(n, 0);
		for (int k = 0; k < n; k++) {
			ck_assert_msg(ev[k].error == 0 && ev[k].status == W_EXITCODE(7, 0),
				      "status %#x error %d", ev[k].status, ev[k].error);
			ok++;
		}
	}
	memset(&it, 0, sizeof it);
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_DFL);
	ck_assert_int_gt(ticks, 0);
	uspawn_close(u);
}
END_TEST

static volatile int stop;

/* spawn and close at once, round after round: children still mid-exec at the close */
static void *close_while_spawning(void *arg)
{
	const char *log = arg;
	char *av[] = {"probe_child", "echo", "1", "x", NULL};

	for (int round = 0; round < 20; round++) {
		struct uspawn *u = open_nowait(0);
		struct uspawn_cmd c[10];
		struct uspawn_fa fa = {.op = USPAWN_FA_OPEN,
				       .fd = 1,
				       .path = log,
				       .oflag = O_WRONLY | O_APPEND | O_CREAT,
				       .mode = 0644};
		for (int i = 0; i < 10; i++) {
			uspawn_cmd_init(&c[i]);
			c[i].path = PROBE_CHILD;
			c[i].argv = av;
			c[i].actions = &fa;
			c[i].n_actions = 1;
		}
		if (uspawn_submit(u, c, 10) != 10)
			return (void *)1;
		uspawn_close(u);
	}
	return NULL;
}

static void *spawn_until_stopped(void *arg)
{
	struct uspawn *u = open_nowait(0);
	char *av[] = {"probe_child", "exit", "5", NULL};
	uintptr_t bad = 0;

	(void)arg;
	while (!stop) {
		struct uspawn_cmd c[4];
		for (int i = 0; i < 4; i++) {
			uspawn_cmd_init(&c[i]);
			c[i].path = PROBE_CHILD;
			c[i].argv = av;
		}
		if (uspawn_submit(u, c, 4) != 4)
			bad++;
		while (uspawn_running(u)) {
			struct uspawn_event ev[8];
			int n = uspawn_wait(u, ev, 8, 20000);
			if (n == -EINTR)
				continue;
			if (n <= 0) {
				bad++;
				break;
			}
			for (int k = 0; k < n; k++)
				bad += ev[k].error || ev[k].status != W_EXITCODE(5, 0);
		}
	}
	uspawn_close(u);
	return (void *)bad;
}

START_TEST(close_in_one_thread_spawn_in_another)
{
	char log[128];
	pthread_t a, b;
	void *ra, *rb;

	snprintf(log, sizeof log, "%s/log", dir);
	stop = 0;
	ck_assert_int_eq(pthread_create(&b, NULL, spawn_until_stopped, NULL), 0);
	ck_assert_int_eq(pthread_create(&a, NULL, close_while_spawning, log), 0);
	pthread_join(a, &ra);
	stop = 1;
	pthread_join(b, &rb);
	ck_assert_ptr_null(ra);
	ck_assert_uint_eq((uintptr_t)rb, 0);
	/* every child of the closed handles ran its program */
	struct stat s;
	ck_assert_int_eq(stat(log, &s), 0);
	ck_assert_int_eq(s.st_size, 200);
	ck_assert_int_eq(waitpid(-1, NULL, WNOHANG), -1);
}
END_TEST

START_TEST(held_slot_not_reused)
{
	/*
	 * A slot is the engine's again only once its child has left the
	 * memory they share. Children held before their exec keep their
	 * slots while the same handle spawns many more jobs (each plan big
	 * enough to cover a slot's head); each held child then execs with
	 * its own plan.
	 */
	struct uspawn *u = open_nowait(0);
	char *av[] = {"probe_child", "env", "NOWAIT_HELD", NULL};
	char var[HELD][32];
	char *env[HELD][2];
	struct uspawn_cmd c[HELD];
	struct uspawn_fa fa[HELD];
	char out[HELD][64] = {{0}};
	struct uspawn_event st[HELD];

	for (int i = 0; i < HELD; i++) {
		snprintf(var[i], sizeof var[i], "NOWAIT_HELD=held%d", i);
		env[i][0] = var[i];
		env[i][1] = NULL;
		held_cmd(&c[i], &fa[i], av, i);
		c[i].envp = env[i];
		c[i].flags |= USPAWN_CAPTURE_STDOUT;
	}
	ck_assert_int_eq(uspawn_submit(u, c, HELD), HELD);

	/* 200 other jobs, 10 at a time: many rounds over the pool's 32 slots */
	enum { N = 200, B = 10, ARGS = 400 };
	char filler[200];
	memset(filler, 'z', sizeof filler - 1);
	filler[sizeof filler - 1] = 0;
	char *fav[ARGS + 4] = {"probe_child", "exit", "6"};
	for (int i = 3; i < ARGS + 3; i++)
		fav[i] = filler;
	struct uspawn_cmd f[B];
	for (int i = 0; i < B; i++) {
		uspawn_cmd_init(&f[i]);
		f[i].path = PROBE_CHILD;
		f[i].argv = fav;
		f[i].user_data = 100;
	}
	unsigned done = 0;
	for (int round = 0; round < N / B; round++) {
		ck_assert_int_eq(uspawn_submit(u, f, B), B);
		while (uspawn_running(u) > HELD) {
			struct uspawn_event ev[16];
			int got = uspawn_wait(u, ev, 16, 20000);
			if (got == -EINTR)
				continue;
			ck_assert_int_gt(got, 0);
			for (int k = 0; k < got; k++) {
				ck_assert_msg(
					ev[k].user_data == 100,
					"held job %d ended before its release: status %#x error %d",
					(int)ev[k].user_data, ev[k].status, ev[k].error);
				ck_assert_int_eq(ev[k].error, 0);
				ck_assert_int_eq(ev[k].status, W_EXITCODE(6, 0));
				done++;
			}
		}
	}
	ck_assert_uint_eq(done, N);
	for (int i = 0; i < HELD; i++)
		release(i, "");
	collect(u, out, st, HELD);
	for (int i = 0; i < HELD; i++) {
		char want[16];
		snprintf(want, sizeof want, "held%d\n", i);
		ck_assert_str_eq(out[i], want);
		ck_assert_int_eq(st[i].error, 0);
		ck_assert_int_eq(st[i].status, 0);
	}
	uspawn_close(u);
}
END_TEST

/* /proc/PID/status's FIELD (a hex mask) */
static unsigned long long proc_mask(pid_t pid, const char *field)
{
	char path[64], line[256];
	unsigned long long v = 0;
	size_t flen = strlen(field);

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof line, f))
		if (!strncmp(line, field, flen) && line[flen] == ':')
			v = strtoull(line + flen + 1, NULL, 16);
	fclose(f);
	return v;
}

static volatile sig_atomic_t usr1_seen;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}

START_TEST(signals_blocked_until_exec)
{
	/*
	 * Between clone and exec the child blocks every signal and has no
	 * handler of the caller's (they would run on the memory it shares
	 * with the caller): a signal sent then waits, and at the exec takes
	 * its default action or stays pending as the job's mask says.
	 */
	struct sigaction sa = {.sa_handler = on_usr1};
	struct uspawn *u = open_nowait(0);
	char *av[] = {"probe_child", "cat", NULL};
	struct uspawn_cmd c[2];
	struct uspawn_fa fa[2];
	char out[2][64] = {{0}};
	struct uspawn_event st[2];
	sigset_t usr1;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	ck_assert_int_eq(sigaction(SIGUSR2, &sa, NULL), 0);
	for (int i = 0; i < 2; i++) {
		held_cmd(&c[i], &fa[i], av, i);
		c[i].flags |= USPAWN_CAPTURE_STDOUT;
	}
	/* job 1 execs with SIGUSR1 blocked: the signal stays pending there */
	c[1].flags |= USPAWN_SIGMASK;
	c[1].sigmask = usr1;
	pid_t pids[2] = {0, 0};
	c[0].pid_out = &pids[0];
	c[1].pid_out = &pids[1];
	ck_assert_int_eq(uspawn_submit(u, c, 2), 2);
	ck_assert_int_gt(pids[0], 0);
	ck_assert_int_gt(pids[1], 0);
	/* all but SIGKILL and SIGSTOP (which the kernel never blocks) */
	unsigned long long all = ~0ull & ~(1ull << (SIGKILL - 1)) & ~(1ull << (SIGSTOP - 1));
	for (int i = 0; i < 2; i++) {
		ck_assert_uint_eq(proc_mask(pids[i], "SigBlk") & all, all);
		ck_assert_uint_eq(proc_mask(pids[i], "SigCgt"), 0);
		ck_assert_int_eq(kill(pids[i], SIGUSR1), 0);
		ck_assert_int_eq(kill(pids[i], SIGUSR2), 0);
		ck_assert_uint_ne(proc_mask(pids[i], "ShdPnd") | proc_mask(pids[i], "SigPnd"), 0);
	}
	/* nothing written: the child may be gone before the write (SIGPIPE) */
	release(0, "");
	release(1, "");
	collect(u, out, st, 2);
	/* no handler of ours ran in either child */
	ck_assert_int_eq(usr1_seen, 0);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(st[i].error, 0);
		/* SIGUSR1 (job 0) or SIGUSR2 (job 1, SIGUSR1 blocked): default action, at the exec */
		ck_assert_msg(WIFSIGNALED(st[i].status) &&
				      WTERMSIG(st[i].status) == (i ? SIGUSR2 : SIGUSR1),
			      "job %d: status %#x", i, st[i].status);
	}
	signal(SIGUSR1, SIG_DFL);
	signal(SIGUSR2, SIG_DFL);
	uspawn_close(u);
}
END_TEST

static void setup(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
	for (int i = 0; i < HELD; i++) {
		snprintf(fifo[i], sizeof fifo[i], "%s/fifo%d", dir, i);
		ck_assert_int_eq(mkfifo(fifo[i], 0600), 0);
	}
	alarm(120); /* a child that waits for its exec hangs the test, not ctest */
}

static void teardown(void)
{
	char cmd[128];

	alarm(0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	memcpy(dir + strlen(dir) - 6, "XXXXXX", 6);
}

int main(void)
{
	Suite *s = suite_create("nowait");
	TCase *tc = tcase_create("nowait");

	if (!uspawn_engine_available(USPAWN_ENGINE_NOWAIT)) {
		printf("nowait engine not available here: skipped\n");
		return 77;
	}
	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, submit_returns_before_exec);
	tcase_add_test(tc, caller_memory_changed_after_submit);
	tcase_add_test(tc, exec_error_reported_later);
	tcase_add_test(tc, huge_argv);
	tcase_add_test(tc, held_slot_not_reused);
	tcase_add_test(tc, signals_blocked_until_exec);
	tcase_add_test(tc, parent_exits_mid_exec);
	tcase_add_test(tc, parent_execs_mid_exec);
	tcase_add_test(tc, parent_killed_mid_exec);
	tcase_add_test(tc, parent_forks_mid_exec);
	tcase_add_test(tc, parent_signalled_mid_spawn);
	tcase_add_test(tc, close_in_one_thread_spawn_in_another);
	suite_add_tcase(s, tc);

	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
