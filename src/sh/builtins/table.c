/* SPDX-License-Identifier: MIT */
/*
 * Every builtin Debian's dash 0.5.12 has, by name: its function and
 * whether it is special. Most have a file of their own here; alias and
 * unalias live with their table (state/alias.c), hash with the command
 * table (state/cmdtable.c), trap with the traps (eval/trap.c). The ones
 * of builtins.h (test, printf, echo, read, umask, kill, times, ulimit)
 * need only variables, reached through a bi_ctx.
 */
#include <string.h>
#include "builtins/builtins.h"
#include "builtins/shell.h"

/* the builtins of builtins.h: variables through the shell */
static const char *ctx_get(void *ctx, const char *name, size_t n)
{
	return shvar_get(ctx, name, n);
}

static int ctx_set(void *ctx, const char *name, size_t n, const char *value)
{
	return shvar_set(ctx, name, n, value, 0);
}

static int module(struct shell *sh, int argc, char **argv, int (*fn)(struct bi_ctx *, int, char **))
{
	struct bi_ctx c = {sh->arg0, sh->lineno, ctx_get, ctx_set, sh};
	return fn(&c, argc, argv);
}

#define MODULE(name)                                                                               \
	static int m_##name(struct shell *sh, int argc, char **argv)                               \
	{                                                                                          \
		return module(sh, argc, argv, bi_##name);                                          \
	}
MODULE(test)
MODULE(printf)
MODULE(echo)
MODULE(read)
MODULE(umask)
MODULE(kill)
MODULE(times)
MODULE(ulimit)

static const struct builtin table[] = {
	{".", b_dot, BI_SPECIAL},
	{":", b_true, BI_SPECIAL},
	{"[", m_test, 0},
	{"alias", alias_builtin, BI_ASSIGN},
	{"bg", b_bg, 0},
	{"break", b_break, BI_SPECIAL},
	{"cd", b_cd, 0},
	{"chdir", b_cd, 0},
	{"command", b_command, 0},
	{"continue", b_continue, BI_SPECIAL},
	{"echo", m_echo, 0},
	{"eval", b_eval, BI_SPECIAL},
	{"exec", b_exec, BI_SPECIAL},
	{"exit", b_exit, BI_SPECIAL},
	{"export", b_export, BI_SPECIAL | BI_ASSIGN},
	{"false", b_false, 0},
	{"fg", b_fg, 0},
	{"getopts", b_getopts, 0},
	{"hash", b_hash, 0},
	{"jobs", b_jobs, 0},
	{"kill", m_kill, 0},
	{"local", b_local, BI_ASSIGN},
	{"printf", m_printf, 0},
	{"pwd", b_pwd, 0},
	{"read", m_read, 0},
	{"readonly", b_readonly, BI_SPECIAL | BI_ASSIGN},
	{"return", b_return, BI_SPECIAL},
	{"set", b_set, BI_SPECIAL},
	{"shift", b_shift, BI_SPECIAL},
	{"test", m_test, 0},
	{"times", m_times, BI_SPECIAL},
	{"trap", trap_builtin, BI_SPECIAL},
	{"true", b_true, 0},
	{"type", b_type, 0},
	{"ulimit", m_ulimit, 0},
	{"umask", m_umask, 0},
	{"unalias", unalias_builtin, 0},
	{"unset", b_unset, BI_SPECIAL},
	{"wait", b_wait, 0},
};

const struct builtin *builtin_find(const char *name)
{
	unsigned lo = 0, hi = sizeof table / sizeof table[0];

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		int c = strcmp(name, table[mid].name);
		if (!c)
			return &table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
