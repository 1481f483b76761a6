/* SPDX-License-Identifier: MIT */
/*
 * The environment dash gives a command it runs, for decide/: what it
 * imported (each variable with a valid name; of a name twice, the last),
 * what it set at start (IFS, OPTIND and PPID reset, PWD always exported)
 * and the command's own assignments. dash orders it by its hash table;
 * here the inherited order is kept, new names after it (the same content).
 */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "decide/decide.h"

static size_t name_len(const char *e)
{
	const char *eq = strchr(e, '=');
	return eq ? (size_t)(eq - e) : 0;
}

/* a later entry of envp sets the same name (the first byte is a cheap test) */
static int set_later(char *const *envp, const char *name, size_t n)
{
	for (; *envp; envp++)
		if ((*envp)[0] == name[0] && !strncmp(*envp, name, n) && (*envp)[n] == '=')
			return 1;
	return 0;
}

/* "NAME=value" in a, NULL when a is full */
static char *entry(struct ush_arena *a, const char *name, size_t n, const char *value)
{
	size_t vl = strlen(value);
	char *e = ush_alloc(a, n + vl + 2);

	if (e) {
		memcpy(e, name, n);
		e[n] = '=';
		memcpy(e + n + 1, value, vl + 1);
	}
	return e;
}

/* the entry of out[0..k) setting the name e sets, or k */
static unsigned find(char **out, unsigned k, const char *e, size_t n)
{
	unsigned m = 0;

	while (m < k && !(name_len(out[m]) == n && !memcmp(out[m], e, n)))
		m++;
	return m;
}

char **env_child(struct ush_arena *a, char *const *envp, const struct shvar_view *v)
{
	/* what dash sets at start whatever the environment says */
	const char *set[] = {"IFS", " \t\n", "OPTIND", "1", "PPID", v->ppid, "PWD", v->pwd};
	unsigned n = 0, k = 0;

	while (envp && envp[n])
		n++;
	char **out = ush_alloc(a, (n + v->nover + 2) * sizeof *out);
	if (!out)
		return NULL;
	for (unsigned i = 0; i < n; i++) {
		size_t nl = name_len(envp[i]);
		if (!lex_is_name(envp[i], nl) || set_later(envp + i + 1, envp[i], nl))
			continue;
		char *e = envp[i];
		for (unsigned j = 0; j < sizeof set / sizeof set[0]; j += 2)
			if (set[j][0] == e[0] && set[j + 1] && strlen(set[j]) == nl &&
			    !memcmp(set[j], e, nl) && strcmp(e + nl + 1, set[j + 1]) &&
			    !(e = entry(a, set[j], nl, set[j + 1])))
				return NULL;
		out[k++] = e;
	}
	/* PWD is exported even when the environment had none */
	if (v->pwd && find(out, k, "PWD", 3) == k && !(out[k++] = entry(a, "PWD", 3, v->pwd)))
		return NULL;
	for (unsigned j = 0; j < v->nover; j++) {
		unsigned m = find(out, k, v->over[j], name_len(v->over[j]));
		out[m] = v->over[j];
		k += m == k;
	}
	out[k] = NULL;
	return out;
}

/*
 * dash's $PWD at start: an inherited absolute $PWD naming ".", else
 * getcwd() (NULL if that fails). *canonical: 0 for an inherited one with
 * "." or ".." components, "//" or a trailing "/" (decide/ leaves those
 * to uring-sh).
 */
const char *pwd_at_start(struct ush_arena *a, char *const *envp, int *canonical)
{
	const char *pwd = env_get(envp, "PWD", 3);
	struct stat st1, st2;

	*canonical = 1;
	if (pwd && pwd[0] == '/' && !stat(pwd, &st1) && !stat(".", &st2) &&
	    st1.st_dev == st2.st_dev && st1.st_ino == st2.st_ino) {
		size_t n = strlen(pwd);
		if (strstr(pwd, "//") || strstr(pwd, "/./") || strstr(pwd, "/../") ||
		    (n > 1 && (pwd[n - 1] == '/' || !strcmp(pwd + n - 2, "/.") ||
			       (n > 2 && !strcmp(pwd + n - 3, "/..")))))
			*canonical = 0;
		return pwd;
	}
	char *buf = ush_alloc(a, 4096);
	return buf && getcwd(buf, 4096) ? buf : NULL;
}
