/* SPDX-License-Identifier: MIT */
/*
 * posix_spawn and posix_spawnp. What the caller recorded is turned into a
 * uspawn_cmd and started by libuspawn, which only creates the process
 * (USPAWN_NO_REAP): the caller's waitpid sees its child as always. Every
 * failure to start through libuspawn (an action or exec error included)
 * reaps what it made and runs the real posix_spawn instead, so errors,
 * messages and exit statuses are glibc's and dash's own.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "preload.h"

#ifndef POSIX_SPAWN_SETSID
#define POSIX_SPAWN_SETSID 0x80
#endif

/* Attribute flags libuspawn does the same way (USEVFORK means nothing to glibc). */
#define FLAGS_OK                                                                                   \
	(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK |                  \
	 POSIX_SPAWN_USEVFORK | POSIX_SPAWN_SETSID)

/* RESETIDS (make sets it) changes nothing when the ids are not set-id. */
static short resetids_noop(void)
{
	return getuid() == geteuid() && getgid() == getegid() ? POSIX_SPAWN_RESETIDS : 0;
}

static int disabled = -1;

static int preload_off(void)
{
	if (disabled < 0) {
		const char *e = getenv("USPAWN_PRELOAD");
		disabled = e && !strcmp(e, "off");
	}
	return disabled;
}

/*
 * $USPAWN_PRELOAD_TRACE names a file that gets one line per spawn: how it
 * ran (direct, uring-sh, lib, real) and the program. For tests.
 */
static void trace(const char *how, const char *what)
{
	const char *file = getenv("USPAWN_PRELOAD_TRACE");

	if (!file || !*file)
		return;
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		dprintf(fd, "%s %s\n", how, what);
		close(fd);
	}
}

struct req {
	const char *path;
	char *const *argv;
	char *const *envp;
	const struct rec_actions *ra;
	const struct rec_attr *at;
	const struct uspawn_fa *extra; /* the line's redirections, after the caller's actions */
	unsigned n_extra;
	unsigned flags;
	int clear_mask; /* dash's children start with no signal blocked */
};

static unsigned attr_flags(const struct rec_attr *at, struct uspawn_cmd *cmd)
{
	unsigned f = 0;

	if (at->flags & POSIX_SPAWN_SETSIGMASK) {
		f |= USPAWN_SIGMASK;
		cmd->sigmask = at->sigmask;
	}
	if (at->flags & POSIX_SPAWN_SETSIGDEF) {
		f |= USPAWN_SIGDEFAULT;
		cmd->sigdefault = at->sigdefault;
	}
	if (at->flags & POSIX_SPAWN_SETPGROUP) {
		f |= USPAWN_SETPGROUP;
		cmd->pgroup = at->pgroup;
	}
	if (at->flags & POSIX_SPAWN_SETSID)
		f |= USPAWN_SETSID;
	return f;
}

/* The child that could not exec is ours to reap: the caller never saw it. */
static void reap(pid_t pid)
{
	while (pid > 0 && waitpid(pid, NULL, __WALL) < 0 && errno == EINTR)
		;
}

/* Start r through libuspawn: 0 with *pid, or -1 (nothing left behind). */
static int via_lib(const struct req *r, pid_t *pid)
{
	struct uspawn *u = lib_handle();
	unsigned n = r->ra->n + r->n_extra;
	struct uspawn_fa fa[n + 1];
	struct uspawn_cmd cmd;
	struct uspawn_event ev;
	int got;

	if (!u)
		return -1;
	uspawn_cmd_init(&cmd);
	if (r->ra->n)
		memcpy(fa, r->ra->fa, r->ra->n * sizeof *fa);
	if (r->n_extra)
		memcpy(fa + r->ra->n, r->extra, r->n_extra * sizeof *fa);
	cmd.path = r->path;
	cmd.argv = r->argv;
	cmd.envp = r->envp;
	cmd.cwd = r->ra->cwd;
	cmd.actions = fa;
	cmd.n_actions = n;
	cmd.flags = USPAWN_NO_REAP | USPAWN_NO_SH_FALLBACK | r->flags | attr_flags(r->at, &cmd);
	if (r->clear_mask) {
		cmd.flags |= USPAWN_SIGMASK;
		sigemptyset(&cmd.sigmask);
	}
	if (uspawn_submit(u, &cmd, 1) != 1)
		return -1;
	do
		got = uspawn_wait(u, &ev, 1, -1);
	while (got == -EINTR || (got == 1 && ev.type != USPAWN_EV_EXIT));
	if (got != 1)
		return -1;
	if (ev.error || ev.pid <= 0) {
		reap(ev.pid);
		return -1;
	}
	*pid = ev.pid;
	return 0;
}

/* A spawn's jobserver token: tok (>= 0, or -1: ungated), or a deferred start. */
struct gating {
	int tok; /* GATE_NONE_FREE: none taken yet */
	int fd;  /* >= 0: our end of the deferred start's socket */
	int child_fd;
	char fdstr[16];
	char **argv;
	struct uspawn_fa *fa;
};

static int mentions_fd(const struct uspawn_fa *fa, unsigned n, int fd)
{
	for (unsigned i = 0; i < n; i++)
		if (fa[i].fd == fd || (fa[i].op == USPAWN_FA_DUP2 && fa[i].src == fd))
			return 1;
	return 0;
}

/*
 * No token is free: r becomes `uring-sh --uspawn-gate FD PATH ARGV...`,
 * which waits for the helper to hand it one (gate.c). Only for a program
 * named by absolute path that is executable now, so that a spawn that
 * would fail still fails here, as posix_spawn does. -1: start it as it is.
 */
static int defer_start(struct req *r, const struct rec_actions *ra, struct gating *g)
{
	const char *tramp = line_uring_sh();
	int sv[2];
	unsigned argc = 0;

	if (!tramp || r->path[0] != '/' || access(r->path, X_OK) ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -1;
	while (r->argv[argc])
		argc++;
	g->argv = malloc((argc + 5) * sizeof *g->argv);
	g->fa = malloc((r->n_extra + 1) * sizeof *g->fa);
	if (!g->argv || !g->fa || mentions_fd(ra->fa, ra->n, sv[0]) ||
	    mentions_fd(r->extra, r->n_extra, sv[0])) {
		close(sv[0]);
		close(sv[1]);
		free(g->argv);
		free(g->fa);
		g->argv = NULL;
		g->fa = NULL;
		return -1;
	}
	snprintf(g->fdstr, sizeof g->fdstr, "%d", sv[0]);
	g->argv[0] = "uring-sh";
	g->argv[1] = "--uspawn-gate";
	g->argv[2] = g->fdstr;
	g->argv[3] = (char *)r->path;
	memcpy(g->argv + 4, r->argv, (argc + 1) * sizeof *g->argv);
	if (r->n_extra)
		memcpy(g->fa, r->extra, r->n_extra * sizeof *g->fa);
	/* the child's end stays open across the exec (dup2 onto itself) */
	g->fa[r->n_extra] = (struct uspawn_fa){.op = USPAWN_FA_DUP2, .fd = sv[0], .src = sv[0]};
	r->path = tramp;
	r->argv = g->argv;
	r->extra = g->fa;
	r->n_extra++;
	r->flags &= ~USPAWN_PATH_SEARCH;
	g->fd = sv[1];
	g->tok = -1;
	g->child_fd = sv[0];
	return 0;
}

/* The sh -c bypass, or the call as it is; -1: use the real posix_spawn. */
static int try_lib(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		   const posix_spawnattr_t *attr, char *const argv[], char *const envp[],
		   int search, struct gating *g)
{
	struct rec_actions ra;
	struct rec_attr at;
	struct line_plan lp;
	int ret = -1;

	if (preload_off() || !path || !argv || !argv[0] || !envp)
		return -1;
	if (rec_attr_get(attr, &at) || (at.flags & ~(FLAGS_OK | resetids_noop())) ||
	    (at.flags & (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETPGROUP)) ==
		    (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETPGROUP)) {
		trace("unsupported-attr", path);
		return -1;
	}
	if (rec_actions_get(fa, &ra)) {
		trace("unrecorded-actions", path);
		return -1;
	}
	struct req r = {path, argv, envp, &ra, &at, NULL, 0, search ? USPAWN_PATH_SEARCH : 0, 0};
	const char *line = line_of(path, argv, search), *how = "lib";
	if (line && !ra.cwd) {
		line_classify(line, argv[0], envp, &lp);
		if (lp.how == LINE_DIRECT) {
			r.path = lp.path;
			r.argv = lp.argv;
			r.envp = lp.envp;
			r.extra = lp.fa;
			r.n_extra = lp.n_fa;
			r.flags = 0;
			r.clear_mask = 1;
			how = "direct";
		} else if (lp.how == LINE_URING_SH) {
			r.path = lp.path; /* argv[0] stays "/bin/sh": messages read as dash's */
			r.flags = 0;
			how = "uring-sh";
		} else {
			trace("sh", lp.reason ? lp.reason : "?");
		}
	}
	if (g->tok == GATE_NONE_FREE && defer_start(&r, &ra, g) < 0)
		g->tok = gate_acquire();
	ret = via_lib(&r, pid);
	if (g->fd >= 0) {
		close(g->child_fd); /* the child has its copy */
		if (ret < 0) {
			close(g->fd);
			g->fd = -1;
			g->tok = GATE_NONE_FREE;
		}
	}
	if (ret == 0)
		trace(g->fd >= 0 ? "deferred" : how, g->fd >= 0 ? path : r.path);
	free(g->argv);
	free(g->fa);
	rec_actions_free(&ra);
	return ret;
}

static int spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[], int search)
{
	int saved = errno, ret = 0;
	struct gating g = {.tok = gate_active() ? gate_try() : -1, .fd = -1};
	pid_t child = 0;

	if (try_lib(&child, path, fa, attr, argv, envp, search, &g) < 0) {
		if (g.tok == GATE_NONE_FREE)
			g.tok = gate_acquire();
		const struct real_fns *rf = real();
		ret = (search ? rf->spawnp : rf->spawn)(&child, path, fa, attr, argv, envp);
		trace("real", path);
	}
	if (ret == 0) {
		if (g.fd >= 0)
			gate_defer(child, g.fd);
		else if (g.tok >= 0)
			gate_attach(g.tok, child);
		if (pid)
			*pid = child;
		errno = saved;
	} else if (g.tok >= 0) {
		gate_release(g.tok);
	}
	return ret;
}

int posix_spawn(pid_t *pid, const char *path, const posix_spawn_file_actions_t *fa,
		const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	return spawn(pid, path, fa, attr, argv, envp, 0);
}

int posix_spawnp(pid_t *pid, const char *file, const posix_spawn_file_actions_t *fa,
		 const posix_spawnattr_t *attr, char *const argv[], char *const envp[])
{
	return spawn(pid, file, fa, attr, argv, envp, 1);
}
