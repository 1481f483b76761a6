/* SPDX-License-Identifier: MIT */
/*
 * Tokens: operators, redirections with their IO number, words. Blanks and
 * comments are skipped here; a newline token also reads the bodies of the
 * here-documents started on its line (dash reads them at that newline).
 */
#include <string.h>
#include "syntax/syntax.h"

void lex_heredocs(struct psr *P)
{
	struct heredoc *h = P->hd;

	P->hd = NULL;
	P->hdtail = &P->hd;
	for (; h; h = h->next)
		heredoc_read(P, h);
}

static int redir_op(struct psr *P, int fd)
{
	int c = lex_peekc(P), c2, deffd;

	P->p++;
	c2 = lex_peekc(P);
	P->rstrip = 0;
	P->lexpeek = 1; /* dash read c2, and after << the next char, and pushed it back */
	if (c == '<') {
		deffd = 0;
		P->rop = R_IN;
		if (c2 == '<') {
			P->p++;
			P->rop = R_HEREDOC;
			if (lex_peekc(P) == '-') {
				P->p++;
				P->rstrip = 1;
				P->lexpeek = 0;
			}
		} else if (c2 == '&' || c2 == '>') {
			P->p++;
			P->lexpeek = 0;
			P->rop = c2 == '&' ? R_DUPIN : R_RDWR;
		}
	} else {
		deffd = 1;
		P->rop = R_OUT;
		if (c2 == '>' || c2 == '&' || c2 == '|') {
			P->p++;
			P->lexpeek = 0;
			P->rop = c2 == '>' ? R_APPEND : c2 == '&' ? R_DUPOUT : R_CLOBBER;
		}
	}
	P->rfd = fd < 0 ? deffd : fd;
	return T_REDIR;
}

static int word_token(struct psr *P)
{
	struct wbuf b = {0};
	const char *start = P->p;

	word_read(P, &b, M_UNQ);
	wbuf_finish(P, &b, &P->w);
	P->wraw = start;
	P->wend = P->p;
	P->lexpeek = 1;
	/* dash looks aliases up before tilde expansion: ~ may be one */
	P->wname = NULL;
	if (P->w.nparts == 1 && P->w.parts[0].type == WP_LIT && !P->w.parts[0].quoted) {
		P->wname = P->w.parts[0].s;
		P->wnamen = P->w.parts[0].n;
	}
	word_tilde(P, &P->w, 0, 0);
	P->wplain = P->w.nparts == 1 && P->w.parts[0].type == WP_LIT && !P->w.parts[0].quoted;
	return T_WORD;
}

/* c is the current char; one- or two-char operator. */
static int twin(struct psr *P, int c, int one, int two)
{
	P->p++;
	P->lexpeek = 1;
	if (lex_peekc(P) == c) {
		P->p++;
		P->lexpeek = 0;
		return two;
	}
	return one;
}

int lex_token(struct psr *P)
{
	int c;

	/*
	 * Bodies are read when the grammar goes past the newline, as dash
	 * does: an error at the newline itself comes first.
	 */
	if (P->after_nl && P->hd)
		lex_heredocs(P);
	P->after_nl = 0;
	for (;;) {
		c = lex_peekc(P);
		if (c == ' ' || c == '\t') {
			P->p++;
		} else if (c == '#') {
			while (P->p < P->end && *P->p != '\n')
				P->p++;
		} else {
			break;
		}
	}
	switch (c) {
	case -1:
		lex_heredocs(P);
		return T_EOF;
	case '\n':
		P->lexpeek = 0;
		lex_adv(P);
		P->after_nl = 1;
		return T_NL;
	case ';':
		return twin(P, c, T_SEMI, T_DSEMI);
	case '&':
		return twin(P, c, T_BG, T_AND);
	case '|':
		return twin(P, c, T_PIPE, T_OR);
	case '(':
		P->p++;
		P->lexpeek = 0;
		return T_LP;
	case ')':
		P->p++;
		P->lexpeek = 0;
		return T_RP;
	case '<':
	case '>':
		return redir_op(P, -1);
	}
	/* dash takes a single digit right before < or > as the fd */
	if (c >= '0' && c <= '9' && P->end - P->p >= 2 && (P->p[1] == '<' || P->p[1] == '>')) {
		P->p++;
		return redir_op(P, c - '0');
	}
	return word_token(P);
}
