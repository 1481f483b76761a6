/* SPDX-License-Identifier: MIT */
/*
 * dash's read: one byte at a time from fd 0 (what follows the newline stays
 * for the next reader), backslash escapes unless -r, then the line is split
 * on IFS: each name but the last takes one field, the last takes the rest
 * (see rest()).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "builtins/builtins.h"

/*
 * The line read. Each byte is marked LITERAL when a backslash made it so,
 * and REGION when a backslash-newline came just before it: as in dash, a
 * delimiter does not run on across a line continuation.
 */
enum { LITERAL = 1, REGION = 2 };
struct line {
	char *s;
	char *lit;
	size_t n, cap;
};

struct ifs {
	const char *chars;
};

static int push(struct line *l, char c, char lit)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 128;
		char *s = realloc(l->s, cap), *m = s ? realloc(l->lit, cap) : NULL;
		if (s)
			l->s = s;
		if (!m)
			return -1;
		l->lit = m;
		l->cap = cap;
	}
	l->s[l->n] = c;
	l->lit[l->n++] = lit;
	return 0;
}

static int read_byte(char *c)
{
	for (;;) {
		ssize_t r = read(0, c, 1);
		if (r < 0 && errno == EINTR)
			continue;
		return r == 1 ? 0 : -1;
	}
}

/* the line up to a newline; 1 at end of input (the line is still used) */
static int read_line(struct line *l, int raw)
{
	char c, region = 0;

	for (;;) {
		if (read_byte(&c) < 0)
			return 1;
		if (c == 0)
			continue;
		if (c == '\\' && !raw) {
			do {
				if (read_byte(&c) < 0)
					return 1;
			} while (c == 0);
			if (c == '\n') {
				region = REGION;
				continue;
			}
			if (push(l, c, LITERAL | region) < 0)
				return 1;
			region = 0;
			continue;
		}
		if (c == '\n')
			return 0;
		if (push(l, c, region) < 0)
			return 1;
		region = 0;
	}
}

static int is_ifs(const struct ifs *f, const struct line *l, size_t i)
{
	return !(l->lit[i] & LITERAL) && l->s[i] && strchr(f->chars, l->s[i]);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

static int is_ifs_space(const struct ifs *f, const struct line *l, size_t i)
{
	return is_ifs(f, l, i) && is_space(l->s[i]);
}

/*
 * Past the delimiter that the IFS byte at i starts: IFS white space, and one
 * other IFS byte only when white space came first (one more may end the
 * delimiter that a non-white byte starts); never past a line continuation.
 */
static size_t skip_delimiter(const struct ifs *f, const struct line *l, size_t i, size_t end)
{
	int space = is_space(l->s[i]);

	for (i++; i < end && !(l->lit[i] & REGION) && is_ifs(f, l, i); i++) {
		if (!is_space(l->s[i])) {
			if (!space)
				break;
			space = 0;
		}
	}
	return i;
}

/* IFS white space where a field would start is not a delimiter */
static size_t skip_space(const struct ifs *f, const struct line *l, size_t i, size_t end)
{
	while (i < end && is_ifs_space(f, l, i))
		i++;
	return i;
}

static size_t field_end(const struct ifs *f, const struct line *l, size_t i, size_t end)
{
	while (i < end && !is_ifs(f, l, i))
		i++;
	return i;
}

/*
 * The last name's value: [i, end). Found by running dash over many lines:
 * a tail of escaped bytes and IFS white space is cut at its first unescaped
 * white space; then a single field followed by one delimiter and nothing
 * but escaped bytes loses the delimiter and those bytes.
 */
static void rest(const struct ifs *f, const struct line *l, size_t i, size_t *end)
{
	size_t s = *end;

	while (s > i && ((l->lit[s - 1] & LITERAL) || is_ifs_space(f, l, s - 1)))
		s--;
	for (; s < *end; s++)
		if (is_ifs_space(f, l, s)) {
			*end = s;
			break;
		}
	size_t e = field_end(f, l, i, *end);
	if (e < *end) {
		size_t k = skip_delimiter(f, l, e, *end);
		while (k < *end && (l->lit[k] & LITERAL))
			k++;
		if (k == *end)
			*end = e;
	}
}

static int valid_name(const char *s)
{
	if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (s++; *s; s++)
		if (!(*s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

static int assign(struct bi_ctx *c, const char *name, const char *s, size_t n)
{
	char *v = strndup(s, n);

	if (!v)
		return 2;
	if (!valid_name(name)) {
		bi_error(c, "read", name, ": bad variable name", NULL);
		free(v);
		return 2;
	}
	int r = c->set(c->ctx, name, strlen(name), v);
	free(v);
	return r ? 2 : 0;
}

static int split(struct bi_ctx *c, struct line *l, char **names)
{
	const char *ifs = c->get(c->ctx, "IFS", 3);
	struct ifs f = {ifs ? ifs : " \t\n"};
	size_t i = 0;

	for (; names[1]; names++) {
		i = skip_space(&f, l, i, l->n);
		size_t e = field_end(&f, l, i, l->n);
		if (assign(c, *names, l->s + i, e - i))
			return 2;
		i = e < l->n ? skip_delimiter(&f, l, e, l->n) : e;
	}
	i = skip_space(&f, l, i, l->n);
	size_t end = l->n;
	rest(&f, l, i, &end);
	return assign(c, *names, l->s + i, end - i);
}

/* dash's option parsing: -r, -p PROMPT (joined or apart), "--" ends them */
static int options(struct bi_ctx *c, char ***argv, int *raw, const char **prompt)
{
	char **a = *argv;

	for (; *a && a[0][0] == '-' && a[0][1]; a++) {
		if (!strcmp(*a, "--")) {
			a++;
			break;
		}
		for (const char *o = *a + 1; *o; o++) {
			if (*o == 'r') {
				*raw = 1;
			} else if (*o == 'p') {
				if (o[1]) {
					*prompt = o + 1;
				} else if (a[1]) {
					*prompt = *++a;
				} else {
					bi_error(c, "read", "No arg for -p option", NULL, NULL);
					return -1;
				}
				break;
			} else {
				char opt[2] = {*o, 0};
				bi_error(c, "read", "Illegal option -", opt, NULL);
				return -1;
			}
		}
	}
	*argv = a;
	return 0;
}

int bi_read(struct bi_ctx *c, int argc, char **argv)
{
	struct line l = {0};
	const char *prompt = NULL;
	int raw = 0;

	(void)argc;
	argv++;
	if (options(c, &argv, &raw, &prompt) < 0)
		return 2;
	if (!*argv) {
		bi_error(c, "read", "arg count", NULL, NULL);
		return 2;
	}
	if (prompt && isatty(0)) {
		size_t n = strlen(prompt);
		if (write(2, prompt, n) < 0)
			n = 0;
	}
	int status = read_line(&l, raw);
	if (push(&l, 0, 0) < 0) {
		free(l.s);
		free(l.lit);
		return 2;
	}
	l.n--;
	int r = split(c, &l, argv);
	free(l.s);
	free(l.lit);
	return r ? r : status;
}
