/* SPDX-License-Identifier: MIT */
/*
 * Redirections, applied to the shell itself as dash does (so its own
 * messages follow them): each fd changed is first copied above 9,
 * close-on-exec, and put back afterwards. Here-documents come through a
 * pipe, written at once when the body fits the pipe buffer, else by a
 * forked writer (dash's way).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "eval/eval.h"

#define HEREDOC_INLINE 4096 /* dash writes up to PIPE_BUF itself */

static int save_fd(struct redirsave *sv, int fd)
{
	if (!sv)
		return 0;
	for (unsigned i = 0; i < sv->n; i++)
		if (sv->v[i].fd == fd)
			return 0;
	if (sv->n == sv->cap) {
		unsigned cap = sv->cap ? sv->cap * 2 : 4;
		void *v = realloc(sv->v, cap * sizeof *sv->v);
		if (!v)
			return -1;
		sv->v = v;
		sv->cap = cap;
	}
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (copy < 0 && errno != EBADF)
		return -1;
	sv->v[sv->n].fd = fd;
	sv->v[sv->n++].copy = copy;
	return 0;
}

void redirect_restore(struct redirsave *sv)
{
	while (sv->n) {
		sv->n--;
		if (sv->v[sv->n].copy >= 0) {
			dup2(sv->v[sv->n].copy, sv->v[sv->n].fd);
			close(sv->v[sv->n].copy);
		} else {
			close(sv->v[sv->n].fd);
		}
	}
	free(sv->v);
	sv->v = NULL;
	sv->cap = 0;
}

/*
 * dash's savefd: when fd cannot be copied above 9 (the fd limit), fd is
 * closed and that is the redirection's error, "FD: reason" (lost when
 * fd is 2: the message goes to the fd just closed).
 */
static int save_or_fail(struct shell *sh, struct redirsave *sv, int fd)
{
	if (save_fd(sv, fd) == 0)
		return 0;
	int e = errno;
	if (e == ENOMEM)
		eval_oom(sh);
	close(fd);
	char num[2] = {(char)('0' + fd), 0};
	shell_msg(sh, num, ": ", ush_strerror(e), NULL);
	return -1;
}

/* fd was closed before a file took its place: closed again afterwards */
static int save_closed(struct redirsave *sv, int fd)
{
	if (!sv)
		return 0;
	for (unsigned i = 0; i < sv->n; i++)
		if (sv->v[i].fd == fd)
			return 0;
	if (sv->n == sv->cap) {
		unsigned cap = sv->cap ? sv->cap * 2 : 4;
		void *v = realloc(sv->v, cap * sizeof *sv->v);
		if (!v)
			return -1;
		sv->v = v;
		sv->cap = cap;
	}
	sv->v[sv->n].fd = fd;
	sv->v[sv->n++].copy = -1;
	return 0;
}

int redirect_dup(struct redirsave *sv, int fd, int target)
{
	if (fd < 0 || fd == target)
		return 0;
	if (save_fd(sv, target) < 0 || dup2(fd, target) < 0)
		return -1;
	return 0;
}

static int open_file(struct shell *sh, const struct redir *r, const char *path)
{
	int flags, creat = 1;

	switch (r->op) {
	case R_IN:
		flags = O_RDONLY;
		creat = 0;
		break;
	case R_OUT:
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		if (sh->opts & OPT_NOCLOBBER) {
			struct stat st;
			if (!stat(path, &st) && S_ISREG(st.st_mode)) {
				errno = EEXIST;
				goto fail;
			}
			flags = O_WRONLY | O_CREAT | O_EXCL;
			if (!stat(path, &st))
				flags = O_WRONLY;
		}
		break;
	case R_CLOBBER:
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case R_APPEND:
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		flags = O_RDWR | O_CREAT;
		break;
	}
	int fd = open(path, flags, 0666);
	if (fd >= 0)
		return fd;
fail:
	shell_msg(sh, creat ? "cannot create " : "cannot open ", path, ": ",
		  ush_errmsg(errno, creat ? USH_E_CREAT : USH_E_OPEN));
	return -1;
}

static int heredoc(struct shell *sh, const struct redir *r)
{
	char *body = words_string(sh, &r->body);
	int p[2];

	if (!body)
		eval_oom(sh);
	size_t len = strlen(body);
	if (pipe2(p, O_CLOEXEC) < 0) {
		free(body);
		shell_msg(sh, "Pipe call failed", NULL, NULL, NULL);
		return -1;
	}
	if (len <= HEREDOC_INLINE) {
		write_all(p[1], body, len);
	} else {
		pid_t pid = fork();
		if (pid == 0) {
			close(p[0]);
			signal(SIGPIPE, SIG_DFL);
			write_all(p[1], body, len);
			_exit(0);
		}
	}
	close(p[1]);
	free(body);
	return p[0];
}

/* a >&N / <&N target: a single digit, "-", or dash's fatal "Bad fd number" */
static int dup_target(struct shell *sh, const struct redir *r, int *src)
{
	char *t = words_string(sh, &r->target);

	if (!t)
		eval_oom(sh);
	if (t[0] == '-' && !t[1]) {
		*src = -1;
	} else if (t[0] >= '0' && t[0] <= '9' && !t[1]) {
		*src = t[0] - '0';
	} else {
		free(t);
		/* dash's parser raises it as it stands: past the list's newline */
		if (ev.parse_line)
			sh->lineno = ev.parse_line;
		shell_fail(sh, 2, "Syntax error: Bad fd number", NULL, NULL);
	}
	free(t);
	return 0;
}

static int apply_one(struct shell *sh, const struct redir *r, struct redirsave *sv)
{
	int fd;

	if (r->op == R_DUPIN || r->op == R_DUPOUT) {
		int src;
		dup_target(sh, r, &src);
		if (src == r->fd)
			return 0;
		/* dash saves the fd first, then finds the source bad */
		if (save_or_fail(sh, sv, r->fd) < 0)
			return -1;
		if (src >= 0 && fcntl(src, F_GETFD) < 0) {
			char num[2] = {(char)('0' + src), 0};
			shell_msg(sh, num, ": ", "Bad file descriptor", NULL);
			return -1;
		}
		if (src < 0)
			close(r->fd);
		else
			dup2(src, r->fd);
		return 0;
	}
	/* dash opens first (an open that fails at the fd limit says so), then saves */
	if (r->op == R_HEREDOC) {
		fd = heredoc(sh, r);
	} else {
		char *path = words_string(sh, &r->target);
		if (!path)
			eval_oom(sh);
		fd = open_file(sh, r, path);
		free(path);
	}
	if (fd < 0)
		return -1;
	if (fd == r->fd) {
		/* it took the place of a closed fd */
		if (save_closed(sv, fd) < 0)
			eval_oom(sh);
		fcntl(fd, F_SETFD, 0);
		return 0;
	}
	/* dash's savefd failing leaves the new file open */
	if (save_or_fail(sh, sv, r->fd) < 0)
		return -1;
	dup2(fd, r->fd);
	close(fd);
	return 0;
}

int redirect_apply(struct shell *sh, const struct redir *r, struct redirsave *sv)
{
	for (; r; r = r->next)
		if (apply_one(sh, r, sv) < 0)
			return -1;
	return 0;
}
