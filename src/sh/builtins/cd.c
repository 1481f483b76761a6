/* SPDX-License-Identifier: MIT */
/*
 * cd (chdir) and pwd: dash's logical directory in $PWD, CDPATH, cd -,
 * -L and -P.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "builtins/shell.h"

/* the logical directory of dest from cur: "." and ".." taken by text */
static char *logical(const char *cur, const char *dest)
{
	const char *base = dest[0] == '/' ? "" : cur;
	size_t bl = strlen(base), dl = strlen(dest);
	char *tmp = malloc(bl + dl + 2), *out = malloc(bl + dl + 3);
	size_t n = 0;

	if (!tmp || !out) {
		free(tmp);
		free(out);
		return NULL;
	}
	memcpy(tmp, base, bl);
	tmp[bl] = '/';
	memcpy(tmp + bl + 1, dest, dl + 1);
	for (char *p = tmp; *p;) {
		while (*p == '/')
			p++;
		char *end = strchrnul(p, '/');
		size_t cl = end - p;
		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[--n] != '/')
				;
		} else if (cl && !(cl == 1 && p[0] == '.')) {
			out[n++] = '/';
			memcpy(out + n, p, cl);
			n += cl;
		}
		p = end;
	}
	if (!n)
		out[n++] = '/';
	out[n] = 0;
	/* exactly two leading slashes mean something of their own (POSIX): kept */
	const char *start = dest[0] == '/' ? dest : cur;
	if (start[0] == '/' && start[1] == '/' && start[2] != '/') {
		if (n == 1)
			n = 0;
		memmove(out + 1, out, n + 1);
		out[0] = '/';
		if (!n)
			out[1] = '/', out[2] = 0;
	}
	free(tmp);
	return out;
}

static int docd(struct shell *sh, const char *dest, int physical)
{
	const char *cur = shvar_get(sh, "PWD", 3);
	char *dir = NULL;

	if (!physical && cur && cur[0] == '/')
		dir = logical(cur, dest);
	if (chdir(dir ? dir : dest) < 0) {
		free(dir);
		return -1;
	}
	cmdtable_cd();
	char *old = cur ? strdup(cur) : NULL;
	if (!dir) {
		char buf[PATH_MAX];
		dir = getcwd(buf, sizeof buf) ? strdup(buf) : NULL;
	}
	if (old)
		shvar_set(sh, "OLDPWD", 6, old, SHVAR_EXPORT);
	if (dir)
		shvar_set(sh, "PWD", 3, dir, SHVAR_EXPORT);
	free(old);
	free(dir);
	return 0;
}

static int is_dir(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

int b_cd(struct shell *sh, int argc, char **argv)
{
	char seen[256] = {0};
	int i, print = 0;

	(void)argc;
	if (bi_options(sh, argv, &i, "LP", seen) < 0)
		return 2;
	int physical = seen['P'];
	const char *dest = argv[i];
	if (!dest) {
		dest = shvar_get(sh, "HOME", 4);
		if (!dest)
			return 0;
	} else if (dest[0] == '-' && !dest[1]) {
		dest = shvar_get(sh, "OLDPWD", 6);
		print = 1;
		if (!dest)
			dest = "";
	}
	if (!*dest)
		dest = ".";
	const char *cdpath = shvar_get(sh, "CDPATH", 6);
	int rel = !(dest[0] == '/' ||
		    (dest[0] == '.' && (dest[1] == '/' || !dest[1] ||
					(dest[1] == '.' && (dest[2] == '/' || !dest[2])))));
	if (cdpath && rel) {
		char path[PATH_MAX];
		for (int idx = 0; path_entry(cdpath, idx, dest, path, sizeof path) != -1; idx++) {
			const char *p = path;
			int empty = !strcmp(path, dest);
			if (empty)
				p = dest; /* an empty entry: the current directory */
			if (!is_dir(p))
				continue;
			if (docd(sh, p, physical) == 0) {
				if (!empty || print)
					bi_out_line(shvar_get(sh, "PWD", 3));
				return 0;
			}
		}
	}
	if (docd(sh, dest, physical) < 0)
		return bi_fail(sh, "can't cd to ", dest, NULL);
	if (print)
		bi_out_line(shvar_get(sh, "PWD", 3));
	return 0;
}

int b_pwd(struct shell *sh, int argc, char **argv)
{
	char seen[256] = {0}, buf[PATH_MAX];
	int i;

	(void)argc;
	if (bi_options(sh, argv, &i, "LP", seen) < 0)
		return 2;
	const char *cur = shvar_get(sh, "PWD", 3);
	if (seen['P'] || !cur || cur[0] != '/') {
		if (!getcwd(buf, sizeof buf))
			return bi_fail(sh, "getcwd() failed: ", ush_strerror(errno), NULL);
		cur = buf;
	}
	bi_out_line(cur);
	return 0;
}
