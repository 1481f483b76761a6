/* SPDX-License-Identifier: MIT */
/* Looking variables up in an envp array, as dash imports them. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sh.h"

/* dash imports environ in order, so a later duplicate wins. */
const char *env_get(char *const *envp, const char *name, size_t n)
{
	const char *v = NULL;

	for (; envp && *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			v = *envp + n + 1;
	return v;
}

/* Whether envp has another entry for the same name after index i. */
static int env_get_dup_later(char *const *envp, unsigned i, size_t nl)
{
	for (unsigned j = i + 1; envp[j]; j++)
		if (!strncmp(envp[j], envp[i], nl) && envp[j][nl] == '=')
			return 1;
	return 0;
}

static size_t name_len(const char *e)
{
	const char *eq = strchr(e, '=');
	return eq ? (size_t)(eq - e) : 0;
}

/*
 * The environment of a command: envp without entries dash drops (no '='),
 * each "NAME=value" of over replacing the variable of that name (the last
 * one of a name wins), new names appended. dash orders its environment by
 * its hash table; ush keeps the inherited order (documented difference).
 */
char **env_build(struct ush_arena *a, char *const *envp, const char *const *over, unsigned nover)
{
	unsigned n = 0;

	while (envp && envp[n])
		n++;
	char **v = ush_alloc(a, (n + nover + 1) * sizeof *v);
	char *used = ush_alloc(a, nover + 1);
	if (!v || !used)
		return NULL;
	memset(used, 0, nover + 1);
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		size_t nl = name_len(envp[i]);
		if (!nl)
			continue;
		const char *e = envp[i];
		for (unsigned j = 0; j < nover; j++)
			if (name_len(over[j]) == nl && !strncmp(over[j], envp[i], nl)) {
				e = over[j];
				used[j] = 1;
			}
		if (!env_get_dup_later(envp, i, nl))
			v[k++] = (char *)e;
	}
	for (unsigned j = 0; j < nover; j++) {
		if (used[j])
			continue;
		size_t nl = name_len(over[j]);
		int later = 0;
		for (unsigned m = j + 1; m < nover; m++)
			later |= name_len(over[m]) == nl && !strncmp(over[m], over[j], nl);
		if (!later)
			v[k++] = (char *)over[j];
	}
	v[k] = NULL;
	return v;
}

/* dash's $PWD at start: an inherited absolute $PWD naming ".", else getcwd(). */
const char *pwd_initial(struct ush_arena *a, char *const *envp)
{
	const char *pwd = env_get(envp, "PWD", 3);
	struct stat st1, st2;

	if (pwd && pwd[0] == '/' && !stat(pwd, &st1) && !stat(".", &st2) &&
	    st1.st_dev == st2.st_dev && st1.st_ino == st2.st_ino)
		return pwd;
	char *buf = ush_alloc(a, 4096);
	return buf && getcwd(buf, 4096) ? buf : NULL;
}
