/* SPDX-License-Identifier: MIT */
/*
 * `/bin/sh -c LINE`: uring-sh's parser (ush) decides. One external simple
 * command (with redirections) is spawned directly; a line uring-sh runs
 * exactly as dash does (its full parser accepts it) goes to uring-sh; the
 * rest (syntax errors) to /bin/sh untouched.
 * ush models dash, so all of this is off unless /bin/sh is dash.
 */
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"
#include "ush.h"

extern char **environ;

#define ARENA_SIZE (64 * 1024)

static __thread char *arena;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static int sh_is_dash;
static char uring_sh[PATH_MAX];

static int executable(const char *p)
{
	return p && *p && strlen(p) < sizeof uring_sh && !access(p, X_OK);
}

static void setup(void)
{
	char buf[PATH_MAX];

	if (realpath("/bin/sh", buf)) {
		const char *base = strrchr(buf, '/');
		sh_is_dash = !strcmp(base ? base + 1 : buf, "dash");
	}
	/* $URING_SH (uring-ninja sets it), the build tree, the install */
	const char *env = getenv("URING_SH");
	const char *cand[] = {env, URING_SH_BUILD, URING_SH_INSTALL};
	for (unsigned i = 0; i < sizeof cand / sizeof cand[0]; i++)
		if (executable(cand[i])) {
			strcpy(uring_sh, cand[i]);
			break;
		}
}

const char *line_uring_sh(void)
{
	pthread_once(&once, setup);
	return uring_sh[0] ? uring_sh : NULL;
}

const char *line_of(const char *path, char *const argv[], int search)
{
	(void)search; /* make and ninja both name /bin/sh itself */
	if (!path || strcmp(path, "/bin/sh") || !argv[0] || !argv[1] || strcmp(argv[1], "-c") ||
	    !argv[2] || argv[3])
		return NULL;
	return argv[2];
}

void line_classify(const char *line, char *const envp[], struct line_plan *plan)
{
	struct ush_line l;

	memset(plan, 0, sizeof *plan);
	plan->how = LINE_SH;
	plan->reason = "/bin/sh is not dash";
	pthread_once(&once, setup);
	if (!sh_is_dash)
		return;
	plan->reason = "no memory";
	if (!arena && !(arena = malloc(ARENA_SIZE)))
		return;
	if (!envp)
		envp = environ;
	struct ush_arena a = {arena, ARENA_SIZE, 0};
	enum ush_class c = ush_parse(&a, line, strlen(line), &l);
	if (c == USH_SPAWN || c == USH_NATIVE)
		c = ush_check(&l, envp);
	plan->reason = l.reason;
	/* outside ush's subset, but uring-sh's full interpreter runs it */
	if (c == USH_DELEGATE && uring_sh[0] && ush_full_parse(&a, line, strlen(line)))
		c = USH_NATIVE;
	if (c == USH_NATIVE && uring_sh[0]) {
		plan->how = LINE_URING_SH;
		plan->path = uring_sh;
		return;
	}
	if (c == USH_NATIVE)
		plan->reason = "no uring-sh";
	if (c != USH_SPAWN)
		return;
	plan->reason = "not found, or out of arena";
	struct ush_spawn *sp = ush_alloc(&a, sizeof *sp);
	/* not found: sh says so in its own words */
	if (!sp || ush_prepare_spawn(&a, &l, envp, sp) < 0 || sp->lookup_error)
		return;
	plan->how = LINE_DIRECT;
	plan->path = sp->path;
	plan->argv = sp->argv;
	plan->envp = sp->envp;
	plan->fa = sp->actions;
	plan->n_fa = sp->nactions;
}
