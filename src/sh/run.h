/* SPDX-License-Identifier: MIT */
/* uring-sh's interpreter state. */
#ifndef USH_RUN_H
#define USH_RUN_H

#include "sh.h"

struct var {
	const char *name;
	size_t n;
	const char *value; /* NULL: unset */
	int exported;
};

struct shell {
	struct ush_arena *a;
	const char *arg0; /* $0: the name in messages */
	char **environ;
	int errexit;      /* set -e */
	int status;       /* $? */
	struct var *vars; /* assigned in this run; the rest is environ */
	unsigned nvars, cap;
	const char *pwd;  /* dash's logical cwd, computed on first use */
	struct uspawn *u; /* opened on the first spawn */
	unsigned lineno;
	int exec_last; /* USPAWN_SH_EXEC_LAST=1: exec the last command (not dash's way) */
};

/* vars.c */
const char *var_get(struct shell *sh, const char *name, size_t n);
int var_set(struct shell *sh, const char *name, size_t n, const char *value, int export);
const char *shell_pwd(struct shell *sh);
char **child_env(struct shell *sh, const char *const *extra, unsigned nextra);

/* msg.c: "arg0: LINE: " messages on fd 2 */
void sh_error(struct shell *sh, const char *a, const char *b, const char *c, const char *d);

/* redir.c */
struct saved_fds {
	int fd[3];
	int copy[3];
	unsigned n;
};
int redir_apply(struct shell *sh, const struct ush_cmd *c, struct saved_fds *sv);
void redir_restore(struct saved_fds *sv);
int fd_save(struct saved_fds *sv, int fd);

/* builtin.c: returns the status; exit never returns */
int run_builtin(struct shell *sh, int id, char **argv);
void sh_exit(struct shell *sh, int status) __attribute__((noreturn));

/* run.c */
void run_line(struct shell *sh, struct ush_line *line) __attribute__((noreturn));

#endif
