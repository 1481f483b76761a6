/* SPDX-License-Identifier: MIT */
/*
 * Reference engine: glibc's posix_spawn(3). It reports exec errors as its
 * return value (and reaps the failed child itself), but not which step
 * failed, so every failure is reported at STAGE_EXEC.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"

extern char **environ;

static int add_actions(struct uspawn *u, posix_spawn_file_actions_t *fa,
		       const struct uspawn_cmd *cmd, const int child_fds[2])
{
	int r = 0;

	for (int s = 0; s < 2 && !r; s++)
		if (child_fds[s] >= 0)
			r = posix_spawn_file_actions_adddup2(fa, child_fds[s], s + 1);
	if (cmd->cwd && !r)
		r = posix_spawn_file_actions_addchdir_np(fa, cmd->cwd);
	for (unsigned i = 0; i < cmd->n_actions && !r; i++) {
		const struct uspawn_fa *a = &cmd->actions[i];
		switch (a->op) {
		case USPAWN_FA_OPEN:
			r = posix_spawn_file_actions_addopen(fa, a->fd, a->path, a->oflag, a->mode);
			break;
		case USPAWN_FA_DUP2:
			r = posix_spawn_file_actions_adddup2(fa, a->src, a->fd);
			break;
		case USPAWN_FA_CLOSE:
			r = posix_spawn_file_actions_addclose(fa, a->fd);
			break;
		case USPAWN_FA_INSTALL:
			r = posix_spawn_file_actions_adddup2(fa, u->reg_fds[a->src], a->fd);
			break;
		}
	}
	return r;
}

static int set_attrs(posix_spawnattr_t *at, const struct uspawn_cmd *cmd)
{
	short flags = 0;

	if (cmd->flags & USPAWN_SETPGROUP) {
		flags |= POSIX_SPAWN_SETPGROUP;
		posix_spawnattr_setpgroup(at, cmd->pgroup);
	}
	if (cmd->flags & USPAWN_SETSID)
		flags |= POSIX_SPAWN_SETSID;
	if (cmd->flags & USPAWN_SIGMASK) {
		flags |= POSIX_SPAWN_SETSIGMASK;
		posix_spawnattr_setsigmask(at, &cmd->sigmask);
	}
	if (cmd->flags & USPAWN_SIGDEFAULT) {
		flags |= POSIX_SPAWN_SETSIGDEF;
		posix_spawnattr_setsigdefault(at, &cmd->sigdefault);
	}
	return posix_spawnattr_setflags(at, flags);
}

static int run_spawn(pid_t *pid, const struct uspawn_cmd *cmd, posix_spawn_file_actions_t *fa,
		     posix_spawnattr_t *at)
{
	const char *file = cmd->path ? cmd->path : cmd->argv[0];
	char *const *envp = cmd->envp ? cmd->envp : environ;
	int r = (cmd->flags & USPAWN_PATH_SEARCH) ? posix_spawnp(pid, file, fa, at, cmd->argv, envp)
						  : posix_spawn(pid, file, fa, at, cmd->argv, envp);

	if (r != ENOEXEC || (cmd->flags & USPAWN_NO_SH_FALLBACK))
		return r;
	/* a script without #!: what execvp does */
	size_t argc = 0;
	while (cmd->argv[argc])
		argc++;
	char **av = malloc((argc + 2) * sizeof *av);
	if (!av)
		return ENOMEM;
	av[0] = "/bin/sh";
	av[1] = (char *)file;
	memcpy(av + 2, cmd->argv + 1, argc * sizeof *av);
	r = posix_spawn(pid, "/bin/sh", fa, at, av, envp);
	free(av);
	return r ? r : 0;
}

static void spawn_one(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int child_fds[2];
	pid_t pid = 0;
	int r = job_capture_open(job, cmd, child_fds);

	if (r < 0) {
		job_failed(&u->events, job, USPAWN_STAGE_SETUP, 0, -r);
		return;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	r = add_actions(u, &fa, cmd, child_fds);
	if (!r)
		r = set_attrs(&at, cmd);
	if (!r)
		r = run_spawn(&pid, cmd, &fa, &at);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	job_capture_close_child(child_fds);
	if (r)
		job_failed(&u->events, job, r == EAGAIN ? USPAWN_STAGE_SPAWN : USPAWN_STAGE_EXEC, 0,
			   r);
	else
		job_started(u, job, pid);
}

static void posix_spawn_batch(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds,
			      unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		spawn_one(u, jobs[i], &cmds[i]);
}

static int posix_probe(void)
{
	return 0;
}

const struct uspawn_engine engine_posix = {
	.name = "posix",
	.probe = posix_probe,
	.spawn = posix_spawn_batch,
};
