/* SPDX-License-Identifier: MIT */
/*
 * uring-sh stands in for /bin/sh. A command that is the very file /bin/sh
 * is (`sh script`, Kbuild's `$(CONFIG_SHELL) script`, `sh -c LINE`, a
 * script without #!) is started as uring-sh with the same argv: uring-sh
 * behaves as dash, and hands /bin/sh what it does not run itself, so only
 * the cost changes. Without this, `make SHELL=uring-sh` leaves every
 * script a build runs by name to dash. USPAWN_SH_SELF=0 turns it off.
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "eval/eval.h"

static int standin_state; /* 0: not looked at yet, 1: on, -1: off */
static char standin_self[4096];
static struct stat standin_binsh;

void standin_init(char **envp)
{
	const char *v = env_get(envp, "USPAWN_SH_SELF", 14);

	if (v && !strcmp(v, "0"))
		standin_state = -1;
}

/* where this program is, and what /bin/sh is: once, and only when needed */
static int standin_ready(void)
{
	if (standin_state)
		return standin_state > 0;
	ssize_t n = readlink("/proc/self/exe", standin_self, sizeof standin_self - 1);
	standin_state = -1;
	if (n <= 0 || (size_t)n >= sizeof standin_self - 1)
		return 0;
	standin_self[n] = 0;
	/* replaced or deleted while we ran: nothing sure to exec */
	if (strstr(standin_self, " (deleted)") || access(standin_self, X_OK) ||
	    stat("/bin/sh", &standin_binsh))
		return 0;
	standin_state = 1;
	return 1;
}

static int same_as_binsh(const char *path)
{
	struct stat st;

	return !stat(path, &st) && st.st_dev == standin_binsh.st_dev &&
	       st.st_ino == standin_binsh.st_ino;
}

/* argv's options are ones uring-sh runs itself (else dash would be one exec more) */
static int options_taken(char **argv)
{
	unsigned opts = 0;
	int argc = 0, mode = SH_MODE_C;

	while (argv[argc])
		argc++;
	/* not commands from stdin: sh_standin expects dash there */
	return sh_options(argc, argv, &opts, &mode) >= 0 && mode != SH_MODE_STDIN;
}

const char *standin_path(const char *path, char **argv)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	if (standin_state < 0 || (strcmp(base, "sh") && strcmp(base, "dash")))
		return path;
	if (!standin_ready() || !same_as_binsh(path) || !options_taken(argv))
		return path;
	return standin_self;
}
