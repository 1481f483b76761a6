/* SPDX-License-Identifier: MIT */
/*
 * ush: the parser and classifier behind uring-sh, reusable in-process
 * (uring-run, the ninja preload).
 *
 * Model: a line is what make passes to `sh -c`: a script of and-or lists
 * made of pipelines of simple commands. ush understands only a subset of
 * the shell language; everything outside it is reported as "delegate" with
 * a reason, and the caller must hand the whole line to /bin/sh unchanged.
 * The subset is chosen so that running it natively is indistinguishable
 * from dash 0.5.12 (stdout, stderr, exit status, files).
 *
 * Use:
 *	struct ush_arena a = { buf, sizeof buf, 0 };
 *	struct ush_line line;
 *	enum ush_class c = ush_parse(&a, text, len, &line);
 *	if (c == USH_NATIVE || c == USH_SPAWN)
 *		c = ush_check(&line, environ);   (environment-dependent checks)
 *
 * USH_SPAWN lines can be started with ush_prepare_spawn(): argv, envp, a
 * resolved path and struct uspawn_fa file actions; after a failed start,
 * ush_spawn_error() writes dash's message and gives dash's exit status.
 * Nothing here keeps global state; all memory comes from the arena.
 */
#ifndef USH_H
#define USH_H

#include <stddef.h>
#include <uspawn.h>

enum ush_class {
	USH_SPAWN = 1, /* one external simple command: spawn it directly */
	USH_NATIVE,    /* builtins, lists, pipelines: uring-sh runs it */
	USH_DELEGATE,  /* outside the subset: execv /bin/sh, reason says why */
	USH_SYNTAX,    /* a syntax error (dash reports it: delegate too) */
};

/* Memory for one line. Running out makes the line USH_DELEGATE. */
struct ush_arena {
	char *buf;
	size_t cap;
	size_t used;
};
void *ush_alloc(struct ush_arena *a, size_t n);

/* A piece of a word: literal text, or a parameter expansion. */
enum ush_part_type { USH_LIT, USH_PARAM };
struct ush_part {
	unsigned char type;
	unsigned char quoted; /* no field splitting (inside "", '' or after \) */
	char op;              /* PARAM: 0, '-' or '+' (${N-w}, ${N+w}) */
	char colon;           /* PARAM: ${N:-w} / ${N:+w} */
	const char *s;        /* LIT: text (quotes removed); PARAM: name or "?" */
	size_t n;
	const char *arg; /* PARAM: w (plain literal) */
	size_t argn;
};

struct ush_word {
	struct ush_part *parts;
	unsigned nparts;
};

enum ush_redir_op { USH_R_IN = 1, USH_R_OUT, USH_R_APPEND, USH_R_DUPIN, USH_R_DUPOUT };
struct ush_redir {
	int op;
	int fd;  /* the fd redirected */
	int dup; /* DUP*: the source fd, or -1 for "-" (close) */
	struct ush_word target;
};

struct ush_assign {
	const char *name;
	size_t n;
	struct ush_word value;
};

/* Builtins uring-sh runs itself (USH_B_NONE: an external command). */
enum ush_builtin {
	USH_B_NONE,
	USH_B_COLON,
	USH_B_TRUE,
	USH_B_FALSE,
	USH_B_CD,
	USH_B_EXIT,
	USH_B_EXPORT,
	USH_B_ECHO,
	USH_B_SET,
	USH_B_TEST,
	USH_B_BRACKET,
};

struct ush_cmd {
	struct ush_assign *assigns;
	unsigned nassigns;
	struct ush_word *args;
	unsigned nargs;
	struct ush_redir *redirs;
	unsigned nredirs;
	unsigned lineno;  /* dash's line number for messages */
	int builtin;      /* enum ush_builtin, from a literal command name */
	int name_expands; /* the command name holds an expansion */
};

struct ush_pipeline {
	struct ush_cmd *cmds;
	unsigned ncmds;
	int bang;
};

struct ush_andor {
	struct ush_pipeline *pipes;
	unsigned npipes;
	char *ops; /* ops[i] joins pipes[i] and pipes[i+1]: '&' (&&) or '|' (||) */
};

struct ush_line {
	struct ush_andor *items;
	unsigned nitems;
	const char *reason; /* USH_DELEGATE / USH_SYNTAX: why */
	unsigned has_cd;
};

/*
 * Parse text (not NUL-terminated necessarily) into line. Returns
 * USH_SPAWN, USH_NATIVE, USH_DELEGATE or USH_SYNTAX (line->reason set).
 * Only the text matters here; ush_check() adds what the environment says.
 */
enum ush_class ush_parse(struct ush_arena *a, const char *text, size_t len, struct ush_line *line);

/*
 * Checks that depend on the environment the line will run in (IFS, PATH,
 * PWD, values of variables expanded unquoted). Call it right before running.
 * Returns the class (maybe now USH_DELEGATE, reason in line->reason).
 */
enum ush_class ush_check(struct ush_line *line, char *const *envp);

/* A USH_SPAWN line made ready for uspawn_submit(). */
struct ush_spawn {
	char **argv;
	char **envp;
	char path[4096];           /* resolved as dash does (stat search of $PATH) */
	struct uspawn_fa *actions; /* one per redirection, in order */
	unsigned nactions;
	struct ush_cmd *cmd;
	unsigned lineno;  /* dash's line number of the command, for messages */
	int lookup_error; /* nonzero: not found (the errno for the message) */
	int path_idx;     /* the $PATH entry path came from; -1: argv[0] has a '/' */
	const char *pathvar;
	int exec_error; /* dash's remembered exec error (see ush_spawn_retry) */
};

/*
 * Expand the single command of a USH_SPAWN line, look it up, build its
 * environment. Returns 0, or -1 when the arena is exhausted (delegate).
 * When lookup_error is set (not found), path is "": spawning it still runs
 * the file actions (dash creates redirected files before its lookup) and
 * fails at the exec stage; ush_spawn_error() then reports "not found". fd 2 is never redirected in a USH_SPAWN line, so messages
 * written to the caller's fd 2 land where dash would write them.
 */
int ush_prepare_spawn(struct ush_arena *a, struct ush_line *line, char *const *envp,
		      struct ush_spawn *sp);

/*
 * After an exec-stage failure with error, dash goes on trying the later
 * $PATH entries: returns 1 with sp->path set to the next one to spawn, or
 * 0 when there is none (then report with ush_spawn_error()).
 */
int ush_spawn_retry(struct ush_spawn *sp, int error);

/*
 * Format dash's message for a job that failed to start, as
 * "ARG0: LINE: ...\n" into buf (up to n bytes), and return dash's exit
 * status for it: 127 not found, 126 permission denied, 2 for a failed
 * redirection or other exec errors. error/stage/stage_index come from the
 * EXIT event (stage USPAWN_STAGE_NONE with error 0 for lookup_error).
 */
int ush_spawn_error(const struct ush_spawn *sp, const char *arg0, int error,
		    enum uspawn_stage stage, unsigned stage_index, char *buf, size_t n);

/* How `sh -c LINE` runs: ush_decide()'s answer. */
enum ush_how {
	USH_DIRECT = 1, /* one external command: spawn sp as it is */
	USH_URING_SH,   /* uring-sh runs it as dash would */
	USH_SH,         /* /bin/sh must: a syntax error, the command not found, too long */
};

/*
 * The line's decision, taken on uring-sh's own parser and expander with
 * envp as the environment and arg0 as $0: USH_DIRECT with sp ready to
 * spawn (argv, envp, path, file actions), or where it goes and *reason
 * why. A command that is not found is USH_SH with sp filled and
 * sp->lookup_error set (ush_spawn_error() words it). Takes its memory from
 * a, from a->used on (sp's strings live there); nothing else is allocated
 * or changed: no global state.
 */
enum ush_how ush_decide(struct ush_arena *a, const char *text, size_t len, const char *arg0,
			char *const *envp, struct ush_spawn *sp, const char **reason);

/*
 * For a line ush_parse() delegates: 1 when uring-sh's full parser accepts
 * it (no syntax error, nothing unsupported), so uring-sh, not /bin/sh,
 * should run it. Uses (and resets) the arena.
 */
int ush_full_parse(struct ush_arena *a, const char *text, size_t len);

/* dash's wording for errno in an exec/open/create context (errmsg()). */
enum { USH_E_EXEC, USH_E_OPEN, USH_E_CREAT };
const char *ush_errmsg(int err, int ctx);

#endif /* USH_H */
