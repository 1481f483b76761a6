/* SPDX-License-Identifier: MIT */
/* The builtins' names (list.h), for telling a builtin from a program. */
#include <string.h>
#include "builtins/builtins.h"

static const char *const names[] = {
#define BUILTIN(name, fn, flags) name,
#include "builtins/list.h"
#undef BUILTIN
};

static const unsigned char flags[] = {
#define BUILTIN(name, fn, flags) flags,
#include "builtins/list.h"
#undef BUILTIN
};

int builtin_special_n(const char *name, size_t n)
{
	char buf[16];

	if (n >= sizeof buf)
		return 0;
	memcpy(buf, name, n);
	buf[n] = 0;
	int i = builtin_index(buf);
	return i >= 0 && (flags[i] & BI_SPECIAL);
}

int builtin_index(const char *name)
{
	unsigned lo = 0, hi = sizeof names / sizeof names[0];

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		int c = strcmp(name, names[mid]);
		if (!c)
			return (int)mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}
