/* SPDX-License-Identifier: MIT */
/*
 * The nowait engine: clone3(CLONE_VM) without CLONE_VFORK. The parent
 * goes on (to the next job of the batch, to its output) while the child
 * does its file actions and execs on another CPU; what the child says of
 * a failed step comes in later, with the job's EXIT event.
 *
 * The child lives by the vfork engine's rules (child.c: raw syscalls,
 * all signals blocked until just before exec, handlers reset by
 * CLONE_CLEAR_SIGHAND) and, because the parent now runs beside it, these:
 *  - it runs on a slot of the handle's pool: a stack, a thread pointer of
 *    its own (CLONE_SETTLS: the parent thread may exit meanwhile) and a
 *    deep copy of its plan (plan_pack), which it alone reads. It reads
 *    nothing else of the parent's: not the caller's argv, envp or
 *    environ, which may change or be freed once uspawn_submit returns;
 *  - the parent writes a slot only while it is free, and takes it back
 *    only when the kernel says the child has left the memory they share:
 *    CLONE_CHILD_CLEARTID zeroes the slot's tid word (and wakes a futex
 *    on it) at the child's exec or exit, before its exit is reported.
 *    A slot is never unmapped while its word is not 0;
 *  - the pool is MADV_WIPEONFORK: a fork of the caller's, made while
 *    children are between clone and exec, gets it zeroed, so every slot
 *    is free there (the children in them are not the copy's; their jobs
 *    end there as every engine's do: ECHILD at USPAWN_STAGE_WAIT);
 *  - the caller may exit or exec meanwhile: the children keep the old
 *    memory alive (they hold the mm) until they exec or exit.
 *  - under ASan the child runs no instrumented code (child.c is built
 *    without sanitizers, as for the vfork engine): the sanitizer never
 *    sees the slot's stack, and the parent's writes to a free slot are
 *    plain writes to mapped memory.
 * A child stopped before its exec (SIGSTOP) keeps its slot; with all 32
 * taken, a spawn waits for the oldest, as the vfork engine waits for it.
 *
 * A job whose plan does not fit a slot, or on a kernel without clone3 and
 * CLONE_CLEAR_SIGHAND (Linux 5.5; or a seccomp profile that refuses
 * clone3), goes to the vfork engine. A USPAWN_NO_REAP job's caller waits
 * for the child itself: its EXIT must say at once whether the child
 * exec'd, so the batch waits for those slots before it returns (after
 * all its clones).
 */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "engine/clone.h"
#include "engine/engine.h"
#include "engine/plan.h"

#ifndef CLONE_CHILD_CLEARTID
#define CLONE_CHILD_CLEARTID 0x00200000
#endif
#ifndef CLONE_SETTLS
#define CLONE_SETTLS 0x00080000
#endif

/*
 * A slot: a guard page, this head and the packed plan above it, the
 * stack at the top growing down towards them. Slots are made as needed,
 * up to POOL_SLOTS; then a spawn waits for the oldest to be left.
 */
#define SLOT_SIZE  (256 * 1024)
#define POOL_SLOTS 32

struct slot {
	/* CLONE_CHILD_CLEARTID: not 0 from before the clone until the child exec'd or exited */
	volatile int tid;
	int caps[2];     /* the job's capture fds at the clone (plan_action_index) */
	struct job *job; /* whose verdict this is; NULL once taken (settle) */
	/* the child's thread pointer: x86_64's TCB starts with a pointer to itself */
	void *tls[8];
	struct child_plan *plan; /* in data[] */
	_Alignas(16) char data[];
};

/* 1: clone3 with CLONE_CLEAR_SIGHAND works; -1: it does not (all to vfork); 0: not tried */
static int clone3_state;

/* read once: no sysconf per spawn (issue 17), and after the first call a
 * read only, so a fork of the caller leaves it shared, not copied on write */
static size_t page_size(void)
{
	static size_t size;

	if (!size)
		size = (size_t)sysconf(_SC_PAGESIZE);
	return size;
}

static struct slot *slot_at(struct uspawn *u, unsigned i)
{
	return (struct slot *)(u->pool + (size_t)i * SLOT_SIZE + page_size());
}

static int slot_busy(const struct slot *s)
{
	return __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE) != 0;
}

/* The address space of the whole pool, reserved once; slots are opened in it as needed. */
static int pool_reserve(struct uspawn *u)
{
	size_t size = (size_t)POOL_SLOTS * SLOT_SIZE;
	char *m = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (m == MAP_FAILED)
		return -ENOMEM;
	if (madvise(m, size, MADV_WIPEONFORK)) {
		munmap(m, size);
		return -ENOSYS;
	}
	u->pool = m;
	u->pool_slots = 0;
	return 0;
}

static int slot_open(struct uspawn *u)
{
	char *base = u->pool + (size_t)u->pool_slots * SLOT_SIZE;

	/* the page below stays PROT_NONE: a stack that overran its plan faults there */
	if (mprotect(base + page_size(), SLOT_SIZE - page_size(), PROT_READ | PROT_WRITE))
		return -ENOMEM;
	/* mprotect split the mapping: each part keeps MADV_WIPEONFORK */
	return (int)u->pool_slots++;
}

/* The verdict of a slot whose child has left: into its job, and the slot is free. */
static void slot_take(struct slot *s)
{
	struct job *job = s->job;

	if (!job)
		return;
	const struct child_plan *p = s->plan;
	if (p->err) {
		unsigned idx = p->stage == USPAWN_STAGE_ACTION
				       ? plan_action_index(p, s->caps, p->stage_index)
				       : 0;
		job_exec_failed(job, (enum uspawn_stage)p->stage, idx, p->err);
	}
	job->engine_hold = NULL;
	s->job = NULL;
}

/* Until the child of s has exec'd or exited (its tid word is 0). */
static void slot_wait(struct slot *s)
{
	int v;

	while ((v = __atomic_load_n(&s->tid, __ATOMIC_ACQUIRE)) != 0) {
		/* the kernel wakes a shared futex: not FUTEX_PRIVATE_FLAG */
		struct timespec ts = {0, 50 * 1000 * 1000};
		syscall(SYS_futex, &s->tid, FUTEX_WAIT, v, &ts, NULL, 0);
	}
}

/* A free slot: a left one (its verdict taken), a new one, or the oldest once it is left. */
static struct slot *slot_get(struct uspawn *u)
{
	if (!u->pool && pool_reserve(u) < 0)
		return NULL;
	for (unsigned k = 0; k < u->pool_slots; k++) {
		unsigned i = (u->pool_next + k) % u->pool_slots;
		struct slot *s = slot_at(u, i);
		if (slot_busy(s))
			continue;
		slot_take(s);
		u->pool_next = i + 1;
		return s;
	}
	if (u->pool_slots < POOL_SLOTS) {
		int i = slot_open(u);
		return i < 0 ? NULL : slot_at(u, (unsigned)i);
	}
	struct slot *s = slot_at(u, u->pool_next % u->pool_slots);
	slot_wait(s);
	slot_take(s);
	u->pool_next++;
	return s;
}

static long do_clone(struct slot *s, struct child_plan *plan, size_t used, int *pidfd)
{
	char *top = (char *)s - page_size() + SLOT_SIZE;
	uint64_t size = (uint64_t)(top - (s->data + used)) & ~(uint64_t)15;
	uint64_t flags = CLONE_VM | CLONE_CLEAR_SIGHAND | CLONE_CHILD_CLEARTID | CLONE_SETTLS;
	struct clone3_args a = {
		.flags = flags | (pidfd ? CLONE_PIDFD : 0),
		.pidfd = (uint64_t)(uintptr_t)pidfd,
		.child_tid = (uint64_t)(uintptr_t)&s->tid,
		.exit_signal = SIGCHLD,
		.stack = (uint64_t)(uintptr_t)(top - size),
		.stack_size = size,
		.tls = (uint64_t)(uintptr_t)s->tls,
	};
	long pid;

	s->tls[0] = s->tls;
	s->tid = -1;
	pid = uspawn_clone_call(SYS_clone3, (long)&a, sizeof a, 0, child_run, plan);
	if ((pid == -EMFILE || pid == -ENFILE) && pidfd) {
		a.flags &= ~(uint64_t)CLONE_PIDFD;
		pid = uspawn_clone_call(SYS_clone3, (long)&a, sizeof a, 0, child_run, plan);
	}
	if (pid < 0)
		s->tid = 0; /* no child: the slot is ours again */
	return pid;
}

/* What the child's stack needs below the plan: child.c's frames and exec_one's argv */
static size_t stack_need(const struct uspawn_cmd *cmd)
{
	size_t argc = 0;

	while (cmd->argv[argc])
		argc++;
	return 16 * 1024 + (argc + 2) * sizeof(char *);
}

static void spawn_one(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
		      const sigset_t *parent_mask)
{
	if (__atomic_load_n(&clone3_state, __ATOMIC_RELAXED) < 0) {
		vfork_spawn_job(u, job, cmd, parent_mask);
		return;
	}
	struct child_fa fa[cmd->n_actions + 2];
	struct child_plan plan;
	int child_fds[2];
	int r = plan_build(u, job, cmd, &plan, fa, child_fds);

	if (r < 0) {
		job_failed(&u->events, job, USPAWN_STAGE_SETUP, 0, -r);
		return;
	}
	plan_mask(&plan, cmd, parent_mask);
	plan.clear_handlers = 0; /* CLONE_CLEAR_SIGHAND */
	struct slot *s = slot_get(u);
	size_t room = SLOT_SIZE - page_size() - sizeof *s, used = 0, need = stack_need(cmd);
	struct child_plan *p =
		s && room > need ? plan_pack(&plan, s->data, room - need, &used) : NULL;
	if (!p) {
		/* too big for a slot (or no pool): the vfork engine's stack grows to it */
		job_capture_close_child(child_fds);
		job_capture_close(job);
		vfork_spawn_job(u, job, cmd, parent_mask);
		return;
	}
	s->plan = p;
	s->caps[0] = child_fds[0];
	s->caps[1] = child_fds[1];
	s->job = job;
	long pid = do_clone(s, p, used, u->take_pidfds && !job->no_reap ? &job->pidfd : NULL);
	/* the child has its own fd table (no CLONE_FILES): our copies may go now */
	job_capture_close_child(child_fds);
	if (pid == -ENOSYS || pid == -EINVAL) {
		/* no clone3 or no CLONE_CLEAR_SIGHAND here: the vfork engine from now on */
		__atomic_store_n(&clone3_state, -1, __ATOMIC_RELAXED);
		s->job = NULL;
		job_capture_close(job);
		vfork_spawn_job(u, job, cmd, parent_mask);
		return;
	}
	if (pid < 0) {
		s->job = NULL;
		job_failed(&u->events, job, USPAWN_STAGE_SPAWN, 0, (int)-pid);
		return;
	}
	job->engine_hold = s;
	if (job->no_reap) {
		/* job_started comes after the batch's clones */
		job->pid = (pid_t)pid;
		job->wait = JOB_WAIT_EXEC;
		return;
	}
	job_started(u, job, (pid_t)pid);
}

static void nowait_settle(struct uspawn *u, struct job *job)
{
	struct slot *s = job->engine_hold;

	(void)u;
	/* in a fork of the caller's the slot was wiped: not this job's any more */
	if (s->job == job) {
		slot_wait(s);
		slot_take(s);
	}
	job->engine_hold = NULL;
}

static void nowait_spawn(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds,
			 unsigned n)
{
	u->take_pidfds = clone_sigchld_not_ours();
	/* all signals blocked around the batch: every child starts with none to take */
	plan_spawn(u, jobs, cmds, n, spawn_one, 1);
	/* USPAWN_NO_REAP: the EXIT goes out now, so it waits for the exec (all clones first) */
	for (unsigned i = 0; i < n; i++) {
		struct job *job = jobs[i];
		if (!(job->wait & JOB_WAIT_EXEC))
			continue;
		job->wait = 0;
		if (job->engine_hold) /* else a later spawn of the batch found its slot left */
			nowait_settle(u, job);
		job_started(u, job, job->pid);
	}
}

static void nowait_fini(struct uspawn *u)
{
	if (!u->pool)
		return;
	/* a job the caller never waited for (USPAWN_NO_REAP) may still be before its exec */
	for (unsigned i = 0; i < u->pool_slots; i++)
		slot_wait(slot_at(u, i));
	munmap(u->pool, (size_t)POOL_SLOTS * SLOT_SIZE);
	u->pool = NULL;
	engine_vfork.fini(u); /* jobs too big for a slot went through it */
}

static int nowait_probe(void)
{
#if defined(__x86_64__)
	/* the pool's safety in a fork of the caller's rests on MADV_WIPEONFORK (Linux 4.14) */
	static int state; /* 1 ok, -1 not */
	int st = __atomic_load_n(&state, __ATOMIC_RELAXED);
	if (!st) {
		size_t pg = page_size();
		char *m =
			mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		st = m != MAP_FAILED && madvise(m, pg, MADV_WIPEONFORK) == 0 ? 1 : -1;
		if (m != MAP_FAILED)
			munmap(m, pg);
		__atomic_store_n(&state, st, __ATOMIC_RELAXED);
	}
	return st > 0 ? 0 : -ENOSYS;
#else
	return -ENOSYS; /* uspawn_clone_call is x86_64's only */
#endif
}

const struct uspawn_engine engine_nowait = {
	.name = "nowait",
	.probe = nowait_probe,
	.fini = nowait_fini,
	.spawn = nowait_spawn,
	.settle = nowait_settle,
};
