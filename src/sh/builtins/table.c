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
#include "eval/jobs.h"

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

/* kill's %job: dash's lookup, then the job's first process */
static long ctx_job(void *ctx, const char *name)
{
	struct job *j = jobs_find(ctx, name, 0);

	return j ? j->ps[0].pid : 0;
}

/*
 * kill: dash collected what had ended after the command before (a pid
 * reaped is no longer there to signal, a zombie still is)
 */
static int m_kill(struct shell *sh, int argc, char **argv)
{
	struct bi_ctx c = {sh->arg0, sh->lineno, ctx_get, ctx_set, sh, ctx_job};

	jobs_reap_due();
	return bi_kill(&c, argc, argv);
}
MODULE(times)
MODULE(ulimit)

static const struct builtin table[] = {
#define BUILTIN(name, fn, flags) {name, fn, flags},
#include "builtins/list.h"
#undef BUILTIN
};

const struct builtin *builtin_find(const char *name)
{
	int i = builtin_index(name);

	return i < 0 ? NULL : &table[i];
}
