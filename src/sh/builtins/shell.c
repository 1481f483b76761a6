/* SPDX-License-Identifier: MIT */
/*
 * What the builtins that work on the shell itself share (shell.h): dash's
 * option letters and numbers, errors that end the shell in a special
 * builtin, a line of output.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "builtins/shell.h"

/* a builtin's error: dash leaves the shell after one in a special builtin */
int bi_fail(struct shell *sh, const char *a, const char *b, const char *c)
{
	if (ev.special)
		shell_fail(sh, 2, a, b, c);
	shell_msg(sh, a, b, c, NULL);
	return 2;
}

/* the same after the message was written */
int bi_failed(struct shell *sh)
{
	if (ev.special)
		shell_exit(sh, 2);
	return 2;
}

/* dash's nextopt(): options from letters in allowed; -1 after the message */
int bi_options(struct shell *sh, char **argv, int *i, const char *allowed, char *seen)
{
	*i = 1;
	while (argv[*i] && argv[*i][0] == '-' && argv[*i][1]) {
		const char *a = argv[(*i)++];
		if (a[1] == '-' && !a[2])
			break;
		for (a++; *a; a++) {
			if (!strchr(allowed, *a)) {
				char opt[2] = {*a, 0};
				bi_fail(sh, "Illegal option -", opt, NULL);
				return -1;
			}
			seen[(unsigned char)*a] = 1;
		}
	}
	return 0;
}

/* dash's number(): strtoimax's syntax (blanks, sign), the whole string, 0..INT_MAX */
int bi_number(const char *s, int *out)
{
	char *end;

	errno = 0;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ' || (*end >= '\t' && *end <= '\r'))
		end++;
	if (end == s || *end || errno || v < 0 || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

void bi_out_line(const char *s)
{
	size_t n = strlen(s);
	char *b = malloc(n + 1);

	if (!b)
		return;
	memcpy(b, s, n);
	b[n] = '\n';
	eval_out(b, n + 1);
	free(b);
}
