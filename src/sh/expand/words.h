/* SPDX-License-Identifier: MIT */
/* words*.c's shared pieces: the expansion buffer of one word. */
#ifndef USH_WORDS_H
#define USH_WORDS_H

#include <stddef.h>
#include "shell.h"

enum xp_mode {
	X_FIELDS,  /* arguments: regions and marks kept for splitting */
	X_STRING,  /* one string: quote removal only */
	X_PATTERN, /* one pattern: quoted bytes escaped with \ */
};

/* where a part is: what unquoted literal text means there */
enum xp_ctx {
	C_PLAIN,  /* a word's own text: not split */
	C_QUOTED, /* inside "${x-...}": everything quoted */
	C_ARG,    /* the word of an unquoted ${x-...}: literal text splits too */
};

enum {
	A_QUOTED = 1, /* quoted: matches itself in patterns, never separates */
	A_MARK = 2,   /* not a byte: where quotes were (keeps an empty field) */
};

/* an unquoted expansion result: where field splitting looks */
struct region {
	size_t beg, end;
	int nulonly; /* "$@": only the NUL bytes between parameters separate */
};

struct xp {
	struct shell *sh;
	int mode; /* enum xp_mode */
	int oom;
	int decl;         /* the command is export/readonly/local: assignment tildes expand */
	char *s;          /* the bytes */
	unsigned char *a; /* their attributes (X_FIELDS only) */
	size_t n, cap;
	struct region *r;
	unsigned nr, rcap;
	/* small words need no allocation */
	char in_s[256];
	unsigned char in_a[256];
	struct region in_r[8];
};

void xp_init(struct xp *x, struct shell *sh, int mode);
void xp_free(struct xp *x);
void xp_add(struct xp *x, const char *s, size_t n, unsigned char attr);
void xp_mark(struct xp *x);
void xp_region(struct xp *x, size_t beg, int nulonly);
void xp_value(struct xp *x, const char *s, size_t n, int quoted);
void xp_word(struct xp *x, const struct word *w, int ctx);
const char *xp_cstr(struct xp *x);

/* words_param.c */
void xp_param(struct xp *x, const struct param *p, int quoted);
/* "$@" as written, the one quoted expansion that leaves no quotes behind */
int is_plain_at(const struct param *p);

/* words_tilde.c */
void xp_tilde(struct xp *x, const struct wpart *p);
/* the fields before this word make a declaration command (export a=~) */
int decl_command(const struct strvec *out, unsigned first);

/* a byte that needs \ to match itself in a pattern */
static inline int pattern_special(char c)
{
	return !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		 c == '/' || c == '.' || c == '_' || c == ' ' || (unsigned char)c >= 0x80);
}

/* an unquoted * ? [ in s */
static inline int strpbrk_n(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return 1;
	return 0;
}

#endif
