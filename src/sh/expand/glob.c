/* SPDX-License-Identifier: MIT */
/*
 * Pathname expansion as dash 0.5.12 does it (its expmeta, not glob(3)).
 * The pattern is walked one "/" component at a time: components without
 * meta characters are copied (unquoted) into the path, a component with
 * them is matched against the entries of the directory so far. A last
 * literal component under a matched directory must exist (lstat, so a
 * dangling symlink counts); a matched entry followed by more pattern is
 * entered without checking that it is a directory (opening it fails).
 * Names starting with "." match only a component that starts with "."
 * ("." and ".." included); unreadable directories give nothing. All the
 * matches of the word are sorted with strcmp at the end.
 */
#include "expand/pattern.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct glob {
	char *path; /* the directory part built so far, NUL-terminated */
	size_t len, cap;
	char **found;
	size_t n, nalloc;
	int failed; /* out of memory */
};

static int reserve(struct glob *g, size_t more)
{
	size_t need = g->len + more + 1;
	char *p;

	if (need <= g->cap)
		return 0;
	while (g->cap < need)
		g->cap = g->cap ? g->cap * 2 : 256;
	p = realloc(g->path, g->cap);
	if (!p) {
		g->failed = 1;
		return -1;
	}
	g->path = p;
	return 0;
}

static int append(struct glob *g, const char *s, size_t n)
{
	if (reserve(g, n))
		return -1;
	memcpy(g->path + g->len, s, n);
	g->len += n;
	g->path[g->len] = 0;
	return 0;
}

/* s[0..n) without its quoting backslashes */
static int append_unquoted(struct glob *g, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		if (append(g, s + i, 1))
			return -1;
	}
	return 0;
}

static void found(struct glob *g)
{
	char *copy;

	if (g->n == g->nalloc) {
		size_t na = g->nalloc ? g->nalloc * 2 : 16;
		char **v = realloc(g->found, na * sizeof *v);
		if (!v) {
			g->failed = 1;
			return;
		}
		g->found = v;
		g->nalloc = na;
	}
	copy = strdup(g->path);
	if (!copy) {
		g->failed = 1;
		return;
	}
	g->found[g->n++] = copy;
}

/* Is the "[" at p (pointing after it) closed within this component? (dash's test) */
static int bracket_in_component(const char *p)
{
	if (*p == '!')
		p++;
	for (;;) {
		if (*p == '\\')
			p++;
		if (*p == '/' || !*p)
			return 0;
		if (*++p == ']')
			return 1;
	}
}

/*
 * The first component of name holding a meta character: [*start, *end),
 * *rest after its "/" (NULL: it is the last). Returns 0 when no component
 * has one.
 */
static int meta_component(const char *name, const char **start, const char **end, const char **rest)
{
	int meta = 0;
	const char *p;

	*start = name;
	for (p = name; *p; p++) {
		int esc = 0;
		if (*p == '*' || *p == '?') {
			meta = 1;
			continue;
		}
		if (*p == '[') {
			meta |= bracket_in_component(p + 1);
			continue;
		}
		/* a quoted "/" separates components too */
		if (*p == '\\' && p[1])
			esc = 1;
		if (p[esc] == '/') {
			if (meta) {
				*end = p;
				*rest = p + esc + 1;
				return 1;
			}
			*start = p + esc + 1;
		}
		p += esc;
	}
	*end = p;
	*rest = NULL;
	return meta;
}

static void expand(struct glob *g, const char *name);

static void match_dir(struct glob *g, const char *pat, const char *rest)
{
	size_t base = g->len;
	const char *dirname = ".";
	int matchdot;
	struct dirent *d;
	DIR *dir;

	if (base == 1 && g->path[0] == '/') {
		dirname = "/";
	} else if (base) {
		/* without its last "/" (dash opens "d/" for "d//") */
		g->path[base - 1] = 0;
		dirname = g->path;
	}
	dir = opendir(dirname);
	if (base)
		g->path[base - 1] = '/';
	if (!dir)
		return;
	matchdot = pat[pat[0] == '\\' && pat[1]] == '.';
	while (!g->failed && (d = readdir(dir))) {
		size_t n = strlen(d->d_name);
		if (d->d_name[0] == '.' && !matchdot)
			continue;
		if (!pattern_match(pat, d->d_name, n))
			continue;
		if (append(g, d->d_name, n))
			break;
		if (!rest) {
			found(g);
		} else if (!append(g, "/", 1)) {
			expand(g, rest);
		}
		g->len = base;
		g->path[base] = 0;
	}
	closedir(dir);
}

/* Expand name under the directory g->path (empty, or ending in "/"). */
static void expand(struct glob *g, const char *name)
{
	const char *start, *end, *rest;
	size_t base = g->len;
	char *pat;

	if (!meta_component(name, &start, &end, &rest)) {
		/* the rest is literal: it must exist */
		struct stat st;
		if (!append_unquoted(g, name, strlen(name)) && lstat(g->path, &st) == 0)
			found(g);
		g->len = base;
		g->path[base] = 0;
		return;
	}
	pat = strndup(start, (size_t)(end - start));
	if (!pat) {
		g->failed = 1;
		return;
	}
	if (!append_unquoted(g, name, (size_t)(start - name)))
		match_dir(g, pat, rest);
	free(pat);
	g->len = base;
	if (g->path)
		g->path[base] = 0;
}

static int by_strcmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int glob_expand(const char *pat, int (*add)(void *ctx, const char *path), void *ctx)
{
	struct glob g = {0};
	int r = 0;

	if (!pattern_has_meta(pat))
		return 0;
	if (reserve(&g, 0))
		return -1;
	g.path[0] = 0;
	expand(&g, pat);
	if (g.failed)
		r = -1;
	if (g.n)
		qsort(g.found, g.n, sizeof *g.found, by_strcmp);
	for (size_t i = 0; i < g.n; i++) {
		if (r >= 0 && add(ctx, g.found[i]))
			r = -1;
		else if (r >= 0)
			r++;
		free(g.found[i]);
	}
	free(g.found);
	free(g.path);
	return r;
}
