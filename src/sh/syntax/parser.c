/* SPDX-License-Identifier: MIT */
/*
 * The grammar, shaped like dash's recursive descent so that every syntax
 * error is found at the same token, with the same words and line: lists,
 * and-or lists, pipelines, compound commands, simple commands, functions,
 * redirections.
 */
#include <stdlib.h>
#include <string.h>
#include "syntax/syntax.h"
#include "builtins/builtins.h"

const char SYNTAX_UNSUPPORTED[] = "unsupported by the uring-sh parser";

static const char *const tok_names[] = {
	"end of file", "newline",   "\";\"",     "\"&\"",   "\"&&\"",   "\"||\"",
	"\"|\"",       "\"(\"",     "\")\"",     "\";;\"",  "\"`\"",    "redirection",
	"word",        "\"!\"",     "\"case\"",  "\"do\"",  "\"done\"", "\"elif\"",
	"\"else\"",    "\"esac\"",  "\"fi\"",    "\"for\"", "\"if\"",   "\"in\"",
	"\"then\"",    "\"until\"", "\"while\"", "\"{\"",   "\"}\"",
};

static const char *const keywords[] = {
	"!",   "case", "do", "done", "elif",  "else",  "esac", "fi",
	"for", "if",   "in", "then", "until", "while", "{",    "}",
};

_Noreturn void syn_fail(struct psr *P, const char *msg)
{
	P->e->msg = msg;
	P->e->line = P->line;
	longjmp(P->e->jb, 1);
}

_Noreturn void syn_unsupported(struct psr *P, const char *reason)
{
	P->e->msg = SYNTAX_UNSUPPORTED;
	P->e->reason = reason;
	P->e->line = P->line;
	longjmp(P->e->jb, 1);
}

void *syn_alloc(struct psr *P, size_t n)
{
	void *m = ush_alloc(P->a, n);

	if (!m)
		syn_unsupported(P, "out of memory");
	memset(m, 0, n);
	return m;
}

void syn_enter(struct psr *P)
{
	if (++P->e->depth > SYNTAX_MAX_DEPTH)
		syn_unsupported(P, "nesting deeper than 1000 levels");
}

void syn_leave(struct psr *P)
{
	P->e->depth--;
}

_Noreturn void syn_expect(struct psr *P, int want)
{
	static char fallback[96];
	const char *got = tok_names[P->tok];
	size_t n = 40 + strlen(got) + (want >= 0 ? strlen(tok_names[want]) : 0);
	char *m = ush_alloc(P->a, n);

	if (!m) {
		m = fallback;
		n = sizeof fallback;
	}
	strcpy(m, "Syntax error: ");
	strcat(m, got);
	strcat(m, " unexpected");
	if (want >= 0) {
		strcat(m, " (expecting ");
		strcat(m, tok_names[want]);
		strcat(m, ")");
	}
	syn_fail(P, m);
}

static int keyword(const struct word *w)
{
	for (unsigned i = 0; i < sizeof keywords / sizeof *keywords; i++)
		if (strlen(keywords[i]) == w->parts[0].n &&
		    memcmp(keywords[i], w->parts[0].s, w->parts[0].n) == 0)
			return T_NOT + (int)i;
	return T_WORD;
}

/* An alias's text is no longer read: dash's freestrings. */
static void frame_free(struct psr *P, unsigned i)
{
	struct ainput *ai = P->ai;

	P->al->use(ai->f[i].alias, 0);
	memmove(&ai->f[i], &ai->f[i + 1], (ai->n - i - 1) * sizeof *ai->f);
	ai->n--;
}

/*
 * After a token: the alias texts it read past. reach is the last char dash
 * read for it (the one after a word or a single operator, which it reads
 * and pushes back). A text read past is popped (a value ending in a blank
 * makes this token alias-checked, dash's popstring) and stays in use until
 * the next read; one popped by an earlier token is freed now.
 */
static void frames_after(struct psr *P, int t)
{
	struct ainput *ai = P->ai;
	const char *reach = P->lexpeek || t == T_EOF ? P->p : P->p - 1;

	for (unsigned i = ai->n; i-- > 0;) {
		struct aframe *f = &ai->f[i];

		if (f->popped) {
			frame_free(P, i);
		} else if (f->end <= reach) {
			f->popped = 1;
			P->popalias |= f->blank;
			if (f->end < reach)
				frame_free(P, i);
		}
	}
}

static int lex(struct psr *P)
{
	int t = lex_token(P);

	P->popalias = 0;
	if (P->ai && P->ai->n)
		frames_after(P, t);
	return t;
}

/*
 * The alias's value goes in front of the unread input: a new buffer holds
 * it and the rest, so the lexer reads on through P->p as ever (a word may
 * run from the value into what follows, as in dash). The texts still open
 * end in the new buffer now; one already popped is held until this one is
 * (dash chains it to the new string).
 */
static void splice(struct psr *P, void *alias, const char *val, size_t vn)
{
	struct ainput *ai = P->ai;
	size_t rest = (size_t)(P->end - P->p);

	if (!ai) {
		ai = P->ai = calloc(1, sizeof *ai);
		if (!ai)
			syn_unsupported(P, "out of memory");
	}
	if (ai->n == SYNTAX_MAX_ALIAS)
		syn_unsupported(P, "aliases nested too deep");
	char *nb = malloc(vn + rest + 1);
	if (!nb)
		syn_unsupported(P, "out of memory");
	memcpy(nb, val, vn);
	memcpy(nb + vn, P->p, rest);
	nb[vn + rest] = 0;
	for (unsigned i = 0; i < ai->n; i++) {
		struct aframe *f = &ai->f[i];

		if (f->popped) {
			f->end = nb + vn;
			f->popped = 0;
			f->blank = 0;
		} else {
			f->end = nb + vn + (f->end - P->p);
		}
	}
	ai->f[ai->n].alias = alias;
	ai->f[ai->n].end = nb + vn;
	ai->f[ai->n].blank = val[vn - 1] == ' ' || val[vn - 1] == '\t';
	ai->f[ai->n].popped = 0;
	ai->n++;
	P->al->use(alias, 1);
	free(ai->buf); /* the tree holds copies, never the input */
	ai->buf = nb;
	P->p = nb;
	P->end = nb + vn + rest;
}

/* The word is an alias not in use: its value is read in its place. */
static int alias_word(struct psr *P)
{
	const char *val;
	size_t vn;
	void *alias;

	if (!P->al || !P->wname || !(alias = P->al->find(P->wname, P->wnamen, &val, &vn)))
		return 0;
	if (vn)
		splice(P, alias, val, vn);
	return 1;
}

/* The parser is done with its input: the aliases it was reading are not in use. */
void syn_alias_end(struct psr *P)
{
	if (!P->ai)
		return;
	while (P->ai->n)
		frame_free(P, P->ai->n - 1);
	free(P->ai->buf);
	free(P->ai);
	P->ai = NULL;
}

/*
 * dash's readtoken: a pushed-back token is returned again, but the newline
 * skipping, reserved-word and alias checks of this call still apply to it.
 * An alias is replaced by its value, read again with the same checks: a
 * reserved word or another alias may start it.
 */
int syn_readtoken(struct psr *P)
{
	int kw = P->kw, t;

	for (;;) {
		int lexed = !P->pushback;

		if (P->pushback) {
			P->pushback = 0;
			t = P->tok;
		} else {
			t = P->tok = lex(P);
		}
		if (kw & P_NL)
			while (t == T_NL) {
				lexed = 1;
				t = P->tok = lex(P);
			}
		if (lexed && P->popalias)
			kw |= P_ALIAS;
		if (t != T_WORD)
			break;
		if (P->wplain && (kw & P_KW)) {
			t = P->tok = keyword(&P->w);
			if (t != T_WORD)
				break;
		}
		if (!(kw & P_ALIAS) || !alias_word(P))
			break;
	}
	P->kw = 0;
	return t;
}

static struct node *new_node(struct psr *P, int type, unsigned line)
{
	struct node *n = syn_alloc(P, sizeof *n);

	n->type = (unsigned char)type;
	n->lineno = line;
	return n;
}

static struct node *binary(struct psr *P, int type, struct node *l, struct node *r)
{
	struct node *n = new_node(P, type, l->lineno);

	n->u.bin.left = l;
	n->u.bin.right = r;
	return n;
}

/* Growable arrays in the arena (old copies are simply left behind). */
static void *grow(struct psr *P, void *v, unsigned n, unsigned *cap, size_t size)
{
	if (n < *cap)
		return v;
	unsigned nc = *cap ? *cap * 2 : 4;
	void *nv = syn_alloc(P, nc * size);
	if (n)
		memcpy(nv, v, n * size);
	*cap = nc;
	return nv;
}

static struct node *command(struct psr *P);

static int ends_list(int t)
{
	switch (t) {
	case T_EOF:
	case T_RP:
	case T_DSEMI:
	case T_BQ:
	case T_DO:
	case T_DONE:
	case T_ELIF:
	case T_ELSE:
	case T_ESAC:
	case T_FI:
	case T_THEN:
	case T_RBRACE:
		return 1;
	}
	return 0;
}

static struct node *pipeline(struct psr *P)
{
	struct node *n, **cmds = NULL;
	unsigned nc = 0, cap = 0;
	int neg = 0;

	if (syn_readtoken(P) == T_NOT) {
		neg = 1;
		P->kw = P_KW | P_ALIAS;
	} else {
		P->pushback = 1;
	}
	n = command(P);
	if (syn_readtoken(P) == T_PIPE) {
		cmds = grow(P, cmds, nc, &cap, sizeof *cmds);
		cmds[nc++] = n;
		do {
			P->kw = P_NL | P_KW | P_ALIAS;
			cmds = grow(P, cmds, nc, &cap, sizeof *cmds);
			cmds[nc++] = command(P);
		} while (syn_readtoken(P) == T_PIPE);
		n = new_node(P, N_PIPE, cmds[0]->lineno);
		n->u.pipe.cmds = cmds;
		n->u.pipe.n = nc;
	}
	P->pushback = 1;
	if (neg) {
		struct node *nn = new_node(P, N_NOT, n->lineno);
		nn->u.sub.body = n;
		n = nn;
	}
	return n;
}

static struct node *andor(struct psr *P)
{
	struct node *n = pipeline(P);

	for (;;) {
		int t = syn_readtoken(P);

		if (t != T_AND && t != T_OR) {
			P->pushback = 1;
			return n;
		}
		P->kw = P_NL | P_KW | P_ALIAS;
		n = binary(P, t == T_AND ? N_AND : N_OR, n, pipeline(P));
	}
}

/*
 * nlflag 1: a top-level line (stop at a newline); 0: a compound command's
 * body (at least one command); 2: may be empty ($( ), case items).
 */
struct node *syn_list(struct psr *P, int nlflag)
{
	int chknl = nlflag & 1 ? 0 : P_NL;
	struct node *n1 = NULL;

	for (;;) {
		P->kw = chknl | P_KW | P_ALIAS;
		int t = syn_readtoken(P);

		P->pushback = 1;
		if (t == T_NL || t == T_EOF || (nlflag == 2 && ends_list(t)))
			return n1;
		nlflag |= 2;
		struct node *n2 = andor(P);
		t = syn_readtoken(P);
		if (t == T_BG) {
			struct node *bg = new_node(P, N_BG, n2->lineno);
			bg->u.sub.body = n2;
			n2 = bg;
		}
		n1 = n1 ? binary(P, N_SEQ, n1, n2) : n2;
		if ((t == T_NL && chknl) || t == T_BG || t == T_SEMI)
			continue;
		P->pushback = 1;
		return n1;
	}
}

static void heredoc_delim(struct psr *P, struct heredoc *h)
{
	const char *s = P->wraw, *e = P->wend;
	char *d = syn_alloc(P, (size_t)(e - s) + 1);
	size_t n = 0;

	while (s < e) {
		if (*s == '\\' && s + 1 < e && s[1] == '\n') {
			s += 2;
		} else if (*s == '\\') {
			h->quoted = 1;
			if (++s < e)
				d[n++] = *s++;
		} else if (*s == '\'') {
			h->quoted = 1;
			for (s++; s < e && *s != '\''; s++)
				d[n++] = *s;
			s++;
		} else if (*s == '"') {
			h->quoted = 1;
			for (s++; s < e && *s != '"'; s++) {
				if (*s == '\\' && s + 1 < e && strchr("$`\"\\\n", s[1])) {
					if (s[1] == '\n') {
						s++;
						continue;
					}
					s++;
				}
				d[n++] = *s;
			}
			s++;
		} else {
			d[n++] = *s++;
		}
	}
	d[n] = 0;
	h->delim = d;
	h->n = n;
}

static struct redir *redirection(struct psr *P)
{
	struct redir *r = syn_alloc(P, sizeof *r);
	int strip = P->rstrip;

	r->op = (unsigned char)P->rop;
	r->fd = P->rfd;
	P->eofmark = r->op == R_HEREDOC;
	int t = syn_readtoken(P);
	P->eofmark = 0;
	if (t != T_WORD)
		syn_expect(P, -1);
	if (r->op == R_HEREDOC) {
		struct heredoc *h = syn_alloc(P, sizeof *h);

		h->r = r;
		h->strip = strip;
		heredoc_delim(P, h);
		*P->hdtail = h;
		P->hdtail = &h->next;
	} else {
		r->target = P->w;
	}
	return r;
}

static int is_assignment(const struct word *w)
{
	const struct wpart *p = w->parts;
	size_t i = 0;

	if (w->nparts == 0 || p->type != WP_LIT || p->quoted)
		return 0;
	while (i < p->n && p->s[i] != '=')
		i++;
	return i < p->n && lex_is_name(p->s, i);
}

/* NAME=value: the name, and the value as its own word. */
static void split_assignment(struct psr *P, const struct word *w, struct assign *as)
{
	const struct wpart *p = w->parts;
	size_t eq = (size_t)((const char *)memchr(p->s, '=', p->n) - p->s);
	struct wpart *vp;
	unsigned n = w->nparts, first = eq + 1 < p->n ? 1 : 0;

	as->name = syn_dupn(P, p->s, eq);
	as->n = eq;
	vp = syn_alloc(P, (n - 1 + first + (n - 1 + first == 0)) * sizeof *vp);
	if (first) {
		vp[0] = *p;
		vp[0].s = p->s + eq + 1;
		vp[0].n = p->n - eq - 1;
	}
	memcpy(vp + first, w->parts + 1, (n - 1) * sizeof *vp);
	as->value.parts = vp;
	as->value.nparts = n - 1 + first;
	if (as->value.nparts == 0) {
		vp[0].type = WP_LIT;
		vp[0].s = "";
		as->value.nparts = 1;
	}
}

/* export a=~/x: the tildes dash expands when the command is a declaration. */
static void decl_tilde(struct psr *P, struct word *w)
{
	struct assign as;

	if (!is_assignment(w))
		return;
	split_assignment(P, w, &as);
	if (!word_tilde(P, &as.value, 1, 1))
		return;
	struct wpart *np = syn_alloc(P, (as.value.nparts + 1) * sizeof *np);
	np[0].type = WP_LIT;
	np[0].s = syn_dupn(P, w->parts[0].s, as.n + 1);
	np[0].n = as.n + 1;
	memcpy(np + 1, as.value.parts, as.value.nparts * sizeof *np);
	w->parts = np;
	w->nparts = as.value.nparts + 1;
}

static struct node *function(struct psr *P, struct node *n)
{
	struct word *name = &n->u.simple.args[0];

	if (syn_readtoken(P) != T_RP)
		syn_expect(P, T_RP);
	if (name->nparts != 1 || name->parts[0].type != WP_LIT || name->parts[0].quoted ||
	    !lex_is_name(name->parts[0].s, name->parts[0].n) ||
	    builtin_special_n(name->parts[0].s, name->parts[0].n))
		syn_fail(P, "Syntax error: Bad function name");
	struct node *f = new_node(P, N_FUNC, P->line);
	f->u.func.name = name->parts[0].s;
	f->u.func.n = name->parts[0].n;
	P->kw = P_NL | P_KW | P_ALIAS;
	f->u.func.body = command(P);
	return f;
}

static struct node *simple(struct psr *P)
{
	struct node *n = new_node(P, N_SIMPLE, P->line);
	struct redir **rp = &n->redirs;
	unsigned acap = 0, vcap = 0;
	int assigning = 1;

	for (;;) {
		/* dash's savecheckkwd: the command name and the assignments before it */
		P->kw = assigning ? P_ALIAS : 0;
		int t = syn_readtoken(P);

		if (t == T_WORD && assigning && is_assignment(&P->w)) {
			n->u.simple.assigns = grow(P, n->u.simple.assigns, n->u.simple.nassigns,
						   &vcap, sizeof(struct assign));
			split_assignment(P, &P->w, &n->u.simple.assigns[n->u.simple.nassigns++]);
			word_tilde(P, &n->u.simple.assigns[n->u.simple.nassigns - 1].value, 1, 0);
		} else if (t == T_WORD) {
			n->u.simple.args = grow(P, n->u.simple.args, n->u.simple.nargs, &acap,
						sizeof(struct word));
			n->u.simple.args[n->u.simple.nargs++] = P->w;
			assigning = 0;
		} else if (t == T_REDIR) {
			*rp = redirection(P);
			rp = &(*rp)->next;
		} else if (t == T_LP && n->u.simple.nargs == 1 && !n->u.simple.nassigns &&
			   !n->redirs) {
			return function(P, n);
		} else {
			P->pushback = 1;
			break;
		}
	}
	for (unsigned i = 1; i < n->u.simple.nargs; i++)
		decl_tilde(P, &n->u.simple.args[i]);
	return n;
}

static void cmd_if(struct psr *P, struct node *n)
{
	struct node *cur = n;
	int t;

	n->u.ctl.cond = syn_list(P, 0);
	if (syn_readtoken(P) != T_THEN)
		syn_expect(P, T_THEN);
	n->u.ctl.body = syn_list(P, 0);
	while ((t = syn_readtoken(P)) == T_ELIF) {
		struct node *e = new_node(P, N_IF, P->line);

		cur->u.ctl.other = e;
		cur = e;
		e->u.ctl.cond = syn_list(P, 0);
		if (syn_readtoken(P) != T_THEN)
			syn_expect(P, T_THEN);
		e->u.ctl.body = syn_list(P, 0);
	}
	if (t == T_ELSE)
		cur->u.ctl.other = syn_list(P, 0);
	else
		P->pushback = 1;
}

static void cmd_loop(struct psr *P, struct node *n)
{
	n->u.ctl.cond = syn_list(P, 0);
	if (syn_readtoken(P) != T_DO)
		syn_expect(P, T_DO);
	n->u.ctl.body = syn_list(P, 0);
}

static void cmd_for(struct psr *P, struct node *n)
{
	unsigned cap = 0;
	int t;

	if (syn_readtoken(P) != T_WORD || !P->wplain ||
	    !lex_is_name(P->w.parts[0].s, P->w.parts[0].n))
		syn_fail(P, "Syntax error: Bad for loop variable");
	n->u.loop.var = P->w.parts[0].s;
	n->u.loop.n = P->w.parts[0].n;
	P->kw = P_NL | P_KW | P_ALIAS;
	t = syn_readtoken(P);
	if (t == T_IN) {
		n->u.loop.has_in = 1;
		while (syn_readtoken(P) == T_WORD) {
			n->u.loop.words = grow(P, n->u.loop.words, n->u.loop.nwords, &cap,
					       sizeof(struct word));
			n->u.loop.words[n->u.loop.nwords++] = P->w;
		}
		if (P->tok != T_NL && P->tok != T_SEMI)
			syn_expect(P, -1);
	} else if (t != T_SEMI) {
		P->pushback = 1;
	}
	P->kw = P_NL | P_KW | P_ALIAS;
	if (syn_readtoken(P) != T_DO)
		syn_expect(P, T_DO);
	n->u.loop.body = syn_list(P, 0);
}

/* A pattern is dash's last word text, whatever token ended up read. */
static void case_item(struct psr *P, struct case_item *it)
{
	unsigned cap = 0;

	if (P->tok == T_LP)
		syn_readtoken(P);
	for (;;) {
		it->pats = grow(P, it->pats, it->npats, &cap, sizeof(struct word));
		it->pats[it->npats++] = P->w;
		if (syn_readtoken(P) != T_PIPE)
			break;
		syn_readtoken(P);
	}
	if (P->tok != T_RP)
		syn_expect(P, T_RP);
	it->body = syn_list(P, 2);
}

static void cmd_case(struct psr *P, struct node *n)
{
	unsigned cap = 0;

	if (syn_readtoken(P) != T_WORD)
		syn_expect(P, T_WORD);
	n->u.cas.subject = P->w;
	P->kw = P_NL | P_KW | P_ALIAS;
	if (syn_readtoken(P) != T_IN)
		syn_expect(P, T_IN);
	for (;;) {
		P->kw = P_NL | P_KW;
		if (syn_readtoken(P) == T_ESAC)
			return;
		n->u.cas.items =
			grow(P, n->u.cas.items, n->u.cas.n, &cap, sizeof(struct case_item));
		case_item(P, &n->u.cas.items[n->u.cas.n++]);
		int t = syn_readtoken(P);
		if (t == T_ESAC)
			return;
		if (t != T_DSEMI)
			syn_expect(P, T_DSEMI);
	}
}

/* A compound command: its body, closing word, and trailing redirections. */
static struct node *compound(struct psr *P, int t, unsigned line)
{
	static const unsigned char types[] = {
		[T_IF] = N_IF,     [T_WHILE] = N_WHILE, [T_UNTIL] = N_UNTIL,  [T_FOR] = N_FOR,
		[T_CASE] = N_CASE, [T_LP] = N_SUBSHELL, [T_LBRACE] = N_GROUP,
	};
	struct node *n = new_node(P, types[t], line);
	struct redir **rp = &n->redirs;
	int close = -1;

	switch (t) {
	case T_IF:
		cmd_if(P, n);
		close = T_FI;
		break;
	case T_WHILE:
	case T_UNTIL:
		cmd_loop(P, n);
		close = T_DONE;
		break;
	case T_FOR:
		cmd_for(P, n);
		close = T_DONE;
		break;
	case T_CASE:
		cmd_case(P, n);
		break;
	case T_LP:
		n->u.sub.body = syn_list(P, 0);
		close = T_RP;
		break;
	default:
		n->u.sub.body = syn_list(P, 0);
		close = T_RBRACE;
		break;
	}
	if (close >= 0 && syn_readtoken(P) != close)
		syn_expect(P, close);
	P->kw = P_KW | P_ALIAS;
	while (syn_readtoken(P) == T_REDIR) {
		*rp = redirection(P);
		rp = &(*rp)->next;
	}
	P->pushback = 1;
	return n;
}

static struct node *command(struct psr *P)
{
	unsigned line = P->line;
	struct node *n;
	int t;

	syn_enter(P);
	t = syn_readtoken(P);
	switch (t) {
	case T_IF:
	case T_WHILE:
	case T_UNTIL:
	case T_FOR:
	case T_CASE:
	case T_LP:
	case T_LBRACE:
		n = compound(P, t, line);
		break;
	case T_WORD:
	case T_REDIR:
		P->pushback = 1;
		n = simple(P);
		break;
	default:
		syn_expect(P, -1);
	}
	syn_leave(P);
	return n;
}

static void psr_init(struct psr *P, struct perr *e, struct ush_arena *a, const char *text,
		     size_t len, unsigned lineno)
{
	memset(e, 0, sizeof *e);
	memset(P, 0, sizeof *P);
	P->a = a;
	P->e = e;
	P->p = text;
	P->end = text + len;
	P->line = lineno;
	P->hdtail = &P->hd;
}

/* One top-level list and its newline; *eof set at the end of the text. */
static struct node *next_list(struct psr *P, int *eof)
{
	struct node *n = syn_list(P, 1);
	int t = syn_readtoken(P);

	/* a list is complete (and runs, in partial mode) once its newline is read */
	if (t != T_EOF && t != T_NL)
		syn_expect(P, -1);
	*eof = t == T_EOF;
	return n;
}

/* tl: the top-level lists and where each ends, when the caller asks */
static struct node *parse(struct ush_arena *a, const char *text, size_t len, unsigned lineno,
			  const char **err, unsigned *errline, const char **reason, int partial,
			  struct toplists *tl)
{
	struct perr e;
	struct psr P;
	struct node *volatile root = NULL;

	psr_init(&P, &e, a, text, len, lineno);
	*err = NULL;
	*errline = 0;
	*reason = NULL;
	if (tl)
		*tl = (struct toplists){0};
	if (setjmp(e.jb)) {
		*err = e.msg;
		*errline = e.line;
		*reason = e.reason;
		return partial && e.msg != SYNTAX_UNSUPPORTED ? root : NULL;
	}
	for (int eof = 0; !eof;) {
		struct node *n = next_list(&P, &eof);

		if (!n)
			continue;
		root = root ? binary(&P, N_SEQ, root, n) : n;
		if (tl) {
			/* the list ends past its here-documents, as the stream reads them */
			if (P.hd)
				lex_heredocs(&P);
			tl->v = grow(&P, tl->v, tl->n, &tl->cap, sizeof *tl->v);
			tl->v[tl->n++] = (struct toplist){n, (size_t)(P.p - text), P.line, eof};
		}
	}
	return root;
}

struct node *syntax_parse(struct ush_arena *a, const char *text, size_t len, unsigned lineno,
			  const char **err, unsigned *errline, const char **reason)
{
	return parse(a, text, len, lineno, err, errline, reason, 0, NULL);
}

struct node *syntax_parse_partial(struct ush_arena *a, const char *text, size_t len,
				  unsigned lineno, const char **err, unsigned *errline,
				  const char **reason)
{
	return parse(a, text, len, lineno, err, errline, reason, 1, NULL);
}

struct node *syntax_parse_lists(struct ush_arena *a, const char *text, size_t len, unsigned lineno,
				const char **err, unsigned *errline, const char **reason,
				struct toplists *tl)
{
	return parse(a, text, len, lineno, err, errline, reason, 1, tl);
}

struct syn_stream {
	struct perr e;
	struct psr P;
	int done;
	int eof;      /* the last list ended at the end of the text, not at a newline */
	int heredocs; /* the last list had here-documents (their bodies end it) */
};

struct syn_stream *syntax_stream(struct ush_arena *a, const char *text, size_t len, unsigned lineno,
				 const struct syn_aliases *al)
{
	struct syn_stream *s = ush_alloc(a, sizeof *s);

	if (!s)
		return NULL;
	psr_init(&s->P, &s->e, a, text, len, lineno);
	s->P.al = al;
	s->done = 0;
	return s;
}

int syntax_next(struct syn_stream *s, struct node **tree, const char **err, unsigned *errline,
		const char **reason)
{
	*tree = NULL;
	*err = NULL;
	*errline = 0;
	*reason = NULL;
	if (s->done)
		return 0;
	if (setjmp(s->e.jb)) {
		s->done = 1;
		*err = s->e.msg;
		*errline = s->e.line;
		*reason = s->e.reason;
		return -1;
	}
	int eof = 0;
	s->eof = 1; /* until the newline is read: an error at the end may be a cut */
	s->heredocs = 0;
	*tree = next_list(&s->P, &eof);
	s->eof = eof;
	/* the list runs now: dash reads its here-documents at its newline */
	if (s->P.hd) {
		s->heredocs = 1;
		lex_heredocs(&s->P);
	}
	/* dash's list() ends at the end of the text without an empty last list */
	if (eof) {
		s->done = 1;
		if (!*tree)
			return 0;
	}
	return 1;
}

int syntax_stream_eof(const struct syn_stream *s)
{
	return s->eof;
}

unsigned syntax_stream_line(const struct syn_stream *s)
{
	return s->P.line;
}

size_t syntax_stream_tell(const struct syn_stream *s, unsigned *line, int *cut, int *inalias,
			  const char **rest)
{
	*rest = s->P.p;
	*line = s->P.line;
	*inalias = s->P.ai && s->P.ai->n;
	/*
	 * Complete once its newline is read, unless bodies ran to the end. A
	 * last lone backslash was peeked at but not taken: with the next
	 * read it may be a line continuation, which the lexer skips.
	 */
	size_t left = (size_t)(s->P.end - s->P.p);
	*cut = (left == 0 || (left == 1 && *s->P.p == '\\')) && (s->eof || s->heredocs);
	return left;
}

void syntax_stream_arena(struct syn_stream *s, struct ush_arena *a)
{
	s->P.a = a;
}

void syntax_stream_end(struct syn_stream *s)
{
	syn_alias_end(&s->P);
}
