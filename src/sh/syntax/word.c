/* SPDX-License-Identifier: MIT */
/*
 * Words as dash reads them: quotes, backslashes, line continuations, the $
 * forms, `...`, and the bodies of here-documents. Every part comes out with
 * its quoting decided, so nothing downstream re-scans text for quotes.
 */
#include <string.h>
#include "syntax/syntax.h"

int lex_peekc(struct psr *P)
{
	while (P->end - P->p >= 2 && P->p[0] == '\\' && P->p[1] == '\n') {
		P->p += 2;
		P->line++;
	}
	return P->p < P->end ? (unsigned char)*P->p : -1;
}

static int rawc(struct psr *P)
{
	return P->p < P->end ? (unsigned char)*P->p : -1;
}

void lex_adv(struct psr *P)
{
	if (*P->p == '\n')
		P->line++;
	P->p++;
}

char *syn_dupn(struct psr *P, const char *s, size_t n)
{
	char *d = syn_alloc(P, n + 1);

	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

static struct wpart *wbuf_part(struct psr *P, struct wbuf *b)
{
	if (b->n == b->cap) {
		unsigned cap = b->cap ? b->cap * 2 : 1; /* most words are one part */
		struct wpart *np = syn_alloc(P, cap * sizeof *np);

		if (b->n)
			memcpy(np, b->parts, b->n * sizeof *np);
		b->parts = np;
		b->cap = cap;
	}
	struct wpart *w = &b->parts[b->n++];
	memset(w, 0, sizeof *w);
	b->adds++;
	return w;
}

static void wbuf_flush(struct psr *P, struct wbuf *b)
{
	if (!b->haslit)
		return;
	char *s = b->lit ? b->lit : syn_dupn(P, "", 0);
	b->haslit = 0;
	b->lit = NULL;
	struct wpart *w = wbuf_part(P, b);
	w->type = WP_LIT;
	w->quoted = (unsigned char)b->litq;
	w->s = s;
	w->n = b->litn;
	s[b->litn] = 0;
	b->litn = b->litcap = 0;
}

/* n characters of literal text (with the quoting given) */
static void wbuf_chars(struct psr *P, struct wbuf *b, const char *s, size_t n, int quoted)
{
	b->dqopen = 0;
	if (b->haslit && b->litq != quoted)
		wbuf_flush(P, b);
	if (!b->haslit) {
		b->haslit = 1;
		b->litq = quoted;
	}
	if (b->litn + n >= b->litcap) {
		size_t cap = b->litcap ? b->litcap * 2 : 16;
		while (b->litn + n >= cap)
			cap *= 2;
		char *nl = syn_alloc(P, cap);

		if (b->litn)
			memcpy(nl, b->lit, b->litn);
		b->lit = nl;
		b->litcap = cap;
	}
	memcpy(b->lit + b->litn, s, n);
	b->litn += n;
	b->adds += n;
}

void wbuf_char(struct psr *P, struct wbuf *b, int c, int quoted)
{
	char ch = (char)c;

	wbuf_chars(P, b, &ch, 1, quoted);
}

/* "" and '' are one quoted empty literal, so the word exists. */
static void wbuf_quoted_empty(struct psr *P, struct wbuf *b)
{
	if (b->haslit && b->litq)
		return;
	wbuf_flush(P, b);
	b->haslit = 1;
	b->litq = 1;
}

static struct wpart *wbuf_expansion(struct psr *P, struct wbuf *b, int type, int quoted)
{
	wbuf_flush(P, b);
	struct wpart *w = wbuf_part(P, b);
	w->type = (unsigned char)type;
	w->quoted = (unsigned char)quoted;
	w->dqstart = (unsigned char)b->dqopen;
	b->dqopen = 0;
	return w;
}

void wbuf_finish(struct psr *P, struct wbuf *b, struct word *w)
{
	wbuf_flush(P, b);
	w->parts = b->parts;
	w->nparts = b->n;
}

static int is_meta(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|' || c == '<' ||
	       c == '>' || c == '(' || c == ')';
}

/*
 * A character that is only itself in a word read in mode (M_UNQ or M_DQ):
 * none that ends it, quotes, escapes, expands or starts a line.
 */
static int plain_char(int c, int mode)
{
	/* bit 1: special inside "..."; bit 2: outside too (the metacharacters) */
	static const unsigned char special[256] = {
		['\\'] = 3, ['$'] = 3, ['`'] = 3,  ['\''] = 3, ['"'] = 3,
		['\n'] = 3, [' '] = 2, ['\t'] = 2, [';'] = 2,  ['&'] = 2,
		['|'] = 2,  ['<'] = 2, ['>'] = 2,  ['('] = 2,  [')'] = 2,
	};
	return !(special[c] & (mode == M_DQ ? 1 : 2));
}

static int name_start(int c)
{
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static int name_char(int c)
{
	return name_start(c) || is_digit(c);
}

static int special_param(int c)
{
	return c == '@' || c == '*' || c == '#' || c == '?' || c == '-' || c == '$' || c == '!';
}

int lex_is_name(const char *s, size_t n)
{
	if (n == 0 || !name_start((unsigned char)s[0]))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!name_char((unsigned char)s[i]))
			return 0;
	return 1;
}

/* Plain characters of these modes are quoted (no splitting, no globbing). */
static int mode_quoted(int mode)
{
	return mode == M_DQ || mode == M_VARDQ || mode == M_ARITH || mode == M_HEREDOC;
}

static void single_quotes(struct psr *P, struct wbuf *b)
{
	unsigned long before = b->adds;

	P->p++;
	for (;;) {
		int c = rawc(P);

		if (c < 0)
			syn_fail(P, "Syntax error: Unterminated quoted string");
		lex_adv(P);
		if (c == '\'')
			break;
		wbuf_char(P, b, c, 1);
	}
	if (b->adds == before)
		wbuf_quoted_empty(P, b);
}

static void double_quotes(struct psr *P, struct wbuf *b)
{
	unsigned long before = b->adds;

	P->p++;
	syn_enter(P);
	b->dqopen = 1;
	word_read(P, b, M_DQ);
	b->dqopen = 0;
	syn_leave(P);
	if (b->adds == before)
		wbuf_quoted_empty(P, b);
}

/* A NAME or a digit string at the current position (continuations allowed). */
static const char *read_name(struct psr *P, int digits, size_t *n)
{
	struct wbuf nb = {0};
	int c;

	while ((c = lex_peekc(P)) >= 0 && (digits ? is_digit(c) : name_char(c))) {
		wbuf_char(P, &nb, c, 0);
		P->p++;
	}
	*n = nb.litn;
	if (!nb.lit)
		return "";
	nb.lit[nb.litn] = 0;
	return nb.lit;
}

static const char *one_char(struct psr *P, int c)
{
	char s[2] = {(char)c, 0};

	P->p++;
	return syn_dupn(P, s, 1);
}

static int arg_mode(int mode, int pattern)
{
	if (mode == M_UNQ || mode == M_VARUNQ)
		return M_VARUNQ;
	return pattern ? M_VARPAT : M_VARDQ;
}

/* The operator after the name: ${x} ${x:-w} ${x%%w} ...; PE_BAD eats one char. */
static void param_op(struct psr *P, struct param *pm)
{
	int c = lex_peekc(P);

	if (c == '}') {
		pm->op = PE_PLAIN;
		return;
	}
	if (c == ':') {
		P->p++;
		pm->colon = 1;
		c = lex_peekc(P);
	} else if (c == '%' || c == '#') {
		P->p++;
		pm->op = c == '%' ? PE_TRIM_SS : PE_TRIM_SP;
		if (lex_peekc(P) == c) {
			P->p++;
			pm->op = c == '%' ? PE_TRIM_LS : PE_TRIM_LP;
		}
		return;
	}
	switch (c) {
	case '-':
		pm->op = PE_DEFAULT;
		break;
	case '=':
		pm->op = PE_ASSIGN;
		break;
	case '?':
		pm->op = PE_ERROR;
		break;
	case '+':
		pm->op = PE_ALT;
		break;
	default:
		/* dash rejects it only when expanding; the char is eaten as is */
		pm->op = PE_BAD;
		if (c < 0)
			syn_fail(P, "Syntax error: Missing '}'");
		P->p++;
		return;
	}
	P->p++;
}

/* ${#...}: the length of a parameter, or $# followed by an operator. */
static void brace_hash(struct psr *P, struct param *pm)
{
	int c = lex_peekc(P);

	if (name_start(c) || is_digit(c)) {
		pm->name = read_name(P, !name_start(c), &pm->n);
		pm->op = PE_LENGTH;
		if (lex_peekc(P) != '}') {
			pm->op = PE_BAD;
			param_op(P, pm);
			pm->op = PE_BAD;
		}
		return;
	}
	if (c >= 0 && special_param(c)) {
		const char *save = P->p;
		unsigned line = P->line;

		P->p++;
		if (lex_peekc(P) == '}') {
			pm->name = syn_dupn(P, save, 1);
			pm->n = 1;
			pm->op = PE_LENGTH;
			return;
		}
		P->p = save;
		P->line = line;
	} else if (c >= 0) {
		const char *save = P->p;
		unsigned line = P->line;

		/* ${#=} ${#+}: the length of no parameter, "Bad substitution" when expanded */
		P->p++;
		if (lex_peekc(P) == '}') {
			pm->op = PE_BAD;
			return;
		}
		P->p = save;
		P->line = line;
	}
	pm->name = "#";
	pm->n = 1;
	param_op(P, pm);
}

static void brace(struct psr *P, struct wbuf *b, int mode)
{
	struct param *pm = syn_alloc(P, sizeof *pm);
	int c;

	syn_enter(P);
	P->p++; /* { */
	c = lex_peekc(P);
	pm->name = "";
	if (c == '#') {
		P->p++;
		if (lex_peekc(P) == '}') {
			pm->name = "#";
			pm->n = 1;
			pm->op = PE_PLAIN;
		} else {
			brace_hash(P, pm);
		}
	} else {
		if (name_start(c) || is_digit(c)) {
			pm->name = read_name(P, !name_start(c), &pm->n);
		} else if (c >= 0 && special_param(c)) {
			pm->name = one_char(P, c);
			pm->n = 1;
		}
		if (pm->n == 0) {
			/*
			 * ${} ${ x} ${:} ${"x"}: an error, but only when expanded;
			 * dash takes the one char and reads the rest as the word
			 */
			if (c < 0)
				syn_fail(P, "Syntax error: Missing '}'");
			if (c != '}')
				P->p++;
			pm->op = PE_BAD;
		} else {
			param_op(P, pm);
		}
	}
	if (pm->op == PE_PLAIN || pm->op == PE_LENGTH) {
		if (lex_peekc(P) != '}')
			syn_fail(P, "Syntax error: Missing '}'");
		P->p++;
	} else if (pm->op == PE_BAD && c == '}' && pm->n == 0) {
		P->p++;
	} else {
		int pat = pm->op >= PE_TRIM_SS && pm->op <= PE_TRIM_LP;
		int am = arg_mode(mode, pat);
		struct wbuf ab = {0};
		struct word *w = syn_alloc(P, sizeof *w);

		word_read(P, &ab, am);
		wbuf_finish(P, &ab, w);
		if (w->nparts) {
			if (am == M_VARUNQ)
				word_tilde(P, w, 0, 0);
			pm->arg = w;
		}
	}
	syn_leave(P);
	wbuf_expansion(P, b, WP_PARAM, mode_quoted(mode))->param = pm;
}

static void cmdsub(struct psr *P, struct wbuf *b, int quoted)
{
	struct psr save = *P;
	struct node *n;

	syn_enter(P);
	P->pushback = 0;
	P->kw = 0;
	P->hd = NULL;
	P->hdtail = &P->hd;
	P->in_heredoc = 0;
	P->after_nl = 0;
	n = syn_list(P, 2);
	if (syn_readtoken(P) != T_RP)
		syn_expect(P, T_RP);
	/* dash gives a here-document with no newline left in $(...) no body */
	for (struct heredoc *h = P->hd; h; h = h->next) {
		struct wbuf eb = {0};
		wbuf_quoted_empty(P, &eb);
		wbuf_finish(P, &eb, &h->r->body);
	}
	P->tok = save.tok;
	P->pushback = save.pushback;
	P->kw = save.kw;
	P->w = save.w;
	P->wplain = save.wplain;
	P->wraw = save.wraw;
	P->wend = save.wend;
	P->rop = save.rop;
	P->rfd = save.rfd;
	P->rstrip = save.rstrip;
	P->hd = save.hd;
	P->hdtail = save.hdtail;
	P->in_heredoc = save.in_heredoc;
	P->after_nl = save.after_nl;
	syn_leave(P);
	wbuf_expansion(P, b, WP_CMDSUB, quoted)->cmd = n;
}

static void arith(struct psr *P, struct wbuf *b, int quoted)
{
	struct wbuf ab = {0};
	struct word *w = syn_alloc(P, sizeof *w);

	syn_enter(P);
	word_read(P, &ab, M_ARITH);
	if (ab.adds == 0)
		wbuf_quoted_empty(P, &ab);
	wbuf_finish(P, &ab, w);
	syn_leave(P);
	wbuf_expansion(P, b, WP_ARITH, quoted)->arith = w;
}

/*
 * `...`: the text up to the closing backquote, with \$ \` \\ (and \" inside
 * double quotes, $((...)) and an unquoted here-document) unescaped, parsed
 * on its own as dash does; what follows the first complete list inside is
 * ignored, as dash ignores it.
 */
static void backquote(struct psr *P, struct wbuf *b, int quoted, int dq)
{
	struct wbuf tb = {0};
	struct psr sub;
	struct node *n;

	P->p++;
	for (;;) {
		int c = rawc(P);

		if (c < 0)
			syn_fail(P, "Syntax error: EOF in backquote substitution");
		if (c == '`') {
			P->p++;
			break;
		}
		if (c == '\\') {
			P->p++;
			c = rawc(P);
			if (c < 0)
				syn_fail(P, "Syntax error: EOF in backquote substitution");
			if (c == '\n') {
				lex_adv(P);
				continue;
			}
			if (c == '$' || c == '`' || c == '\\' || (dq && c == '"')) {
				wbuf_char(P, &tb, c, 0);
				P->p++;
				continue;
			}
			wbuf_char(P, &tb, '\\', 0);
			continue;
		}
		wbuf_char(P, &tb, c, 0);
		lex_adv(P);
	}
	memset(&sub, 0, sizeof sub);
	sub.a = P->a;
	sub.e = P->e;
	sub.p = tb.lit ? tb.lit : "";
	sub.end = sub.p + tb.litn;
	sub.line = 1; /* dash numbers the text of `...` from 1 */
	sub.hdtail = &sub.hd;
	sub.al = P->al; /* dash reads the text as an input of its own, aliases and all */
	syn_enter(P);
	n = syn_list(&sub, 2);
	syn_alias_end(&sub);
	syn_leave(P);
	wbuf_expansion(P, b, WP_CMDSUB, quoted)->cmd = n;
}

static void dollar(struct psr *P, struct wbuf *b, int mode)
{
	int q = mode_quoted(mode);
	int c;

	P->p++;
	c = lex_peekc(P);
	if (c == '{') {
		brace(P, b, mode);
		return;
	}
	if (c == '(') {
		P->p++;
		if (lex_peekc(P) == '(') {
			P->p++;
			arith(P, b, q);
		} else {
			cmdsub(P, b, q);
		}
		return;
	}
	struct param *pm;
	if (name_start(c) || is_digit(c) || special_param(c)) {
		pm = syn_alloc(P, sizeof *pm);
		if (name_start(c))
			pm->name = read_name(P, 0, &pm->n);
		else
			pm->name = one_char(P, c), pm->n = 1;
		pm->op = PE_PLAIN;
		wbuf_expansion(P, b, WP_PARAM, q)->param = pm;
		return;
	}
	wbuf_char(P, b, '$', q);
}

/* A backslash in "...", here-documents and $((...)): only some chars escape. */
static void dq_backslash(struct psr *P, struct wbuf *b, int mode)
{
	int c;

	P->p++;
	c = rawc(P);
	if (c == '$' || c == '`' || c == '\\' ||
	    (c == '"' && (mode == M_DQ || mode == M_VARDQ || mode == M_ARITH)) ||
	    (c == '}' && mode == M_VARDQ)) {
		P->p++;
		wbuf_char(P, b, c, 1);
		return;
	}
	wbuf_char(P, b, '\\', 1);
}

static void plain_backslash(struct psr *P, struct wbuf *b)
{
	int c;

	P->p++;
	c = rawc(P);
	if (c < 0) {
		wbuf_char(P, b, '\\', 1);
		return;
	}
	lex_adv(P);
	wbuf_char(P, b, c, 1);
}

/* Whether c ends the word in this mode (consuming a closing quote or brace). */
static int word_end(struct psr *P, int c, int mode, int *depth)
{
	switch (mode) {
	case M_UNQ:
		return c < 0 || is_meta(c);
	case M_DQ:
		/* a here-document has no quotes of its own: "..." is in a ${} */
		if (c < 0)
			syn_fail(P, P->in_heredoc ? "Syntax error: Missing '}'"
						  : "Syntax error: Unterminated quoted string");
		break;
	case M_VARUNQ:
	case M_VARPAT:
	case M_VARDQ:
		if (c < 0)
			syn_fail(P, mode == M_VARUNQ || P->in_heredoc
					    ? "Syntax error: Missing '}'"
					    : "Syntax error: Unterminated quoted string");
		if (c == '}') {
			P->p++;
			return 1;
		}
		break;
	case M_ARITH:
		if (c < 0)
			syn_fail(P, "Syntax error: Missing '))'");
		if (c == '(')
			++*depth;
		if (c == ')') {
			if (*depth == 0) {
				const char *at = P->p;
				unsigned line = P->line;
				P->p++;
				if (lex_peekc(P) == ')') {
					P->p++;
					return 1;
				}
				/* dash: an unbalanced ) is part of the expression ($((a)b)) */
				P->p = at;
				P->line = line;
				return 0;
			}
			--*depth;
		}
		break;
	}
	if (mode == M_DQ && c == '"') {
		P->p++;
		return 1;
	}
	return 0;
}

void word_read(struct psr *P, struct wbuf *b, int mode)
{
	int q = mode_quoted(mode), depth = 0;
	int quotes = mode == M_UNQ || mode == M_VARUNQ || mode == M_VARPAT; /* ' and \ work */

	for (;;) {
		int c = lex_peekc(P);

		if (word_end(P, c, mode, &depth))
			return;
		if ((c == '$' || c == '`') && P->eofmark) {
			wbuf_char(P, b, c, q);
			P->p++;
		} else if (c == '\'' && quotes) {
			single_quotes(P, b);
		} else if (c == '"' && mode != M_ARITH && mode != M_HEREDOC) {
			double_quotes(P, b);
		} else if (c == '\\') {
			if (quotes)
				plain_backslash(P, b);
			else
				dq_backslash(P, b, mode);
		} else if (c == '$') {
			dollar(P, b, mode);
		} else if (c == '`') {
			/* dash's "dblquote": inside "...", ${x-...} in quotes,
			 * $((...)) and a here-document, not in a trim pattern */
			backquote(P, b, q, mode == M_DQ || mode == M_VARDQ || mode == M_ARITH);
		} else if (mode == M_UNQ || mode == M_DQ) {
			/* the run of plain characters, at once (the most of any line) */
			size_t n = 1;
			/* a newline (counted by lex_adv) is a run of its own */
			while (c != '\n' && P->p + n < P->end &&
			       plain_char((unsigned char)P->p[n], mode))
				n++;
			wbuf_chars(P, b, P->p, n, q);
			P->p += n - 1;
			lex_adv(P);
		} else {
			wbuf_char(P, b, c, q);
			lex_adv(P);
		}
	}
}

/* At the start of a here-document line: the delimiter line ends the body. */
static int heredoc_end(struct psr *P, struct heredoc *h)
{
	if (h->strip)
		while (P->p < P->end && *P->p == '\t')
			P->p++;
	if ((size_t)(P->end - P->p) < h->n || memcmp(P->p, h->delim, h->n) != 0)
		return 0;
	if (P->p + h->n != P->end && P->p[h->n] != '\n')
		return 0;
	P->p += h->n;
	if (P->p < P->end)
		lex_adv(P);
	return 1;
}

static void heredoc_literal(struct psr *P, struct heredoc *h, struct wbuf *b)
{
	while (P->p < P->end && !heredoc_end(P, h)) {
		int c;

		if (P->p == P->end) /* <<- stripped the tabs that ended the input */
			break;
		do {
			c = (unsigned char)*P->p;
			wbuf_char(P, b, c, 1);
			lex_adv(P);
		} while (c != '\n' && P->p < P->end);
	}
}

static void heredoc_expanded(struct psr *P, struct heredoc *h, struct wbuf *b)
{
	if (heredoc_end(P, h))
		return;
	for (;;) {
		int c = lex_peekc(P);

		if (c < 0)
			return;
		if (c == '\n') {
			wbuf_char(P, b, c, 1);
			lex_adv(P);
			if (heredoc_end(P, h))
				return;
		} else if (c == '\\') {
			dq_backslash(P, b, M_HEREDOC);
		} else if (c == '$') {
			dollar(P, b, M_HEREDOC);
		} else if (c == '`') {
			backquote(P, b, 1, 1);
		} else {
			wbuf_char(P, b, c, 1);
			lex_adv(P);
		}
	}
}

void heredoc_read(struct psr *P, struct heredoc *h)
{
	struct wbuf b = {0};

	syn_enter(P);
	P->in_heredoc = 1;
	if (h->quoted)
		heredoc_literal(P, h, &b);
	else
		heredoc_expanded(P, h, &b);
	P->in_heredoc = 0;
	if (b.adds == 0)
		wbuf_quoted_empty(P, &b);
	wbuf_finish(P, &b, &h->r->body);
	syn_leave(P);
}

static void parts_push(struct psr *P, struct wbuf *b, const struct wpart *w)
{
	wbuf_flush(P, b);
	*wbuf_part(P, b) = *w;
}

static void lit_push(struct psr *P, struct wbuf *b, const char *s, size_t n)
{
	struct wpart w = {0};

	if (n == 0)
		return;
	w.type = WP_LIT;
	w.s = syn_dupn(P, s, n);
	w.n = n;
	parts_push(P, b, &w);
}

static int has_tilde(const struct word *w)
{
	for (unsigned i = 0; i < w->nparts; i++)
		if (w->parts[i].type == WP_LIT && !w->parts[i].quoted &&
		    memchr(w->parts[i].s, '~', w->parts[i].n))
			return 1;
	return 0;
}

/*
 * Tilde prefixes: at the start of w, and in assignments also after each
 * unquoted ':'. The prefix runs to '/' (or ':' in assignments) inside the
 * same unquoted literal, or to the end of the word; anything quoted or
 * expanded in it leaves the text alone, as dash does. Returns 1 if changed.
 */
static void param_tilde(struct psr *P, struct word *w, int decl)
{
	struct wbuf nb = {0};

	for (unsigned i = 0; i < w->nparts; i++) {
		const struct wpart *pt = &w->parts[i];
		if (pt->type == WP_TILDE) {
			wbuf_char(P, &nb, '~', 0);
			wbuf_chars(P, &nb, pt->s, pt->n, 0);
		} else if (pt->type == WP_LIT && !pt->quoted) {
			wbuf_chars(P, &nb, pt->s, pt->n, 0);
		} else {
			parts_push(P, &nb, pt);
		}
	}
	wbuf_finish(P, &nb, w);
	word_tilde(P, w, 1, decl);
}

int word_tilde(struct psr *P, struct word *w, int assign, int decl)
{
	struct wbuf nb = {0};
	int at = 1, changed = 0;

	/*
	 * In an assignment dash's tilde rules reach into ${x-w} ${x+w} ${x?w}
	 * (a ~ after ':' there too; not ${x=w}, where it expands none): their
	 * word is read again as an assignment's.
	 */
	for (unsigned i = 0; assign && i < w->nparts; i++) {
		const struct wpart *pt = &w->parts[i];
		if (pt->type == WP_PARAM && !pt->quoted && pt->param->arg &&
		    pt->param->op != PE_ASSIGN && pt->param->op < PE_TRIM_SS)
			param_tilde(P, pt->param->arg, decl);
	}
	if (!has_tilde(w))
		return 0;
	for (unsigned i = 0; i < w->nparts; i++) {
		const struct wpart *pt = &w->parts[i];
		size_t k = 0, seg = 0;

		if (pt->type != WP_LIT || pt->quoted) {
			parts_push(P, &nb, pt);
			at = 0;
			continue;
		}
		while (k < pt->n) {
			if (at && pt->s[k] == '~') {
				size_t j = k + 1;

				while (j < pt->n && pt->s[j] != '/' && !(assign && pt->s[j] == ':'))
					j++;
				if (j < pt->n || i + 1 == w->nparts) {
					struct wpart t = {0};

					lit_push(P, &nb, pt->s + seg, k - seg);
					t.type = WP_TILDE;
					t.s = syn_dupn(P, pt->s + k + 1, j - k - 1);
					t.n = j - k - 1;
					t.decl = (unsigned char)decl;
					parts_push(P, &nb, &t);
					seg = k = j;
					at = 0;
					changed = 1;
					continue;
				}
			}
			at = assign && pt->s[k] == ':';
			k++;
		}
		lit_push(P, &nb, pt->s + seg, pt->n - seg);
	}
	if (changed)
		wbuf_finish(P, &nb, w);
	return changed;
}
