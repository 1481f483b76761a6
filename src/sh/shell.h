/* SPDX-License-Identifier: MIT */
/*
 * uring-sh's interpreter: the state every part shares (eval/ runs trees,
 * expand/ expands words, state/ keeps variables and parameters).
 * First version of the contract; the owners of eval/ and expand/ may grow
 * it (add, do not rename).
 */
#ifndef USH_SHELL_H
#define USH_SHELL_H

#include <stdint.h>
#include <stdlib.h>
#include <sys/types.h>
#include "syntax/ast.h"
#include "sh.h"

/* A list of C strings, NULL-terminated, growing with malloc (or in a, when set). */
struct strvec {
	char **v;
	unsigned n, cap;
	struct ush_arena *a;
};
int strvec_push(struct strvec *sv, char *s); /* -1: out of memory */
void strvec_free(struct strvec *sv);         /* frees v, not the strings */

struct shell;
struct node;
/*
 * What expansion (expand/) and the variables (state/) need of the rest of
 * the shell, so that they stand without the evaluator: decide/ answers
 * its question with them and the parser alone. uring-sh's are the
 * evaluator's (eval/eval.c's eval_ops); decide/'s refuse anything with an
 * effect.
 */
struct shell_ops {
	/* $(cmd): its output (malloc'd, NUL-terminated), sh->status set; NULL: no memory */
	char *(*cmdsubst)(struct shell *sh, struct node *cmd, size_t *len);
	/* dash's message on fd 2: "$0: LINE: " and the pieces (NULL ends them) */
	void (*msg)(struct shell *sh, const char *a, const char *b, const char *c, const char *d);
	/* leave the shell (or subshell) with status, the EXIT trap first */
	void (*exit)(struct shell *sh, int status) __attribute__((noreturn));
	/* PATH was assigned or unset: dash forgets its command table */
	void (*path_changed)(void);
	/* OPTIND was assigned (value NULL: unset): dash's getoptsreset; -1 refuses it */
	int (*optind_changed)(struct shell *sh, const char *value);
};

/*
 * decide/'s variables (state/view.c): read from the environment with
 * dash's start-up values, and the assignments of the command being
 * decided; nothing is ever stored.
 */
struct shvar_view {
	char *const *over; /* "NAME=value" assigned so far, in order (the last one wins) */
	unsigned nover;
	const char *pwd; /* dash's $PWD at start */
	char ppid[24];   /* dash's $PPID: the caller, whose child dash would be */
};

enum shell_opt {
	OPT_ERREXIT = 1 << 0,   /* -e */
	OPT_NOUNSET = 1 << 1,   /* -u */
	OPT_XTRACE = 1 << 2,    /* -x */
	OPT_NOGLOB = 1 << 3,    /* -f */
	OPT_ALLEXPORT = 1 << 4, /* -a */
	OPT_NOCLOBBER = 1 << 5, /* -C */
	OPT_VERBOSE = 1 << 6,   /* -v */
	OPT_NOEXEC = 1 << 7,    /* -n */
	OPT_STDIN = 1 << 8,     /* -s: commands from stdin ($- shows s) */
	OPT_MONITOR = 1 << 9,   /* -m: only the flag (builtins/set.c's opts_changed) */
	/* dash's options that do nothing in a non-interactive shell: only flags ($-, set -o) */
	OPT_NOTIFY = 1 << 10,     /* -b */
	OPT_IGNOREEOF = 1 << 11,  /* -I */
	OPT_VI = 1 << 12,         /* -V */
	OPT_EMACS = 1 << 13,      /* -E */
	OPT_PRIVILEGED = 1 << 14, /* -p */
	OPT_NOLOG = 1 << 15,
	OPT_DEBUG = 1 << 16,
};

/* main.c's sh_options: where the commands come from */
enum { SH_MODE_C, SH_MODE_FILE, SH_MODE_STDIN };

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
	void *vars;       /* state/vars.c's table */
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
	const struct shell_ops *ops;
	/* decide/: variables from view, memory from xa (never freed), no globbing */
	const struct shvar_view *view;
	struct ush_arena *xa;
};

/* messages and leaving the shell, through ops */
static inline void shell_msg(struct shell *sh, const char *a, const char *b, const char *c,
			     const char *d)
{
	sh->ops->msg(sh, a, b, c, d);
}
__attribute__((noreturn)) static inline void shell_exit(struct shell *sh, int status)
{
	sh->ops->exit(sh, status);
	__builtin_unreachable();
}
/*
 * an error that makes a non-interactive dash leave the current shell
 * (expansion errors, a failed special builtin, set -u): message, then
 * shell_exit(sh, status)
 */
__attribute__((noreturn)) static inline void shell_fail(struct shell *sh, int status, const char *a,
							const char *b, const char *c)
{
	shell_msg(sh, a, b, c, NULL);
	shell_exit(sh, status);
}

/* an expansion's memory: the heap, or decide/'s arena (xa), where nothing is freed */
static inline void *shell_alloc(struct shell *sh, size_t n)
{
	return sh->xa ? ush_alloc(sh->xa, n) : malloc(n);
}
static inline void shell_free(struct shell *sh, void *p)
{
	if (!sh->xa)
		free(p);
}
char *shell_strdup(struct shell *sh, const char *s);

/* builtins/getopts.c: OPTIND was assigned (dash's getoptsreset); -1 after dash's
 * "Illegal number" message, the variable unchanged. value NULL: unset. */
int getopts_reset(struct shell *sh, const char *value);

/* state/vars.c: variables. Values returned stay valid until the variable changes. */
const char *shvar_get(struct shell *sh, const char *name, size_t n); /* NULL: unset */
/* state/view.c: shvar_get of decide/'s shell (sh->view) */
const char *shvar_view_get(struct shell *sh, const char *name, size_t n);
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

/* eval/eval.c */
int eval_tree(struct shell *sh, struct node *n);               /* returns $? */
int eval_text(struct shell *sh, const char *text, size_t len); /* eval, trap actions */
/* $(cmd): its stdout, trailing newlines removed (malloc'd, NUL-terminated); sets sh->status */
char *eval_cmdsubst(struct shell *sh, struct node *cmd, size_t *len);
/* the evaluator's ops: what uring-sh's shell runs with */
extern const struct shell_ops eval_ops;

/*
 * expand/words.c: expansion in dash's order. Results are malloc'd (from
 * sh->xa in decide/'s shell): the caller frees them.
 */
/* fields of the words (tilde, parameters, $( ), $(( )), IFS splitting, globbing, quote removal) */
int words_expand(struct shell *sh, const struct word *w, unsigned n, struct strvec *out);
/* one string: no splitting, no globbing (assignments, redirection targets, case subject, here-docs) */
char *words_string(struct shell *sh, const struct word *w);
/* a pattern (case items, ${x#...}): quoted characters escaped with \ (see pattern.h) */
char *words_pattern(struct shell *sh, const struct word *w);

#endif /* USH_SHELL_H */
