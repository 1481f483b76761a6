/* SPDX-License-Identifier: MIT */
/*
 * decide/'s variables: those of a dash just started with this environment
 * (as vars.c imports them: the environment's, IFS, OPTIND and PPID reset,
 * PWD checked, the defaults of the others), under the assignments of the
 * command being decided. Read from the environment at each lookup: nothing
 * is stored, nothing allocated.
 */
#include <string.h>
#include <unistd.h>
#include "shell.h"

static int is(const char *name, size_t n, const char *s)
{
	return strlen(s) == n && !memcmp(name, s, n);
}

const char *shvar_view_get(struct shell *sh, const char *name, size_t n)
{
	const struct shvar_view *v = sh->view;

	for (unsigned i = v->nover; i-- > 0;)
		if (!strncmp(v->over[i], name, n) && v->over[i][n] == '=')
			return v->over[i] + n + 1;
	/* what dash sets whatever the environment says */
	if (is(name, n, "IFS"))
		return " \t\n";
	if (is(name, n, "OPTIND"))
		return "1";
	if (is(name, n, "PPID"))
		return v->ppid;
	if (is(name, n, "PWD") && v->pwd)
		return v->pwd;
	const char *e = env_get(sh->environ, name, n);
	if (e)
		return e;
	/* dash's defaults for what the environment lacks */
	if (is(name, n, "PATH"))
		return DASH_DEFAULT_PATH;
	if (is(name, n, "PS1"))
		return geteuid() ? "$ " : "# ";
	if (is(name, n, "PS2"))
		return "> ";
	if (is(name, n, "PS4"))
		return "+ ";
	return NULL;
}
