/* SPDX-License-Identifier: MIT */
/* Tiny TAP helpers shared by the programs that run inside the test VM. */
#ifndef KTEST_H
#define KTEST_H

#include <stdarg.h>
#include <stdio.h>

static int ktest_n, ktest_failed;

static inline void ktest_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", ++ktest_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		ktest_failed++;
}

static inline int ktest_done(void)
{
	printf("1..%d\n# %d failed\n", ktest_n, ktest_failed);
	fflush(stdout);
	return ktest_failed ? 1 : 0;
}

#endif
