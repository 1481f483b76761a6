/* SPDX-License-Identifier: MIT */
/* Shell variables: the ones this run assigned, over the inherited environment. */
#include <string.h>
#include "run.h"

static struct var *var_find(struct shell *sh, const char *name, size_t n)
{
	for (unsigned i = 0; i < sh->nvars; i++)
		if (sh->vars[i].n == n && !memcmp(sh->vars[i].name, name, n))
			return &sh->vars[i];
	return NULL;
}

const char *shell_pwd(struct shell *sh)
{
	if (!sh->pwd)
		sh->pwd = pwd_initial(sh->a, sh->environ);
	return sh->pwd ? sh->pwd : "";
}

const char *var_get(struct shell *sh, const char *name, size_t n)
{
	struct var *v = var_find(sh, name, n);

	if (v)
		return v->value;
	if (n == 3 && !memcmp(name, "PWD", 3))
		return shell_pwd(sh);
	return env_get(sh->environ, name, n);
}

int var_set(struct shell *sh, const char *name, size_t n, const char *value, int export)
{
	struct var *v = var_find(sh, name, n);

	if (!v) {
		if (sh->nvars == sh->cap) {
			unsigned cap = sh->cap ? sh->cap * 2 : 8;
			struct var *nv = ush_alloc(sh->a, cap * sizeof *nv);
			if (!nv)
				return -1;
			if (sh->nvars)
				memcpy(nv, sh->vars, sh->nvars * sizeof *nv);
			sh->vars = nv;
			sh->cap = cap;
		}
		v = &sh->vars[sh->nvars++];
		v->name = name;
		v->n = n;
		v->value = env_get(sh->environ, name, n);
		v->exported = v->value != NULL;
		if (n == 3 && !memcmp(name, "PWD", 3)) {
			v->value = shell_pwd(sh);
			v->exported = 1;
		}
	}
	if (value)
		v->value = value;
	v->exported |= export;
	return 0;
}

static const char *entry(struct shell *sh, const char *name, size_t n, const char *value)
{
	size_t vl = strlen(value);
	char *e = ush_alloc(sh->a, n + vl + 2);

	if (!e)
		return NULL;
	memcpy(e, name, n);
	e[n] = '=';
	memcpy(e + n + 1, value, vl + 1);
	return e;
}

/* The environment of a command: environ, this run's exported variables, PWD, extra. */
char **child_env(struct shell *sh, const char *const *extra, unsigned nextra)
{
	const char **over = ush_alloc(sh->a, (sh->nvars + nextra + 1) * sizeof *over);
	unsigned n = 0;

	if (!over)
		return NULL;
	if (!var_find(sh, "PWD", 3))
		over[n++] = entry(sh, "PWD", 3, shell_pwd(sh));
	for (unsigned i = 0; i < sh->nvars; i++)
		if (sh->vars[i].exported && sh->vars[i].value)
			over[n++] = entry(sh, sh->vars[i].name, sh->vars[i].n, sh->vars[i].value);
	for (unsigned i = 0; i < nextra; i++)
		over[n++] = extra[i];
	for (unsigned i = 0; i < n; i++)
		if (!over[i])
			return NULL;
	return env_build(sh->a, sh->environ, over, n);
}
