/* SPDX-License-Identifier: MIT */
/*
 * dash's pattern matching (case, ${x#pat}, ${x%pat}) and pathname expansion.
 *
 * A pattern is a string in which a backslash quotes the next character: the
 * evaluator writes quoted characters of the word as "\c" (so "*" in quotes,
 * or \*, match only a star) and unquoted ones as they are.
 */
#ifndef USH_PATTERN_H
#define USH_PATTERN_H

#include <stddef.h>

/*
 * 1 when the whole of s (n bytes) matches pat, as dash's pmatch() does:
 * bytes, no locale; [!...] negates but [^...] does not; [:class:] for the
 * twelve POSIX classes (ASCII); ranges compare signed chars (dash's); a
 * "[" without its "]" is literal; "/" and "." are ordinary. At worst
 * O(strlen(pat) * n), however many "*".
 */
int pattern_match(const char *pat, const char *s, size_t n);

/* 1 when pat has an unquoted * ? or [ that could make it match other text. */
int pattern_has_meta(const char *pat);

/*
 * pat with the quoting backslashes removed, into buf (cap bytes, NUL
 * included); returns its length, -1: too long. A lone "\" at the end stays.
 */
int pattern_unquote(const char *pat, char *buf, size_t cap);

/*
 * Pathname expansion of one field, as dash 0.5.12 does it (its own expmeta,
 * not glob(3)): matches in dash's order, hidden files only for an explicit
 * leading ".", "/" components handled one by one. Calls add(ctx, path) for
 * each match in order; returns the number of matches (0: no match, the
 * caller keeps the field with quotes removed) or -1 when add failed.
 * (It allocates while it runs: add must return, not longjmp; -1 also
 * means out of memory.) Details, as dash: a pattern without unquoted
 * meta characters is not looked up (0); "." and ".." are entries like
 * the others; a literal tail after a matched directory must exist
 * (lstat: a dangling symlink counts); unreadable directories give no
 * matches; the matches of the whole field are sorted with strcmp.
 */
int glob_expand(const char *pat, int (*add)(void *ctx, const char *path), void *ctx);

#endif
