/* SPDX-License-Identifier: MIT */
/*
 * Expansion of the words ush accepts: literal parts and plain parameters.
 * Unquoted results are split on IFS whitespace (ush_check makes sure IFS
 * is the default and no result holds a glob character).
 */
#include <string.h>
#include "sh.h"

struct sbuf {
	struct ush_arena *a;
	char *s;
	size_t n, cap;
	int oom;
};

static void sb_add(struct sbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *ns = ush_alloc(b->a, cap);
		if (!ns) {
			b->oom = 1;
			return;
		}
		if (b->n)
			memcpy(ns, b->s, b->n);
		b->s = ns;
		b->cap = cap;
	}
	if (n)
		memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = 0;
}

static const char *status_text(int status, char *buf)
{
	char *p = buf + 15;
	unsigned v = status;

	*p = 0;
	do {
		*--p = '0' + v % 10;
		v /= 10;
	} while (v);
	return p;
}

/* The value of a PARAM part after ${N-w} / ${N+w} processing. */
static const char *param_value(struct expander *x, const struct ush_part *p, char *buf, size_t *n)
{
	const char *v = p->s[0] == '?' ? status_text(x->status, buf) : x->get(x->ctx, p->s, p->n);
	int set = v && (!p->colon || *v);

	if (p->op == '-' && !set) {
		*n = p->argn;
		return p->arg;
	}
	if (p->op == '+') {
		*n = set ? p->argn : 0;
		return set ? p->arg : "";
	}
	v = v ? v : "";
	*n = strlen(v);
	return v;
}

static int push_field(struct argv_vec *av, struct ush_arena *a, const char *s, size_t n)
{
	if (av->n + 2 > av->cap) {
		unsigned cap = av->cap ? av->cap * 2 : 16;
		char **nv = ush_alloc(a, cap * sizeof *nv);
		if (!nv)
			return -1;
		if (av->n)
			memcpy(nv, av->v, av->n * sizeof *nv);
		av->v = nv;
		av->cap = cap;
	}
	char *f = ush_alloc(a, n + 1);
	if (!f)
		return -1;
	if (n)
		memcpy(f, s, n);
	f[n] = 0;
	av->v[av->n++] = f;
	av->v[av->n] = NULL;
	return 0;
}

static int is_ifs(char c)
{
	return c == ' ' || c == '\t' || c == '\n';
}

int expand_fields(struct expander *x, const struct ush_word *w, struct argv_vec *av)
{
	struct sbuf b = {x->a, NULL, 0, 0, 0};
	int have = 0;
	char num[16];

	for (unsigned i = 0; i < w->nparts; i++) {
		const struct ush_part *p = &w->parts[i];
		size_t n;
		const char *v = p->type == USH_LIT ? p->s : param_value(x, p, num, &n);
		if (p->type == USH_LIT)
			n = p->n;
		if (p->quoted || p->type == USH_LIT) {
			sb_add(&b, v, n);
			have |= p->quoted || n;
			continue;
		}
		for (size_t j = 0; j < n; j++) {
			if (!is_ifs(v[j])) {
				sb_add(&b, v + j, 1);
				have = 1;
			} else if (have) {
				if (push_field(av, x->a, b.s, b.n) < 0)
					return -1;
				b.n = 0;
				have = 0;
			}
		}
	}
	if (b.oom)
		return -1;
	if (have)
		return push_field(av, x->a, b.n ? b.s : "", b.n);
	return 0;
}

char *expand_string(struct expander *x, const struct ush_word *w)
{
	struct sbuf b = {x->a, NULL, 0, 0, 0};
	char num[16];

	sb_add(&b, "", 0);
	for (unsigned i = 0; i < w->nparts; i++) {
		const struct ush_part *p = &w->parts[i];
		size_t n = p->n;
		const char *v = p->type == USH_LIT ? p->s : param_value(x, p, num, &n);
		sb_add(&b, v, n);
	}
	return b.oom ? NULL : b.s;
}
