/* SPDX-License-Identifier: MIT */
/*
 * ush: uring-sh's parser and expander for programs that run `sh -c LINE`
 * themselves (uring-run, the ninja preload). ush_decide() answers whether
 * the line is one external simple command to spawn directly, exactly as
 * dash would run it, and with what; every other line uring-sh runs, the
 * rest (syntax errors, a command not found) /bin/sh.
 *
 * Use:
 *	struct ush_arena a = { buf, sizeof buf, 0 };    all memory, no globals
 *	struct ush_spawn *sp = ush_alloc(&a, sizeof *sp);
 *	const char *why;
 *	switch (ush_decide(&a, line, strlen(line), "/bin/sh", environ, sp, &why)) {
 *	case USH_DIRECT:   spawn sp->path, sp->argv, sp->envp, sp->actions
 *	case USH_URING_SH: run uring-sh with the line
 *	case USH_SH:       run /bin/sh with the line
 *	}
 * After a failed start ush_spawn_retry() walks $PATH on as dash does, and
 * ush_spawn_error() gives dash's message and exit status.
 */
#ifndef USH_H
#define USH_H

#include <stddef.h>
#include <uspawn.h>

/* Memory for one line (the parser's trees too). Running out sends the line to /bin/sh. */
struct ush_arena {
	char *buf;
	size_t cap;
	size_t used;
};
void *ush_alloc(struct ush_arena *a, size_t n);

/* How `sh -c LINE` runs: ush_decide()'s answer. */
enum ush_how {
	USH_DIRECT = 1, /* one external command: spawn sp as it is */
	USH_URING_SH,   /* uring-sh runs it as dash would */
	USH_SH,         /* /bin/sh must: a syntax error, the command not found, too long */
};

/* A USH_DIRECT line made ready for uspawn_submit(). */
struct ush_spawn {
	char **argv;
	char **envp;
	char path[4096];           /* resolved as dash does (stat search of $PATH) */
	struct uspawn_fa *actions; /* one per redirection, in order */
	unsigned nactions;
	unsigned lineno;  /* dash's line number of the command, for messages */
	int lookup_error; /* nonzero: not found (the errno for the message) */
	int path_idx;     /* the $PATH entry path came from; -1: argv[0] has a '/' */
	const char *pathvar;
	int exec_error; /* dash's remembered exec error (see ush_spawn_retry) */
};

/*
 * The line's decision, taken on uring-sh's own parser and expander with
 * envp as the environment and arg0 as $0: USH_DIRECT with sp ready to
 * spawn (argv, envp, path, file actions), or where it goes and *reason
 * why. A command that is not found is USH_SH with sp filled and
 * sp->lookup_error set (ush_spawn_error() words it). Takes its memory from
 * a, from a->used on (sp's strings live there); nothing else is allocated
 * or changed: no global state. fd 2 is never redirected in a USH_DIRECT
 * line, so messages written to the caller's fd 2 land where dash would
 * write them.
 */
enum ush_how ush_decide(struct ush_arena *a, const char *text, size_t len, const char *arg0,
			char *const *envp, struct ush_spawn *sp, const char **reason);

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

/* dash's wording for errno in an exec/open/create context (errmsg()). */
enum { USH_E_EXEC, USH_E_OPEN, USH_E_CREAT };
const char *ush_errmsg(int err, int ctx);
/* strerror() in glibc's words (dash's) */
const char *ush_strerror(int err);

#endif /* USH_H */
