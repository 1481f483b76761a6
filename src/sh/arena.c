/* SPDX-License-Identifier: MIT */
/* The bump allocator every parse and expansion draws from. */
#include "ush.h"

void *ush_alloc(struct ush_arena *a, size_t n)
{
	size_t at = (a->used + 15) & ~(size_t)15;

	if (at > a->cap || n > a->cap - at)
		return NULL;
	a->used = at + n;
	return a->buf + at;
}
