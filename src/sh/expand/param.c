/* SPDX-License-Identifier: MIT */
/*
 * Parameter expansion: $x ${x} and every ${x OP word} form, with dash
 * 0.5.12's choices for $@ and $* (set even with no parameters; null when
 * their joined text is empty) and its error messages.
 */
#include <stdlib.h>
#include <string.h>
#include "expand/pattern.h"
#include "expand/words.h"

int is_plain_at(const struct param *p)
{
	return p->op == PE_PLAIN && p->n == 1 && p->name[0] == '@';
}

static int is_at(const struct param *p)
{
	return p->n == 1 && (p->name[0] == '@' || p->name[0] == '*');
}

/* "name: what" on fd 2, leaving the shell with status 2 */
static void param_fail(struct shell *sh, const struct param *p, const char *what)
{
	char name[256];
	size_t k = p->n < sizeof name - 1 ? p->n : sizeof name - 1;

	memcpy(name, p->name, k);
	name[k] = 0;
	shell_fail(sh, 2, name, ": ", what);
}

/* the first character of IFS, the separator of "$*" (0: none) */
static char ifs_first(struct shell *sh)
{
	const char *ifs = shvar_get(sh, "IFS", 3);

	return ifs ? ifs[0] : ' ';
}

/* ${@:-w} tests "$@" joined with spaces, ${*:-w} with IFS's first character */
static int at_null(struct shell *sh, char which)
{
	char sep = which == '@' ? ' ' : ifs_first(sh);

	for (unsigned i = 0; i < sh->nparams; i++)
		if (sh->params[i][0] || (i && sep))
			return 0;
	return 1;
}

/*
 * $@ and $* joined as they expand here: in fields, "$@" and unquoted $@ $*
 * put a NUL between parameters (a separator to field splitting), "$*" and
 * strings the first character of IFS. The trims apply to this whole text.
 */
static char *join_params(struct xp *x, char which, int quoted, size_t *len)
{
	struct shell *sh = x->sh;
	int nul = x->mode == X_FIELDS && !(quoted && which == '*');
	char sep = nul ? 0 : ifs_first(sh);
	size_t n = 0;

	for (unsigned i = 0; i < sh->nparams; i++)
		n += strlen(sh->params[i]) + 1;
	char *s = shell_alloc(sh, n + 1), *p = s;
	if (!s)
		return NULL;
	for (unsigned i = 0; i < sh->nparams; i++) {
		size_t l = strlen(sh->params[i]);
		if (i && (nul || sep))
			*p++ = sep;
		memcpy(p, sh->params[i], l);
		p += l;
	}
	*p = 0;
	*len = p - s;
	return s;
}

/* the joined text in the buffer: "$@" is a NUL-only region, unquoted ones split */
static void emit_joined(struct xp *x, char which, int quoted, const char *s, size_t n)
{
	size_t beg = x->n;

	if (x->mode == X_FIELDS && quoted && which == '@') {
		if (!x->sh->nparams)
			return;
		for (size_t i = 0; i < n; i++)
			xp_add(x, s + i, 1, s[i] ? A_QUOTED : 0);
		xp_region(x, beg, 1);
		return;
	}
	xp_add(x, s, n, quoted ? A_QUOTED : 0);
	if (!quoted)
		xp_region(x, beg, 0);
}

static void emit_params(struct xp *x, char which, int quoted)
{
	size_t n;
	char *s = join_params(x, which, quoted, &n);

	if (!s) {
		x->oom = 1;
		return;
	}
	emit_joined(x, which, quoted, s, n);
	shell_free(x->sh, s);
}

/* the smallest/largest prefix/suffix of s matching pat removed: [*b, *e) stays */
static void trim(int op, const char *pat, const char *s, size_t n, size_t *b, size_t *e)
{
	*b = 0;
	*e = n;
	switch (op) {
	case PE_TRIM_SP:
		for (size_t i = 0; i <= n; i++)
			if (pattern_match(pat, s, i)) {
				*b = i;
				return;
			}
		break;
	case PE_TRIM_LP:
		for (size_t i = n + 1; i-- > 0;)
			if (pattern_match(pat, s, i)) {
				*b = i;
				return;
			}
		break;
	case PE_TRIM_SS:
		for (size_t i = n + 1; i-- > 0;)
			if (pattern_match(pat, s + i, n - i)) {
				*e = i;
				return;
			}
		break;
	case PE_TRIM_LS:
		for (size_t i = 0; i <= n; i++)
			if (pattern_match(pat, s + i, n - i)) {
				*e = i;
				return;
			}
		break;
	}
}

/* a word with no expansion in it: expanding it cannot change a variable */
static int pure_word(const struct word *w)
{
	for (unsigned i = 0; w && i < w->nparts; i++)
		if (w->parts[i].type != WP_LIT)
			return 0;
	return 1;
}

static void xp_trim(struct xp *x, const struct param *p, const char *v, int quoted)
{
	size_t n, b, e;
	struct xp px;
	/* the value is taken before the pattern expands ($((x=1)) may change it) */
	char *val = is_at(p)            ? join_params(x, p->name[0], quoted, &n)
		    : pure_word(p->arg) ? (char *)v
					: shell_strdup(x->sh, v);

	if (!val) {
		x->oom = 1;
		return;
	}
	xp_init(&px, x->sh, X_PATTERN);
	xp_word(&px, p->arg, C_PLAIN);
	const char *pat = px.oom ? NULL : xp_cstr(&px);
	if (pat) {
		if (!is_at(p))
			n = strlen(val);
		trim(p->op, pat, val, n, &b, &e);
		if (is_at(p))
			emit_joined(x, p->name[0], quoted, val + b, e - b);
		else
			xp_value(x, val + b, e - b, quoted);
	} else {
		x->oom = 1;
	}
	xp_free(&px);
	if (val != v)
		shell_free(x->sh, val);
}

static void emit_number(struct xp *x, size_t v, int quoted)
{
	char d[24], *s = fmt_udec(d + sizeof d, v);

	xp_value(x, s, (size_t)(d + sizeof d - s), quoted);
}

/* the parameter's own value (not an operator's word) */
static void emit_own(struct xp *x, const struct param *p, const char *v, int quoted)
{
	if (is_at(p))
		emit_params(x, p->name[0], quoted);
	else
		xp_value(x, v, strlen(v), quoted);
}

static const char *assign(struct xp *x, const struct param *p, char *tmp, size_t tmpn)
{
	struct shell *sh = x->sh;

	if (!lex_is_name(p->name, p->n))
		param_fail(sh, p, "bad variable name");
	char *v = words_string(sh, p->arg);
	if (!v) {
		x->oom = 1;
		return "";
	}
	if (shvar_set(sh, p->name, p->n, v, 0) < 0)
		shell_exit(sh, 2);
	shell_free(sh, v);
	return shell_param(sh, p->name, p->n, tmp, tmpn);
}

void xp_param(struct xp *x, const struct param *p, int quoted)
{
	struct shell *sh = x->sh;
	char tmp[32];
	int ctx = quoted ? C_QUOTED : C_ARG;

	if (p->op == PE_BAD)
		shell_fail(sh, 2, "Bad substitution", NULL, NULL);
	int at = is_at(p);
	/* $@ and $* joined only for ${#@} */
	const char *v =
		at && p->op != PE_LENGTH ? NULL : shell_param(sh, p->name, p->n, tmp, sizeof tmp);
	int set = at || v;
	int empty = at ? at_null(sh, p->name[0]) : !v || !*v;
	int use_word = !set || (p->colon && empty);

	switch (p->op) {
	case PE_PLAIN:
	case PE_LENGTH:
		if (!set && (sh->opts & OPT_NOUNSET))
			param_fail(sh, p, "parameter not set");
		if (p->op == PE_LENGTH)
			emit_number(x, v ? strlen(v) : 0, quoted);
		else if (set)
			emit_own(x, p, v, quoted);
		break;
	case PE_DEFAULT:
		if (use_word)
			xp_word(x, p->arg, ctx);
		else
			emit_own(x, p, v, quoted);
		break;
	case PE_ALT:
		if (!use_word)
			xp_word(x, p->arg, ctx);
		else if (!quoted)
			xp_region(x, x->n, 0); /* dash records the (empty) value here */
		break;
	case PE_ASSIGN:
		if (use_word)
			v = assign(x, p, tmp, sizeof tmp);
		emit_own(x, p, v ? v : "", quoted);
		break;
	case PE_ERROR:
		if (use_word) {
			char *msg = p->arg ? words_string(sh, p->arg) : NULL;
			if (p->arg && !msg) {
				x->oom = 1;
				return;
			}
			param_fail(sh, p,
				   msg ? msg
				       : (p->colon ? "parameter not set or null"
						   : "parameter not set"));
		}
		emit_own(x, p, v, quoted);
		break;
	default: /* the trims */
		if (!set && (sh->opts & OPT_NOUNSET))
			param_fail(sh, p, "parameter not set");
		if (set)
			xp_trim(x, p, v, quoted);
		break;
	}
}
