/* SPDX-License-Identifier: MIT */
/*
 * export, readonly, local and unset, and the variable listing set and
 * export -p print (state/vars.c keeps the variables).
 */
#include <stdlib.h>
#include <string.h>
#include "builtins/shell.h"

int bi_list_vars(struct shell *sh, unsigned flags, const char *prefix)
{
	unsigned n = 0;
	struct shvar_info *v = shvar_list(sh, flags, &n);

	if (!v && n)
		eval_oom(sh);
	for (unsigned i = 0; i < n; i++) {
		if (!prefix && !v[i].value)
			continue; /* set: not a variable without a value (dash's VUNSET), as export -p does */
		size_t cap = 32 + v[i].n + (v[i].value ? strlen(v[i].value) * 4 : 0);
		struct out o = {malloc(cap), 0, cap};
		if (!o.buf)
			eval_oom(sh);
		if (prefix)
			out_str(&o, prefix);
		out_mem(&o, v[i].name, v[i].n);
		if (v[i].value) {
			out_str(&o, "=");
			out_quoted(&o, v[i].value);
		}
		out_str(&o, "\n");
		eval_out(o.buf, o.n);
		free(o.buf);
	}
	free(v);
	return 0;
}

static int declare(struct shell *sh, int argc, char **argv, unsigned flag, const char *prefix)
{
	int i = 1;

	(void)argc;
	/* dash's one nextopt("p"): only the first option letter is looked at */
	if (argv[1] && argv[1][0] == '-' && argv[1][1]) {
		i = 2;
		if (argv[1][1] == 'p')
			return bi_list_vars(sh, flag, prefix); /* -p lists all, names ignored */
		if (argv[1][1] != '-' || argv[1][2]) {
			char opt[2] = {argv[1][1], 0};
			return bi_fail(sh, "Illegal option -", opt, NULL);
		}
	}
	if (!argv[i])
		return bi_list_vars(sh, flag, prefix);
	for (; argv[i]; i++) {
		char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (!lex_is_name(argv[i], n)) {
			char *name = strndup(argv[i], n);
			if (!name)
				eval_oom(sh);
			bi_fail(sh, name, ": bad variable name", NULL);
			free(name);
			return 2;
		}
		if (shvar_set(sh, argv[i], n, eq ? eq + 1 : NULL, flag) < 0)
			return bi_failed(sh);
	}
	return 0;
}

int b_export(struct shell *sh, int argc, char **argv)
{
	return declare(sh, argc, argv, SHVAR_EXPORT, "export ");
}

int b_readonly(struct shell *sh, int argc, char **argv)
{
	return declare(sh, argc, argv, SHVAR_READONLY, "readonly ");
}

int b_local(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	if (!ev.funcnest)
		shell_fail(sh, 2, "not in a function", NULL, NULL);
	for (int i = 1; argv[i]; i++) {
		char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		/* dash takes no options: -a is a name, and not a valid one */
		if (strcmp(argv[i], "-") && !lex_is_name(argv[i], n)) {
			/* dash names only the name of NAME=value, without "local: " */
			if (eq) {
				*eq = 0;
				ev.cmdname = NULL;
			}
			shell_fail(sh, 2, argv[i], ": bad variable name", NULL);
		}
		func_local(sh, argv[i], n);
		if (eq && shvar_set(sh, argv[i], n, eq + 1, 0) < 0)
			shell_exit(sh, 2);
	}
	return 0;
}

int b_unset(struct shell *sh, int argc, char **argv)
{
	char seen[256] = {0};
	int i;

	(void)argc;
	if (bi_options(sh, argv, &i, "fv", seen) < 0)
		return 2;
	/* dash's nextopt loop: the last of -f and -v given decides */
	char flag = 0;
	for (int k = 1; k < i; k++)
		for (const char *a = argv[k] + 1; *a && strcmp(argv[k], "--"); a++)
			flag = *a;
	for (; argv[i]; i++) {
		if (flag == 'f') {
			func_unset(sh, argv[i]);
			continue;
		}
		/* dash's setvar(): NAME or NAME=anything (the name alone is unset), else a bad name */
		char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (eq)
			*eq = 0;
		if (!lex_is_name(argv[i], n))
			return bi_fail(sh, argv[i], ": bad variable name", NULL);
		if (shvar_flags(sh, argv[i], n) & SHVAR_READONLY)
			return bi_fail(sh, argv[i], ": is read only", NULL);
		shvar_unset(sh, argv[i], n);
	}
	return 0;
}
