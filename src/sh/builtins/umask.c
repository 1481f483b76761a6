/* SPDX-License-Identifier: MIT */
/*
 * dash's umask: print (octal, or -S symbolic), set from octal digits, or
 * from a symbolic mode applied to the current permissions: clauses
 * [ugoa]*([+-=][rwxXsugo]*)+ separated by commas. Copies (u, g, o) and X
 * look at the permissions before the change; no "who" means all.
 */
#include <string.h>
#include <sys/stat.h>
#include "builtins/builtins.h"

static void put_symbolic(struct bi_out *o, mode_t perm)
{
	char buf[32];
	size_t n = 0;

	for (int i = 0; i < 3; i++) {
		unsigned bits = (perm >> (6 - 3 * i)) & 7;
		if (i)
			buf[n++] = ',';
		buf[n++] = "ugo"[i];
		buf[n++] = '=';
		for (int j = 0; j < 3; j++)
			if (bits & (4u >> j))
				buf[n++] = "rwx"[j];
	}
	buf[n++] = '\n';
	bi_out_put(o, buf, n);
}

static int print_mask(struct bi_ctx *c, mode_t mask, int symbolic)
{
	struct bi_out o;

	bi_out_init(&o, 1);
	if (symbolic) {
		put_symbolic(&o, ~mask & 0777);
	} else {
		char buf[8] = {'0',
			       (char)('0' + ((mask >> 9) & 7)),
			       (char)('0' + ((mask >> 6) & 7)),
			       (char)('0' + ((mask >> 3) & 7)),
			       (char)('0' + (mask & 7)),
			       '\n'};
		bi_out_put(&o, buf + 1, 5);
	}
	return bi_out_end(c, &o, "umask", 0);
}

/* the permission bits one perm letter stands for, in all three classes */
static mode_t perm_bits(char ch, mode_t old)
{
	switch (ch) {
	case 'r':
		return 0444;
	case 'w':
		return 0222;
	case 'x':
		return 0111;
	case 'X':
		return old & 0111 ? 0111 : 0;
	case 'u':
		return ((old >> 6) & 7) * 0111;
	case 'g':
		return ((old >> 3) & 7) * 0111;
	case 'o':
		return (old & 7) * 0111;
	}
	return 0; /* s: no set-id bits in a umask */
}

static mode_t who_bits(char ch)
{
	return ch == 'u' ? 0700 : ch == 'g' ? 0070 : ch == 'o' ? 0007 : 0777;
}

/* the new permissions, or -1 when the mode is not one */
static long symbolic(const char *p, mode_t old)
{
	mode_t now = old;

	while (*p) {
		mode_t who = 0;
		for (; *p && strchr("ugoa", *p); p++)
			who |= who_bits(*p);
		if (!who)
			who = 0777;
		if (!*p || !strchr("+-=", *p))
			return -1;
		while (*p && strchr("+-=", *p)) {
			char op = *p++;
			mode_t perm = 0;
			for (; *p && strchr("rwxXsugo", *p); p++)
				perm |= perm_bits(*p, old);
			if (op == '+')
				now |= perm & who;
			else if (op == '-')
				now &= ~(perm & who);
			else
				now = (now & ~who) | (perm & who);
		}
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	return (long)now;
}

int bi_umask(struct bi_ctx *c, int argc, char **argv)
{
	int show_symbolic = 0, opt;
	struct bi_opts o = {argv + 1, NULL};

	(void)argc;
	while ((opt = bi_nextopt(&o))) {
		if (opt != 'S') {
			char letter[2] = {(char)opt, 0};
			bi_error(c, "umask", "Illegal option -", letter, NULL);
			return 2;
		}
		show_symbolic = 1;
	}
	char **a = o.a;
	mode_t mask = umask(0);
	umask(mask);
	if (!*a)
		return print_mask(c, mask, show_symbolic);
	const char *arg = *a;
	if (*arg >= '0' && *arg <= '9') {
		mode_t m = 0;
		for (const char *p = arg; *p; p++) {
			if (*p < '0' || *p > '7') {
				bi_error(c, "umask", "Illegal number: ", arg, NULL);
				return 2;
			}
			m = (mode_t)(m << 3) + (mode_t)(*p - '0');
		}
		umask(m);
		return 0;
	}
	long perm = symbolic(arg, ~mask & 0777);
	if (perm < 0) {
		bi_error(c, "umask", "Illegal mode: ", arg, NULL);
		return 2;
	}
	umask(~(mode_t)perm & 0777);
	return 0;
}
