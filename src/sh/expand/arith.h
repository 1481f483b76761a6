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
 *
 * Details, all as dash: the messages are "arithmetic expression: WHAT:
 * \"EXPR\"" (WHAT: expecting primary / EOF / ')' / ':', division by zero)
 * and "Illegal number: VALUE" for a variable whose value is not a whole
 * number (unset or empty is 0; blanks around it are allowed; its value is
 * never evaluated as an expression). When set fails, msg is "" (set has
 * printed the message). INTMAX_MIN / -1 and INTMAX_MIN % -1 kill the
 * process with SIGFPE, as dash's idiv does. Nesting deeper than a few
 * thousand levels fails with "nested too deeply" (dash would overflow its
 * stack much later). arith_eval allocates nothing, so get and set may
 * longjmp out of it.
 */
int arith_eval(const char *expr, const struct arith_env *env, intmax_t *out, char *msg,
	       size_t msgn);

#endif
