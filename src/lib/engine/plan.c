/* SPDX-License-Identifier: MIT */
/* Turn a uspawn_cmd into a child_plan: everything the child needs, resolved. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "engine/plan.h"
#include "engine/sys.h"

extern char **environ;

/* The PATH to search for file, as execvp does, or NULL when there is no search. */
const char *plan_search_path(const struct uspawn_cmd *cmd, const char *file)
{
	if (!(cmd->flags & USPAWN_PATH_SEARCH) || strchr(file, '/'))
		return NULL;
	const char *p = getenv("PATH");
	return p ? p : "/bin:/usr/bin"; /* confstr(_CS_PATH) */
}

/*
 * fa must have room for cmd->n_actions + 2 entries. On success the plan is
 * ready and child_fds holds the capture pipes' write ends, which the caller
 * closes once the child has them (plan_done).
 */
int plan_build(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
	       struct child_plan *plan, struct child_fa *fa, int child_fds[2])
{
	int r = job_capture_open(job, cmd, child_fds);
	unsigned n = 0;

	if (r < 0)
		return r;
	/* captures first, so that the cmd's own actions may redirect around them */
	for (int s = 0; s < 2; s++)
		if (child_fds[s] >= 0)
			fa[n++] = (struct child_fa){
				.op = USPAWN_FA_DUP2, .fd = s + 1, .src = child_fds[s]};
	for (unsigned i = 0; i < cmd->n_actions; i++) {
		const struct uspawn_fa *a = &cmd->actions[i];
		fa[n] = (struct child_fa){a->op, a->fd, a->src, a->path, a->oflag, a->mode};
		if (a->op == USPAWN_FA_INSTALL)
			fa[n].src = u->reg_fds[a->src];
		n++;
	}
	plan->file = cmd->path ? cmd->path : cmd->argv[0];
	plan->argv = cmd->argv;
	plan->envp = cmd->envp ? cmd->envp : environ;
	plan->path_env = plan_search_path(cmd, plan->file);
	plan->cwd = cmd->cwd;
	plan->fa = fa;
	plan->n_fa = n;
	plan->flags = cmd->flags;
	plan->pgroup = cmd->pgroup;
	plan->clear_handlers = 1;
	plan->sigdefault = cmd->sigdefault;
	plan->err_fd = -1;
	plan->err = 0;
	plan->stage = 0;
	plan->stage_index = 0;
	return 0;
}

/* Bump allocation in plan_pack's buffer; a failed take leaves it full. */
struct arena {
	char *p, *end;
};

static void *arena_take(struct arena *a, size_t n, size_t align)
{
	uintptr_t at = ((uintptr_t)a->p + align - 1) & ~(uintptr_t)(align - 1);

	if (at > (uintptr_t)a->end || (uintptr_t)a->end - at < n) {
		a->p = a->end;
		return NULL;
	}
	a->p = (char *)at + n;
	return (void *)at;
}

static const char *arena_str(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s) + 1;
	char *d = arena_take(a, n, 1);
	return d ? memcpy(d, s, n) : NULL;
}

static char *const *arena_vec(struct arena *a, char *const *v)
{
	size_t n = 0;

	while (v[n])
		n++;
	char **d = arena_take(a, (n + 1) * sizeof *d, sizeof *d);
	if (!d)
		return NULL;
	for (size_t i = 0; i < n; i++)
		d[i] = (char *)arena_str(a, v[i]);
	d[n] = NULL;
	return d;
}

struct child_plan *plan_pack(const struct child_plan *plan, void *buf, size_t size, size_t *used)
{
	struct arena a = {buf, (char *)buf + size};
	struct child_plan *p = arena_take(&a, sizeof *p, _Alignof(struct child_plan));
	struct child_fa *fa =
		arena_take(&a, plan->n_fa * sizeof *fa + 1, _Alignof(struct child_fa));

	if (!p || !fa)
		return NULL;
	*p = *plan;
	for (unsigned i = 0; i < plan->n_fa; i++) {
		fa[i] = plan->fa[i];
		fa[i].path = arena_str(&a, plan->fa[i].path);
	}
	p->fa = fa;
	p->file = arena_str(&a, plan->file);
	p->argv = arena_vec(&a, plan->argv);
	p->envp = arena_vec(&a, plan->envp);
	p->path_env = arena_str(&a, plan->path_env);
	p->cwd = arena_str(&a, plan->cwd);
	if (a.p == a.end) /* something did not fit (or filled it exactly: no matter) */
		return NULL;
	*used = (size_t)(a.p - (char *)buf);
	return p;
}

/* The cmd's file-action index of a failure (captures are not the caller's). */
unsigned plan_action_index(const struct child_plan *plan, const int child_fds[2], unsigned i)
{
	unsigned caps = (child_fds[0] >= 0) + (child_fds[1] >= 0);

	(void)plan;
	return i >= caps ? i - caps : 0;
}

void plan_spawn(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds, unsigned n,
		plan_spawn_fn fn, int block)
{
	unsigned long all = ~0ul; /* the kernel's mask: 64 signals, 8 bytes (see below) */
	sigset_t old;

	if (!block) {
		for (unsigned i = 0; i < n; i++)
			fn(u, jobs[i], &cmds[i], NULL);
		return;
	}
	/*
	 * Every signal, libc's own (32 and 33: thread cancellation, setxid)
	 * too, which pthread_sigmask leaves out: a child made now starts with
	 * none it can take before its exec. libc's posix_spawn does the same
	 * (its signals are sent to our threads, never to the child, and wait
	 * at most for the batch).
	 */
	/* all ones, not sigfillset, which leaves libc's out too */
	sigemptyset(&old);
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, &old, 8);
	for (unsigned i = 0; i < n; i++)
		fn(u, jobs[i], &cmds[i], &old);
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, &old, NULL, 8);
}

void plan_mask(struct child_plan *plan, const struct uspawn_cmd *cmd, const sigset_t *parent_mask)
{
	plan->set_mask = (cmd->flags & USPAWN_SIGMASK) || parent_mask;
	if (cmd->flags & USPAWN_SIGMASK)
		plan->mask = cmd->sigmask;
	else if (parent_mask)
		plan->mask = *parent_mask;
}
