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

struct bi_ctx {
	const char *arg0; /* $0, the message prefix */
	unsigned lineno;  /* the command's line */
	/* shell variables (read assigns, IFS is read); NULL result: unset */
	const char *(*get)(void *ctx, const char *name, size_t n);
	int (*set)(void *ctx, const char *name, size_t n, const char *value);
	void *ctx;
};

/* argv[0] is the builtin's name ("[" selects the bracket form). Returns $?. */
int bi_test(struct bi_ctx *c, int argc, char **argv);
int bi_printf(struct bi_ctx *c, int argc, char **argv);
int bi_echo(struct bi_ctx *c, int argc, char **argv);
int bi_read(struct bi_ctx *c, int argc, char **argv);
int bi_umask(struct bi_ctx *c, int argc, char **argv);
int bi_kill(struct bi_ctx *c, int argc, char **argv);

/* "arg0: LINE: name: text\n" on fd 2 (text pieces joined; NULLs end the list). */
void bi_error(struct bi_ctx *c, const char *name, const char *t1, const char *t2, const char *t3);

#endif
