/* SPDX-License-Identifier: MIT */
/*
 * dash's printf: the format is reused while arguments remain; a bad number
 * is reported, counts as 0 (or what converted) and makes the status 1; a
 * bad directive stops the command with status 2. Conversions go through the
 * C library's snprintf with intmax_t / double arguments, as dash's do.
 */
#include <ctype.h>
#include <errno.h>
#include <fenv.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "builtins/builtins.h"

struct pf {
	struct bi_ctx *c;
	struct bi_out out;
	char **arg; /* the next argument */
	int status;
	int stop; /* \c in a %b argument */
};

static const char *next_str(struct pf *p)
{
	return *p->arg ? *p->arg++ : "";
}

/* 'c or "c: the character's value (its first byte) */
static int quoted_char(const char *s, uintmax_t *v)
{
	if (*s != '\'' && *s != '"')
		return 0;
	*v = (unsigned char)s[1];
	return 1;
}

/* dash's order: junk after the number first, then overflow */
static void check_number(struct pf *p, const char *s, const char *end)
{
	if (*end) {
		bi_error(p->c, "printf", s,
			 end == s ? ": expected numeric value" : ": not completely converted",
			 NULL);
		p->status = 1;
	} else if (errno == ERANGE) {
		/* glibc's text, whatever C library uring-sh is built with */
		bi_error(p->c, "printf", s, ": Numerical result out of range", NULL);
		p->status = 1;
	}
}

static intmax_t next_int(struct pf *p)
{
	const char *s = *p->arg ? *p->arg++ : NULL;
	uintmax_t q;
	char *end;

	if (!s)
		return 0;
	if (quoted_char(s, &q))
		return (intmax_t)q;
	errno = 0;
	intmax_t v = strtoimax(s, &end, 0);
	check_number(p, s, end);
	return v;
}

static uintmax_t next_uint(struct pf *p)
{
	const char *s = *p->arg ? *p->arg++ : NULL;
	uintmax_t v;
	char *end;

	if (!s)
		return 0;
	if (quoted_char(s, &v))
		return v;
	errno = 0;
	v = strtoumax(s, &end, 0);
	check_number(p, s, end);
	return v;
}

/*
 * dash's numbers are glibc's: ERANGE for an inexact subnormal result, and
 * "-nan" keeps its sign. musl (uring-sh's static build) differs in both.
 */
static double strtod_as_glibc(const char *s, char **end)
{
#ifdef __GLIBC__
	return strtod(s, end);
#else
	feclearexcept(FE_INEXACT);
	double v = strtod(s, end);
	if (fpclassify(v) == FP_SUBNORMAL && fetestexcept(FE_INEXACT))
		errno = ERANGE;
	const char *t = s;
	while (isspace((unsigned char)*t))
		t++;
	if (isnan(v) && *t == '-')
		v = -fabs(v);
	return v;
#endif
}

static double next_double(struct pf *p)
{
	const char *s = *p->arg ? *p->arg++ : NULL;
	uintmax_t q;
	char *end;

	if (!s)
		return 0;
	if (quoted_char(s, &q))
		return (double)q;
	errno = 0;
	double v = strtod_as_glibc(s, &end);
	check_number(p, s, end);
	return v;
}

/* One value for a C conversion. */
struct value {
	char type; /* 'i' intmax_t, 'u' uintmax_t, 'f' double, 's' string, 'c' char */
	intmax_t i;
	uintmax_t u;
	double f;
	const char *s;
};

static int format_value(char *buf, size_t n, const char *fmt, const struct value *v)
{
	switch (v->type) {
	case 'i':
		return snprintf(buf, n, fmt, v->i);
	case 'u':
		return snprintf(buf, n, fmt, v->u);
	case 'f':
		return snprintf(buf, n, fmt, v->f);
	case 'c':
		return snprintf(buf, n, fmt, (int)(unsigned char)*v->s);
	}
	return snprintf(buf, n, fmt, v->s);
}

/* the conversion is one piece of output, whatever its size */
static void put_value(struct pf *p, const char *fmt, const struct value *v)
{
	char small[512], *buf = small;
	int n = format_value(small, sizeof small, fmt, v);

	if (n < 0)
		return;
	if ((size_t)n >= sizeof small) {
		buf = malloc((size_t)n + 1);
		if (!buf)
			return;
		format_value(buf, (size_t)n + 1, fmt, v);
	}
	bi_out_put(&p->out, buf, (size_t)n);
	if (buf != small)
		free(buf);
}

/* %b: escapes, then precision and width counted in bytes (NULs included) */
static void put_b(struct pf *p, const char *s, int left, long long width, long long prec)
{
	size_t len = strlen(s), pad;
	char *buf = malloc(len + 1), *piece;

	if (!buf)
		return;
	size_t n = bi_bescape(s, buf, &p->stop);
	if (prec >= 0 && (size_t)prec < n)
		n = (size_t)prec;
	pad = width > 0 && (size_t)width > n ? (size_t)width - n : 0;
	piece = pad ? malloc(n + pad) : buf;
	if (piece) {
		if (pad) {
			memset(piece, ' ', n + pad);
			memcpy(piece + (left ? 0 : pad), buf, n);
		}
		bi_out_put(&p->out, piece, n + pad);
	}
	if (piece != buf)
		free(piece);
	free(buf);
}

/*
 * A negative NaN: glibc prints "-nan" (dash's output), musl "nan". Printed
 * one narrower without sign flags, then the '-' goes in front of the letters.
 */
static void put_negative_nan(struct pf *p, char conv, int left, long long width)
{
	char fmt[32], buf[64], *out = buf;
	struct value v = {.type = 'f', .f = NAN};

	snprintf(fmt, sizeof fmt, "%%%s%lldc", left ? "-" : "", width > 1 ? width - 1 : 0);
	fmt[strlen(fmt) - 1] = conv;
	int n = format_value(buf + 1, sizeof buf - 1, fmt, &v);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof buf - 1) {
		out = malloc((size_t)n + 2);
		if (!out)
			return;
		format_value(out + 1, (size_t)n + 1, fmt, &v);
	}
	size_t letters = strcspn(out + 1, "nN");
	memmove(out, out + 1, letters);
	out[letters] = '-';
	bi_out_put(&p->out, out, (size_t)n + 1);
	if (out != buf)
		free(out);
}

#ifndef __GLIBC__
static int has_flag(const char *fmt, char flag)
{
	for (fmt++; *fmt && strchr("#-+ 0", *fmt); fmt++)
		if (*fmt == flag)
			return 1;
	return 0;
}

/*
 * %a of a subnormal double as glibc prints it (dash's output): 0x0.<the
 * 52-bit fraction>p-1022, rounded half to even at a precision; musl
 * normalizes instead.
 */
static void put_subnormal_a(struct pf *p, const char *fmt, double v, long long width,
			    long long prec)
{
	const char *hex = fmt[strlen(fmt) - 1] == 'A' ? "0123456789ABCDEF" : "0123456789abcdef";
	uint64_t bits, m, lead = 0;
	char body[96], digits[80];
	int nd = 13, n = 0;

	memcpy(&bits, &v, sizeof bits);
	m = bits & ((1ULL << 52) - 1);
	if (prec >= 0 && prec < 13) {
		int shift = 4 * (13 - (int)prec);
		uint64_t q = m >> shift, rem = m & ((1ULL << shift) - 1),
			 half = 1ULL << (shift - 1);
		if (rem > half || (rem == half && (q & 1)))
			q++;
		nd = (int)prec;
		if (q >> (4 * nd)) {
			lead = 1;
			q = 0;
		}
		m = q;
	}
	for (int i = 0; i < nd; i++)
		digits[i] = hex[(m >> (4 * (nd - 1 - i))) & 15];
	if (prec < 0)
		while (nd > 0 && digits[nd - 1] == '0')
			nd--;
	for (; prec > nd && nd < 60; nd++)
		digits[nd] = '0';
	if (signbit(v))
		body[n++] = '-';
	else if (has_flag(fmt, '+') || has_flag(fmt, ' '))
		body[n++] = has_flag(fmt, '+') ? '+' : ' ';
	int prefix = n + 2;
	body[n++] = '0';
	body[n++] = hex[10] == 'A' ? 'X' : 'x';
	body[n++] = (char)('0' + lead);
	if (nd || has_flag(fmt, '#'))
		body[n++] = '.';
	memcpy(body + n, digits, (size_t)nd);
	n += nd;
	n += snprintf(body + n, 8, "%c-1022", hex[10] == 'A' ? 'P' : 'p');
	if (width > n && width < 4096) {
		char *out = malloc((size_t)width);
		size_t pad = (size_t)(width - n);
		if (!out)
			return;
		if (has_flag(fmt, '-')) {
			memcpy(out, body, (size_t)n);
			memset(out + n, ' ', pad);
		} else if (has_flag(fmt, '0')) {
			memcpy(out, body, (size_t)prefix);
			memset(out + prefix, '0', pad);
			memcpy(out + prefix + pad, body + prefix, (size_t)(n - prefix));
		} else {
			memset(out, ' ', pad);
			memcpy(out + pad, body, (size_t)n);
		}
		bi_out_put(&p->out, out, (size_t)width);
		free(out);
		return;
	}
	bi_out_put(&p->out, body, (size_t)n);
}
#endif

static void put_conversion(struct pf *p, const char *fmt, char conv, int left, long long width,
			   long long prec)
{
	struct value v = {.type = 's'};

	switch (conv) {
	case 'b':
		put_b(p, next_str(p), left, width, prec);
		return;
	case 'c':
	case 's':
		v.type = conv;
		v.s = next_str(p);
		break;
	case 'd':
	case 'i':
		v.type = 'i';
		v.i = next_int(p);
		break;
	case 'o':
	case 'u':
	case 'x':
	case 'X':
		v.type = 'u';
		v.u = next_uint(p);
		break;
	default:
		v.type = 'f';
		v.f = next_double(p);
		if (isnan(v.f) && signbit(v.f)) {
			put_negative_nan(p, conv, left, width);
			return;
		}
#ifndef __GLIBC__
		if ((conv == 'a' || conv == 'A') && fpclassify(v.f) == FP_SUBNORMAL) {
			put_subnormal_a(p, fmt, v.f, width, prec);
			return;
		}
#endif
	}
	put_value(p, fmt, &v);
}

/* a width or precision: digits, or '*' taking an argument as an int */
static long long field(struct pf *p, const char **f, int *given)
{
	long long v = 0;

	if (**f == '*') {
		(*f)++;
		*given = 1;
		return (int)next_int(p);
	}
	for (; **f >= '0' && **f <= '9'; (*f)++) {
		*given = 1;
		if (v <= INT32_MAX)
			v = v * 10 + (**f - '0');
	}
	return v;
}

static void add_number(char *fmt, size_t *n, long long v)
{
	*n += (size_t)snprintf(fmt + *n, 24, "%lld", v);
}

/*
 * The directive at *fp (a '%' not followed by '%'). -1 after a message
 * when the directive is bad: printf stops there with status 2.
 */
static int directive(struct pf *p, const char **fp)
{
	const char *start = *fp, *f = start + 1;
	char fmt[128], flags[8] = "";
	size_t n = 1;
	int wgiven = 0, pgiven = 0, left;
	long long width, prec = -1;

	for (; *f && strchr("#-+ 0", *f); f++)
		if (!strchr(flags, *f))
			strncat(flags, f, 1);
	width = field(p, &f, &wgiven);
	if (*f == '.') {
		f++;
		pgiven = 1;
		prec = field(p, &f, &(int){0});
	}
	char conv = *f;
	if (!conv) {
		bi_error(p->c, "printf", "missing format character", NULL, NULL);
		return -1;
	}
	if (!strchr("bcsdiouxXeEfFgGaA", conv)) {
		char *text = strndup(start, (size_t)(f - start + 1));
		bi_error(p->c, "printf", text ? text : "%", ": invalid directive", NULL);
		free(text);
		return -1;
	}
	*fp = f + 1;
	left = strchr(flags, '-') != NULL || width < 0;
	if (width < 0)
		width = -width;
	fmt[0] = '%';
	memcpy(fmt + n, flags, strlen(flags));
	n += strlen(flags);
	if (left && !strchr(flags, '-'))
		fmt[n++] = '-';
	if (wgiven)
		add_number(fmt, &n, width);
	if (pgiven && prec >= 0) {
		fmt[n++] = '.';
		add_number(fmt, &n, prec);
	}
	if (strchr("diouxX", conv))
		fmt[n++] = 'j';
	fmt[n++] = conv;
	fmt[n] = 0;
	put_conversion(p, fmt, conv, left, width, pgiven ? prec : -1);
	return 0;
}

/* the format's own escapes: \NNN with up to three digits; others stay */
static const char *format_escape(struct pf *p, const char *f)
{
	static const char from[] = "abefnrtv\\", to[] = "\a\b\033\f\n\r\t\v\\";
	const char *e = f[1] ? strchr(from, f[1]) : NULL;
	char ch = '\\';

	if (e) {
		ch = to[e - from];
		f += 2;
	} else if (f[1] >= '0' && f[1] <= '7') {
		unsigned v = 0;
		f++;
		for (int i = 0; i < 3 && *f >= '0' && *f <= '7'; i++)
			v = v * 8 + (unsigned)(*f++ - '0');
		ch = (char)v;
	} else {
		f++;
	}
	bi_out_put(&p->out, &ch, 1);
	return f;
}

/* One pass over the format; literal characters are one-byte pieces. */
static int run_format(struct pf *p, const char *f)
{
	while (*f && !p->stop) {
		if (*f == '\\') {
			f = format_escape(p, f);
		} else if (*f == '%' && f[1] == '%') {
			bi_out_put(&p->out, "%", 1);
			f += 2;
		} else if (*f == '%') {
			if (directive(p, &f) < 0)
				return -1;
		} else {
			bi_out_put(&p->out, f++, 1);
		}
	}
	return 0;
}

int bi_printf(struct bi_ctx *c, int argc, char **argv)
{
	struct pf p = {.c = c};
	char **a = argv + 1;

	(void)argc;
	bi_out_init(&p.out, 1);
	if (*a && a[0][0] == '-' && a[0][1]) {
		if (a[0][1] != '-' || a[0][2]) {
			char opt[2] = {a[0][1], 0};
			bi_error(c, "printf", "Illegal option -", opt, NULL);
			return 2;
		}
		a++;
	}
	if (!*a) {
		bi_error(c, "printf", "usage: printf format [arg ...]", NULL, NULL);
		return 2;
	}
	const char *format = *a++;
	char **before;
	p.arg = a;
	do {
		before = p.arg;
		if (run_format(&p, format) < 0) {
			bi_out_flush(&p.out);
			return 2;
		}
	} while (!p.stop && p.arg != before && *p.arg);
	return bi_out_end(c, &p.out, "printf", p.status);
}
