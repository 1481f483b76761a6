/* SPDX-License-Identifier: MIT */
/* Internals shared by the ush library and uring-sh. */
#ifndef USH_SH_H
#define USH_SH_H

#include "ush.h"

/* classify.c: what the text alone decides (builtins, special names). */
enum ush_class classify(struct ush_line *line);
int builtin_id(const char *name, size_t n);
int dash_builtin(const char *name, size_t n);

/* Concatenated text of a word with no expansions; NULL if it has one. */
char *word_literal(struct ush_arena *a, const struct ush_word *w);

/* env.c: environment lookups on an envp array. */
const char *env_get(char *const *envp, const char *name, size_t n);

/* The default $PATH dash searches when PATH is unset. */
#define DASH_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* path.c: dash's command search (stat, regular files). */
struct lookup {
	int idx;   /* the $PATH entry it was found in (-1: name has a slash) */
	int error; /* 0 found, else errno for the "not found" message */
	char path[4096];
};
void lookup_command(const char *name, const char *pathvar, struct lookup *lk);
/* The entry number idx of pathvar joined with name, or -1 past the end. */
int path_entry(const char *pathvar, int idx, const char *name, char *buf, size_t n);

/* fmt.c: small formatting without stdio. */
struct out {
	char *buf;
	size_t n, cap;
};
void out_str(struct out *o, const char *s);
void out_mem(struct out *o, const char *s, size_t n);
void out_uint(struct out *o, unsigned long v);
/* v in decimal, ending just before end (24 bytes are room for any v); its start */
char *fmt_udec(char *end, unsigned long v);
void out_prefix(struct out *o, const char *arg0, unsigned lineno);
void write_all(int fd, const char *s, size_t n);

/* gate.c (uring-sh only): `--uspawn-gate FD PATH ARGV...`, the preload's deferred start */
int gate_main(int argc, char **argv);

/* expand.c: parameter expansion, field splitting on default IFS. */
struct expander {
	struct ush_arena *a;
	const char *(*get)(void *ctx, const char *name, size_t n); /* NULL: unset */
	void *ctx;
	int status; /* $? */
};
struct argv_vec {
	char **v;
	unsigned n, cap;
};
/* Fields of w appended to av (NULL-terminated). -1: out of memory. */
int expand_fields(struct expander *x, const struct ush_word *w, struct argv_vec *av);
/* w as one string, no splitting (assignments, redirection targets). */
char *expand_string(struct expander *x, const struct ush_word *w);
char **env_build(struct ush_arena *a, char *const *envp, const char *const *over, unsigned nover);
const char *pwd_initial(struct ush_arena *a, char *const *envp);
#endif
