/* SPDX-License-Identifier: MIT */
/*
 * Races and fuzzing of IORING_OP_CLONE / IORING_OP_EXEC, run inside the
 * test VM (two CPUs): what the teardown, exit and cancel paths of io_uring
 * do while chains are handed to new processes. Each case asserts that
 * every chain ends as it may, every child is reaped and nothing hangs;
 * the kernel's own reports (KASAN, lockdep, WARN) fail the VM run.
 *   kstress [CASE...]   exit teardown orphan fuzz lock dio (all)
 * USPAWN_STRESS_ROUNDS scales the rounds (default 1 = the CI size).
 */
#include <linux/perf_event.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/prctl.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <time.h>

#include "kchain.h"
#include "ktest.h"

static long scale(long n)
{
	return n * env_long("USPAWN_STRESS_ROUNDS", 1);
}

/* Reap every child, waiting up to secs for the stragglers; how many. */
static long reap_all(int secs)
{
	long n = 0;

	for (int t = 0; t < secs * 100;) {
		pid_t r = waitpid(-1, NULL, WNOHANG);
		if (r > 0) {
			n++;
			continue;
		}
		if (r < 0 && errno == ECHILD)
			break;
		usleep(10000);
		t++;
	}
	return n;
}

struct exiter {
	struct io_uring *ring;
	pthread_mutex_t *sq_lock;
	unsigned flags; /* on the CLONE: IOSQE_ASYNC, or on the EXEC: DRAIN */
	bool drain;
};

/* Submit one CLONE -> NOP -> NOP -> EXEC chain, then exit at once. */
static void *exiter_fn(void *arg)
{
	struct exiter *e = arg;
	struct chain c;

	pthread_mutex_lock(e->sq_lock);
	chain_init(&c, e->ring);
	c.n = 0;
	add_clone(&c, IOSQE_IO_LINK | e->flags);
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_nop(&c, 0, IOSQE_IO_LINK);
	add_exec(&c, "/bin/true", argv_true, e->drain ? IOSQE_IO_DRAIN : 0);
	io_uring_submit(e->ring);
	pthread_mutex_unlock(e->sq_lock);
	return NULL;
}

/*
 * exit: a thread submits an IOSQE_ASYNC (or drained) CLONE chain and exits
 * at once, while io-wq issues the CLONE and the chain is handed over. The
 * exiting thread's cancel path walks its requests' links; the old series
 * could walk CLONE->link there while io_clone handed it to a child that
 * was freeing those requests. Every chain must end whole: a pid, two NOPs
 * and an exec, or a CLONE error and the rest -ECANCELED.
 */
static void exit_case(void)
{
	long rounds = scale(200), bad = 0, pids = 0, cancelled = 0;
	pthread_mutex_t sq_lock = PTHREAD_MUTEX_INITIALIZER;
	struct io_uring ring;

	if (io_uring_queue_init(64, &ring, 0) < 0) {
		ktest_ok(0, "exit: ring");
		return;
	}
	for (long r = 0; r < rounds; r++) {
		struct exiter e = {&ring, &sq_lock, r % 2 ? IOSQE_ASYNC : 0, r % 2 == 0};
		int res[4] = {NOT_SEEN, NOT_SEEN, NOT_SEEN, NOT_SEEN};
		pthread_t th;

		if (pthread_create(&th, NULL, exiter_fn, &e))
			break;
		pthread_join(th, NULL);
		for (int got = 0; got < 4; got++) {
			struct io_uring_cqe *cqe;
			if (wait_cqe(&ring, &cqe, 20) < 0)
				break;
			if (cqe->user_data < 4)
				res[cqe->user_data] = cqe->res;
			io_uring_cqe_seen(&ring, cqe);
		}
		bool whole = res[0] > 0 && !res[1] && !res[2] && !res[3];
		bool refused = res[0] < 0 && res[1] == -ECANCELED && res[2] == -ECANCELED &&
			       res[3] == -ECANCELED;
		if (whole && !exited0(wait_pid(res[0])))
			whole = false;
		pids += whole;
		cancelled += refused;
		if (!whole && !refused && bad++ < 5)
			printf("# exit round %ld: %d %d %d %d\n", r, res[0], res[1], res[2],
			       res[3]);
	}
	io_uring_queue_exit(&ring);
	reap_all(5);
	ktest_ok(!bad,
		 "exit: %ld threads exiting right after an ASYNC/drained CLONE: %ld "
		 "spawned, %ld refused, %ld broken",
		 rounds, pids, cancelled, bad);
}

struct teardown {
	int ring_fd, dup_fd;
	struct io_uring *ring;
	pthread_mutex_t sq_lock;
	atomic_long submitted, readers;
	atomic_bool stop;
	int pipe_rd;
};

/* Keep spawning chains, some of them blocked in a READ, until the ring dies. */
static void *submitter_fn(void *arg)
{
	struct teardown *t = arg;
	static char rbuf[8];

	for (long i = 0; !atomic_load(&t->stop); i++) {
		struct io_uring_sqe *sqe;

		pthread_mutex_lock(&t->sq_lock);
		sqe = io_uring_get_sqe(t->ring);
		if (!sqe) {
			pthread_mutex_unlock(&t->sq_lock);
			break;
		}
		uspawn_prep_clone(sqe);
		sqe->flags = IOSQE_IO_LINK | (i % 3 == 0 ? IOSQE_ASYNC : 0);
		if (i % 2) {
			sqe = io_uring_get_sqe(t->ring);
			io_uring_prep_read(sqe, t->pipe_rd, rbuf, 1, 0);
			sqe->flags = IOSQE_IO_LINK;
		}
		sqe = io_uring_get_sqe(t->ring);
		uspawn_prep_execveat(sqe, AT_FDCWD, "/bin/true", argv_true, envp0, 0);
		int ret = io_uring_submit(t->ring);
		pthread_mutex_unlock(&t->sq_lock);
		if (ret < 0)
			break;
		atomic_fetch_add(&t->submitted, 1);
		atomic_fetch_add(&t->readers, i % 2);
		/* reap what is there; the CQ may overflow, that is fine */
		struct io_uring_cqe *cqe;
		pthread_mutex_lock(&t->sq_lock);
		while (io_uring_peek_cqe(t->ring, &cqe) == 0)
			io_uring_cqe_seen(t->ring, cqe);
		pthread_mutex_unlock(&t->sq_lock);
		waitpid(-1, NULL, WNOHANG);
	}
	return NULL;
}

/*
 * teardown: two threads spawn on one ring, half the chains blocked in a
 * READ of a pipe, while a third closes the ring under them. The children
 * hold the ring through their copy of the fd table until they exec (its fd
 * is O_CLOEXEC), as a forked child holds any fd: the chains go on after
 * the close. Then the pipe gets a byte per blocked READ: every chain must
 * exec, every child be reaped, and the last exec lets the ring go.
 */
static void teardown_case(void)
{
	long rounds = scale(5), spawned = 0, stuck = 0;

	for (long r = 0; r < rounds; r++) {
		struct teardown t = {.sq_lock = PTHREAD_MUTEX_INITIALIZER};
		struct io_uring ring;
		pthread_t th[2];
		int p[2];

		if (pipe(p) < 0 || io_uring_queue_init(64, &ring, 0) < 0) {
			ktest_ok(0, "teardown: setup");
			return;
		}
		t.ring = &ring;
		t.pipe_rd = p[0];
		for (int i = 0; i < 2; i++)
			pthread_create(&th[i], NULL, submitter_fn, &t);
		usleep(300000 + 100000 * (r % 4));
		/* the third thread: this one */
		pthread_mutex_lock(&t.sq_lock);
		close(ring.ring_fd);
		pthread_mutex_unlock(&t.sq_lock);
		atomic_store(&t.stop, true);
		for (int i = 0; i < 2; i++)
			pthread_join(th[i], NULL);
		spawned += atomic_load(&t.submitted);
		for (long n = atomic_load(&t.readers); n > 0; n--)
			if (write(p[1], "x", 1) != 1)
				break;
		reap_all(30);
		if (!no_children())
			stuck++;
		/* what io_uring_queue_exit() would do, less the close */
		size_t sqes = *ring.sq.kring_entries * sizeof(struct io_uring_sqe);
		munmap(ring.sq.sqes, sqes);
		if (ring.cq.ring_ptr != ring.sq.ring_ptr)
			munmap(ring.cq.ring_ptr, ring.cq.ring_sz);
		munmap(ring.sq.ring_ptr, ring.sq.ring_sz);
		close(p[0]);
		close(p[1]);
	}
	ktest_ok(!stuck && spawned > 0,
		 "teardown: two threads spawning while a third closes the ring, %ld rounds: %ld "
		 "chains, every child reaped (%ld rounds left children)",
		 rounds, spawned, stuck);
}

/*
 * orphan: a parent exits with children mid-chain, blocked in a READ of a
 * pipe. Children that kept the pipe's write end (and the ring, through
 * their copy of the fd table, as any forked child keeps an fd) stay
 * blocked after the parent is gone and die of SIGKILL, reaped by init;
 * children whose chain closed it then get EOF and exec. The parent exits
 * only once each even chain's CLOSE has completed, so those children are
 * past it when it goes; the last of them to close used to hold the write
 * end in a pending task_work when a loaded VM ran it late (kspawn 16's
 * last-close check shows that alone).
 */
static void orphan_case(void)
{
	enum { N = 6 };
	int *pids = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char path[64];
	bool all_exec = true, all_gone = true;

	for (int i = 0; i < N; i++) {
		snprintf(path, sizeof(path), "/tmp/orphan-%d", i);
		unlink(path);
	}
	/* the orphans come to us, not to init: we see how each one ended */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	pid_t sub = fork();
	if (sub == 0) {
		static char rbuf[8];
		static char names[N][32], *argvs[N][3];
		struct io_uring ring;
		int p[2];

		if (pipe(p) < 0 || io_uring_queue_init(64, &ring, 0) < 0)
			_exit(2);
		for (int i = 0; i < N; i++) {
			struct chain c;
			struct io_uring_sqe *sqe;

			snprintf(names[i], sizeof(names[i]), "/tmp/orphan-%d", i);
			argvs[i][0] = "touch";
			argvs[i][1] = names[i];
			argvs[i][2] = NULL;
			chain_init(&c, &ring);
			c.n = 8 * i; /* user_data 8i: the CLONE of chain i */
			add_clone(&c, IOSQE_IO_LINK);
			if (i % 2 == 0) {
				sqe = sqe_at(&c);
				io_uring_prep_close(sqe, p[1]);
				sqe->user_data = 8 * i + 1;
				sqe->flags |= IOSQE_IO_LINK;
			}
			sqe = sqe_at(&c);
			io_uring_prep_read(sqe, p[0], rbuf, 1, 0);
			sqe->user_data = 8 * i + 2;
			sqe->flags |= IOSQE_IO_HARDLINK;
			add_exec(&c, "/bin/touch", argvs[i], 0);
			io_uring_submit(&ring);
			struct io_uring_cqe *cqe;
			/*
			 * Wait for the pid and, in an even chain, for the CLOSE:
			 * then that child is past it, at its READ, when this
			 * parent exits, however slowly the VM runs (60 s: a
			 * guard, not a timing claim).
			 */
			int closed = i % 2 ? 0 : NOT_SEEN;
			pids[i] = -1;
			while ((pids[i] == -1 || closed == NOT_SEEN) &&
			       wait_cqe(&ring, &cqe, 60) == 0) {
				if (cqe->user_data == (unsigned)(8 * i))
					pids[i] = cqe->res;
				if (cqe->user_data == (unsigned)(8 * i + 1))
					closed = cqe->res;
				io_uring_cqe_seen(&ring, cqe);
			}
			if (pids[i] <= 0 || closed)
				_exit(3);
		}
		usleep(200000);
		_exit(0);
	}
	int st = wait_pid(sub);
	/* first the blocked ones: they hold the pipe's write end too */
	for (int i = 1; i < N; i += 2) {
		int cst = -1;
		if (pids[i] > 0 && kill(pids[i], 0) == 0) { /* still blocked */
			kill(pids[i], SIGKILL);
			cst = wait_pid(pids[i]);
		}
		if (!killed(cst)) {
			printf("# orphan: blocked chain %d (pid %d): status %#x\n", i, pids[i],
			       cst);
			all_gone = false;
		}
	}
	for (int i = 0; i < N; i += 2) {
		/* exec'd touch's own exit: 0 once it made the file */
		int cst = pids[i] > 0 ? wait_pid(pids[i]) : -1;
		snprintf(path, sizeof(path), "/tmp/orphan-%d", i);
		bool seen = exited0(cst) && access(path, F_OK) == 0;
		if (!seen)
			printf("# orphan: chain %d (pid %d) never exec'd: status %#x\n", i, pids[i],
			       cst);
		all_exec &= seen;
	}
	prctl(PR_SET_CHILD_SUBREAPER, 0);
	ktest_ok(exited0(st) && all_exec,
		 "orphan: the parent exits mid-chain, children that closed the pipe get EOF and "
		 "exec (parent status %#x)",
		 st);
	ktest_ok(all_gone, "orphan: children still blocked after the parent's exit die of "
			   "SIGKILL");
	munmap(pids, 4096);
}

/*
 * lock: copy_process() runs without ->uring_lock. The copy is made to wait
 * on something this test holds: a perf event on the spawner makes
 * copy_process() take the spawner's perf context mutex
 * (perf_event_init_context), and a third thread holds that mutex in
 * perf_read() while read() writes to a userfaultfd page nobody has filled
 * yet. While the copy waits, another thread takes the ring's lock
 * (IORING_REGISTER_PROBE); it must get it before the page is filled. The
 * old series made the copy in the issue handler, under ->uring_lock: the
 * probe waited for the page. Root only (a userfaultfd that catches the
 * kernel's own faults needs CAP_SYS_PTRACE).
 */
struct lock_state {
	struct io_uring ring;
	int perf, uffd;
	char *page;                      /* registered with uffd, missing */
	atomic_int spawner_tid;          /* set once its perf event exists */
	atomic_bool go, probed, spawned; /* go: the spawner may submit */
	unsigned clone_flags;            /* 0, IOSQE_ASYNC or IOSQE_IO_DRAIN */
	long reader_res;
	int clone_res, status;
};

static void *lock_spawner_fn(void *arg)
{
	struct lock_state *s = arg;
	struct perf_event_attr pa = {
		.type = PERF_TYPE_SOFTWARE,
		.size = sizeof(pa),
		.config = PERF_COUNT_SW_TASK_CLOCK,
		.exclude_kernel = 1,
		.exclude_hv = 1,
	};
	struct chain c;

	/*
	 * io-wq makes its first worker by copy_process() of the submitter
	 * under ->uring_lock (stock io_uring does), and both an IOSQE_ASYNC
	 * and a drained request go to io-wq: make the worker now, before the
	 * perf event, so that the copy that waits is the child's.
	 */
	if (s->clone_flags & (IOSQE_ASYNC | IOSQE_IO_DRAIN)) {
		chain_init(&c, &s->ring);
		add_nop(&c, 0, IOSQE_ASYNC);
		run(&c);
	}
	s->perf = (int)syscall(SYS_perf_event_open, &pa, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
	atomic_store(&s->spawner_tid, s->perf < 0 ? -1 : (int)gettid());
	if (s->perf < 0)
		return NULL;
	while (!atomic_load(&s->go))
		usleep(1000);
	chain_init(&c, &s->ring);
	add_clone(&c, IOSQE_IO_LINK | s->clone_flags);
	add_exec(&c, "/bin/true", argv_true, 0);
	run(&c);
	s->clone_res = c.res[0];
	s->status = c.res[0] > 0 ? wait_pid(c.res[0]) : -1;
	atomic_store(&s->spawned, true);
	return NULL;
}

/* Holds the spawner's perf context mutex until the page is filled. */
static void *lock_reader_fn(void *arg)
{
	struct lock_state *s = arg;

	s->reader_res = read(s->perf, s->page, sizeof(uint64_t));
	return NULL;
}

static void *lock_prober_fn(void *arg)
{
	struct lock_state *s = arg;
	struct io_uring_probe *probe = calloc(1, sizeof(*probe) + 256 * sizeof(probe->ops[0]));

	if (probe && io_uring_register_probe(&s->ring, probe, 256) >= 0)
		atomic_store(&s->probed, true);
	free(probe);
	return NULL;
}

/* The state letter of one of our threads in /proc, '?' if unreadable. */
static char thread_state(int tid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	return p && p[1] == ' ' ? p[2] : '?';
}

/* Wait up to secs for tid to be in state want, in 10 ms steps; its last state. */
static char wait_state(int tid, char want, int secs)
{
	char st = thread_state(tid);

	for (int i = 0; i < secs * 100 && st != want; i++) {
		usleep(10000);
		st = thread_state(tid);
	}
	return st;
}

/* Wait up to secs for flag, in 10 ms steps: a guard against a hang. */
static bool wait_flag(atomic_bool *flag, int secs)
{
	for (int i = 0; i < secs * 100 && !atomic_load(flag); i++)
		usleep(10000);
	return atomic_load(flag);
}

/* Open a userfaultfd over one missing page that kernel accesses fault on. */
static int lock_uffd(struct lock_state *s)
{
	struct uffdio_api api = {.api = UFFD_API};
	struct uffdio_register reg = {.mode = UFFDIO_REGISTER_MODE_MISSING};

	s->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	s->uffd = (int)syscall(SYS_userfaultfd, O_CLOEXEC);
	if (s->page == MAP_FAILED || s->uffd < 0 || ioctl(s->uffd, UFFDIO_API, &api) < 0)
		return -1;
	reg.range.start = (unsigned long)s->page;
	reg.range.len = 4096;
	return ioctl(s->uffd, UFFDIO_REGISTER, &reg);
}

static void lock_round(unsigned clone_flags, const char *how)
{
	struct lock_state s = {.perf = -1, .uffd = -1, .clone_flags = clone_flags};
	struct uffdio_zeropage zero = {.range = {.len = 4096}};
	struct uffd_msg msg;
	struct pollfd pfd;
	pthread_t spawner, reader, prober;
	bool faulted, copying = false, probed, early;
	char state = '?';

	if (lock_uffd(&s) < 0) {
		ktest_ok(0, "lock: userfaultfd: %s", strerror(errno));
		goto out_uffd;
	}
	if (io_uring_queue_init(8, &s.ring, 0) < 0) {
		ktest_ok(0, "lock: io_uring_queue_init");
		goto out_uffd;
	}
	pthread_create(&spawner, NULL, lock_spawner_fn, &s);
	while (!atomic_load(&s.spawner_tid))
		usleep(1000);
	if (s.perf < 0) {
		ktest_ok(0, "lock: perf_event_open on the spawner: %s", strerror(errno));
		pthread_join(spawner, NULL);
		goto out_ring;
	}
	/* the reader faults on the page inside perf_read(), mutex held */
	pthread_create(&reader, NULL, lock_reader_fn, &s);
	pfd = (struct pollfd){.fd = s.uffd, .events = POLLIN};
	faulted = poll(&pfd, 1, 60000) == 1 && read(s.uffd, &msg, sizeof(msg)) == sizeof(msg) &&
		  msg.event == UFFD_EVENT_PAGEFAULT;
	atomic_store(&s.go, true);
	/* the spawner's copy now waits for the mutex, uninterruptibly */
	if (faulted)
		state = wait_state(atomic_load(&s.spawner_tid), 'D', 60);
	copying = state == 'D';
	pthread_create(&prober, NULL, lock_prober_fn, &s);
	probed = copying && wait_flag(&s.probed, 60);
	/* a spawn done by now was no copy of the spawner (it waits) */
	early = atomic_load(&s.spawned);
	copying = copying && !early && thread_state(atomic_load(&s.spawner_tid)) == 'D';
	/* fill the page: the reader lets go of the mutex, the copy goes on */
	zero.range.start = (unsigned long)s.page;
	ioctl(s.uffd, UFFDIO_ZEROPAGE, &zero);
	pthread_join(reader, NULL);
	pthread_join(spawner, NULL);
	pthread_join(prober, NULL);
	close(s.perf);
	ktest_ok(faulted && copying && probed,
		 "lock: %s: another thread takes the ring's lock while the spawner's copy waits "
		 "for a mutex the test holds (perf_read() faulting on a userfaultfd page): fault "
		 "%s, spawner state %c, probe %s and spawn %s before the page was filled",
		 how, faulted ? "caught" : "not caught", state, probed ? "done" : "not done",
		 early ? "done" : "not done");
	ktest_ok(s.reader_res == sizeof(uint64_t) && s.clone_res > 0 && exited0(s.status),
		 "lock: %s: once the page is filled, the read returns %ld and the spawn completes "
		 "(CLONE %d, status %#x)",
		 how, s.reader_res, s.clone_res, s.status);
out_ring:
	io_uring_queue_exit(&s.ring);
out_uffd:
	if (s.uffd >= 0)
		close(s.uffd);
	if (s.page != MAP_FAILED && s.page)
		munmap(s.page, 4096);
}

static void lock_case(void)
{
	if (geteuid() != 0) {
		printf("# lock skipped: needs root (a userfaultfd for the kernel's faults)\n");
		return;
	}
	lock_round(0, "inline CLONE");
	lock_round(IOSQE_ASYNC, "IOSQE_ASYNC CLONE");
	lock_round(IOSQE_IO_DRAIN, "drained CLONE");
}

/*
 * Collect n CQEs into res[] without sleeping: every pass enters the kernel
 * (io_uring_get_events), so task_work queued to this thread runs at once.
 * false after 10 s.
 */
static bool spin_collect(struct io_uring *r, int *res, int n)
{
	time_t end = time(NULL) + 10;

	for (int got = 0; got < n;) {
		struct io_uring_cqe *cqe;

		if (io_uring_peek_cqe(r, &cqe) == 0) {
			if (cqe->user_data < (unsigned)n)
				res[cqe->user_data] = cqe->res;
			io_uring_cqe_seen(r, cqe);
			got++;
		} else if (time(NULL) > end) {
			return false;
		} else {
			io_uring_get_events(r);
		}
	}
	return true;
}

/*
 * dio (finding 5): CLONE -> O_DIRECT WRITE of brd's /dev/ram0 -> EXEC, the
 * parent running its task_work as fast as it can. brd ends the bio inside
 * submit_bio(), so a write completed through ki_complete queues its
 * completion to the submitter while the child is still in
 * blkdev_write_iter(), which touches the request's iov_iter once more
 * (iov_iter_reexpand). io-wq holds a request reference across the issue
 * for that race (see io_req_rw_cleanup()); a chain issued without one lets
 * the parent's completion recycle the iov_iter first, which KASAN reports
 * in the debug kernel. Series v2 does a chain's I/O synchronously (0007)
 * and holds the reference: every round gives a pid, 4096 and an exec.
 */
static void dio_case(void)
{
	const char *dev = getenv("USPAWN_BLKDEV") ? getenv("USPAWN_BLKDEV") : "/dev/ram0";
	long rounds = scale(300), bad = 0;
	int fd = open(dev, O_WRONLY | O_DIRECT);
	struct io_uring ring;
	char *buf = NULL;

	if (fd < 0 || posix_memalign((void **)&buf, 4096, 4096) ||
	    io_uring_queue_init(8, &ring, 0) < 0) {
		ktest_ok(0, "dio: open %s O_DIRECT, a buffer and a ring: %s", dev,
			 fd < 0 ? strerror(errno) : "failed");
		free(buf);
		if (fd >= 0)
			close(fd);
		return;
	}
	memset(buf, 'd', 4096);
	for (long r = 0; r < rounds; r++) {
		int res[3] = {NOT_SEEN, NOT_SEEN, NOT_SEEN};
		struct chain c;

		chain_init(&c, &ring);
		add_clone(&c, IOSQE_IO_LINK);
		struct io_uring_sqe *w = add_op(&c, IOSQE_IO_LINK);
		PREP(w, io_uring_prep_write(w, fd, buf, 4096, (uint64_t)(r % 64) * 4096));
		add_exec(&c, "/bin/true", argv_true, 0);
		bool all = io_uring_submit(&ring) == 3 && spin_collect(&ring, res, 3);
		int st = res[0] > 0 && res[0] != NOT_SEEN ? wait_pid(res[0]) : -1;
		if (all && res[1] == 4096 && res[2] == 0 && exited0(st))
			continue;
		if (bad++ < 3)
			printf("# dio round %ld: %d %d %d, status %#x\n", r, res[0], res[1], res[2],
			       st);
		if (!all)
			break; /* a CQE missing: the ring is in no state to go on */
	}
	io_uring_queue_exit(&ring);
	reap_all(5);
	ktest_ok(!bad, "dio: %ld O_DIRECT WRITE chains, parent polling: %ld bad", rounds, bad);
	free(buf);
	close(fd);
}

static unsigned long long rnd_state = 0x9e3779b97f4a7c15ull;

static unsigned long long rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

struct fuzz_env {
	int pipe[2], sock[2], file, fixed;
	char buf[4096];
};

/* One random chain member: an op a chain allows, on the env's files. */
static void fuzz_member(struct io_uring_sqe *sqe, struct fuzz_env *e)
{
	static char *argv_f[] = {"false", NULL};
	static struct statx stx;
	unsigned len = 1 + (unsigned)(rnd() % 64);

	switch (rnd() % 14) {
	case 0:
		io_uring_prep_nop(sqe);
		break;
	case 1: /* IORING_NOP_INJECT_RESULT */
		io_uring_prep_nop(sqe);
		sqe->rw_flags = 1;
		sqe->len = (unsigned)-(int)(1 + rnd() % 100);
		break;
	case 2:
		io_uring_prep_write(sqe, e->pipe[1], e->buf, len, 0);
		break;
	case 3:
		io_uring_prep_read(sqe, e->pipe[0], e->buf, len, 0);
		break;
	case 4:
		io_uring_prep_write(sqe, e->file, e->buf, len, rnd() % 8192);
		break;
	case 5:
		io_uring_prep_read(sqe, e->file, e->buf, len, rnd() % 8192);
		break;
	case 6:
		io_uring_prep_send(sqe, e->sock[0], e->buf, len, rnd() % 2 ? MSG_WAITALL : 0);
		break;
	case 7:
		io_uring_prep_recv(sqe, e->sock[1], e->buf, len, MSG_DONTWAIT);
		break;
	case 8:
		io_uring_prep_openat(sqe, AT_FDCWD, "/tmp/fuzz-file", O_RDONLY, 0);
		break;
	case 9:
		io_uring_prep_close(sqe, 100 + (int)(rnd() % 4));
		break;
	case 10:
		io_uring_prep_statx(sqe, AT_FDCWD, "/bin/true", 0, STATX_BASIC_STATS, &stx);
		break;
	case 11:
		io_uring_prep_fsync(sqe, e->file, 0);
		break;
	case 12:
		uspawn_prep_execveat(sqe, AT_FDCWD, "/nonexistent", argv_true, envp0, 0);
		break;
	default:
		uspawn_prep_execveat(sqe, AT_FDCWD, rnd() % 2 ? "/bin/true" : "/bin/false",
				     rnd() % 2 ? argv_true : argv_f, envp0, 0);
		break;
	}
}

static unsigned char fuzz_flags(bool last)
{
	static const unsigned char link[] = {IOSQE_IO_LINK, IOSQE_IO_HARDLINK};
	unsigned char f = last ? 0 : link[rnd() % 2];

	if (rnd() % 6 == 0)
		f |= IOSQE_ASYNC;
	if (rnd() % 12 == 0)
		f |= IOSQE_IO_DRAIN;
	if (rnd() % 10 == 0)
		f |= IOSQE_CQE_SKIP_SUCCESS;
	if (last && rnd() % 10 == 0)
		f |= IOSQE_IO_LINK; /* an unterminated link */
	return f;
}

/*
 * A result a chain member may have: a count, 0, or a user-visible errno;
 * never a kernel-internal code (-ERESTARTSYS 512, -EIOCBQUEUED 529, ...).
 */
static bool fuzz_res_ok(int res)
{
	return res >= -133;
}

/*
 * fuzz: random chains of the ops a chain allows (NOP, injected failures,
 * pipe, file and socket reads and writes, MSG_WAITALL, OPENAT, CLOSE,
 * STATX, FSYNC, EXECs that work or fail) with random LINK/HARDLINK, ASYNC,
 * DRAIN and CQE_SKIP_SUCCESS flags, on the CLONE too. Asserted: every CQE
 * is a count or a plain errno (never a restart code or -EIOCBQUEUED),
 * every child ends, and the ring's teardown completes.
 */
static void fuzz_case(void)
{
	long rounds = env_long("USPAWN_FUZZ_N", 1000), bad = 0, cqes = 0;
	struct fuzz_env e;
	struct io_uring r;

	if (pipe(e.pipe) < 0 || socketpair(AF_UNIX, SOCK_STREAM, 0, e.sock) < 0 ||
	    io_uring_queue_init(64, &r, IORING_SETUP_SUBMIT_ALL) < 0) {
		ktest_ok(0, "fuzz: setup");
		return;
	}
	fcntl(e.pipe[0], F_SETFL, O_NONBLOCK);
	fcntl(e.pipe[1], F_SETFL, O_NONBLOCK);
	e.file = open("/tmp/fuzz-file", O_RDWR | O_CREAT | O_TRUNC, 0644);
	memset(e.buf, 'f', sizeof(e.buf));
	for (long i = 0; i < rounds; i++) {
		int n = 1 + (int)(rnd() % 5);
		struct io_uring_sqe *sqe = io_uring_get_sqe(&r);

		uspawn_prep_clone(sqe);
		sqe->flags = IOSQE_IO_LINK | (rnd() % 5 == 0 ? IOSQE_ASYNC : 0) |
			     (rnd() % 10 == 0 ? IOSQE_IO_HARDLINK : 0);
		sqe->user_data = 0;
		for (int m = 0; m < n; m++) {
			sqe = io_uring_get_sqe(&r);
			fuzz_member(sqe, &e);
			sqe->flags = fuzz_flags(m == n - 1);
			sqe->user_data = 1;
		}
		io_uring_submit(&r);
		/* drain what comes within a moment; blocked chains are fine */
		for (int t = 0; t < 50; t++) {
			struct io_uring_cqe *cqe;
			struct __kernel_timespec ts = {.tv_nsec = 20000000};
			if (io_uring_wait_cqe_timeout(&r, &cqe, &ts) < 0)
				break;
			cqes++;
			if (!(cqe->user_data == 0 ? cqe->res > 0 || fuzz_res_ok(cqe->res)
						  : fuzz_res_ok(cqe->res))) {
				if (bad++ < 10)
					printf("# fuzz: unexpected res %d (%s)\n", cqe->res,
					       cqe->user_data ? "member" : "CLONE");
			}
			io_uring_cqe_seen(&r, cqe);
		}
		/* unblock readers and writers now and then */
		if (i % 16 == 15) {
			char sink[4096];
			while (read(e.pipe[0], sink, sizeof(sink)) > 0)
				;
			if (write(e.sock[1], e.buf, 64) < 0)
				bad += 0;
		}
		waitpid(-1, NULL, WNOHANG);
	}
	io_uring_queue_exit(&r); /* kills whatever still blocks */
	reap_all(30);
	ktest_ok(!bad && no_children(),
		 "fuzz: %ld random chains, %ld CQEs, %ld unexpected, all "
		 "children reaped",
		 rounds, cqes, bad);
	close(e.file);
	close(e.pipe[0]);
	close(e.pipe[1]);
	close(e.sock[0]);
	close(e.sock[1]);
}

static const struct {
	const char *name;
	void (*fn)(void);
} cases[] = {
	{"exit", exit_case}, {"teardown", teardown_case}, {"orphan", orphan_case},
	{"fuzz", fuzz_case}, {"lock", lock_case},         {"dio", dio_case},
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ktest_init();
	printf("# kstress as uid %u\n", (unsigned)getuid());
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool want = argc < 2;
		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], cases[i].name);
		if (!want)
			continue;
		alarm(1800);
		cases[i].fn();
	}
	alarm(0);
	return ktest_done();
}
