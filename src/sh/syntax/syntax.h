/* SPDX-License-Identifier: MIT */
/*
 * The parser's private state, shared by the grammar (parser.c) and the
 * lexer (lexer.c, word.c). Errors leave through a longjmp to
 * syntax_parse, which owns the jmp_buf: no partial tree escapes.
 */
#ifndef USH_SYNTAX_H
#define USH_SYNTAX_H

#include <setjmp.h>
#include "syntax/ast.h"
#include "ush.h"

/* Tokens, in the order of their names in messages (tok_name). */
enum tok {
	T_EOF,
	T_NL,
	T_SEMI,
	T_BG,
	T_AND,
	T_OR,
	T_PIPE,
	T_LP,
	T_RP,
	T_DSEMI,
	T_BQ,
	T_REDIR,
	T_WORD,
	/* reserved words: only where the grammar asks for them (P_KW) */
	T_NOT,
	T_CASE,
	T_DO,
	T_DONE,
	T_ELIF,
	T_ELSE,
	T_ESAC,
	T_FI,
	T_FOR,
	T_IF,
	T_IN,
	T_THEN,
	T_UNTIL,
	T_WHILE,
	T_LBRACE,
	T_RBRACE,
};

/* What the next readtoken recognises (dash's checkkwd). */
#define P_NL    1 /* skip newlines */
#define P_KW    2 /* reserved words */
#define P_ALIAS 4 /* aliases (dash's CHKALIAS) */

/* Aliases open at once (each is in use once, so only chains of them nest). */
#define SYNTAX_MAX_ALIAS 64

/* Nesting deeper than this (commands, ${}, $(), quotes) is delegated. */
#define SYNTAX_MAX_DEPTH 1000

struct heredoc {
	struct redir *r;
	const char *delim;
	size_t n;
	int quoted; /* any quoting in the delimiter: the body is literal */
	int strip;  /* <<- : leading tabs removed */
	struct heredoc *next;
};

/* Where an error goes; shared by a parser and the ones it starts for `...`. */
struct perr {
	jmp_buf jb;
	const char *msg;
	unsigned line;
	const char *reason;
	unsigned depth;
};

/*
 * An alias whose value was spliced into the input: its text ends at end.
 * dash pops the string when it reads the first char past it (popped), and
 * it stays in use until the next read after that.
 */
struct aframe {
	void *alias;
	const char *end;
	unsigned char blank;  /* the value ends in a blank: the next word is checked too */
	unsigned char popped; /* read past: freed at the next token */
};

/* The spliced input and its frames; shared by a parser and its $(...). */
struct ainput {
	char *buf; /* the current splice buffer (malloc), NULL before any */
	unsigned n;
	struct aframe f[SYNTAX_MAX_ALIAS];
};

struct psr {
	struct ush_arena *a;
	struct perr *e;
	const char *p, *end; /* the unread input */
	unsigned line;       /* dash's plinno: the line the lexer is on */
	/* the current token (dash's lasttoken, wordtext) */
	int tok;
	int pushback;
	int kw; /* P_NL | P_KW for the next readtoken */
	struct word w;
	int wplain;                   /* w is one unquoted literal: may be a reserved word */
	const char *wraw, *wend;      /* w's source text (here-document delimiters) */
	int rop, rfd;                 /* T_REDIR: enum redir_op and fd */
	int rstrip;                   /* T_REDIR: <<- */
	struct heredoc *hd, **hdtail; /* here-documents waiting for a newline */
	int after_nl;                 /* the last token was a newline: bodies come next */
	int eofmark;                  /* lexing a here-document delimiter: $ and ` are plain */
	int in_heredoc;               /* lexing an unquoted here-document body */
	/* aliases: NULL al, none (uring-run and the preload parse without) */
	const struct syn_aliases *al;
	struct ainput *ai; /* allocated at the first splice */
	const char *wname; /* w before tilde expansion, when one unquoted literal */
	size_t wnamen;
	int lexpeek;  /* the lexer looked at the char at p (dash's pungetc) */
	int popalias; /* the last lex_token read past an alias ending in a blank */
};

/* parser.c */
_Noreturn void syn_fail(struct psr *P, const char *msg);
_Noreturn void syn_unsupported(struct psr *P, const char *reason);
void *syn_alloc(struct psr *P, size_t n);
struct node *syn_list(struct psr *P, int nlflag);
void syn_enter(struct psr *P);
void syn_leave(struct psr *P);
int syn_readtoken(struct psr *P);
_Noreturn void syn_expect(struct psr *P, int tok);
void syn_alias_end(struct psr *P);

/* lexer.c: the next token into P (tok, w, rop/rfd) */
int lex_token(struct psr *P);
void lex_heredocs(struct psr *P); /* the bodies of the here-documents waiting */

/* word.c */
enum wmode {
	M_UNQ,    /* a word of the command line */
	M_DQ,     /* inside "..." */
	M_VARUNQ, /* ${x-word} outside quotes */
	M_VARDQ,  /* ${x-word} inside "..." or a here-document */
	M_VARPAT, /* ${x%word} inside "...": quotes work, text is a pattern */
	M_ARITH,  /* $((...)) */
	M_HEREDOC,
};
struct wbuf {
	struct wpart *parts;
	unsigned n, cap;
	char *lit; /* the literal being collected */
	size_t litn, litcap;
	int litq, haslit;
	unsigned long adds; /* chars and parts added: "" must leave a trace */
	int dqopen;         /* a " just opened: the next part is its first */
};
int lex_peekc(struct psr *P); /* next char, line continuations skipped; -1 at end */
void lex_adv(struct psr *P);  /* past the current char, counting lines */
void word_read(struct psr *P, struct wbuf *b, int mode);
void wbuf_char(struct psr *P, struct wbuf *b, int c, int quoted);
void wbuf_finish(struct psr *P, struct wbuf *b, struct word *w);
int word_tilde(struct psr *P, struct word *w, int assign, int decl);
char *syn_dupn(struct psr *P, const char *s, size_t n);
void heredoc_read(struct psr *P, struct heredoc *h);

#endif
