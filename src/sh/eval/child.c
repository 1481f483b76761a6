/* SPDX-License-Identifier: MIT */
/*
 * Child processes: subshells, pipelines and background jobs as dash runs
 * them (a forked copy of the shell per member), except that a pipeline
 * member that is plainly an external command is spawned through
 * libuspawn instead of forking the whole shell. Each is a job of
 * jobs.c's table.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "eval/jobs.h"

struct uspawn *jobs_spawner(struct shell *sh)
{
	/* every spawn is (a member of) a foreground job */
	jobs_reap_due();
	jobs_foreground(sh);
	if (!sh->u) {
		/*
		 * Lazy: no ring is set up (~0.2 ms here, more than the spawn
		 * it would serve). Commands, pipeline members and $(cmd)
		 * captures are spawned as USPAWN_NO_REAP jobs and waited for
		 * with waitpid, so uring-sh runs where io_uring is refused.
		 * Should anything ever set the ring up: a small one (every
		 * page costs a fault), its fd clear of the 0-9 redirections
		 * name.
		 */
		struct uspawn_opts o = {.ring_entries = 8,
					.registered_files = 1,
					.flags = USPAWN_OPEN_LAZY_RING,
					.min_fd = 10};
		sh->u = uspawn_open(&o);
		if (!sh->u)
			shell_fail(sh, 2, "Cannot fork", NULL, NULL);
	}
	return sh->u;
}

static pid_t fork_raw(struct shell *sh)
{
	pid_t pid = fork();

	if (pid < 0)
		shell_fail(sh, 2, "Cannot fork", NULL, NULL);
	if (pid == 0) {
		sh->subshell++;
		sh->u = NULL; /* the parent's ring stays the parent's */
		ev.exit_catch = NULL;
		ev.error_catch =
			NULL; /* a subshell's error ends it: its status is the parent's to see */
		jobs_clear();
		trap_child_reset(sh);
	}
	return pid;
}

/* a foreground subshell, $(...) or pipeline member */
pid_t fork_sub(struct shell *sh)
{
	jobs_reap_due();
	jobs_foreground(sh);
	return fork_raw(sh);
}

int wait_child(struct shell *sh, pid_t pid)
{
	int ws;

	(void)sh;
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return 127;
	/* dash's wait for a foreground job reaps every child that has ended */
	jobs_reap();
	return status_of(ws);
}

void eval_in_child(struct shell *sh, struct node *n)
{
	/* loops and functions stay as the fork found them: (continue) in a loop ends the subshell, as in dash */
	ev.skip = SKIP_NONE;
	if (n && n->type == N_SIMPLE)
		ev.exec_node = n;
	eval_node(sh, n);
	shell_exit(sh, sh->status);
}

int eval_subshell(struct shell *sh, struct node *n)
{
	sh->lineno = n->lineno;
	pid_t pid = fork_sub(sh);

	if (pid == 0) {
		if (redirect_apply(sh, n->redirs, NULL) < 0)
			shell_exit(sh, 2);
		eval_in_child(sh, n->u.sub.body);
	}
	return wait_child(sh, pid);
}

/* no job control: a background job ignores INT and QUIT; its first process reads nothing */
static void bg_child(struct shell *sh, int devnull)
{
	if (!trap_set(SIGINT))
		trap_ignore(SIGINT);
	if (!trap_set(SIGQUIT))
		trap_ignore(SIGQUIT);
	if (devnull) {
		close(0);
		if (open("/dev/null", O_RDONLY) > 0)
			shell_exit(sh, 2);
	}
}

/*
 * drop[3]: fds of the shell's the member must not hold (-1: none);
 * bg: it is a member of a background pipeline
 */
static void member_fork(struct shell *sh, struct member *m, struct node *c, int in, int out,
			const int drop[3], int bg)
{
	pid_t pid = fork_raw(sh);

	if (pid == 0) {
		if (bg)
			bg_child(sh, in < 0);
		for (int i = 0; i < 3; i++)
			if (drop[i] >= 0 && drop[i] != out)
				close(drop[i]);
		if (in >= 0) {
			dup2(in, 0);
			close(in);
		}
		if (out >= 0) {
			dup2(out, 1);
			close(out);
		}
		eval_in_child(sh, c);
	}
	m->pid = pid;
}

/* forked members first, then the spawned ones, whose exec errors print */
static void members_wait(struct shell *sh, struct member *m, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (m[i].pid > 0 && !m[i].spawned)
			m[i].status = wait_child(sh, m[i].pid);
	for (unsigned i = 0; i < n; i++)
		if (m[i].spawned)
			m[i].status = simple_job_status(sh, &m[i]);
}

/*
 * Start every member of pipeline n, the last one writing to out (-1: the
 * shell's stdout), and none holding out or capture (the read end of a
 * $(...) pipe) otherwise: a member that lingers, or its background child,
 * must not keep the capture open. Returns the members, for pipe_wait().
 */
static struct member *pipe_members(struct shell *sh, struct node *n, int out, int capture, int bg)
{
	unsigned cnt = n->u.pipe.n;
	struct member *m = calloc(cnt, sizeof *m);
	int prev = -1;

	if (!m)
		eval_oom(sh);
	for (unsigned i = 0; i < cnt; i++) {
		struct node *c = n->u.pipe.cmds[i];
		int p[2] = {-1, out};
		if (i + 1 < cnt && pipe2(p, O_CLOEXEC) < 0)
			shell_fail(sh, 2, "Pipe call failed", NULL, NULL);
		/* dash's prehash, in the shell (a capture's pipeline is dash's child's) */
		if (capture < 0)
			cmdtable_prehash(sh, c);
		/* a background member is forked: it must ignore INT and QUIT */
		if (bg || !simple_spawn(sh, c, prev, p[1], &m[i]))
			member_fork(sh, &m[i], c, prev, p[1], (int[3]){p[0], out, capture}, bg);
		if (prev >= 0)
			close(prev);
		if (p[1] >= 0 && p[1] != out)
			close(p[1]);
		prev = p[0];
	}
	return m;
}

struct member *pipe_start(struct shell *sh, struct node *n, int out, int capture)
{
	jobs_reap_due();
	jobs_foreground(sh);
	jobs_pipe(1);
	struct member *m = pipe_members(sh, n, out, capture, 0);
	jobs_pipe(-1);
	return m;
}

/*
 * A background pipeline is one job of its members, as in dash: $! is the
 * last one, `jobs -p` shows the first, and it is done when all are.
 */
static void bg_pipe(struct shell *sh, struct node *n)
{
	struct job *j = jobs_new(sh, n->u.pipe.n);
	struct member *m = pipe_members(sh, n, -1, -1, 1);

	for (unsigned i = 0; i < n->u.pipe.n; i++)
		jobs_add_proc(j, m[i].pid);
	sh->lastbg = m[n->u.pipe.n - 1].pid;
	free(m);
}

int eval_background(struct shell *sh, struct node *n)
{
	jobs_reap_due();
	if (n->u.sub.body && n->u.sub.body->type == N_PIPE) {
		bg_pipe(sh, n->u.sub.body);
		return 0;
	}
	struct job *j = jobs_new(sh, 1);
	pid_t pid = fork_raw(sh);

	if (pid == 0) {
		bg_child(sh, 1);
		eval_in_child(sh, n->u.sub.body);
	}
	jobs_add_proc(j, pid);
	sh->lastbg = pid;
	return 0;
}

/* The status of the pipeline pipe_start() started: its last member's. */
int pipe_wait(struct shell *sh, struct node *n, struct member *m)
{
	unsigned cnt = n->u.pipe.n;

	members_wait(sh, m, cnt);
	int status = m[cnt - 1].status;
	free(m);
	return status;
}

int eval_pipe(struct shell *sh, struct node *n)
{
	return pipe_wait(sh, n, pipe_start(sh, n, -1, -1));
}
