/* SPDX-License-Identifier: MIT */
/*
 * `/bin/sh -c LINE`: uring-sh's parser and expander decide (ush_decide()).
 * One external simple command (with redirections) is spawned directly; a
 * line uring-sh runs exactly as dash does goes to uring-sh; the rest
 * (syntax errors, a command not found) to /bin/sh untouched.
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

void line_classify(const char *line, const char *arg0, char *const envp[], struct line_plan *plan)
{
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
	struct ush_spawn *sp = ush_alloc(&a, sizeof *sp);
	if (!sp)
		return;
	enum ush_how h = ush_decide(&a, line, strlen(line), arg0, envp, sp, &plan->reason);
	if (h == USH_URING_SH && uring_sh[0]) {
		plan->how = LINE_URING_SH;
		plan->path = uring_sh;
		return;
	}
	if (h == USH_URING_SH)
		plan->reason = "no uring-sh";
	/* not found: sh says so in its own words */
	if (h != USH_DIRECT)
		return;
	plan->how = LINE_DIRECT;
	plan->path = sp->path;
	plan->argv = sp->argv;
	plan->envp = sp->envp;
	plan->fa = sp->actions;
	plan->n_fa = sp->nactions;
}
