/* SPDX-License-Identifier: MIT */
/*
 * dash's echo: only a first "-n" is an option, and backslash escapes are
 * always interpreted (the same set as printf's %b).
 */
#include <stdlib.h>
#include <string.h>
#include "builtins/builtins.h"

static int is_octal(char c)
{
	return c >= '0' && c <= '7';
}

/* up to max octal digits at *s */
static char octal(const char **s, int max)
{
	unsigned v = 0;

	for (int i = 0; i < max && is_octal(**s); i++)
		v = v * 8 + (unsigned)(*(*s)++ - '0');
	return (char)v;
}

size_t bi_bescape(const char *s, char *o, int *stop)
{
	static const char from[] = "abefnrtv\\", to[] = "\a\b\033\f\n\r\t\v\\";
	size_t n = 0;

	*stop = 0;
	while (*s) {
		const char *e = s[0] == '\\' && s[1] ? strchr(from, s[1]) : NULL;
		if (*s != '\\' || !s[1]) {
			o[n++] = *s++;
		} else if (s[1] == 'c') {
			*stop = 1;
			break;
		} else if (e) {
			o[n++] = to[e - from];
			s += 2;
		} else if (s[1] == '0') {
			s += 2; /* \0 and up to three more digits */
			o[n++] = octal(&s, 3);
		} else if (is_octal(s[1])) {
			s++;
			o[n++] = octal(&s, 3);
		} else {
			o[n++] = *s++; /* unknown: the backslash stays */
		}
	}
	return n;
}

/* Each argument and its separator is one piece of output, as dash's. */
int bi_echo(struct bi_ctx *c, int argc, char **argv)
{
	struct bi_out out;
	int nl = 1, stop = 0;
	char small[256];

	(void)argc;
	bi_out_init(&out, 1);
	argv++;
	if (*argv && !strcmp(*argv, "-n")) {
		nl = 0;
		argv++;
	}
	do {
		const char *arg = *argv ? *argv : "";
		size_t len = strlen(arg);
		char *buf = len + 1 <= sizeof small ? small : malloc(len + 1);
		if (!buf)
			break;
		size_t n = bi_bescape(arg, buf, &stop);
		int last = !*argv || !argv[1];
		if (!stop && (!last || nl))
			buf[n++] = last ? '\n' : ' ';
		bi_out_put(&out, buf, n);
		if (buf != small)
			free(buf);
	} while (!stop && *argv && *++argv);
	return bi_out_end(c, &out, "echo", 0);
}
