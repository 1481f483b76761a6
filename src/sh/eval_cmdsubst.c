/* SPDX-License-Identifier: MIT */
/*
 * $(...) and `...`: the command runs in a forked subshell writing to a
 * pipe; its output, without the trailing newlines, is the value. Its
 * status becomes the command's $? only when nothing else sets it (an
 * assignment alone), as dash's back_exitstatus.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>
#include "eval.h"

char *eval_cmdsubst(struct shell *sh, struct node *cmd, size_t *len)
{
	size_t cap = 256, n = 0;
	char *buf = malloc(cap), *buf2 = NULL;
	int p[2];

	if (!buf)
		eval_oom(sh);
	if (!cmd) {
		ev.back_status = 0;
		*buf = 0;
		*len = 0;
		return buf;
	}
	int st;
	unsigned lineno = sh->lineno;
	int captured = simple_capture(sh, cmd, &buf2, &n, &st);
	sh->lineno = lineno; /* as if it had run in a child */
	if (captured) {
		free(buf);
		ev.back_status = st;
		while (n && buf2[n - 1] == '\n')
			n--;
		buf2[n] = 0;
		*len = n;
		return buf2;
	}
	if (pipe2(p, O_CLOEXEC) < 0)
		shell_fail(sh, 2, "Pipe call failed", NULL, NULL);
	pid_t pid = fork_sub(sh);
	if (pid == 0) {
		close(p[0]);
		if (p[1] != 1) {
			dup2(p[1], 1);
			close(p[1]);
		}
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
	ev.back_status = wait_child(sh, pid);
	while (n && buf[n - 1] == '\n')
		n--;
	buf[n] = 0;
	*len = n;
	return buf;
}
