/* SPDX-License-Identifier: MIT */
/* Message formatting without stdio (uring-sh stays small to start fast). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

void out_mem(struct out *o, const char *s, size_t n)
{
	if (o->n >= o->cap)
		return;
	if (n > o->cap - o->n)
		n = o->cap - o->n;
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

void out_str(struct out *o, const char *s)
{
	out_mem(o, s, strlen(s));
}

void out_quoted(struct out *o, const char *s)
{
	do {
		size_t run = strcspn(s, "'");

		out_str(o, "'");
		out_mem(o, s, run);
		out_str(o, "'");
		s += run;
		if (!(run = strspn(s, "'")))
			break;
		out_str(o, "\"");
		out_mem(o, s, run);
		out_str(o, "\"");
		s += run;
	} while (*s);
}

char *fmt_udec(char *end, unsigned long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

void out_uint(struct out *o, unsigned long v)
{
	char d[24], *s = fmt_udec(d + sizeof d, v);

	out_mem(o, s, (size_t)(d + sizeof d - s));
}

/* dash's "arg0: LINENO: " */
void out_prefix(struct out *o, const char *arg0, unsigned lineno)
{
	out_str(o, arg0);
	out_str(o, ": ");
	out_uint(o, lineno);
	out_str(o, ": ");
}

void write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= w;
	}
}

/* dash's errmsg(): the words for errno in an exec, open or create */
const char *ush_errmsg(int err, int ctx)
{
	if (err != ENOENT && err != ENOTDIR)
		return strerror(err);
	return ctx == USH_E_OPEN    ? "No such file"
	       : ctx == USH_E_CREAT ? "Directory nonexistent"
				    : "not found";
}
