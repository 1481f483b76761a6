/* SPDX-License-Identifier: MIT */
/*
 * spawnbench: the LPC 2022 io_uring_spawn table, reproduced.
 *
 * Latency mode (default): the time from the parent's spawn call to the
 * child's first instruction. The child (child_stamp) reads CLOCK_MONOTONIC
 * and writes it to fd 3, a pipe the parent reads. Methods run interleaved,
 * round-robin, so that drift on this noisy VM hits all of them alike; each
 * parent state (base, +1 GiB mapped, +1 GiB touched) is a separate table
 * column. Reported: min and median.
 *
 * Throughput mode (--throughput N): N children that exit at once, at most
 * --parallel P in flight, per method; jobs per second (best and median of
 * --rounds rounds, interleaved). The child is child_nop, or with --child a
 * real program (e.g. /bin/true: a job runner's floor); a child that does
 * not exit 0 fails the run.
 *
 * System call mode (--syscalls N): N spawns per method in a child traced
 * with PTRACE_SYSCALL (no fork options: the spawned children are not
 * traced), its system calls counted per spawn in three phases: the spawn
 * call, reading the stamp, reaping. A count, not a timing: it shows which
 * calls a method makes per spawn, e.g. the io_uring_enter calls of the
 * uring engine, or a fallback to clone3/vfork, where strace is missing;
 * and the process's threads at the end (a request ever punted to io-wq
 * leaves a worker thread).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <sched.h>
#include <getopt.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "uspawn.h"

extern char **environ;

#define STAMP_FD 3

struct bench {
	const char *child; /* child_stamp or child_nop */
	char *argv[2];
	int rfd; /* read end of the stamp pipe */
	struct uspawn *u[USPAWN_ENGINE_COUNT];
};

struct method {
	const char *name;
	enum uspawn_engine_id engine; /* AUTO: a raw method */
	pid_t (*spawn)(struct bench *b, const struct method *m);
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "spawnbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static pid_t spawn_fork(struct bench *b, const struct method *m)
{
	pid_t pid = fork();

	if (pid == 0) {
		execve(b->child, b->argv, environ);
		_exit(127);
	}
	return pid;
}

static pid_t spawn_vfork(struct bench *b, const struct method *m)
{
	pid_t pid = vfork();

	if (pid == 0) {
		execve(b->child, b->argv, environ);
		_exit(127);
	}
	return pid;
}

static pid_t spawn_posix(struct bench *b, const struct method *m)
{
	pid_t pid;

	errno = posix_spawn(&pid, b->child, NULL, NULL, b->argv, environ);
	return errno ? -1 : pid;
}

/*
 * The floor of the nowait engine: clone(CLONE_VM) without CLONE_VFORK, the
 * child on a stack of a ring that is reused once the kernel has cleared
 * its tid word (the child exec'd or exited). No signal blocking, no plan,
 * no error report: a loop of clones.
 */
#define RAW_STACKS 64
#define RAW_STACK  (64 * 1024)

static struct {
	char *mem;
	volatile int tid[RAW_STACKS];
	unsigned next;
} raw;

static int raw_child(void *arg)
{
	struct bench *b = arg;

	execve(b->child, b->argv, environ);
	_exit(127);
}

static pid_t spawn_clone_nowait(struct bench *b, const struct method *m)
{
	unsigned i = raw.next++ % RAW_STACKS;
	int v;

	(void)m;
	if (!raw.mem) {
		raw.mem = mmap(NULL, (size_t)RAW_STACKS * RAW_STACK, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
		if (raw.mem == MAP_FAILED)
			die("mmap");
	}
	while ((v = raw.tid[i]) != 0)
		syscall(SYS_futex, &raw.tid[i], FUTEX_WAIT, v, NULL, NULL, 0);
	raw.tid[i] = -1;
	pid_t pid = clone(raw_child, raw.mem + (size_t)(i + 1) * RAW_STACK,
			  CLONE_VM | CLONE_CHILD_CLEARTID | SIGCHLD, b, NULL, NULL, &raw.tid[i]);
	if (pid < 0)
		raw.tid[i] = 0;
	return pid;
}

/* uspawn methods return 0: the child is reaped through the ring. */
static pid_t spawn_uspawn(struct bench *b, const struct method *m)
{
	struct uspawn_cmd c;

	uspawn_cmd_init(&c);
	c.path = b->child;
	c.argv = b->argv;
	return uspawn_submit(b->u[m->engine], &c, 1) == 1 ? 0 : -1;
}

static void reap(struct bench *b, const struct method *m, pid_t pid)
{
	int st;

	if (m->engine == USPAWN_ENGINE_AUTO) {
		while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
			;
		return;
	}
	struct uspawn *u = b->u[m->engine];
	while (uspawn_running(u)) {
		struct uspawn_event ev[8];
		int n = uspawn_wait(u, ev, 8, -1);
		for (int i = 0; i < n; i++)
			if (ev[i].type == USPAWN_EV_EXIT && ev[i].error)
				fprintf(stderr, "spawnbench: %s: %s\n", m->name,
					strerror(ev[i].error));
	}
}

/*
 * --syscalls: the traced child marks where a phase begins with a
 * getppid(2) whose unused arguments say which (the tracer reads them).
 */
#define MARK_MAGIC 0x5eedL
enum { PHASE_NONE, PHASE_SPAWN, PHASE_READ, PHASE_REAP, PHASE_COUNT, PHASE_END = 99 };
static int marking;

static void mark(long phase)
{
	if (marking)
		syscall(SYS_getppid, phase, MARK_MAGIC);
}

/* One latency sample, in ns. */
static uint64_t sample(struct bench *b, const struct method *m)
{
	struct timespec ts;
	mark(PHASE_SPAWN);
	uint64_t t0 = now_ns();
	pid_t pid = m->spawn(b, m);

	if (pid < 0)
		die(m->name);
	mark(PHASE_READ);
	ssize_t n;
	while ((n = read(b->rfd, &ts, sizeof ts)) < 0 && errno == EINTR)
		;
	if (n != sizeof ts) {
		fprintf(stderr, "spawnbench: %s: the child sent no timestamp\n", m->name);
		exit(1);
	}
	mark(PHASE_REAP);
	reap(b, m, pid);
	mark(PHASE_NONE);
	uint64_t t1 = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
	return t1 - t0;
}

/*
 * Page faults of one sample, counted in a pass of its own (not timed: the
 * getrusage calls would be in the window). spawn: the parent's, from the
 * spawn call until it returns; after: the parent's while it reads the
 * stamp and reaps; child: the child's whole life, before its exec (its
 * copy-on-write faults in our memory) and after it (child_stamp's own,
 * the same for every method).
 */
struct faults {
	double spawn, after, child;
};

static long minflt(int who)
{
	struct rusage ru;

	getrusage(who, &ru);
	return ru.ru_minflt;
}

static void sample_faults(struct bench *b, const struct method *m, struct faults *f)
{
	struct timespec ts;
	long c0 = minflt(RUSAGE_CHILDREN), p0 = minflt(RUSAGE_SELF);
	pid_t pid = m->spawn(b, m);
	long p1 = minflt(RUSAGE_SELF);

	if (pid < 0)
		die(m->name);
	if (read(b->rfd, &ts, sizeof ts) != sizeof ts) {
		fprintf(stderr, "spawnbench: %s: the child sent no timestamp\n", m->name);
		exit(1);
	}
	reap(b, m, pid);
	f->spawn += (double)(p1 - p0);
	f->after += (double)(minflt(RUSAGE_SELF) - p1);
	f->child += (double)(minflt(RUSAGE_CHILDREN) - c0);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

struct stat2 {
	double min_us, median_us;
};

static struct stat2 summarize(uint64_t *v, unsigned n)
{
	qsort(v, n, sizeof *v, cmp_u64);
	return (struct stat2){v[0] / 1e3, (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2) / 1e3};
}

static struct method all_methods[] = {
	{"fork", USPAWN_ENGINE_AUTO, spawn_fork},
	{"vfork", USPAWN_ENGINE_AUTO, spawn_vfork},
	{"posix_spawn", USPAWN_ENGINE_AUTO, spawn_posix},
	{"clone-nowait", USPAWN_ENGINE_AUTO, spawn_clone_nowait},
	{"uspawn-nowait", USPAWN_ENGINE_NOWAIT, spawn_uspawn},
	{"uspawn-vfork", USPAWN_ENGINE_VFORK, spawn_uspawn},
	{"uspawn-posix", USPAWN_ENGINE_POSIX, spawn_uspawn},
	{"uspawn-fork", USPAWN_ENGINE_FORK, spawn_uspawn},
	{"uspawn-uring", USPAWN_ENGINE_URING, spawn_uspawn},
};
#define N_ALL (sizeof all_methods / sizeof all_methods[0])

static const char *default_methods =
	"fork,vfork,posix_spawn,clone-nowait,uspawn-nowait,uspawn-vfork,uspawn-uring";

/* Methods named in the comma list that can run here. */
static unsigned pick_methods(const char *list, struct method **out)
{
	unsigned n = 0;
	char *copy = strdup(list), *save, *tok;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		unsigned i;
		for (i = 0; i < N_ALL && strcmp(all_methods[i].name, tok); i++)
			;
		if (i == N_ALL) {
			fprintf(stderr, "spawnbench: unknown method '%s'\n", tok);
			exit(2);
		}
		if (all_methods[i].engine != USPAWN_ENGINE_AUTO &&
		    !uspawn_engine_available(all_methods[i].engine)) {
			fprintf(stderr, "spawnbench: %s: engine not available here, skipped\n",
				tok);
			continue;
		}
		out[n++] = &all_methods[i];
	}
	free(copy);
	return n;
}

static void open_handles(struct bench *b, struct method **m, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		enum uspawn_engine_id e = m[i]->engine;
		if (e == USPAWN_ENGINE_AUTO || b->u[e])
			continue;
		struct uspawn_opts o = {.engine = uspawn_engine_name(e)};
		if (!(b->u[e] = uspawn_open(&o)))
			die(m[i]->name);
	}
}

static size_t big_bytes = 1ul << 30; /* --size: the "1 GiB" of the talk */
static char state_names[3][32] = {"base"};

/* The big states are named after --size: "256MiB", "1GiB", ... */
static void name_states(void)
{
	size_t mib = big_bytes >> 20;

	if (mib % 1024)
		snprintf(state_names[1], sizeof state_names[1], "%zuMiB", mib);
	else
		snprintf(state_names[1], sizeof state_names[1], "%zuGiB", mib / 1024);
	snprintf(state_names[2], sizeof state_names[2], "%.20s-touched", state_names[1]);
}

static void enter_state(int state, char **mem)
{
	if (state == 1) {
		*mem = mmap(NULL, big_bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			    -1, 0);
		if (*mem == MAP_FAILED)
			die("mmap --size");
	} else if (state == 2) {
		memset(*mem, 1, big_bytes);
	}
}

static unsigned fault_runs = 50; /* --fault-runs */

static void latency(struct bench *b, struct method **m, unsigned nm, unsigned runs, int tsv)
{
	static struct stat2 res[N_ALL][3];
	static struct faults flt[N_ALL][3];
	uint64_t *v = malloc(nm * runs * sizeof *v);
	char *mem = NULL;

	if (!v)
		die("malloc");
	for (int state = 0; state < 3; state++) {
		enter_state(state, &mem);
		for (unsigned r = 0; r < runs; r++)
			for (unsigned i = 0; i < nm; i++)
				v[i * runs + r] = sample(b, m[i]);
		for (unsigned i = 0; i < nm; i++)
			res[i][state] = summarize(v + i * runs, runs);
		/* the same rotation again, counted, not timed */
		for (unsigned r = 0; r < fault_runs; r++)
			for (unsigned i = 0; i < nm; i++)
				sample_faults(b, m[i], &flt[i][state]);
	}
	munmap(mem, big_bytes);
	free(v);
	for (unsigned i = 0; i < nm; i++)
		for (int s = 0; s < 3 && fault_runs; s++) {
			flt[i][s].spawn /= fault_runs;
			flt[i][s].after /= fault_runs;
			flt[i][s].child /= fault_runs;
		}
	if (tsv) {
		printf("method\tstate\tmin_us\tmedian_us\tfaults_spawn\tfaults_after\tfaults_"
		       "child\n");
		for (unsigned i = 0; i < nm; i++)
			for (int s = 0; s < 3; s++)
				printf("%s\t%s\t%.1f\t%.1f\t%.2f\t%.2f\t%.2f\n", m[i]->name,
				       state_names[s], res[i][s].min_us, res[i][s].median_us,
				       flt[i][s].spawn, flt[i][s].after, flt[i][s].child);
		return;
	}
	int ref = -1;
	for (unsigned i = 0; i < nm; i++)
		if (!strcmp(m[i]->name, "posix_spawn"))
			ref = (int)i;
	printf("spawn latency, us (spawn call -> child's first instruction), %u runs, "
	       "interleaved\n",
	       runs);
	char big[48], touched[48];
	snprintf(big, sizeof big, "%s min / median", state_names[1]);
	snprintf(touched, sizeof touched, "%s min / med", state_names[2]);
	printf("%-14s %21s %21s %21s\n", "method", "base min / median", big, touched);
	for (unsigned i = 0; i < nm; i++) {
		printf("%-14s", m[i]->name);
		for (int s = 0; s < 3; s++)
			printf(" %10.1f / %8.1f", res[i][s].min_us, res[i][s].median_us);
		printf("\n");
	}
	if (fault_runs) {
		printf("\nminor page faults per spawn, mean of %u more interleaved runs (not "
		       "timed):\n"
		       "parent in the spawn call + parent after it (stamp, reap) + child (all "
		       "its life)\n",
		       fault_runs);
		printf("%-14s %21s %21s %21s\n", "method", "base", state_names[1], state_names[2]);
		for (unsigned i = 0; i < nm; i++) {
			printf("%-14s", m[i]->name);
			for (int s = 0; s < 3; s++)
				printf(" %6.2f + %4.2f + %5.2f", flt[i][s].spawn, flt[i][s].after,
				       flt[i][s].child);
			printf("\n");
		}
	}
	if (ref < 0)
		return;
	printf("\nmedian relative to posix_spawn (lower is faster)\n");
	printf("%-14s %8s %8s %13s\n", "method", "base", state_names[1], state_names[2]);
	for (unsigned i = 0; i < nm; i++) {
		printf("%-14s", m[i]->name);
		for (int s = 0; s < 3; s++)
			printf(" %*.2fx", s == 2 ? 12 : 7,
			       res[i][s].median_us / res[ref][s].median_us);
		printf("\n");
	}
}

/* A throughput child that did not exit 0 makes the figure meaningless. */
static void check_exit(const struct method *m, int status)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return;
	fprintf(stderr, "spawnbench: %s: a child %s %d\n", m->name,
		WIFSIGNALED(status) ? "was killed by signal" : "exited with status",
		WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
	exit(1);
}

/* Run total children, at most par at once; returns elapsed ns. */
static uint64_t throughput_round(struct bench *b, const struct method *m, unsigned total,
				 unsigned par)
{
	uint64_t t0 = now_ns();
	unsigned started = 0, done = 0;

	if (m->engine != USPAWN_ENGINE_AUTO) {
		struct uspawn *u = b->u[m->engine];
		struct uspawn_cmd *c = calloc(par, sizeof *c);
		for (unsigned i = 0; i < par; i++) {
			uspawn_cmd_init(&c[i]);
			c[i].path = b->child;
			c[i].argv = b->argv;
		}
		while (done < total) {
			unsigned room = par - uspawn_running(u);
			if (room > total - started)
				room = total - started;
			if (room) {
				if (uspawn_submit(u, c, room) != (int)room)
					die(m->name);
				started += room;
			}
			struct uspawn_event ev[64];
			int n = uspawn_wait(u, ev, 64, -1);
			for (int i = 0; i < n; i++)
				if (ev[i].type == USPAWN_EV_EXIT) {
					check_exit(m, ev[i].status);
					done++;
				}
		}
		free(c);
		return now_ns() - t0;
	}
	while (done < total) {
		while (started < total && started - done < par) {
			if (m->spawn(b, m) < 0)
				die(m->name);
			started++;
		}
		int st;
		if (waitpid(-1, &st, 0) > 0) {
			check_exit(m, st);
			done++;
		}
	}
	return now_ns() - t0;
}

static void throughput(struct bench *b, struct method **m, unsigned nm, unsigned total,
		       unsigned par, unsigned rounds, int tsv)
{
	uint64_t *v = malloc(nm * rounds * sizeof *v);

	for (unsigned r = 0; r < rounds; r++)
		for (unsigned i = 0; i < nm; i++)
			v[i * rounds + r] = throughput_round(b, m[i], total, par);
	int ref = -1;
	for (unsigned i = 0; i < nm; i++)
		if (!strcmp(m[i]->name, "posix_spawn"))
			ref = (int)i;
	double ref_med = 0;
	if (ref >= 0)
		ref_med = summarize(v + (unsigned)ref * rounds, rounds).median_us;
	if (tsv)
		printf("method\tjobs\tparallel\tbest_jobs_per_s\tmedian_jobs_per_s\n");
	else
		printf("throughput: %u children, %u in flight, %u rounds, interleaved\n"
		       "%-14s %12s %12s %14s\n",
		       total, par, rounds, "method", "best jobs/s", "median jobs/s",
		       "vs posix_spawn");
	for (unsigned i = 0; i < nm; i++) {
		struct stat2 s = summarize(v + i * rounds, rounds);
		double best = total / (s.min_us / 1e6), med = total / (s.median_us / 1e6);
		if (tsv)
			printf("%s\t%u\t%u\t%.0f\t%.0f\n", m[i]->name, total, par, best, med);
		else
			printf("%-14s %12.0f %12.0f %13.2fx\n", m[i]->name, best, med,
			       ref >= 0 ? ref_med / s.median_us : 0.0);
	}
	free(v);
}

static const char *syscall_name(long nr)
{
	static const struct {
		long nr;
		const char *name;
	} names[] = {
		{SYS_read, "read"},
		{SYS_write, "write"},
		{SYS_close, "close"},
		{SYS_mmap, "mmap"},
		{SYS_munmap, "munmap"},
		{SYS_brk, "brk"},
		{SYS_rt_sigaction, "rt_sigaction"},
		{SYS_rt_sigprocmask, "rt_sigprocmask"},
		{SYS_ioctl, "ioctl"},
		{SYS_sched_yield, "sched_yield"},
		{SYS_clone, "clone"},
		{SYS_fork, "fork"},
		{SYS_vfork, "vfork"},
		{SYS_execve, "execve"},
		{SYS_wait4, "wait4"},
		{SYS_fcntl, "fcntl"},
		{SYS_futex, "futex"},
		{SYS_waitid, "waitid"},
		{SYS_ppoll, "ppoll"},
		{SYS_pipe2, "pipe2"},
		{SYS_pidfd_send_signal, "pidfd_send_signal"},
		{SYS_io_uring_enter, "io_uring_enter"},
		{SYS_pidfd_open, "pidfd_open"},
		{SYS_clone3, "clone3"},
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].nr == nr)
			return names[i].name;
	return NULL;
}

#define MAX_NR 512

/* Threads of process pid: an io-wq worker of its rings would be one more. */
static int count_threads(pid_t pid)
{
	char path[64];
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -1;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/*
 * Trace child t until it marks the end; counts[phase][nr] += calls.
 * Returns the child's thread count at the end.
 */
static int trace_child(pid_t t, unsigned long (*counts)[MAX_NR])
{
	int st, phase = PHASE_NONE, entry = 0;

	if (waitpid(t, &st, 0) < 0 || !WIFSTOPPED(st))
		die("waitpid (tracee)");
	if (ptrace(PTRACE_SETOPTIONS, t, 0, PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL))
		die("PTRACE_SETOPTIONS");
	for (;;) {
		if (ptrace(PTRACE_SYSCALL, t, 0, 0) || waitpid(t, &st, 0) < 0)
			die("PTRACE_SYSCALL");
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			fprintf(stderr, "spawnbench: the traced child ended early (%#x)\n", st);
			exit(1);
		}
		if (!WIFSTOPPED(st) || WSTOPSIG(st) != (SIGTRAP | 0x80))
			continue; /* a signal: not passed on (SIGCHLD, nobody waits for it) */
		entry = !entry;
		if (!entry)
			continue;
		struct user_regs_struct r;
		if (ptrace(PTRACE_GETREGS, t, 0, &r))
			die("PTRACE_GETREGS");
		long nr = (long)r.orig_rax;
		if (nr == SYS_getppid && (long)r.rsi == MARK_MAGIC) {
			phase = (int)r.rdi;
			if (phase == PHASE_END)
				break;
		} else if (phase > PHASE_NONE && phase < PHASE_COUNT && nr >= 0 && nr < MAX_NR) {
			counts[phase][nr]++;
		}
	}
	int threads = count_threads(t);
	kill(t, SIGKILL);
	waitpid(t, &st, 0);
	return threads;
}

static void syscalls(struct bench *b, struct method **m, unsigned nm, unsigned n, int tsv)
{
	static const char *phase_names[] = {"", "spawn_call", "read_stamp", "reap"};

	printf(tsv ? "method\tphase\tsyscalls_per_spawn\tby_call\n"
		   : "system calls per spawn (%u spawns, traced; the spawned children are not)\n",
	       n);
	for (unsigned i = 0; i < nm; i++) {
		static unsigned long counts[PHASE_COUNT][MAX_NR];
		memset(counts, 0, sizeof counts);
		fflush(stdout);
		pid_t t = fork();
		if (t < 0)
			die("fork");
		if (t == 0) {
			if (ptrace(PTRACE_TRACEME, 0, 0, 0))
				_exit(1);
			raise(SIGSTOP);
			open_handles(b, &m[i], 1); /* the rings are the child's own */
			for (int w = 0; w < 5; w++)
				sample(b, m[i]); /* first-spawn costs (probes, pools) not counted */
			marking = 1;
			for (unsigned r = 0; r < n; r++)
				sample(b, m[i]);
			mark(PHASE_END);
			_exit(0);
		}
		int threads = trace_child(t, counts);
		for (int p = PHASE_SPAWN; p < PHASE_COUNT; p++) {
			unsigned long total = 0;
			for (int nr = 0; nr < MAX_NR; nr++)
				total += counts[p][nr];
			printf(tsv ? "%s\t%s\t%.2f\t" : "%-14s %-10s %6.2f  ", m[i]->name,
			       phase_names[p], (double)total / n);
			const char *sep = "";
			for (int nr = 0; nr < MAX_NR; nr++) {
				if (!counts[p][nr])
					continue;
				const char *name = syscall_name(nr);
				if (name)
					printf("%s%s %.2f", sep, name, (double)counts[p][nr] / n);
				else
					printf("%snr%d %.2f", sep, nr, (double)counts[p][nr] / n);
				sep = ", ";
			}
			printf("\n");
		}
		/* a CLONE punted to io-wq would have left a worker thread */
		if (tsv)
			printf("%s\tthreads_after\t%d\tthe traced process's threads\n", m[i]->name,
			       threads);
		else
			printf("%-14s %-10s %6d  the traced process's threads\n", m[i]->name,
			       "threads", threads);
	}
}

static void usage(int code)
{
	fprintf(code ? stderr : stdout,
		"usage: spawnbench [--runs N] [--methods LIST] [--format table|tsv]\n"
		"                  [--size MIB] [--throughput N [--parallel P] [--rounds R]]\n"
		"  --runs N        latency samples per method and state (default 2000)\n"
		"  --methods LIST  comma list of: fork vfork posix_spawn clone-nowait\n"
		"                  uspawn-nowait uspawn-vfork uspawn-posix uspawn-fork\n"
		"                  uspawn-uring (default %s;\n"
		"                  engines this kernel lacks are skipped)\n"
		"  --throughput N  measure jobs/s for N children instead of latency\n"
		"  --parallel P    children in flight in throughput mode (default 8)\n"
		"  --child PATH    throughput mode: run PATH (no arguments) instead of\n"
		"                  child_nop; it must exit 0\n"
		"  --rounds R      throughput rounds per method (default 5)\n"
		"  --size MIB      the big parent's extra memory (default 1024)\n"
		"  --fault-runs N  latency mode: N more interleaved runs per state that\n"
		"                  count page faults per spawn, untimed (default 50, 0: none)\n"
		"  --syscalls N    instead: count each method's system calls per spawn over\n"
		"                  N spawns (ptrace; the spawn call, stamp read, reap)\n"
		"Exit status: 0 ok, 1 a spawn failed or a child did not exit 0, 2 bad usage.\n",
		default_methods);
	exit(code);
}

/* The helper children live beside this binary. */
static char *sibling(const char *self, const char *name)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);

	(void)self;
	if (n < 0)
		die("/proc/self/exe");
	exe[n] = 0;
	char *slash = strrchr(exe, '/');
	size_t dir = slash ? (size_t)(slash - exe) + 1 : 0;
	char *p = malloc(dir + strlen(name) + 1);
	memcpy(p, exe, dir);
	strcpy(p + dir, name);
	if (access(p, X_OK)) {
		fprintf(stderr, "spawnbench: %s: %s\n", p, strerror(errno));
		exit(1);
	}
	return p;
}

static int finish(struct bench *b)
{
	for (int e = 0; e < USPAWN_ENGINE_COUNT; e++)
		uspawn_close(b->u[e]);
	free((char *)b->child);
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{"runs", required_argument, 0, 'r'},
		{"methods", required_argument, 0, 'm'},
		{"format", required_argument, 0, 'f'},
		{"throughput", required_argument, 0, 't'},
		{"parallel", required_argument, 0, 'p'},
		{"child", required_argument, 0, 'c'},
		{"rounds", required_argument, 0, 'R'},
		{"size", required_argument, 0, 's'},
		{"fault-runs", required_argument, 0, 'F'},
		{"syscalls", required_argument, 0, 'S'},
		{"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	unsigned runs = 2000, total = 0, par = 8, rounds = 5, ncalls = 0;
	const char *list = default_methods, *child = NULL;
	int tsv = 0, c;

	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			runs = (unsigned)atoi(optarg);
			break;
		case 'm':
			list = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "tsv") && strcmp(optarg, "table"))
				usage(2);
			tsv = !strcmp(optarg, "tsv");
			break;
		case 't':
			total = (unsigned)atoi(optarg);
			break;
		case 'p':
			par = (unsigned)atoi(optarg);
			break;
		case 'R':
			rounds = (unsigned)atoi(optarg);
			break;
		case 's':
			big_bytes = (size_t)atol(optarg) << 20;
			break;
		case 'F':
			fault_runs = (unsigned)atoi(optarg);
			break;
		case 'S':
			ncalls = (unsigned)atoi(optarg);
			break;
		case 'c':
			child = optarg;
			break;
		case 'h':
			usage(0);
			break;
		default:
			usage(2);
		}
	}
	if (!runs || !par || !rounds || !big_bytes || optind != argc || (child && !total))
		usage(2);
	if (child && access(child, X_OK)) {
		fprintf(stderr, "spawnbench: %s: %s\n", child, strerror(errno));
		return 2;
	}
	name_states();

	struct method *m[N_ALL];
	unsigned nm = pick_methods(list, m);
	struct bench b = {0};
	setvbuf(stdout, NULL, _IOLBF, 0);
	b.child = child ? strdup(child) : sibling(argv[0], total ? "child_nop" : "child_stamp");
	b.argv[0] = (char *)b.child;

	if (total) {
		open_handles(&b, m, nm);
		throughput(&b, m, nm, total, par, rounds, tsv);
		return finish(&b);
	}
	/*
	 * The stamp pipe's write end is fd 3 in every child, by inheritance;
	 * taken before the rings are opened, which would otherwise sit on fd 3.
	 */
	int p[2];
	if (pipe2(p, O_CLOEXEC))
		die("pipe");
	b.rfd = fcntl(p[0], F_DUPFD_CLOEXEC, 10);
	int w = fcntl(p[1], F_DUPFD_CLOEXEC, 10);
	close(p[0]);
	close(p[1]);
	if (b.rfd < 0 || w < 0 || dup2(w, STAMP_FD) != STAMP_FD) /* dup2: not close-on-exec */
		die("stamp pipe");
	close(w);
	if (ncalls) {
		syscalls(&b, m, nm, ncalls, tsv);
		return finish(&b);
	}
	open_handles(&b, m, nm);
	latency(&b, m, nm, runs, tsv);
	return finish(&b);
}
