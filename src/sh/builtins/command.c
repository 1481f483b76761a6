/* SPDX-License-Identifier: MIT */
/*
 * command, type and exec: what a name is (keyword, function, builtin, a
 * program found through the command table), and running a program
 * without functions (command) or in place of the shell (exec).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include "builtins/shell.h"

static int describe(struct shell *sh, const char *name, int verbose, const char *pathvar)
{
	static const char *const keywords[] = {"!",     "case",  "do",  "done", "elif", "else",
					       "esac",  "fi",    "for", "if",   "in",   "then",
					       "until", "while", "{",   "}",    NULL};
	const char *alias = alias_value(name);
	size_t cap = strlen(name) + PATH_MAX + 64 + (alias ? 3 * strlen(alias) : 0);
	struct out o = {malloc(cap), 0, cap};
	int status = 0;

	if (!o.buf)
		eval_oom(sh);
	for (int k = 0; keywords[k]; k++)
		if (!strcmp(name, keywords[k])) {
			out_str(&o, name);
			out_str(&o, verbose ? " is a shell keyword" : "");
			goto done;
		}
	if (alias) { /* dash looks at aliases after the keywords */
		if (verbose) {
			out_str(&o, name);
			out_str(&o, " is an alias for ");
			out_str(&o, alias);
		} else {
			out_str(&o, "alias ");
			out_str(&o, name);
			out_str(&o, "=");
			out_quoted(&o, alias);
		}
		goto done;
	}
	if (func_find(sh, name)) {
		out_str(&o, name);
		out_str(&o, verbose ? " is a shell function" : "");
		goto done;
	}
	const struct builtin *b = builtin_find(name);
	if (b) {
		out_str(&o, name);
		if (verbose)
			out_str(&o, b->flags & BI_SPECIAL ? " is a special shell builtin"
							  : " is a shell builtin");
		goto done;
	}
	struct lookup lk;
	/* dash's tracked alias: an entry of its table (made by this lookup is not one) */
	unsigned how =
		pathvar == eval_pathvar(sh) ? CMD_TABLE | CMD_RECORD | CMD_DESCRIBE : CMD_DESCRIBE;
	int tracked = cmdtable_lookup(sh, name, pathvar, how, &lk);
	if (tracked < 0) {
		if (verbose) {
			out_str(&o, name);
			out_str(&o, ": not found\n");
			eval_out(o.buf, o.n);
		}
		free(o.buf);
		return 127;
	}
	if (verbose) {
		out_str(&o, name);
		out_str(&o, tracked ? " is a tracked alias for " : " is ");
	}
	out_str(&o, lk.path);
done:
	out_str(&o, "\n");
	eval_out(o.buf, o.n);
	free(o.buf);
	return status;
}

int b_type(struct shell *sh, int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++)
		if (describe(sh, argv[i], 1, eval_pathvar(sh)))
			status = 127;
	return status;
}

int b_command(struct shell *sh, int argc, char **argv)
{
	char seen[256] = {0};
	int i;

	(void)argc;
	if (bi_options(sh, argv, &i, "pvV", seen) < 0)
		return 2;
	if (!argv[i])
		return 0;
	const char *pathvar = seen['p'] ? DASH_DEFAULT_PATH : eval_pathvar(sh);
	if (seen['v'] || seen['V'])
		return describe(sh, argv[i], seen['V'], pathvar);
	const char *saved = ev.cmdname;
	ev.cmdname = NULL;
	int status = eval_command_argv(sh, argv + i, pathvar);
	ev.cmdname = saved;
	return status;
}

/* dash's exec takes no options: `exec -- cmd` looks for a command "--" */
int b_exec(struct shell *sh, int argc, char **argv)
{
	if (argc < 2)
		return 0;
	exec_external(sh, argv + 1, shvar_environ(sh), eval_pathvar(sh));
}
