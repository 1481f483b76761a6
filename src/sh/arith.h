/* SPDX-License-Identifier: MIT */
/* $((...)): dash 0.5.12's arithmetic (intmax_t, C precedence, assignments). */
#ifndef USH_ARITH_H
#define USH_ARITH_H

#include <stddef.h>
#include <stdint.h>

/* Variables an expression reads and assigns (x, x=1, x+=2 ...). */
struct arith_env {
	/* the value of name, NULL when unset (it counts as 0) */
	const char *(*get)(void *ctx, const char *name, size_t n);
	/* assign name its new value as text; nonzero: fail (the message is printed by set) */
	int (*set)(void *ctx, const char *name, size_t n, const char *value);
	void *ctx;
};

/*
 * Evaluate expr (already expanded: parameters, command substitutions done).
 * Returns 0 with *out set, or -1 with dash's message (without the
 * "sh: LINE: " prefix, e.g. "arithmetic expression: expecting primary: \"1+\""
 * or "divide by zero") in msg; the shell then fails with status 2.
 */
int arith_eval(const char *expr, const struct arith_env *env, intmax_t *out, char *msg,
	       size_t msgn);

#endif
