/* SPDX-License-Identifier: MIT */
/*
 * $(...) and `...`: the command runs in a forked subshell writing to a
 * pipe; its output, without the trailing newlines, is the value. Its
 * status becomes the command's $? only when nothing else sets it (an
 * assignment alone), as dash's back_exitstatus.
 *
 * When the command is plainly one external command, it is spawned instead
 * of the subshell (the subshell would only exec it) and reaped with
 * waitpid: no fork of the shell, no ring (setting one up would cost more
 * than the spawn, and a container may refuse io_uring). A pipeline runs
 * without the subshell too: each member is one already (forked, or
 * spawned when plainly external), as under the subshell, so nothing the
 * members do reaches this shell. `$(echo "$x" | sed ...)` in a loop costs
 * one fork fewer per turn (Kbuild's mkcapflags.sh does ~1 800 of them).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "eval/eval.h"

/* 1: cmd is spawned writing to out, and m says how to reap it */
static int spawn_plain(struct shell *sh, struct node *cmd, int out, struct member *m)
{
	if (cmd->type != N_SIMPLE || cmd->redirs || cmd->u.simple.nassigns || trap_any(sh))
		return 0;
	unsigned lineno = sh->lineno;
	int r = simple_spawn(sh, cmd, -1, out, m);
	sh->lineno = lineno; /* as if it had run in a child */
	return r;
}

char *eval_cmdsubst(struct shell *sh, struct node *cmd, size_t *len)
{
	size_t cap = 256, n = 0;
	char *buf = malloc(cap);
	struct member m = {0};
	pid_t pid = -1;
	int p[2];

	if (!buf)
		eval_oom(sh);
	if (!cmd) {
		ev.back_status = 0;
		*buf = 0;
		*len = 0;
		return buf;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		shell_fail(sh, 2, "Pipe call failed", NULL, NULL);
	struct member *members = NULL;
	if (spawn_plain(sh, cmd, p[1], &m)) {
		/* spawned */
	} else if (cmd->type == N_PIPE) {
		/* its members are subshells or spawns already: no subshell around them */
		unsigned lineno = sh->lineno;
		members = pipe_start(sh, cmd, p[1], p[0]);
		sh->lineno = lineno;
	} else if ((pid = fork_sub(sh)) == 0) {
		close(p[0]);
		if (p[1] != 1) {
			dup2(p[1], 1);
			close(p[1]);
		}
		sh->errexit_off =
			0; /* dash runs it untested: set -e applies inside, even in a condition */
		eval_in_child(sh, cmd);
	}
	close(p[1]);
	for (;;) {
		if (cap - n < 128) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb)
				eval_oom(sh);
			buf = nb;
		}
		ssize_t r = read(p[0], buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(p[0]);
	if (members)
		ev.back_status = pipe_wait(sh, cmd, members);
	else if (pid > 0)
		ev.back_status = wait_child(sh, pid);
	else
		ev.back_status = m.spawned ? simple_job_status(sh, &m) : m.status;
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = 0;
	*len = n;
	return buf;
}
