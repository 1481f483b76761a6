/* SPDX-License-Identifier: MIT */
/*
 * Redirections, applied to uring-sh itself as dash does (so that its
 * messages, e.g. "not found", follow them): the original fds are saved
 * above 9, close-on-exec, and put back after the command.
 */
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <unistd.h>
#include "run.h"

static const char *lookup(void *ctx, const char *name, size_t n)
{
	return var_get(ctx, name, n);
}

int fd_save(struct saved_fds *sv, int fd)
{
	if (!sv)
		return 0;
	for (unsigned i = 0; i < sv->n; i++)
		if (sv->fd[i] == fd)
			return 0;
	int copy = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (copy < 0 && errno != EBADF)
		return -1;
	sv->fd[sv->n] = fd;
	sv->copy[sv->n++] = copy;
	return 0;
}

void redir_restore(struct saved_fds *sv)
{
	while (sv->n) {
		sv->n--;
		if (sv->copy[sv->n] >= 0) {
			dup2(sv->copy[sv->n], sv->fd[sv->n]);
			close(sv->copy[sv->n]);
		} else {
			close(sv->fd[sv->n]);
		}
	}
}

static int open_target(struct shell *sh, const struct ush_redir *r)
{
	struct expander x = {sh->a, lookup, sh, sh->status};
	char *path = expand_string(&x, &r->target);
	int creat = r->op != USH_R_IN;
	int flags = r->op == USH_R_IN    ? O_RDONLY
		    : r->op == USH_R_OUT ? O_WRONLY | O_CREAT | O_TRUNC
					 : O_WRONLY | O_CREAT | O_APPEND;

	if (!path)
		return -1;
	int fd = open(path, flags, 0666);
	if (fd < 0)
		sh_error(sh, creat ? "cannot create " : "cannot open ", path, ": ",
			 ush_errmsg(errno, creat ? USH_E_CREAT : USH_E_OPEN));
	return fd;
}

static int apply_one(struct shell *sh, const struct ush_redir *r, struct saved_fds *sv)
{
	if (fd_save(sv, r->fd) < 0)
		return -1;
	if (r->op == USH_R_DUPIN || r->op == USH_R_DUPOUT) {
		if (r->dup < 0) {
			close(r->fd);
			return 0;
		}
		if (r->dup != r->fd && dup2(r->dup, r->fd) < 0) {
			char num[2] = {'0' + r->dup, 0};
			sh_error(sh, num, ": ", "Bad file descriptor", NULL);
			return -1;
		}
		return 0;
	}
	int fd = open_target(sh, r);
	if (fd < 0)
		return -1;
	if (fd != r->fd) {
		dup2(fd, r->fd);
		close(fd);
	}
	return 0;
}

int redir_apply(struct shell *sh, const struct ush_cmd *c, struct saved_fds *sv)
{
	for (unsigned i = 0; i < c->nredirs; i++)
		if (apply_one(sh, &c->redirs[i], sv) < 0)
			return -1;
	return 0;
}
