/* SPDX-License-Identifier: MIT */
/*
 * The stock-kernel engine: clone(CLONE_VM|CLONE_VFORK) on a private stack.
 *
 * Like glibc's and musl's posix_spawn, but with the error of every step
 * (chdir, each file action, exec) handed back through shared memory, and
 * the reaping done by the ring. Rules the child lives by:
 *  - all signals are blocked from before clone until the child sets the
 *    job's mask right before exec, so no parent handler runs in the child;
 *  - caught handlers are reset (CLONE_CLEAR_SIGHAND, else a loop);
 *  - it runs on its own stack and never returns into parent code;
 *  - raw syscalls only (child.c).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "engine/clone.h"
#include "engine/engine.h"
#include "engine/plan.h"
#include "engine/sys.h"

/* 1: clone3 with CLONE_CLEAR_SIGHAND works; -1: it does not; 0: not tried */
static int clone3_state;

#define STACK_MIN (64 * 1024)

static void stack_free(struct uspawn *u)
{
	if (u->stack)
		munmap(u->stack - u->stack_guard, u->stack_size + u->stack_guard);
	u->stack = NULL;
}

static int stack_reserve(struct uspawn *u, size_t need)
{
	size_t size = STACK_MIN;

	while (size < need)
		size *= 2;
	if (u->stack && u->stack_size >= size)
		return 0;
	stack_free(u);
	size_t guard = (size_t)sysconf(_SC_PAGESIZE);
	char *m = mmap(NULL, size + guard, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (m == MAP_FAILED)
		return -ENOMEM;
	mprotect(m, guard, PROT_NONE); /* guard page below the stack */
	/*
	 * A fork of the caller's gets none of it: our pages then stay
	 * writable, and the next child, which runs on them in our memory,
	 * takes no copy-on-write fault (Linux 4.14; else it costs a fault).
	 */
	madvise(m + guard, size, MADV_WIPEONFORK);
	u->stack = m + guard;
	u->stack_size = size;
	u->stack_guard = guard;
	return 0;
}

/*
 * pidfd (NULL: none wanted) receives a pidfd of the child, by which
 * reap.c still has its status when someone else reaped it; a table
 * without room for it is no reason to fail the job.
 */
static long do_clone(struct uspawn *u, struct child_plan *plan, int *pidfd)
{
	void *top = u->stack + u->stack_size;
	uint64_t want_pidfd = pidfd ? CLONE_PIDFD : 0;
	int state = __atomic_load_n(&clone3_state, __ATOMIC_RELAXED);
	long pid;

	if (state >= 0) {
		struct clone3_args a = {
			.flags = CLONE_VM | CLONE_VFORK | CLONE_CLEAR_SIGHAND | want_pidfd,
			.pidfd = (uint64_t)(uintptr_t)pidfd,
			.exit_signal = SIGCHLD,
			.stack = (uint64_t)(uintptr_t)u->stack,
			.stack_size = u->stack_size,
		};
		plan->clear_handlers = 0;
		pid = uspawn_clone_call(SYS_clone3, (long)&a, sizeof a, 0, child_run, plan);
		if ((pid == -EMFILE || pid == -ENFILE) && want_pidfd) {
			a.flags &= ~(uint64_t)CLONE_PIDFD;
			pid = uspawn_clone_call(SYS_clone3, (long)&a, sizeof a, 0, child_run, plan);
		}
		if (pid != -ENOSYS && pid != -EINVAL) {
			/* stored once: a store per spawn faults after every fork of the caller */
			if (!state)
				__atomic_store_n(&clone3_state, 1, __ATOMIC_RELAXED);
			return pid;
		}
		__atomic_store_n(&clone3_state, -1, __ATOMIC_RELAXED);
	}
	plan->clear_handlers = 1;
	/* clone() writes the pidfd where its parent_tid argument points */
	pid = uspawn_clone_call(SYS_clone, CLONE_VM | CLONE_VFORK | want_pidfd | SIGCHLD, (long)top,
				(long)pidfd, child_run, plan);
	if ((pid == -EMFILE || pid == -ENFILE) && want_pidfd)
		pid = uspawn_clone_call(SYS_clone, CLONE_VM | CLONE_VFORK | SIGCHLD, (long)top, 0,
					child_run, plan);
	return pid;
}

void vfork_spawn_job(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
		     const sigset_t *parent_mask)
{
	struct child_fa fa[cmd->n_actions + 2];
	struct child_plan plan;
	int child_fds[2];
	size_t argc = 0;
	int r;

	while (cmd->argv[argc])
		argc++;
	if ((r = stack_reserve(u, 16 * 1024 + (argc + 2) * sizeof(char *))) < 0 ||
	    (r = plan_build(u, job, cmd, &plan, fa, child_fds)) < 0) {
		job_failed(&u->events, job, USPAWN_STAGE_SETUP, 0, -r);
		return;
	}
	plan_mask(&plan, cmd, parent_mask);
	long pid = do_clone(u, &plan, u->take_pidfds && !job->no_reap ? &job->pidfd : NULL);
	int caps[2] = {child_fds[0], child_fds[1]};
	job_capture_close_child(child_fds);
	if (pid < 0) {
		job_failed(&u->events, job, USPAWN_STAGE_SPAWN, 0, (int)-pid);
		return;
	}
	/* CLONE_VFORK: the child has exec'd or exited, its verdict is in plan */
	if (plan.err) {
		unsigned idx = plan.stage == USPAWN_STAGE_ACTION
				       ? plan_action_index(&plan, caps, plan.stage_index)
				       : 0;
		job_exec_failed(job, (enum uspawn_stage)plan.stage, idx, plan.err);
	}
	job_started(u, job, (pid_t)pid);
}

int clone_sigchld_not_ours(void)
{
	/*
	 * The kernel's sigaction (32 bytes), not libc's (152, and as much
	 * again inside sigaction()): the spawn's frames stay shallow, as
	 * after a fork of the caller's each stack page they reach costs a
	 * copy-on-write fault.
	 */
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		unsigned long mask;
	} sa;

	return sys4(SYS_rt_sigaction, SIGCHLD, NULL, &sa, sizeof sa.mask) == 0 &&
	       (sa.handler != (void *)SIG_DFL || (sa.flags & SA_NOCLDWAIT));
}

static void vfork_spawn(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds,
			unsigned n)
{
	u->take_pidfds = clone_sigchld_not_ours();
	/*
	 * Once clone3 is known to work, its CLONE_CLEAR_SIGHAND resets the
	 * child's handlers as it is made: none of ours can run in it, and a
	 * signal before its exec does what it would do after (the default).
	 * The signals need no blocking then, and the child keeps our mask:
	 * three rt_sigprocmask calls fewer per batch and job. Not when a job
	 * sets a mask of its own: a signal it blocks would take the default
	 * action before its exec, where after it stays pending.
	 */
	int block = __atomic_load_n(&clone3_state, __ATOMIC_RELAXED) <= 0;
	for (unsigned i = 0; i < n && !block; i++)
		block = !!(cmds[i].flags & USPAWN_SIGMASK);
	plan_spawn(u, jobs, cmds, n, vfork_spawn_job, block);
}

static void vfork_fini(struct uspawn *u)
{
	stack_free(u);
}

static int vfork_probe(void)
{
	return 0;
}

const struct uspawn_engine engine_vfork = {
	.name = "vfork",
	.probe = vfork_probe,
	.fini = vfork_fini,
	.spawn = vfork_spawn,
};
