/* SPDX-License-Identifier: MIT */
/*
 * How a line runs: spawned directly when it is one simple command that
 * `/bin/sh -c` would run unchanged (plain words, no shell syntax, no
 * builtin), else through /bin/sh -c. The choice is how_classify() alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

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

enum how { HOW_DIRECT, HOW_SH };

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

static enum how how_classify(const char *line)
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

/* Fill cmd's path, argv and flags for j->line; j->argv is the job's to free. */
int how_prepare(struct rjob *j, int via_sh, struct uspawn_cmd *cmd)
{
	static char sh[] = "/bin/sh", dash_c[] = "-c";

	j->direct = !via_sh && how_classify(j->line) == HOW_DIRECT;
	if (j->direct) {
		j->argv = split_words(j->line);
		if (!j->argv)
			return -ENOMEM;
		cmd->flags |= USPAWN_PATH_SEARCH;
	} else {
		j->argv = malloc(4 * sizeof *j->argv);
		if (!j->argv)
			return -ENOMEM;
		j->argv[0] = sh;
		j->argv[1] = dash_c;
		j->argv[2] = j->line;
		j->argv[3] = NULL;
	}
	cmd->argv = j->argv;
	return 0;
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
