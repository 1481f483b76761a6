/* SPDX-License-Identifier: MIT */
/*
 * USH_SPAWN lines for callers with their own spawner: argv, environment,
 * file actions and the resolved path, and dash's words when it fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "sh.h"

const char *ush_errmsg(int err, int ctx)
{
	if (err != ENOENT && err != ENOTDIR)
		return strerror(err);
	return ctx == USH_E_OPEN    ? "No such file"
	       : ctx == USH_E_CREAT ? "Directory nonexistent"
				    : "not found";
}

static const char *env_lookup(void *ctx, const char *name, size_t n)
{
	return env_get(ctx, name, n);
}

static int redir_action(struct expander *x, const struct ush_redir *r, struct uspawn_fa *fa)
{
	memset(fa, 0, sizeof *fa);
	fa->fd = r->fd;
	if (r->op == USH_R_DUPIN || r->op == USH_R_DUPOUT) {
		fa->op = r->dup < 0 ? USPAWN_FA_CLOSE : USPAWN_FA_DUP2;
		fa->src = r->dup;
		return 0;
	}
	fa->op = USPAWN_FA_OPEN;
	fa->path = expand_string(x, &r->target);
	fa->oflag = r->op == USH_R_IN    ? O_RDONLY
		    : r->op == USH_R_OUT ? O_WRONLY | O_CREAT | O_TRUNC
					 : O_WRONLY | O_CREAT | O_APPEND;
	fa->mode = 0666;
	return fa->path ? 0 : -1;
}

int ush_prepare_spawn(struct ush_arena *a, struct ush_line *line, char *const *envp,
		      struct ush_spawn *sp)
{
	struct ush_cmd *c = &line->items[0].pipes[0].cmds[0];
	struct expander x = {a, env_lookup, (void *)envp, 0};
	struct argv_vec av = {0};
	const char *pathvar = env_get(envp, "PATH", 4);

	memset(sp, 0, sizeof *sp);
	sp->cmd = c;
	sp->lineno = c->lineno;
	for (unsigned i = 0; i < c->nargs; i++)
		if (expand_fields(&x, &c->args[i], &av) < 0)
			return -1;
	if (!av.n)
		return -1; /* ush_check rules this out */
	sp->argv = av.v;
	sp->actions = ush_alloc(a, (c->nredirs + 1) * sizeof *sp->actions);
	const char **over = ush_alloc(a, (c->nassigns + 1) * sizeof *over);
	const char *pwd = pwd_initial(a, envp);
	if (!sp->actions || !over || !pwd)
		return -1;
	for (unsigned i = 0; i < c->nredirs; i++)
		if (redir_action(&x, &c->redirs[i], &sp->actions[i]) < 0)
			return -1;
	sp->nactions = c->nredirs;
	unsigned no = 0;
	char *pe = ush_alloc(a, strlen(pwd) + 5);
	if (!pe)
		return -1;
	memcpy(pe, "PWD=", 4);
	strcpy(pe + 4, pwd);
	over[no++] = pe;
	for (unsigned i = 0; i < c->nassigns; i++) {
		const struct ush_assign *as = &c->assigns[i];
		char *v = expand_string(&x, &as->value);
		char *e = v ? ush_alloc(a, as->n + strlen(v) + 2) : NULL;
		if (!e)
			return -1;
		memcpy(e, as->name, as->n);
		e[as->n] = '=';
		strcpy(e + as->n + 1, v);
		over[no++] = e;
		if (as->n == 4 && !memcmp(as->name, "PATH", 4))
			pathvar = e + 5;
	}
	sp->envp = env_build(a, envp, over, no);
	if (!sp->envp)
		return -1;
	struct lookup lk;
	lookup_command(sp->argv[0], pathvar ? pathvar : DASH_DEFAULT_PATH, &lk);
	sp->lookup_error = lk.error;
	memcpy(sp->path, lk.path, sizeof sp->path);
	if (lk.error)
		sp->path[0] = 0; /* execve("") fails after the actions ran */
	sp->path_idx = lk.idx;
	sp->pathvar = pathvar ? pathvar : DASH_DEFAULT_PATH;
	sp->exec_error = ENOENT;
	return 0;
}

int ush_spawn_retry(struct ush_spawn *sp, int error)
{
	if (error != ENOENT && error != ENOTDIR)
		sp->exec_error = error;
	if (sp->path_idx < 0)
		return 0;
	sp->path_idx++;
	return path_entry(sp->pathvar, sp->path_idx, sp->argv[0], sp->path, sizeof sp->path) == 0;
}

int ush_spawn_error(const struct ush_spawn *sp, const char *arg0, int error,
		    enum uspawn_stage stage, unsigned stage_index, char *buf, size_t n)
{
	struct out o = {buf, 0, n ? n - 1 : 0};
	int status = 2;

	out_prefix(&o, arg0, sp->lineno);
	if (stage == USPAWN_STAGE_ACTION && stage_index < sp->nactions) {
		const struct uspawn_fa *fa = &sp->actions[stage_index];
		if (fa->op == USPAWN_FA_OPEN) {
			int creat = fa->oflag & O_CREAT;
			out_str(&o, creat ? "cannot create " : "cannot open ");
			out_str(&o, fa->path);
			out_str(&o, ": ");
			out_str(&o, ush_errmsg(error, creat ? USH_E_CREAT : USH_E_OPEN));
		} else {
			out_uint(&o, fa->src);
			out_str(&o, ": ");
			out_str(&o, strerror(error));
		}
	} else {
		if (stage == USPAWN_STAGE_NONE || sp->lookup_error) {
			error = sp->lookup_error;
			status = 127;
		} else {
			error = sp->path_idx >= 0 && (error == ENOENT || error == ENOTDIR)
					? sp->exec_error
					: error;
			status = error == EACCES ? 126 : error == ENOENT ? 127 : 2;
		}
		out_str(&o, sp->argv[0]);
		out_str(&o, ": ");
		out_str(&o, ush_errmsg(error, USH_E_EXEC));
	}
	out_str(&o, "\n");
	buf[o.n] = 0;
	return status;
}
