/* SPDX-License-Identifier: MIT */
/*
 * How a line runs, decided by how_classify() alone:
 *  - with uring-sh's parser and expander (ush.h's ush_decide(), when
 *    built): a simple external command is spawned directly (argv,
 *    environment and redirections as dash would make them), any other line
 *    uring-sh runs goes to the uring-sh binary, and the rest (syntax
 *    errors, a command not found) to /bin/sh -c;
 *  - without it: a line of plain words (no shell syntax, no builtin) is
 *    spawned directly, everything else goes to /bin/sh -c.
 * /bin/sh -c is always the fallback: results are those of `sh -c LINE`.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#ifdef HAVE_USH
#include "ush.h"
#endif

extern char **environ;

#ifndef HAVE_USH
/* dash's reserved words and builtins: a line starting with one needs the shell */
static const char *const shell_words[] = {
	"!",       "{",        "}",        "case",   "do",    "done",    "elif",   "else",
	"esac",    "fi",       "for",      "if",     "in",    "then",    "until",  "while",
	".",       ":",        "[",        "alias",  "bg",    "break",   "cd",     "chdir",
	"command", "continue", "echo",     "eval",   "exec",  "exit",    "export", "false",
	"fc",      "fg",       "getopts",  "hash",   "jobs",  "kill",    "local",  "printf",
	"pwd",     "read",     "readonly", "return", "set",   "shift",   "test",   "times",
	"trap",    "true",     "type",     "ulimit", "umask", "unalias", "unset",  "wait",
};

/* Characters that mean nothing to the shell inside a word. */
static int plain_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("/._-+,:@%=", c);
}

static int shell_word(const char *w, size_t len)
{
	for (size_t i = 0; i < sizeof shell_words / sizeof shell_words[0]; i++)
		if (strlen(shell_words[i]) == len && !memcmp(shell_words[i], w, len))
			return 1;
	return 0;
}

static enum how plain_classify(const char *line)
{
	const char *p = line, *first;
	size_t first_len;

	for (const char *s = line; *s; s++)
		if (!plain_char((unsigned char)*s) && *s != ' ' && *s != '\t')
			return HOW_SH;
	while (*p == ' ' || *p == '\t')
		p++;
	first = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	first_len = (size_t)(p - first);
	/* NAME=value: an assignment, not a command */
	if (memchr(first, '=', first_len) || shell_word(first, first_len))
		return HOW_SH;
	return HOW_DIRECT;
}

/* Split a plain line into argv (words point into a copy owned by argv[-1]'s block). */
static char **split_words(const char *line)
{
	size_t len = strlen(line), n = 0;
	char **argv = malloc((len / 2 + 2) * sizeof *argv + len + 1);

	if (!argv)
		return NULL;
	char *w = (char *)(argv + len / 2 + 2);
	memcpy(w, line, len + 1);
	for (char *s = w; *s;) {
		while (*s == ' ' || *s == '\t')
			*s++ = 0;
		if (!*s)
			break;
		argv[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	argv[n] = NULL;
	return argv;
}

#endif

static int use_sh(struct rjob *j, struct uspawn_cmd *cmd, const char *path)
{
	static char sh[] = "/bin/sh", dash_c[] = "-c";

	j->argv = malloc(4 * sizeof *j->argv);
	if (!j->argv)
		return -ENOMEM;
	j->argv[0] = sh; /* uring-sh too: messages then read as dash's */
	j->argv[1] = dash_c;
	j->argv[2] = j->line;
	j->argv[3] = NULL;
	cmd->path = path;
	cmd->argv = j->argv;
	return 0;
}

#ifdef HAVE_USH
#define ARENA_SIZE (32 * 1024)

/* The uring-sh binary: $URING_SH, beside us, or where the build put it. */
static const char *uring_sh(void)
{
	static char path[PATH_MAX];
	static int looked;
	char self[PATH_MAX - 64];

	if (looked)
		return path[0] ? path : NULL;
	looked = 1;
	const char *env = getenv("URING_SH");
	if (env && *env) {
		snprintf(path, sizeof path, "%s", env);
		return access(path, X_OK) ? (path[0] = 0, NULL) : path;
	}
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = 0;
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(path, sizeof path, "%s/uring-sh", self);
			if (!access(path, X_OK))
				return path;
			snprintf(path, sizeof path, "%s/../sh/uring-sh", self);
			if (!access(path, X_OK))
				return path;
		}
	}
#ifdef URING_SH_BUILD
	snprintf(path, sizeof path, "%s", URING_SH_BUILD);
	if (!access(path, X_OK))
		return path;
#endif
	path[0] = 0;
	return NULL;
}

/* ush's verdict; for HOW_DIRECT, cmd gets the spawn ush prepared (in j->arena). */
static enum how how_classify(struct rjob *j, struct uspawn_cmd *cmd)
{
	const char *why;

	j->arena = malloc(ARENA_SIZE);
	if (!j->arena)
		return HOW_SH;
	struct ush_arena a = {j->arena, ARENA_SIZE, 0};
	struct ush_spawn *sp = ush_alloc(&a, sizeof *sp);
	if (!sp)
		return HOW_SH;
	enum ush_how h = ush_decide(&a, j->line, strlen(j->line), "/bin/sh", environ, sp, &why);
	if (h == USH_URING_SH)
		return uring_sh() ? HOW_URING_SH : HOW_SH;
	/* not found: sh says so in its own words */
	if (h != USH_DIRECT)
		return HOW_SH;
	cmd->path = sp->path;
	cmd->argv = sp->argv;
	cmd->envp = sp->envp;
	j->acts = sp->actions;
	j->nacts = sp->nactions;
	return HOW_DIRECT;
}
#else
static enum how how_classify(struct rjob *j, struct uspawn_cmd *cmd)
{
	if (plain_classify(j->line) != HOW_DIRECT || !(j->argv = split_words(j->line)))
		return HOW_SH;
	cmd->argv = j->argv;
	cmd->flags |= USPAWN_PATH_SEARCH;
	return HOW_DIRECT;
}
#endif

/* Put pre (the runner's own actions) before the line's redirections. */
static int join_actions(struct rjob *j, struct uspawn_cmd *cmd, const struct uspawn_fa *pre,
			unsigned npre)
{
	unsigned n = npre + j->nacts;

	if (!n)
		return 0;
	j->fa = malloc(n * sizeof *j->fa);
	if (!j->fa)
		return -ENOMEM;
	memcpy(j->fa, pre, npre * sizeof *pre);
	if (j->nacts)
		memcpy(j->fa + npre, j->acts, j->nacts * sizeof *j->acts);
	cmd->actions = j->fa;
	cmd->n_actions = n;
	return 0;
}

/* Fill cmd's path, argv, envp, flags and actions for j->line. */
int how_prepare(struct rjob *j, int via_sh, struct uspawn_cmd *cmd, const struct uspawn_fa *pre,
		unsigned npre)
{
	int r;

	j->how = via_sh ? HOW_SH : how_classify(j, cmd);
	if (j->how == HOW_SH) {
		cmd->envp = NULL;
		cmd->flags &= ~USPAWN_PATH_SEARCH;
		j->nacts = 0;
		r = use_sh(j, cmd, NULL);
	} else if (j->how == HOW_URING_SH) {
#ifdef HAVE_USH
		r = use_sh(j, cmd, uring_sh());
#else
		r = -ENOSYS;
#endif
	} else {
		r = 0;
	}
	return r < 0 ? r : join_actions(j, cmd, pre, npre);
}

/*
 * A direct spawn that failed: what /bin/sh (dash) would have printed and
 * exited with, so the result stays the one of `sh -c LINE`.
 */
void how_exec_error(struct rjob *j, int err, char *msg, size_t cap, int *status)
{
	const char *name = j->argv && j->argv[0] ? j->argv[0] : j->line;

	if (err == ENOENT || err == ENOTDIR) {
		snprintf(msg, cap, "/bin/sh: 1: %s: not found\n", name);
		*status = 127;
	} else if (err == EACCES) {
		snprintf(msg, cap, "/bin/sh: 1: %s: Permission denied\n", name);
		*status = 126;
	} else {
		snprintf(msg, cap, "/bin/sh: 1: %s: %s\n", name, strerror(err));
		*status = 126;
	}
}
