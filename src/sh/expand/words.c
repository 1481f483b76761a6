/* SPDX-License-Identifier: MIT */
/*
 * Word expansion in dash 0.5.12's order: tilde, parameters, $( ), $(( )),
 * then IFS field splitting, pathname expansion and quote removal.
 *
 * A word expands into one buffer of bytes, each with attributes: quoted
 * (literal in patterns, never a separator), or a "mark" that stands where
 * quotes were (not a byte: it makes an empty field real, as "" does).
 * Unquoted expansion results are recorded as regions, the only places
 * field splitting looks at, as dash records them; "$@" records a region
 * in which only the NUL bytes between parameters separate. dash's quirks
 * around those regions are reproduced in split_fields().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "expand/arith.h"
#include "expand/pattern.h"
#include "expand/words.h"

/* pathname expansion results, pushed as fields */
struct globadd {
	struct strvec *out;
	int oom;
};

static int glob_add(void *ctx, const char *path)
{
	struct globadd *g = ctx;
	char *s = strdup(path);

	if (!s || strvec_push(g->out, s) < 0) {
		free(s);
		g->oom = 1;
		return -1;
	}
	return 0;
}

void xp_init(struct xp *x, struct shell *sh, int mode)
{
	memset(x, 0, offsetof(struct xp, in_s));
	x->sh = sh;
	x->mode = mode;
	x->s = x->in_s;
	x->a = x->in_a;
	x->cap = sizeof x->in_s;
	x->r = x->in_r;
	x->rcap = sizeof x->in_r / sizeof x->in_r[0];
}

void xp_free(struct xp *x)
{
	if (x->s != x->in_s) {
		shell_free(x->sh, x->s);
		shell_free(x->sh, x->a);
	}
	if (x->r != x->in_r)
		shell_free(x->sh, x->r);
}

static int xp_room(struct xp *x, size_t more)
{
	if (x->n + more <= x->cap)
		return 0;
	size_t cap = x->cap * 2;
	while (cap < x->n + more)
		cap *= 2;
	char *s = shell_alloc(x->sh, cap);
	unsigned char *a = shell_alloc(x->sh, cap);
	if (!s || !a) {
		shell_free(x->sh, s);
		shell_free(x->sh, a);
		x->oom = 1;
		return -1;
	}
	memcpy(s, x->s, x->n);
	if (x->mode == X_FIELDS)
		memcpy(a, x->a, x->n);
	if (x->s != x->in_s) {
		shell_free(x->sh, x->s);
		shell_free(x->sh, x->a);
	}
	x->s = s;
	x->a = a;
	x->cap = cap;
	return 0;
}

/* a pattern's quoted bytes, escaped with \ as pattern.h wants them */
static void xp_add_escaped(struct xp *x, const char *s, size_t n)
{
	if (xp_room(x, 2 * n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		if (pattern_special(s[i]))
			x->s[x->n++] = '\\';
		x->s[x->n++] = s[i];
	}
}

void xp_add(struct xp *x, const char *s, size_t n, unsigned char attr)
{
	if (!n)
		return;
	if (x->mode == X_PATTERN && (attr & A_QUOTED)) {
		xp_add_escaped(x, s, n);
		return;
	}
	if (xp_room(x, n) < 0)
		return;
	memcpy(x->s + x->n, s, n);
	if (x->mode == X_FIELDS)
		memset(x->a + x->n, attr, n);
	x->n += n;
}

/* the buffer as a C string (X_STRING, X_PATTERN), valid until xp_free */
const char *xp_cstr(struct xp *x)
{
	if (xp_room(x, 1) < 0)
		return NULL;
	x->s[x->n] = 0;
	return x->s;
}

void xp_mark(struct xp *x)
{
	if (x->mode != X_FIELDS || xp_room(x, 1) < 0)
		return;
	x->s[x->n] = 0;
	x->a[x->n++] = A_MARK;
}

void xp_region(struct xp *x, size_t beg, int nulonly)
{
	if (x->mode != X_FIELDS)
		return;
	if (x->nr == x->rcap) {
		unsigned cap = x->rcap * 2;
		struct region *r = shell_alloc(x->sh, cap * sizeof *r);
		if (!r) {
			x->oom = 1;
			return;
		}
		memcpy(r, x->r, x->nr * sizeof *r);
		if (x->r != x->in_r)
			shell_free(x->sh, x->r);
		x->r = r;
		x->rcap = cap;
	}
	x->r[x->nr].beg = beg;
	x->r[x->nr].end = x->n;
	x->r[x->nr].nulonly = nulonly;
	x->nr++;
}

/* An expansion result: quoted text, or an unquoted region to split. */
void xp_value(struct xp *x, const char *s, size_t n, int quoted)
{
	size_t beg = x->n;

	xp_add(x, s, n, quoted ? A_QUOTED : 0);
	if (!quoted)
		xp_region(x, beg, 0);
}

static void xp_cmdsub(struct xp *x, struct node *cmd, int quoted)
{
	size_t len = 0;

	if (!cmd) {
		/* $( ): empty, and $? is left alone, as dash does */
		if (!quoted)
			xp_region(x, x->n, 0);
		return;
	}
	char *out = x->sh->ops->cmdsubst(x->sh, cmd, &len);
	if (!out) {
		x->oom = 1;
		return;
	}
	/* dash drops NUL bytes from the output */
	char *z = memchr(out, 0, len);
	if (z) {
		size_t k = z - out;
		for (size_t i = k; i < len; i++)
			if (out[i])
				out[k++] = out[i];
		len = k;
	}
	xp_value(x, out, len, quoted);
	free(out);
}

struct arith_ctx {
	struct shell *sh;
	int set_failed;
};

static const char *arith_get(void *ctx, const char *name, size_t n)
{
	struct arith_ctx *c = ctx;

	return shvar_get(c->sh, name, n);
}

static int arith_set(void *ctx, const char *name, size_t n, const char *value)
{
	struct arith_ctx *c = ctx;

	if (shvar_set(c->sh, name, n, value, 0) < 0) {
		c->set_failed = 1;
		return -1;
	}
	return 0;
}

static void xp_arith(struct xp *x, const struct word *w, int quoted)
{
	struct arith_ctx c = {x->sh, 0};
	struct arith_env env = {arith_get, arith_set, &c};
	char msg[512], num[32];
	intmax_t v;
	struct xp e;

	xp_init(&e, x->sh, X_STRING);
	xp_word(&e, w, C_PLAIN);
	const char *expr = e.oom ? NULL : xp_cstr(&e);
	if (!expr) {
		xp_free(&e);
		x->oom = 1;
		return;
	}
	int r = arith_eval(expr, &env, &v, msg, sizeof msg);
	xp_free(&e);
	if (r < 0) {
		if (c.set_failed || !msg[0])
			shell_exit(x->sh, 2);
		shell_fail(x->sh, 2, msg, NULL, NULL);
	}
	char *p = num + sizeof num;
	uintmax_t u = v < 0 ? -(uintmax_t)v : (uintmax_t)v;
	do {
		*--p = '0' + u % 10;
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	xp_value(x, p, num + sizeof num - p, quoted);
}

void xp_word(struct xp *x, const struct word *w, int ctx)
{
	if (!w)
		return; /* ${x-} */
	for (unsigned i = 0; i < w->nparts && !x->oom; i++) {
		const struct wpart *p = &w->parts[i];
		int quoted = p->quoted || ctx == C_QUOTED;
		/* dash: an empty "$@" leaves no field only at the start of its
		 * quotes ("$@$@" is one empty field, "$@""$@" none) */
		if (quoted &&
		    !(p->type == WP_PARAM && is_plain_at(p->param) && (p->dqstart || !p->quoted)))
			xp_mark(x);
		switch (p->type) {
		case WP_LIT:
			if (quoted) {
				xp_add(x, p->s, p->n, A_QUOTED);
			} else if (ctx == C_ARG) {
				xp_value(x, p->s, p->n, 0);
			} else {
				xp_add(x, p->s, p->n, 0);
			}
			break;
		case WP_PARAM:
			xp_param(x, p->param, quoted);
			break;
		case WP_CMDSUB:
			xp_cmdsub(x, p->cmd, quoted);
			break;
		case WP_ARITH:
			xp_arith(x, p->arith, quoted);
			break;
		case WP_TILDE:
			xp_tilde(x, p);
			break;
		}
	}
}

/* dash's IFS whitespace: NUL (between $@'s parameters) counts as one */
static int ifs_white(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == 0;
}

struct splitter {
	struct xp *x;
	unsigned char ifs[256]; /* 1: an IFS byte */
	struct strvec *out;
	int noglob;
};

static int is_sep(const struct splitter *sp, size_t i, int nulonly)
{
	const struct xp *x = sp->x;
	unsigned char c = (unsigned char)x->s[i];

	if (x->a[i] & (A_QUOTED | A_MARK))
		return nulonly && c == 0 && !(x->a[i] & A_MARK);
	return c == 0 || (!nulonly && sp->ifs[c]);
}

/* a field: the bytes of [beg, end) without marks, globbed unless quoted or set -f */
static int emit_field(struct splitter *sp, size_t beg, size_t end)
{
	struct xp *x = sp->x;
	int meta = 0;
	size_t len = 0;

	for (size_t i = beg; i < end; i++) {
		if (x->a[i] & A_MARK)
			continue;
		len++;
		if (!(x->a[i] & A_QUOTED) && (x->s[i] == '*' || x->s[i] == '?' || x->s[i] == '['))
			meta = 1;
	}
	/* decide/'s shell does not glob (glob.c works on the heap): it refuses */
	if (meta && !sp->noglob && x->sh->view)
		shell_fail(x->sh, 2, "pathname expansion", NULL, NULL);
	if (meta && !sp->noglob) {
		char *pat = malloc(2 * len + 1), *q = pat;
		if (!pat)
			return -1;
		for (size_t i = beg; i < end; i++) {
			if (x->a[i] & A_MARK)
				continue;
			if ((x->a[i] & A_QUOTED) && pattern_special(x->s[i]))
				*q++ = '\\';
			*q++ = x->s[i];
		}
		*q = 0;
		if (pattern_has_meta(pat)) {
			struct globadd g = {sp->out, 0};
			int k = glob_expand(pat, glob_add, &g);
			free(pat);
			if (k < 0 || g.oom)
				return -1;
			if (k > 0)
				return 0;
		} else {
			free(pat);
		}
	}
	char *f = shell_alloc(x->sh, len + 1), *q = f;
	if (!f)
		return -1;
	for (size_t i = beg; i < end; i++)
		if (!(x->a[i] & A_MARK))
			*q++ = x->s[i];
	*q = 0;
	if (strvec_push(sp->out, f) < 0) {
		shell_free(x->sh, f);
		return -1;
	}
	return 0;
}

/*
 * IFS splitting as dash does it: within each region, IFS whitespace at the
 * start of a field is skipped, a separator takes the whitespace around it
 * and at most one other IFS byte; an empty last field is dropped unless
 * the last region was "$@"'s. dash's quirk: in the region right after a
 * "$@" region every IFS byte separates on its own.
 */
static int split_fields(struct splitter *sp)
{
	struct xp *x = sp->x;
	size_t start = 0;
	int prevnul = 0;

	for (unsigned r = 0; r < x->nr; r++) {
		const struct region *rg = &x->r[r];
		int nulonly = rg->nulonly, afternul = prevnul;
		size_t p = rg->beg;
		prevnul = nulonly;
		while (p < rg->end) {
			if (!is_sep(sp, p, nulonly)) {
				p++;
				continue;
			}
			int white = !nulonly && ifs_white(x->s[p]);
			if (!nulonly && !afternul && p == start && white) {
				start = ++p;
				continue;
			}
			if (emit_field(sp, start, p) < 0)
				return -1;
			p++;
			if (!nulonly && !afternul) {
				int spc = white;
				while (p < rg->end && is_sep(sp, p, 0)) {
					if (!ifs_white(x->s[p])) {
						if (!spc)
							break;
						spc = 0;
					}
					p++;
				}
			}
			start = p;
		}
	}
	if (start < x->n || prevnul)
		return emit_field(sp, start, x->n);
	return 0;
}

static int fields_out(struct xp *x, struct strvec *out)
{
	struct splitter sp;

	sp.x = x;
	sp.out = out;
	sp.noglob = (x->sh->opts & OPT_NOGLOB) != 0;
	if (!x->nr)
		return x->n ? emit_field(&sp, 0, x->n) : 0;
	const char *ifs = shvar_get(x->sh, "IFS", 3);
	memset(sp.ifs, 0, sizeof sp.ifs);
	for (const char *p = ifs ? ifs : " \t\n"; *p; p++)
		sp.ifs[(unsigned char)*p] = 1;
	return split_fields(&sp);
}

/* A word of literal parts only, with nothing to glob: the common case. */
static int literal_word(struct shell *sh, const struct word *w, int mode, char **res)
{
	size_t len = 0;

	for (unsigned i = 0; i < w->nparts; i++) {
		const struct wpart *p = &w->parts[i];
		if (p->type != WP_LIT)
			return 0;
		if (mode == X_PATTERN && p->quoted)
			return 0;
		if (mode == X_FIELDS && !p->quoted && !(sh->opts & OPT_NOGLOB) &&
		    strpbrk_n(p->s, p->n))
			return 0;
		len += p->n;
	}
	char *s = shell_alloc(sh, len + 1);
	if (!s)
		return -1;
	len = 0;
	for (unsigned i = 0; i < w->nparts; i++) {
		memcpy(s + len, w->parts[i].s, w->parts[i].n);
		len += w->parts[i].n;
	}
	s[len] = 0;
	*res = s;
	return 1;
}

static char *xp_string(struct xp *x);

/* NAME=... in unquoted text at the start: an assignment to export/readonly/local */
static int assignment_word(const struct word *w)
{
	if (!w->nparts || w->parts[0].type != WP_LIT || w->parts[0].quoted)
		return 0;
	const char *s = w->parts[0].s;
	size_t n = w->parts[0].n, i = 0;
	if (!n || (s[0] >= '0' && s[0] <= '9'))
		return 0;
	while (i < n && (s[i] == '_' || (s[i] >= 'a' && s[i] <= 'z') ||
			 (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9')))
		i++;
	return i && i < n && s[i] == '=';
}

static int push_string(struct shell *sh, struct strvec *out, char *s)
{
	if (!s)
		return -1;
	if (strvec_push(out, s) < 0) {
		shell_free(sh, s);
		return -1;
	}
	return 0;
}

int words_expand(struct shell *sh, const struct word *w, unsigned n, struct strvec *out)
{
	struct xp x;
	unsigned first = out->n;

	for (unsigned i = 0; i < n; i++) {
		char *s = NULL;
		int lit = literal_word(sh, &w[i], X_FIELDS, &s);
		if (lit < 0)
			return -1;
		if (lit) {
			if (push_string(sh, out, s) < 0)
				return -1;
			continue;
		}
		int decl = i && decl_command(out, first);
		/* export x=$y: one string, as an assignment (dash 0.5.12) */
		int as_string = decl && assignment_word(&w[i]);
		xp_init(&x, sh, as_string ? X_STRING : X_FIELDS);
		x.decl = decl;
		xp_word(&x, &w[i], C_PLAIN);
		int r = -1;
		if (!x.oom)
			r = as_string ? push_string(sh, out, xp_string(&x)) : fields_out(&x, out);
		xp_free(&x);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* the buffer as a malloc'd string (X_STRING, X_PATTERN: already quote-removed or escaped) */
static char *xp_string(struct xp *x)
{
	char *s = shell_alloc(x->sh, x->n + 1);

	if (s) {
		memcpy(s, x->s, x->n);
		s[x->n] = 0;
	}
	return s;
}

static char *expand_as(struct shell *sh, const struct word *w, int mode)
{
	struct xp x;
	char *s = NULL;

	if (!w)
		return shell_strdup(sh, "");
	int lit = literal_word(sh, w, mode, &s);
	if (lit)
		return lit < 0 ? NULL : s;
	xp_init(&x, sh, mode);
	xp_word(&x, w, C_PLAIN);
	s = x.oom ? NULL : xp_string(&x);
	xp_free(&x);
	return s;
}

char *words_string(struct shell *sh, const struct word *w)
{
	return expand_as(sh, w, X_STRING);
}

char *words_pattern(struct shell *sh, const struct word *w)
{
	return expand_as(sh, w, X_PATTERN);
}
