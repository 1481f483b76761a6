/* SPDX-License-Identifier: MIT */
/*
 * dash 0.5.12's pattern matching, byte by byte (no locale, no multibyte).
 * The quirks kept on purpose: [^...] does not negate, bytes compare as
 * signed char in ranges, and a bracket that runs into the end of the
 * pattern while being read (e.g. "[[:alpha:]", whose only "]" belongs to
 * the class) makes its "[" an ordinary character again.
 *
 * Every token but * stands for exactly one byte, so backtracking to the
 * last * is enough: matching is O(pattern x subject) at worst, linear for
 * one *.
 */
#include "expand/pattern.h"

#include <string.h>

enum bracket_result { BR_NOMATCH, BR_MATCH, BR_LITERAL };

static int in_class(const char *name, size_t n, int c)
{
#define IS(s) (n == sizeof s - 1 && memcmp(name, s, n) == 0)
	int upper = c >= 'A' && c <= 'Z', lower = c >= 'a' && c <= 'z';
	int digit = c >= '0' && c <= '9', graph = c > ' ' && c < 0x7f;

	if (IS("alnum"))
		return upper || lower || digit;
	if (IS("alpha"))
		return upper || lower;
	if (IS("blank"))
		return c == ' ' || c == '\t';
	if (IS("cntrl"))
		return c < ' ' || c == 0x7f;
	if (IS("digit"))
		return digit;
	if (IS("graph"))
		return graph;
	if (IS("lower"))
		return lower;
	if (IS("print"))
		return graph || c == ' ';
	if (IS("punct"))
		return graph && !upper && !lower && !digit;
	if (IS("space"))
		return c == ' ' || (c >= '\t' && c <= '\r');
	if (IS("upper"))
		return upper;
	if (IS("xdigit"))
		return digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	return -1;
#undef IS
}

/*
 * p is just after a "[": a character class ":name:]"? Returns the class
 * membership of c and sets *end after the "]", or returns -1 (not a class).
 */
static int class_at(const char *p, int c, const char **end)
{
	const char *q;
	int r;

	if (*p != ':')
		return -1;
	for (q = p + 1; *q >= 'a' && *q <= 'z'; q++)
		;
	if (q[0] != ':' || q[1] != ']')
		return -1;
	r = in_class(p + 1, (size_t)(q - p - 1), c);
	if (r >= 0)
		*end = q + 2;
	return r;
}

/* Does the bracket at p (after "[") have a closing "]"? As dash checks it first. */
static int bracket_closed(const char *p)
{
	if (*p == '!')
		p++;
	for (;;) {
		if (!*p)
			return 0;
		if (*p == '\\' && !*++p)
			return 0;
		/* the first character is always a member, even "]" */
		if (*++p == ']')
			return 1;
	}
}

/* The bracket at p (after "[") against byte c; *end: after its "]". */
static enum bracket_result bracket(const char *p, unsigned char c, const char **end)
{
	signed char chr = (signed char)c; /* dash compares plain (signed) chars */
	int invert = 0, found = 0;
	signed char lo;

	if (!bracket_closed(p))
		return BR_LITERAL;
	if (*p == '!') {
		invert = 1;
		p++;
	}
	lo = *p++;
	do {
		if (!lo)
			return BR_LITERAL;
		if (lo == '[') {
			const char *after;
			int r = class_at(p, c, &after);
			if (r >= 0) {
				found |= r;
				p = after;
				continue;
			}
		} else if (lo == '\\') {
			lo = *p++;
			if (!lo)
				return BR_LITERAL;
		}
		if (p[0] == '-' && p[1] != ']') {
			signed char hi;
			p++;
			if (*p == '\\')
				p++;
			hi = *p;
			if (!hi)
				return BR_LITERAL;
			p++;
			if (chr >= lo && chr <= hi)
				found = 1;
		} else if (chr == lo) {
			found = 1;
		}
	} while ((lo = *p++) != ']');
	*end = p;
	return found != invert ? BR_MATCH : BR_NOMATCH;
}

/* Does the one-byte token at p match c? *next: the token after it. */
static int match_one(const char *p, unsigned char c, const char **next)
{
	switch (*p) {
	case '?':
		*next = p + 1;
		return 1;
	case '[':
		switch (bracket(p + 1, c, next)) {
		case BR_MATCH:
			return 1;
		case BR_NOMATCH:
			return 0;
		case BR_LITERAL:
			break;
		}
		*next = p + 1;
		return c == '[';
	case '\\':
		/* a lone backslash at the end is itself */
		if (p[1]) {
			*next = p + 2;
			return c == (unsigned char)p[1];
		}
		/* fall through */
	default:
		*next = p + 1;
		return c == (unsigned char)*p;
	}
}

int pattern_match(const char *pat, const char *s, size_t n)
{
	const char *p = pat, *star = NULL;
	size_t i = 0, star_i = 0;

	for (;;) {
		const char *next;

		if (*p == '*') {
			while (*p == '*')
				p++;
			star = p;
			star_i = i;
			continue;
		}
		if (!*p) {
			if (i == n)
				return 1;
		} else if (i < n && match_one(p, (unsigned char)s[i], &next)) {
			p = next;
			i++;
			continue;
		}
		/* let the last * take one more byte */
		if (!star || star_i >= n)
			return 0;
		p = star;
		i = ++star_i;
	}
}

int pattern_has_meta(const char *pat)
{
	for (const char *p = pat; *p; p++) {
		if (*p == '*' || *p == '?')
			return 1;
		if (*p == '[' && bracket_closed(p + 1))
			return 1;
		if (*p == '\\' && p[1])
			p++;
	}
	return 0;
}

int pattern_unquote(const char *pat, char *buf, size_t cap)
{
	size_t n = 0;

	for (const char *p = pat; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		if (n + 1 >= cap)
			return -1;
		buf[n++] = *p;
	}
	if (n >= cap)
		return -1;
	buf[n] = 0;
	return (int)n;
}
