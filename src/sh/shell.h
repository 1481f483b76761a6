/* SPDX-License-Identifier: MIT */
/*
 * uring-sh's interpreter: the state every part shares (eval.c runs trees,
 * words.c expands words, state.c keeps variables and parameters).
 * First version of the contract; the owners of eval.c and words.c may grow
 * it (add, do not rename).
 */
#ifndef USH_SHELL_H
#define USH_SHELL_H

#include <stdint.h>
#include <sys/types.h>
#include "syntax/ast.h"
#include "sh.h"

/* A list of C strings, NULL-terminated, growing with malloc. */
struct strvec {
	char **v;
	unsigned n, cap;
};
int strvec_push(struct strvec *sv, char *s); /* -1: out of memory */
void strvec_free(struct strvec *sv);         /* frees v, not the strings */

enum shell_opt {
	OPT_ERREXIT = 1 << 0,   /* -e */
	OPT_NOUNSET = 1 << 1,   /* -u */
	OPT_XTRACE = 1 << 2,    /* -x */
	OPT_NOGLOB = 1 << 3,    /* -f */
	OPT_ALLEXPORT = 1 << 4, /* -a */
	OPT_NOCLOBBER = 1 << 5, /* -C */
	OPT_VERBOSE = 1 << 6,   /* -v */
	OPT_NOEXEC = 1 << 7,    /* -n */
};

struct shell {
	struct ush_arena *a; /* parse trees of the whole run */
	const char *arg0;    /* $0, also the message prefix */
	char **params;       /* $1 ... (not $0), NULL-terminated */
	unsigned nparams;
	int status;       /* $? */
	unsigned lineno;  /* the line of the running command (messages, $LINENO) */
	unsigned opts;    /* enum shell_opt */
	int errexit_off;  /* > 0: inside a condition, where set -e does not apply */
	pid_t rootpid;    /* $$ */
	pid_t lastbg;     /* $!, 0 before any */
	int subshell;     /* > 0 in a forked subshell / command substitution */
	char **environ;   /* the inherited environment (variables are imported from it) */
	void *vars;       /* state.c's table */
	void *funcs;      /* eval.c's functions */
	void *traps;      /* eval.c's traps */
	struct uspawn *u; /* libuspawn handle, opened on the first spawn */
	/*
	 * getopts' place in the parameters, dash's shellparam.optind/optoff:
	 * the next word (1-based) and the offset of the next letter in the word
	 * before it. 0 in either means dash's start value (1, -1), so a
	 * zeroed shell starts right.
	 */
	int optind, optoff;
};

/* getopts.c: OPTIND was assigned (dash's getoptsreset); -1 after dash's
 * "Illegal number" message, the variable unchanged. value NULL: unset. */
int getopts_reset(struct shell *sh, const char *value);

/* state.c: variables. Values returned stay valid until the variable changes. */
const char *shvar_get(struct shell *sh, const char *name, size_t n); /* NULL: unset */
/* set name (flags: SHVAR_EXPORT ...); -1 after printing dash's message (readonly) */
enum { SHVAR_EXPORT = 1, SHVAR_READONLY = 2, SHVAR_SET = 4 /* has a value: flags, list */ };
/* value is copied; value NULL: only add flags (export x, readonly x); set -a exports */
int shvar_set(struct shell *sh, const char *name, size_t n, const char *value, unsigned flags);
/* -1 after dash's "unset: x: is read only" */
int shvar_unset(struct shell *sh, const char *name, size_t n);
/* exported variables with a value, for a child; cached: valid until a variable changes */
char **shvar_environ(struct shell *sh);
/* SHVAR_EXPORT | SHVAR_READONLY | SHVAR_SET of a variable; 0: no such variable */
unsigned shvar_flags(struct shell *sh, const char *name, size_t n);
/* variables having all of flags (0: every one), sorted by name as set/export -p list them */
struct shvar_info {
	const char *name; /* not NUL-terminated: n bytes */
	size_t n;
	const char *value; /* NULL: no value (export x / readonly x of an unset x) */
	unsigned flags;
};
struct shvar_info *shvar_list(struct shell *sh, unsigned flags, unsigned *count); /* free() it */
/* a variable's value and flags, put back (and freed) by shvar_restore (local, prefix assignments) */
void *shvar_save(struct shell *sh, const char *name, size_t n); /* NULL: out of memory */
void shvar_restore(struct shell *sh, void *saved);
/*
 * $1.. $#, $@, $*, $?, $$, $!, $-, $0 and named variables alike; NULL: unset.
 * tmp (>= 32 bytes) holds numbers and $-; $@ and $* come joined with IFS's
 * first character, valid until the next call.
 */
const char *shell_param(struct shell *sh, const char *name, size_t n, char *tmp, size_t tmpn);

/* messages: "arg0: LINE: " + the pieces + "\n" on fd 2 (NULL ends the list) */
void shell_msg(struct shell *sh, const char *a, const char *b, const char *c, const char *d);
/* exit the shell (or the subshell), running the EXIT trap first */
void shell_exit(struct shell *sh, int status) __attribute__((noreturn));
/*
 * an error that makes a non-interactive dash leave the current shell
 * (expansion errors, a failed special builtin, set -u): message, then
 * shell_exit(sh, status)
 */
void shell_fail(struct shell *sh, int status, const char *a, const char *b, const char *c)
	__attribute__((noreturn));

/* eval.c */
int eval_tree(struct shell *sh, struct node *n);               /* returns $? */
int eval_text(struct shell *sh, const char *text, size_t len); /* eval, trap actions */
/* $(cmd): its stdout, trailing newlines removed (malloc'd, NUL-terminated); sets sh->status */
char *eval_cmdsubst(struct shell *sh, struct node *cmd, size_t *len);

/* words.c: expansion in dash's order. Results are malloc'd: the caller frees them. */
/* fields of the words (tilde, parameters, $( ), $(( )), IFS splitting, globbing, quote removal) */
int words_expand(struct shell *sh, const struct word *w, unsigned n, struct strvec *out);
/* one string: no splitting, no globbing (assignments, redirection targets, case subject, here-docs) */
char *words_string(struct shell *sh, const struct word *w);
/* a pattern (case items, ${x#...}): quoted characters escaped with \ (see pattern.h) */
char *words_pattern(struct shell *sh, const struct word *w);

#endif /* USH_SHELL_H */
