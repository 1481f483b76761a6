/* SPDX-License-Identifier: MIT */
/*
 * The builtins that need nothing of the interpreter but variables and a
 * place for messages: test/[, printf, echo, read, umask, kill. Each behaves
 * as dash 0.5.12's: output, messages ("$0: LINE: name: text" on fd 2),
 * exit status. Output to fd 1 is buffered per call and written before the
 * builtin returns (a failed write reports as dash does).
 */
#ifndef USH_BUILTINS_H
#define USH_BUILTINS_H

#include <stddef.h>
#include <stdint.h>

struct bi_ctx {
	const char *arg0; /* $0, the message prefix */
	unsigned lineno;  /* the command's line */
	/* shell variables (read assigns, IFS is read); NULL result: unset */
	const char *(*get)(void *ctx, const char *name, size_t n);
	int (*set)(void *ctx, const char *name, size_t n, const char *value);
	void *ctx;
	/*
	 * kill's %job: the pid of the job's first process, or 0 after the
	 * shell's message for a name that is no job; NULL: no job table
	 */
	long (*job)(void *ctx, const char *name);
};

/* names.c: the builtin called name's place in list.h, -1 when it is none */
/* a builtin's flags in list.h */
enum { BI_SPECIAL = 1, BI_ASSIGN = 2 };
int builtin_index(const char *name);
/* the n bytes at name are a special builtin's name (dash: no function may have it) */
int builtin_special_n(const char *name, size_t n);

/* argv[0] is the builtin's name ("[" selects the bracket form). Returns $?. */
int bi_test(struct bi_ctx *c, int argc, char **argv);
int bi_printf(struct bi_ctx *c, int argc, char **argv);
int bi_echo(struct bi_ctx *c, int argc, char **argv);
int bi_read(struct bi_ctx *c, int argc, char **argv);
int bi_umask(struct bi_ctx *c, int argc, char **argv);
int bi_kill(struct bi_ctx *c, int argc, char **argv);
int bi_times(struct bi_ctx *c, int argc, char **argv);
int bi_ulimit(struct bi_ctx *c, int argc, char **argv);

/* "arg0: LINE: name: text\n" on fd 2 (text pieces joined; NULLs end the list). */
void bi_error(struct bi_ctx *c, const char *name, const char *t1, const char *t2, const char *t3);

/*
 * Shared by these builtins (common.c). dash's standard output buffer:
 * 8192 bytes; a piece that does not fit flushes what is buffered first, a
 * piece as large as the buffer is written directly. Where the flushes fall
 * decides how output interleaves with messages on a shared fd 2.
 */
enum { BI_OUTBUF = 8192 };
struct bi_out {
	int fd;
	int failed; /* a write failed: "name: I/O error" at the end */
	size_t n;
	char buf[BI_OUTBUF];
};
/*
 * Set by the first output of the process (dash allocates its buffer then,
 * which changes where one flush falls); other builtins that write to
 * stdout should set it too. Inherited by forked subshells, as dash's.
 */
extern int bi_out_allocated;
void bi_out_init(struct bi_out *o, int fd);
void bi_out_put(struct bi_out *o, const char *s, size_t n); /* one piece */
void bi_out_flush(struct bi_out *o);
/* flush; after a failed write "name: name: I/O error" and 1, else status */
int bi_out_end(struct bi_ctx *c, struct bi_out *o, const char *name, int status);

/*
 * dash's nextopt(): the option letters of the words from o->a on, in turn
 * ("-ab" gives 'a' then 'b'); 0 at the first operand, where o->a is left.
 * "-" alone is an operand; "--" ends the options and is skipped ("--x"
 * gives '-'). Start with {argv + 1, NULL}.
 */
struct bi_opts {
	char **a;
	const char *p;
};
int bi_nextopt(struct bi_opts *o);

/* dash's decimal number: strtoimax, blanks around, no overflow. -1: bad. */
int bi_strtomax(const char *s, intmax_t *v);

/* echo.c: echo's and printf %b's escapes of s into o (at most strlen(s)
 * bytes); *stop set at \c. Returns the length. */
size_t bi_bescape(const char *s, char *o, int *stop);

#endif
