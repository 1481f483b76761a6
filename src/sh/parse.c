/* SPDX-License-Identifier: MIT */
/*
 * The parser: and-or lists of pipelines of simple commands, nothing else.
 * A construct outside that grammar delegates; a malformed line inside it
 * is a syntax error (dash reports it, so that delegates too).
 */
#include <string.h>
#include "lex.h"
#include "sh.h"

struct parser {
	struct lexer lx;
	struct ush_arena *a;
	enum ush_class cls;
	const char *reason;
};

static int fail(struct parser *p, enum ush_class cls, const char *reason)
{
	if (!p->reason) {
		p->cls = cls;
		p->reason = reason;
	}
	return -1;
}

/* Append one element of size sz to the array *v (n used, cap allocated). */
static int push(struct parser *p, void **v, unsigned *n, unsigned *cap, size_t sz, const void *e)
{
	if (*n == *cap) {
		unsigned nc = *cap ? *cap * 2 : 4;
		void *nv = ush_alloc(p->a, nc * sz);
		if (!nv)
			return fail(p, USH_DELEGATE, "out of memory");
		if (*n)
			memcpy(nv, *v, *n * sz);
		*v = nv;
		*cap = nc;
	}
	memcpy((char *)*v + *n * sz, e, sz);
	(*n)++;
	return 0;
}

static enum tok next(struct parser *p)
{
	enum tok t = lex_next(&p->lx);
	if (t == T_STOP)
		fail(p, USH_DELEGATE, p->lx.reason);
	return t;
}

static enum tok skip_newlines(struct parser *p)
{
	while (p->lx.tok == T_NEWLINE)
		next(p);
	return p->lx.tok;
}

static int is_plain(const struct lexer *lx, const char *s)
{
	return lx->tok == T_WORD && lx->plain && lx->word.parts[0].n == strlen(s) &&
	       !memcmp(lx->word.parts[0].s, s, lx->word.parts[0].n);
}

static const char *const keywords[] = {"!",   "case", "do", "done", "elif",  "else",  "esac", "fi",
				       "for", "if",   "in", "then", "until", "while", "{",    "}"};

static int is_keyword(const struct lexer *lx)
{
	for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
		if (is_plain(lx, keywords[i]))
			return 1;
	return 0;
}

static int parse_redir(struct parser *p, struct ush_cmd *c, unsigned *cap, int fd)
{
	enum tok op = p->lx.tok;
	struct ush_redir r = {0};

	r.op = op == T_LESS      ? USH_R_IN
	       : op == T_GREAT   ? USH_R_OUT
	       : op == T_DGREAT  ? USH_R_APPEND
	       : op == T_LESSAND ? USH_R_DUPIN
				 : USH_R_DUPOUT;
	r.fd = fd >= 0 ? fd : (op == T_LESS || op == T_LESSAND) ? 0 : 1;
	r.dup = -1;
	if (next(p) != T_WORD)
		return fail(p, USH_SYNTAX, "redirection without a word");
	if (p->lx.io_number >= 0)
		return fail(p, USH_DELEGATE, "fd number");
	r.target = p->lx.word;
	if (r.op == USH_R_DUPIN || r.op == USH_R_DUPOUT) {
		const struct ush_part *t = &r.target.parts[0];
		if (!p->lx.plain || t->n != 1 ||
		    (t->s[0] != '-' && (t->s[0] < '0' || t->s[0] > '9')))
			return fail(p, USH_DELEGATE, "fd number");
		r.dup = t->s[0] == '-' ? -1 : t->s[0] - '0';
	}
	if (r.fd > 2 || r.dup > 2)
		return fail(p, USH_DELEGATE, "fd above 2");
	next(p);
	return push(p, (void **)&c->redirs, &c->nredirs, cap, sizeof r, &r);
}

static int parse_assign(struct parser *p, struct ush_cmd *c, unsigned *cap)
{
	struct ush_assign as;
	struct ush_word w = p->lx.word;
	struct ush_part *first = ush_alloc(p->a, w.nparts * sizeof *first);

	if (!first)
		return fail(p, USH_DELEGATE, "out of memory");
	memcpy(first, w.parts, w.nparts * sizeof *first);
	as.name = first[0].s;
	as.n = p->lx.assign;
	first[0].s += as.n + 1;
	first[0].n -= as.n + 1;
	as.value.parts = first;
	as.value.nparts = w.nparts;
	next(p);
	return push(p, (void **)&c->assigns, &c->nassigns, cap, sizeof as, &as);
}

static int parse_command(struct parser *p, struct ush_cmd *c)
{
	unsigned acap = 0, wcap = 0, rcap = 0;

	memset(c, 0, sizeof *c);
	c->lineno = p->lx.tok_line;
	for (;;) {
		enum tok t = p->lx.tok;
		if (t == T_WORD && p->lx.io_number >= 0) {
			int fd = p->lx.io_number;
			next(p);
			if (p->reason || parse_redir(p, c, &rcap, fd) < 0)
				return -1;
		} else if (t == T_WORD && c->nargs == 0 && p->lx.assign) {
			if (parse_assign(p, c, &acap) < 0)
				return -1;
		} else if (t == T_WORD) {
			if (c->nargs == 0 && is_keyword(&p->lx))
				return fail(p, USH_DELEGATE, "compound command");
			if (push(p, (void **)&c->args, &c->nargs, &wcap, sizeof p->lx.word,
				 &p->lx.word))
				return -1;
			next(p);
		} else if (t >= T_LESS && t <= T_GREATAND) {
			if (parse_redir(p, c, &rcap, -1) < 0)
				return -1;
		} else {
			break;
		}
	}
	if (p->reason)
		return -1;
	if (!c->nargs && !c->nassigns && !c->nredirs)
		return fail(p, USH_SYNTAX, "unexpected token");
	return 0;
}

static int parse_pipeline(struct parser *p, struct ush_pipeline *pl)
{
	unsigned cap = 0;
	struct ush_cmd c;

	memset(pl, 0, sizeof *pl);
	if (is_plain(&p->lx, "!")) {
		pl->bang = 1;
		next(p);
	}
	for (;;) {
		if (parse_command(p, &c) < 0)
			return -1;
		if (push(p, (void **)&pl->cmds, &pl->ncmds, &cap, sizeof c, &c) < 0)
			return -1;
		if (p->lx.tok != T_PIPE)
			return 0;
		next(p);
		skip_newlines(p);
	}
}

static int parse_andor(struct parser *p, struct ush_andor *ao)
{
	unsigned cap = 0, ocap = 0, on = 0;
	struct ush_pipeline pl;

	memset(ao, 0, sizeof *ao);
	for (;;) {
		if (parse_pipeline(p, &pl) < 0)
			return -1;
		if (push(p, (void **)&ao->pipes, &ao->npipes, &cap, sizeof pl, &pl) < 0)
			return -1;
		enum tok t = p->lx.tok;
		if (t != T_AND && t != T_OR)
			return 0;
		char op = t == T_AND ? '&' : '|';
		if (push(p, (void **)&ao->ops, &on, &ocap, 1, &op) < 0)
			return -1;
		next(p);
		skip_newlines(p);
	}
}

static int parse_script(struct parser *p, struct ush_line *line)
{
	unsigned cap = 0;
	struct ush_andor ao;

	next(p);
	skip_newlines(p);
	while (!p->reason && p->lx.tok != T_EOF) {
		if (parse_andor(p, &ao) < 0)
			return -1;
		if (push(p, (void **)&line->items, &line->nitems, &cap, sizeof ao, &ao) < 0)
			return -1;
		if (p->lx.tok == T_SEMI)
			next(p);
		else if (p->lx.tok != T_NEWLINE && p->lx.tok != T_EOF)
			return fail(p, USH_SYNTAX, "unexpected token");
		skip_newlines(p);
	}
	return p->reason ? -1 : 0;
}

enum ush_class ush_parse(struct ush_arena *a, const char *text, size_t len, struct ush_line *line)
{
	struct parser p;

	memset(line, 0, sizeof *line);
	memset(&p, 0, sizeof p);
	p.a = a;
	lex_init(&p.lx, a, text, len);
	if (parse_script(&p, line) < 0) {
		line->reason = p.reason;
		return p.cls;
	}
	return classify(line);
}
