/* SPDX-License-Identifier: MIT */
/*
 * Reference engine: fork(2), then the same child steps as the vfork engine.
 * The child's memory is a copy, so its verdict comes back through a
 * close-on-exec pipe: EOF means exec succeeded.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/plan.h"

static void spawn_one(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
		      const sigset_t *parent_mask)
{
	struct child_fa fa[cmd->n_actions + 2];
	struct child_plan plan;
	int child_fds[2], errpipe[2];
	int r = plan_build(u, job, cmd, &plan, fa, child_fds);

	if (r < 0) {
		job_failed(&u->events, job, USPAWN_STAGE_SETUP, 0, -r);
		return;
	}
	if (pipe2(errpipe, O_CLOEXEC)) {
		job_capture_close_child(child_fds);
		job_failed(&u->events, job, USPAWN_STAGE_SETUP, 0, errno);
		return;
	}
	plan_mask(&plan, cmd, parent_mask);
	plan.err_fd = errpipe[1];
	pid_t pid = fork();
	if (pid == 0)
		_exit(child_run(&plan));
	int caps[2] = {child_fds[0], child_fds[1]};
	job_capture_close_child(child_fds);
	close(errpipe[1]);
	if (pid < 0) {
		close(errpipe[0]);
		job_failed(&u->events, job, USPAWN_STAGE_SPAWN, 0, errno);
		return;
	}
	int msg[3];
	ssize_t got;
	while ((got = read(errpipe[0], msg, sizeof msg)) < 0 && errno == EINTR)
		;
	close(errpipe[0]);
	if (got == (ssize_t)sizeof msg) {
		unsigned idx = msg[1] == USPAWN_STAGE_ACTION
				       ? plan_action_index(&plan, caps, (unsigned)msg[2])
				       : 0;
		job_exec_failed(job, (enum uspawn_stage)msg[1], idx, msg[0]);
	}
	job_started(u, job, pid);
}

static void fork_spawn(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds,
		       unsigned n)
{
	/* the child has the parent's handlers until child_run resets them */
	plan_spawn(u, jobs, cmds, n, spawn_one, 1);
}

static int fork_probe(void)
{
	return 0;
}

const struct uspawn_engine engine_fork = {
	.name = "fork",
	.probe = fork_probe,
	.spawn = fork_spawn,
};
