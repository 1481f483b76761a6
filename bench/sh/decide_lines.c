/* SPDX-License-Identifier: MIT */
/*
 * decide-lines: the decision uring-run and the preload take for `sh -c LINE`
 * (spawn the command directly, run uring-sh, or run /bin/sh), for every line
 * of corpus files, with this process's environment as the line's.
 *
 *   decide-lines --dump CORPUS...     one record per line (tests/sh/decide_test.sh)
 *   decide-lines --time N CORPUS...   each line decided N times: ns per decision
 *   decide-lines --once CORPUS...     each line decided once, nothing printed
 *                                     (under callgrind: bench/sh/decide.sh)
 *
 * A corpus is difftest's format: one line per line, "@NL@" for a newline,
 * "##" starts a comment line. A record is
 *   HOW <TAB> LINE [<TAB> path=... argv=[...] env=[...] fa=[...]]
 * with HOW one of direct, uring-sh, sh; env lists what differs from this
 * process's environment (+NAME=value added or changed, -NAME dropped).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ush.h"

extern char **environ;

enum how { HOW_DIRECT, HOW_URING_SH, HOW_SH };

struct plan {
	const char *path;
	char **argv, **envp;
	const struct uspawn_fa *fa;
	unsigned nfa;
};

/* The decision as src/run/how.c and src/preload/line.c take it (uring-sh present). */
__attribute__((noinline)) static enum how decide_one(struct ush_arena *a, const char *line,
						     size_t len, char **envp, struct plan *p)
{
	const char *why;

	a->used = 0;
	struct ush_spawn *sp = ush_alloc(a, sizeof *sp);
	if (!sp)
		return HOW_SH;
	enum ush_how h = ush_decide(a, line, len, "/bin/sh", envp, sp, &why);
	if (h != USH_DIRECT)
		return h == USH_URING_SH ? HOW_URING_SH : HOW_SH;
	p->path = sp->path;
	p->argv = sp->argv;
	p->envp = sp->envp;
	p->fa = sp->actions;
	p->nfa = sp->nactions;
	return HOW_DIRECT;
}

static void put_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c >= 0x7f)
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static size_t name_len(const char *e)
{
	const char *eq = strchr(e, '=');
	return eq ? (size_t)(eq - e) : strlen(e);
}

/* the value envp gives name (the last entry of that name), NULL if none */
static const char *env_value(char **envp, const char *name, size_t n)
{
	const char *v = NULL;

	for (; *envp; envp++)
		if (name_len(*envp) == n && !strncmp(*envp, name, n))
			v = (*envp)[n] ? *envp + n + 1 : "";
	return v;
}

static void put_env(char **in, char **out)
{
	int first = 1;

	printf(" env=[");
	for (char **e = out; *e; e++) {
		size_t n = name_len(*e);
		const char *was = env_value(in, *e, n);
		if (was && (*e)[n] && !strcmp(was, *e + n + 1))
			continue;
		printf(first ? "+" : ",+");
		put_str(*e);
		first = 0;
	}
	for (char **e = in; *e; e++) {
		size_t n = name_len(*e);
		if (!(*e)[n] || env_value(out, *e, n))
			continue;
		printf(first ? "-" : ",-");
		fwrite(*e, 1, n, stdout);
		first = 0;
	}
	printf("]");
}

static void put_plan(const struct plan *p, char **envp)
{
	printf("\tpath=");
	put_str(p->path);
	printf(" argv=[");
	for (char **a = p->argv; *a; a++) {
		if (a != p->argv)
			putchar(',');
		put_str(*a);
	}
	printf("]");
	put_env(envp, p->envp);
	printf(" fa=[");
	for (unsigned i = 0; i < p->nfa; i++) {
		const struct uspawn_fa *f = &p->fa[i];
		if (i)
			putchar(',');
		if (f->op == USPAWN_FA_OPEN) {
			printf("open(%d,", f->fd);
			put_str(f->path);
			printf(",0%o,0%o)", (unsigned)f->oflag, (unsigned)f->mode);
		} else if (f->op == USPAWN_FA_DUP2) {
			printf("dup2(%d,%d)", f->src, f->fd);
		} else if (f->op == USPAWN_FA_CLOSE) {
			printf("close(%d)", f->fd);
		} else {
			printf("op%d(%d)", f->op, f->fd);
		}
	}
	printf("]");
}

/* the corpus's lines, newlines restored */
static char **read_corpus(const char *path, char **lines, unsigned *n, unsigned *cap)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t bn = 0;
	ssize_t len;

	if (!f) {
		perror(path);
		exit(2);
	}
	while ((len = getline(&buf, &bn, f)) >= 0) {
		if (len && buf[len - 1] == '\n')
			buf[--len] = 0;
		if (!strncmp(buf, "##", 2))
			continue;
		char *s = malloc((size_t)len + 1), *o = s;
		if (!s)
			exit(2);
		for (const char *p = buf; *p;) {
			if (!strncmp(p, "@NL@", 4)) {
				*o++ = '\n';
				p += 4;
			} else {
				*o++ = *p++;
			}
		}
		*o = 0;
		if (*n == *cap && !(lines = realloc(lines, (*cap = *cap * 2 + 64) * sizeof *lines)))
			exit(2);
		lines[(*n)++] = s;
	}
	free(buf);
	fclose(f);
	return lines;
}

static void put_line(const char *s)
{
	for (; *s; s++)
		if (*s == '\n')
			fputs("@NL@", stdout);
		else
			putchar(*s);
}

int main(int argc, char **argv)
{
	static char buf[64 * 1024];
	static const char *const names[] = {"direct", "uring-sh", "sh"};
	struct ush_arena a = {buf, sizeof buf, 0};
	char **lines = NULL;
	unsigned n = 0, cap = 0, counts[3] = {0};
	long rounds = 0;
	int dump = 0;

	if (argc < 3) {
		fprintf(stderr, "usage: decide-lines --dump|--once|--time N CORPUS...\n");
		return 2;
	}
	int i = 1;
	if (!strcmp(argv[i], "--dump"))
		dump = 1;
	else if (!strcmp(argv[i], "--time") && i + 1 < argc)
		rounds = atol(argv[++i]);
	else if (strcmp(argv[i], "--once")) {
		fprintf(stderr, "decide-lines: %s: unknown mode\n", argv[i]);
		return 2;
	}
	for (i++; i < argc; i++)
		lines = read_corpus(argv[i], lines, &n, &cap);
	if (rounds > 0) {
		struct timespec t0, t1;
		struct plan p;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (long r = 0; r < rounds; r++)
			for (unsigned k = 0; k < n; k++)
				decide_one(&a, lines[k], strlen(lines[k]), environ, &p);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
		printf("%u lines x %ld rounds: %.0f ns per decision\n", n, rounds,
		       n ? ns / ((double)n * rounds) : 0);
	}
	for (unsigned k = 0; rounds <= 0 && k < n; k++) {
		struct plan p;
		enum how h = decide_one(&a, lines[k], strlen(lines[k]), environ, &p);
		counts[h]++;
		if (!dump)
			continue;
		printf("%s\t", names[h]);
		put_line(lines[k]);
		if (h == HOW_DIRECT)
			put_plan(&p, environ);
		putchar('\n');
	}
	if (rounds <= 0)
		fprintf(stderr, "decide-lines: %u lines: %u direct, %u uring-sh, %u sh\n", n,
			counts[0], counts[1], counts[2]);
	for (unsigned k = 0; k < n; k++)
		free(lines[k]);
	free(lines);
	return 0;
}
