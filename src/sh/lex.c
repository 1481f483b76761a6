/* SPDX-License-Identifier: MIT */
/*
 * The tokenizer. Words come out as parts (literal text with quotes removed,
 * or parameter expansions). Anything ush does not run natively stops the
 * lexer with a reason: the caller delegates the whole line to /bin/sh.
 */
#include <string.h>
#include "lex.h"

struct wbuf {
	struct ush_part parts[64];
	unsigned nparts;
	char *lit; /* the literal being built, in the arena */
	size_t litn, litcap;
	int litq; /* its quoted flag; -1: none open */
};

static int stop(struct lexer *lx, const char *reason)
{
	lx->reason = reason;
	return -1;
}

static int is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

int ush_is_name(const char *s, size_t n)
{
	if (!n || !is_name_start((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!is_name_char((unsigned char)s[i]))
			return 0;
	return 1;
}

static struct ush_part *new_part(struct lexer *lx, struct wbuf *w)
{
	if (w->nparts == sizeof w->parts / sizeof w->parts[0]) {
		stop(lx, "word too complex");
		return NULL;
	}
	struct ush_part *p = &w->parts[w->nparts++];
	memset(p, 0, sizeof *p);
	return p;
}

static int flush(struct lexer *lx, struct wbuf *w)
{
	if (w->litq < 0)
		return 0;
	struct ush_part *p = new_part(lx, w);
	if (!p)
		return -1;
	p->type = USH_LIT;
	p->quoted = w->litq;
	p->s = w->lit ? w->lit : "";
	p->n = w->litn;
	w->lit = NULL;
	w->litn = w->litcap = 0;
	w->litq = -1;
	return 0;
}

static int add_char(struct lexer *lx, struct wbuf *w, int q, char c)
{
	if (w->litq != q && flush(lx, w) < 0)
		return -1;
	w->litq = q;
	if (w->litn == w->litcap) {
		size_t cap = w->litcap ? w->litcap * 2 : 32;
		char *n;
		/* grow in place when the literal is the arena's last block */
		if (w->lit && w->lit + w->litcap == lx->a->buf + lx->a->used &&
		    lx->a->cap - lx->a->used >= cap - w->litcap) {
			lx->a->used += cap - w->litcap;
			n = w->lit;
		} else {
			n = ush_alloc(lx->a, cap);
			if (!n)
				return stop(lx, "out of memory");
			if (w->litn)
				memcpy(n, w->lit, w->litn);
		}
		w->lit = n;
		w->litcap = cap;
	}
	w->lit[w->litn++] = c;
	return 0;
}

/* An empty quoted literal, so that "" still makes a field. */
static int mark_quoted(struct lexer *lx, struct wbuf *w)
{
	if (w->litq == 1)
		return 0;
	if (flush(lx, w) < 0)
		return -1;
	w->litq = 1;
	return 0;
}

static int peek(struct lexer *lx, size_t off)
{
	size_t at = lx->pos + off;
	return at < lx->len ? (unsigned char)lx->s[at] : -1;
}

/* ${NAME}, ${NAME-w}, ${NAME:-w}, ${NAME+w}, ${NAME:+w} with a plain w. */
static int lex_brace(struct lexer *lx, struct ush_part *p)
{
	size_t i = lx->pos + 2, start = i;

	while (i < lx->len && is_name_char((unsigned char)lx->s[i]))
		i++;
	if (!ush_is_name(lx->s + start, i - start))
		return stop(lx, "parameter expansion");
	p->s = lx->s + start;
	p->n = i - start;
	if (i < lx->len && lx->s[i] == ':') {
		p->colon = 1;
		i++;
	}
	if (i < lx->len && (lx->s[i] == '-' || lx->s[i] == '+')) {
		p->op = lx->s[i++];
		size_t as = i;
		while (i < lx->len && lx->s[i] != '}') {
			int c = (unsigned char)lx->s[i];
			if (!is_name_char(c) && !strchr("./,:@%+=-", c))
				return stop(lx, "parameter expansion");
			i++;
		}
		p->arg = lx->s + as;
		p->argn = i - as;
	} else if (p->colon) {
		return stop(lx, "parameter expansion");
	}
	if (i >= lx->len || lx->s[i] != '}')
		return stop(lx, "parameter expansion");
	lx->pos = i + 1;
	return 0;
}

static int lex_param(struct lexer *lx, struct wbuf *w, int q)
{
	int c = peek(lx, 1);

	if (c == '(')
		return stop(lx, "command substitution");
	if (c != '?' && c != '{' && !is_name_start(c))
		return stop(lx, "special parameter");
	if (flush(lx, w) < 0)
		return -1;
	struct ush_part *p = new_part(lx, w);
	if (!p)
		return -1;
	p->type = USH_PARAM;
	p->quoted = q;
	if (c == '?') {
		p->s = "?";
		p->n = 1;
		lx->pos += 2;
		return 0;
	}
	if (c == '{')
		return lex_brace(lx, p);
	size_t i = lx->pos + 1;
	while (i < lx->len && is_name_char((unsigned char)lx->s[i]))
		i++;
	p->s = lx->s + lx->pos + 1;
	p->n = i - lx->pos - 1;
	lx->pos = i;
	return 0;
}

static int lex_dquote(struct lexer *lx, struct wbuf *w)
{
	lx->pos++;
	if (mark_quoted(lx, w) < 0)
		return -1;
	for (;;) {
		int c = peek(lx, 0);
		if (c < 0)
			return stop(lx, "unterminated quote");
		if (c == '"') {
			lx->pos++;
			return 0;
		}
		if (c == '`')
			return stop(lx, "backquote");
		if (c == '$') {
			if (lex_param(lx, w, 1) < 0)
				return -1;
			continue;
		}
		if (c == '\\') {
			int n = peek(lx, 1);
			if (n == '\n') {
				lx->pos += 2;
				lx->lineno++;
				continue;
			}
			if (n == '$' || n == '`' || n == '"' || n == '\\') {
				c = n;
				lx->pos++;
			}
		}
		if (c == '\n')
			lx->lineno++;
		if (add_char(lx, w, 1, c) < 0)
			return -1;
		lx->pos++;
	}
}

static int lex_squote(struct lexer *lx, struct wbuf *w)
{
	const char *end = memchr(lx->s + lx->pos + 1, '\'', lx->len - lx->pos - 1);

	if (!end)
		return stop(lx, "unterminated quote");
	if (mark_quoted(lx, w) < 0)
		return -1;
	for (lx->pos++; lx->s + lx->pos < end; lx->pos++) {
		if (lx->s[lx->pos] == '\n')
			lx->lineno++;
		if (add_char(lx, w, 1, lx->s[lx->pos]) < 0)
			return -1;
	}
	lx->pos++;
	return 0;
}

static int lex_backslash(struct lexer *lx, struct wbuf *w)
{
	int n = peek(lx, 1);

	if (n < 0)
		return stop(lx, "trailing backslash");
	lx->pos += 2;
	if (n == '\n') {
		lx->lineno++;
		return 0;
	}
	return add_char(lx, w, 1, n);
}

static int word_char(struct lexer *lx, struct wbuf *w, int c, size_t *assign, int *plain)
{
	switch (c) {
	case '\\':
		*plain = 0;
		return lex_backslash(lx, w);
	case '\'':
		*plain = 0;
		return lex_squote(lx, w);
	case '"':
		*plain = 0;
		return lex_dquote(lx, w);
	case '$':
		*plain = 0;
		return lex_param(lx, w, 0);
	case '`':
		return stop(lx, "backquote");
	case '[':
		/* a lone "[" (test's name) matches only itself: no glob to run */
		if (w->nparts || w->litq >= 0 ||
		    !strchr(" \t\n;&|<>()", peek(lx, 1) < 0 ? ' ' : peek(lx, 1)))
			return stop(lx, "glob");
		break;
	case '*':
	case '?':
		return stop(lx, "glob");
	case '~':
		return stop(lx, "tilde");
	case '=':
		if (!*assign && w->nparts == 0 && w->litq == 0 && ush_is_name(w->lit, w->litn))
			*assign = w->litn;
		break;
	}
	lx->pos++;
	return add_char(lx, w, 0, c);
}

static enum tok lex_word(struct lexer *lx)
{
	struct wbuf w;
	size_t assign = 0;
	int plain = 1;

	w.nparts = 0;
	w.lit = NULL;
	w.litn = w.litcap = 0;
	w.litq = -1;
	for (;;) {
		int c = peek(lx, 0);
		if (c < 0 || strchr(" \t\n;&|<>()", c))
			break;
		if (word_char(lx, &w, c, &assign, &plain) < 0)
			return T_STOP;
	}
	if (flush(lx, &w) < 0)
		return T_STOP;
	if (w.nparts != 1 || w.parts[0].type != USH_LIT || w.parts[0].quoted)
		plain = 0;
	lx->word.nparts = w.nparts;
	lx->word.parts = ush_alloc(lx->a, w.nparts * sizeof w.parts[0] + 1);
	if (!lx->word.parts) {
		lx->reason = "out of memory";
		return T_STOP;
	}
	memcpy(lx->word.parts, w.parts, w.nparts * sizeof w.parts[0]);
	lx->assign = assign;
	lx->plain = plain;
	lx->io_number = -1;
	int c = peek(lx, 0);
	if (plain && (c == '<' || c == '>')) {
		const struct ush_part *p = &w.parts[0];
		size_t i = 0;
		while (i < p->n && p->s[i] >= '0' && p->s[i] <= '9')
			i++;
		if (i == p->n && i > 0) {
			if (i > 1) {
				lx->reason = "fd number";
				return T_STOP;
			}
			lx->io_number = p->s[0] - '0';
		}
	}
	return T_WORD;
}

static void skip_blanks(struct lexer *lx)
{
	for (;;) {
		int c = peek(lx, 0);
		if (c == ' ' || c == '\t') {
			lx->pos++;
		} else if (c == '\\' && peek(lx, 1) == '\n') {
			lx->pos += 2;
			lx->lineno++;
		} else if (c == '#') {
			while (peek(lx, 0) >= 0 && peek(lx, 0) != '\n')
				lx->pos++;
		} else {
			return;
		}
	}
}

static enum tok op2(struct lexer *lx, enum tok one, int c2, enum tok two)
{
	if (peek(lx, 1) == c2) {
		lx->pos += 2;
		return two;
	}
	lx->pos++;
	return one;
}

static enum tok lex_op(struct lexer *lx, int c)
{
	int n = peek(lx, 1);

	switch (c) {
	case '\n':
		lx->pos++;
		lx->lineno++;
		return T_NEWLINE;
	case ';':
		if (n == ';')
			break;
		lx->pos++;
		return T_SEMI;
	case '&':
		if (n != '&')
			break;
		lx->pos += 2;
		return T_AND;
	case '|':
		return op2(lx, T_PIPE, '|', T_OR);
	case '<':
		if (n == '<' || n == '>')
			break;
		return op2(lx, T_LESS, '&', T_LESSAND);
	case '>':
		if (n == '|')
			break;
		if (n == '>') {
			lx->pos += 2;
			return T_DGREAT;
		}
		return op2(lx, T_GREAT, '&', T_GREATAND);
	}
	lx->reason = c == '(' || c == ')'   ? "subshell"
		     : c == '&'             ? "background"
		     : c == ';'             ? "case"
		     : c == '<' && n == '<' ? "here-document"
					    : "redirection";
	return T_STOP;
}

enum tok lex_next(struct lexer *lx)
{
	skip_blanks(lx);
	lx->tok_line = lx->lineno;
	int c = peek(lx, 0);
	if (c < 0)
		lx->tok = T_EOF;
	else if (strchr("\n;&|<>()", c))
		lx->tok = lex_op(lx, c);
	else
		lx->tok = lex_word(lx);
	return lx->tok;
}

void lex_init(struct lexer *lx, struct ush_arena *a, const char *s, size_t len)
{
	memset(lx, 0, sizeof *lx);
	lx->a = a;
	lx->s = s;
	lx->len = len;
	lx->lineno = 1;
	lx->io_number = -1;
}
