/* SPDX-License-Identifier: MIT */
/* The basics every part of uring-sh and the ush library uses. */
#ifndef USH_SH_H
#define USH_SH_H

#include "ush.h"

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

/* fmt.c: small formatting without stdio; dash's words for an errno (ush_errmsg, ush.h). */
struct out {
	char *buf;
	size_t n, cap;
};
void out_str(struct out *o, const char *s);
void out_mem(struct out *o, const char *s, size_t n);
/*
 * dash's single_quote(): s in '...', each run of ' in "..." ('' for an
 * empty s): `set`, `export -p`, `readonly -p`, `trap` and `alias` print
 * values so (at most 3 * strlen(s) + 2 bytes).
 */
void out_quoted(struct out *o, const char *s);
void out_uint(struct out *o, unsigned long v);
/* v in decimal, ending just before end (24 bytes are room for any v); its start */
char *fmt_udec(char *end, unsigned long v);
void out_prefix(struct out *o, const char *arg0, unsigned lineno);
void write_all(int fd, const char *s, size_t n);

/* gate.c (uring-sh only): `--uspawn-gate FD PATH ARGV...`, the preload's deferred start */
int gate_main(int argc, char **argv);

#endif
