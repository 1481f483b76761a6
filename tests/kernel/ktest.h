/* SPDX-License-Identifier: MIT */
/*
 * Tiny TAP helpers shared by the programs that run inside the test VM. The
 * counters live in a shared anonymous mapping, so a case that runs in a
 * forked child (to keep no_new_privs, a seccomp filter or a dropped uid
 * out of the next case) reports into the same plan as its parent.
 */
#ifndef KTEST_H
#define KTEST_H

#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>

struct ktest_counts {
	int n, failed;
};

static struct ktest_counts *ktest_c;

/* Call before the first fork. */
static inline void ktest_init(void)
{
	static struct ktest_counts local;

	if (ktest_c)
		return;
	ktest_c = mmap(NULL, sizeof(*ktest_c), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);
	if (ktest_c == MAP_FAILED)
		ktest_c = &local;
}

static inline void ktest_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	ktest_init();
	printf("%s %d - ", cond ? "ok" : "not ok", ++ktest_c->n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		ktest_c->failed++;
}

static inline int ktest_done(void)
{
	ktest_init();
	printf("1..%d\n# %d failed\n", ktest_c->n, ktest_c->failed);
	fflush(stdout);
	return ktest_c->failed ? 1 : 0;
}

#endif
