/* SPDX-License-Identifier: MIT */
/*
 * Command templates with GNU parallel's replacement strings:
 *   {}    the argument (with several input sources: all, blank-separated)
 *   {.}   without its extension        {/}   its basename
 *   {//}  its dirname                  {/.}  basename without extension
 *   {#}   the job's sequence number    {%}   the job slot (1..-j)
 *   {N} {N.} {N/} {N//} {N/.}          the same of input source N
 * Every argument put into the command is quoted for the shell exactly as
 * parallel quotes it (shell_quote_scalar_default), so that a file named
 * "it's a.txt" stays one word. A template without any replacement string
 * gets " {}" appended, as in parallel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* A growing string. */
struct str {
	char *s;
	size_t len, cap;
	int oom;
};

static void put(struct str *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 128;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = 0;
}

static void puts_(struct str *b, const char *s)
{
	put(b, s, strlen(s));
}

static int shell_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '_' || c == '.' || c == '+' || c == '/';
}

/* parallel's quoting: as is when safe, '' when empty, else '...' with ' as '"'"'. */
static void quoted(struct str *b, const char *s, size_t n)
{
	size_t i, start = b->len;

	for (i = 0; i < n && shell_safe((unsigned char)s[i]); i++)
		;
	if (n && i == n) {
		put(b, s, n);
		return;
	}
	if (!n) {
		puts_(b, "''");
		return;
	}
	put(b, "'", 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '\'')
			puts_(b, "'\"'\"'");
		else
			put(b, s + i, 1);
	}
	put(b, "'", 1);
	if (b->oom)
		return;
	/* the '' a leading or trailing ' leaves at either end goes (s/^''//; s/''$//) */
	if (b->len - start >= 2 && !memcmp(b->s + start, "''", 2)) {
		memmove(b->s + start, b->s + start + 2, b->len - start - 2 + 1);
		b->len -= 2;
	}
	if (b->len - start >= 2 && !memcmp(b->s + b->len - 2, "''", 2)) {
		b->len -= 2;
		b->s[b->len] = 0;
	}
}

/* {.}: s:\.[^/.]*$:: */
static size_t no_ext(const char *s, size_t n)
{
	for (size_t i = n; i-- > 0;) {
		if (s[i] == '/')
			return n;
		if (s[i] == '.')
			return i;
	}
	return n;
}

/* {/}: s:.*\/:: (perl's '.' stops at a newline: the first line holding a '/' is cut) */
static const char *base(const char *s, size_t n, size_t *len)
{
	size_t line = 0;

	while (line < n) {
		size_t end = line, slash = n;
		while (end < n && s[end] != '\n') {
			if (s[end] == '/')
				slash = end;
			end++;
		}
		if (slash < n) {
			*len = n - slash - 1;
			return s + slash + 1;
		}
		line = end + 1;
	}
	*len = n;
	return s;
}

/* File::Basename's _strip_trailing_sep: trailing slashes go, a lone "/" stays */
static size_t strip_slashes(const char *s, size_t n)
{
	while (n > 1 && s[n - 1] == '/')
		n--;
	return n;
}

/* File::Basename's fileparse: the part up to the last '/' ("./" if none) */
static const char *dir_part(const char *s, size_t n, size_t *len, size_t *rest)
{
	const char *slash = memrchr(s, '/', n);

	if (!slash) {
		*len = 2, *rest = n;
		return "./";
	}
	*len = (size_t)(slash - s) + 1;
	*rest = n - *len;
	return s;
}

/* {//}: File::Basename's dirname (Unix) */
static const char *dir(const char *s, size_t n, size_t *len)
{
	size_t dn, bn;
	const char *d = dir_part(s, n, &dn, &bn);

	dn = strip_slashes(d, dn);
	if (!bn) {
		d = dir_part(d, dn, &dn, &bn);
		dn = strip_slashes(d, dn);
	}
	*len = dn;
	return d;
}

enum rs_kind { RS_ARG, RS_NOEXT, RS_BASE, RS_DIR, RS_BASE_NOEXT };

/* A replacement string at t ("{...}"): its length, kind and source (0: all); 0 if none. */
static size_t rs_at(const char *t, enum rs_kind *kind, unsigned *src, int *special)
{
	static const struct {
		const char *s;
		enum rs_kind k;
	} mods[] = {{"}", RS_ARG},
		    {".}", RS_NOEXT},
		    {"/}", RS_BASE},
		    {"//}", RS_DIR},
		    {"/.}", RS_BASE_NOEXT}};
	const char *p = t + 1;

	*src = 0;
	*special = 0;
	if (t[0] != '{')
		return 0;
	if (!strncmp(p, "#}", 2) || !strncmp(p, "%}", 2)) {
		*special = *p;
		return 3;
	}
	if (*p >= '0' && *p <= '9') { /* {01} is {1}; {0} is {} as in parallel */
		unsigned long v = strtoul(p, (char **)&p, 10);
		if (v > 100000)
			return 0;
		*src = (unsigned)v;
	}
	for (unsigned i = 0; i < sizeof mods / sizeof mods[0]; i++) {
		size_t l = strlen(mods[i].s);
		if (!strncmp(p, mods[i].s, l)) {
			*kind = mods[i].k;
			return (size_t)(p - t) + l;
		}
	}
	return 0;
}

int tmpl_has_rs(const char *t)
{
	enum rs_kind k;
	unsigned src;
	int special;

	for (; *t; t++)
		if (rs_at(t, &k, &src, &special))
			return 1;
	return 0;
}

static void one_arg(struct str *b, const char *a, enum rs_kind k, int quote)
{
	size_t n = strlen(a), bn;
	const char *bs;

	switch (k) {
	case RS_ARG:
		bs = a, bn = n;
		break;
	case RS_NOEXT:
		bs = a, bn = no_ext(a, n);
		break;
	case RS_BASE:
		bs = base(a, n, &bn);
		break;
	case RS_DIR:
		bs = dir(a, n, &bn);
		break;
	default: /* RS_BASE_NOEXT */
		bs = base(a, n, &bn);
		bn = no_ext(bs, bn);
		break;
	}
	if (quote)
		quoted(b, bs, bn);
	else
		put(b, bs, bn);
}

static void all_args(struct str *b, const struct jargs *a, enum rs_kind k, int quote)
{
	for (unsigned i = 0; i < a->n; i++) {
		if (i)
			put(b, " ", 1);
		one_arg(b, a->v[i], k, quote);
	}
}

/*
 * The command for one job (quote: the arguments quoted for the shell;
 * append: " {}" after a template without replacement strings); a
 * template of NULL or "" is the arguments joined. NULL when out of memory.
 */
char *tmpl_expand(const char *t, int append, const struct jargs *a, uint64_t seq, unsigned slot,
		  int quote)
{
	struct str b = {0};
	char num[32];

	if (!t || !*t) { /* no command: the arguments are the command line */
		all_args(&b, a, RS_ARG, 0);
		return b.oom ? (free(b.s), NULL) : b.s ? b.s : strdup("");
	}
	while (*t) {
		enum rs_kind k;
		unsigned src;
		int special;
		size_t l = rs_at(t, &k, &src, &special);
		if (!l) {
			put(&b, t++, 1);
			continue;
		}
		if (special) {
			snprintf(num, sizeof num, "%llu",
				 (unsigned long long)(special == '#' ? seq : slot));
			puts_(&b, num);
		} else if (!src) {
			all_args(&b, a, k, quote);
		} else if (src <= a->n) {
			one_arg(&b, a->v[src - 1], k, quote);
		} /* a source that is not there: nothing, as parallel */
		t += l;
	}
	if (append) {
		put(&b, " ", 1);
		all_args(&b, a, RS_ARG, quote);
	}
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* The arguments, blank-separated and unquoted: --tag's tag, as parallel's {} untouched. */
char *tmpl_joined(const struct jargs *a)
{
	return tmpl_expand(NULL, 0, a, 0, 0, 0);
}
