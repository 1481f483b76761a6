/* SPDX-License-Identifier: MIT */
/* The tokenizer: words (as parts) and operators, plus what to delegate. */
#ifndef USH_LEX_H
#define USH_LEX_H

#include "ush.h"

enum tok {
	T_EOF,
	T_WORD,
	T_NEWLINE,
	T_SEMI,
	T_AND,  /* && */
	T_OR,   /* || */
	T_PIPE, /* | */
	T_LESS,
	T_GREAT,
	T_DGREAT,
	T_LESSAND,
	T_GREATAND,
	T_STOP, /* delegate (lex->reason) or out of memory */
};

struct lexer {
	struct ush_arena *a;
	const char *s;
	size_t len, pos;
	unsigned lineno;
	const char *reason; /* set with T_STOP */
	/* the last token */
	enum tok tok;
	struct ush_word word;
	int io_number; /* T_WORD: digits directly before < or >, else -1 */
	size_t assign; /* T_WORD: length of NAME in NAME=..., else 0 */
	int plain;     /* T_WORD: one unquoted literal part, no escapes */
	unsigned tok_line;
};

void lex_init(struct lexer *lx, struct ush_arena *a, const char *s, size_t len);
enum tok lex_next(struct lexer *lx);
int ush_is_name(const char *s, size_t n);

#endif
