/* SPDX-License-Identifier: MIT */
/*
 * Lines outside ush's subset: uring-sh's whole-grammar parser decides
 * whether uring-sh runs them itself (uring-run and the preload then start
 * uring-sh instead of /bin/sh).
 */
#include "syntax/ast.h"
#include "ush.h"

int ush_full_parse(struct ush_arena *a, const char *text, size_t len)
{
	const char *err = NULL, *reason = NULL;
	unsigned errline = 0;

	a->used = 0;
	syntax_parse(a, text, len, 1, &err, &errline, &reason);
	return err == NULL;
}
