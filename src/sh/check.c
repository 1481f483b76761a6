/* SPDX-License-Identifier: MIT */
/*
 * Checks that need the environment: an unquoted expansion must not be
 * able to produce a glob character or a builtin's name, IFS and PWD must
 * be what ush assumes, and $PATH must be one dash and ush search alike.
 */
#include <string.h>
#include <sys/stat.h>
#include "sh.h"

struct checker {
	struct ush_line *line;
	char *const *envp;
	const char *why;
};

typedef void (*cmd_fn)(struct checker *ck, struct ush_cmd *c);

static void each_cmd(struct checker *ck, cmd_fn fn)
{
	struct ush_line *l = ck->line;

	for (unsigned i = 0; i < l->nitems && !ck->why; i++)
		for (unsigned j = 0; j < l->items[i].npipes; j++)
			for (unsigned k = 0; k < l->items[i].pipes[j].ncmds; k++)
				fn(ck, &l->items[i].pipes[j].cmds[k]);
}

static int has_param(const struct ush_word *w)
{
	for (unsigned i = 0; i < w->nparts; i++)
		if (w->parts[i].type == USH_PARAM)
			return 1;
	return 0;
}

static int same(const char *a, size_t an, const char *b, size_t bn)
{
	return an == bn && !memcmp(a, b, an);
}

/* Literal values a variable may be given by the line; "" if from an expansion. */
typedef void (*value_fn)(struct checker *ck, const struct ush_part *p, const char *v, size_t n);

static void assigned_values(struct checker *ck, const struct ush_part *p, value_fn fn)
{
	struct ush_line *l = ck->line;

	for (unsigned i = 0; i < l->nitems; i++)
		for (unsigned j = 0; j < l->items[i].npipes; j++)
			for (unsigned k = 0; k < l->items[i].pipes[j].ncmds; k++) {
				const struct ush_cmd *c = &l->items[i].pipes[j].cmds[k];
				for (unsigned m = 0; m < c->nassigns; m++) {
					const struct ush_assign *as = &c->assigns[m];
					if (!same(as->name, as->n, p->s, p->n))
						continue;
					if (has_param(&as->value) || as->value.nparts > 1) {
						ck->why = "variable assigned from an expansion";
						return;
					}
					if (as->value.nparts)
						fn(ck, p, as->value.parts[0].s,
						   as->value.parts[0].n);
				}
				if (c->builtin == USH_B_EXPORT)
					for (unsigned m = 1; m < c->nargs; m++) {
						const struct ush_part *e = &c->args[m].parts[0];
						if (e->n > p->n && e->s[p->n] == '=' &&
						    !memcmp(e->s, p->s, p->n)) {
							ck->why = "variable set by export";
							return;
						}
					}
			}
}

static void value_globs(struct checker *ck, const struct ush_part *p, const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == '*' || v[i] == '?' || v[i] == '[')
			ck->why = "glob in an expansion";
}

static void value_cmdname(struct checker *ck, const struct ush_part *p, const char *v, size_t n)
{
	size_t s = 0, e;

	if (!p->quoted)
		while (s < n && (v[s] == ' ' || v[s] == '\t' || v[s] == '\n'))
			s++;
	e = s;
	while (e < n && (p->quoted || (v[e] != ' ' && v[e] != '\t' && v[e] != '\n')))
		e++;
	if (e == s)
		ck->why = "empty command name";
	else if (builtin_id(v + s, e - s) || dash_builtin(v + s, e - s))
		ck->why = "builtin name from an expansion";
	else
		value_globs(ck, p, v, n);
}

static void each_value(struct checker *ck, const struct ush_part *p, value_fn fn)
{
	const char *v = env_get(ck->envp, p->s, p->n);

	fn(ck, p, v ? v : "", v ? strlen(v) : 0);
	if (p->op)
		fn(ck, p, p->arg, p->argn);
	assigned_values(ck, p, fn);
}

static void check_param(struct checker *ck, const struct ush_part *p, int cmdname)
{
	if (p->s[0] == '?')
		return;
	if (ck->line->has_cd && (same(p->s, p->n, "PWD", 3) || same(p->s, p->n, "OLDPWD", 6))) {
		ck->why = "PWD after cd";
		return;
	}
	if (env_get(ck->envp, "IFS", 3)) {
		ck->why = "IFS in the environment";
		return;
	}
	each_value(ck, p, cmdname ? value_cmdname : value_globs);
}

static void check_words(struct checker *ck, struct ush_cmd *c)
{
	if (c->name_expands) {
		const struct ush_word *w = &c->args[0];
		if (w->nparts != 1) {
			ck->why = "command name with an expansion";
			return;
		}
		check_param(ck, &w->parts[0], 1);
	}
	for (unsigned i = c->name_expands; i < c->nargs && !ck->why; i++)
		for (unsigned j = 0; j < c->args[i].nparts && !ck->why; j++) {
			const struct ush_part *p = &c->args[i].parts[j];
			if (p->type == USH_PARAM && !p->quoted)
				check_param(ck, p, 0);
		}
}

static int path_ok(const char *v, size_t n)
{
	size_t i = 0;

	while (i <= n) {
		if (i == n || v[i] != '/')
			return 0; /* empty or relative entry: the cwd, which cd moves */
		while (i < n && v[i] != ':') {
			if (v[i] == '%')
				return 0; /* dash's %builtin / %func entries */
			i++;
		}
		i++;
	}
	return 1;
}

static void check_path_assign(struct checker *ck, struct ush_cmd *c)
{
	for (unsigned i = 0; i < c->nassigns; i++) {
		const struct ush_assign *as = &c->assigns[i];
		if (same(as->name, as->n, "PATH", 4)) {
			const char *v = as->value.nparts ? as->value.parts[0].s : "";
			if (!path_ok(v, as->value.nparts ? as->value.parts[0].n : 0))
				ck->why = "relative PATH entry";
		}
	}
	if (c->builtin == USH_B_EXPORT)
		for (unsigned m = 1; m < c->nargs; m++) {
			const struct ush_part *e = &c->args[m].parts[0];
			if (e->n >= 5 && !memcmp(e->s, "PATH=", 5) && !path_ok(e->s + 5, e->n - 5))
				ck->why = "relative PATH entry";
		}
}

/* dash keeps an inherited $PWD that names "."; ush only trusts canonical ones. */
static const char *check_pwd(char *const *envp)
{
	const char *pwd = env_get(envp, "PWD", 3);
	struct stat a, b;

	if (!pwd || pwd[0] != '/' || stat(pwd, &a) || stat(".", &b) || a.st_dev != b.st_dev ||
	    a.st_ino != b.st_ino)
		return NULL;
	if (strstr(pwd, "//") || strstr(pwd, "/./") || strstr(pwd, "/../"))
		return "PWD not canonical";
	size_t n = strlen(pwd);
	if (n > 1 && (pwd[n - 1] == '/' || !strcmp(pwd + n - 2, "/.") ||
		      (n > 2 && !strcmp(pwd + n - 3, "/.."))))
		return "PWD not canonical";
	return NULL;
}

enum ush_class ush_check(struct ush_line *line, char *const *envp)
{
	struct checker ck = {line, envp, NULL};
	const char *path = env_get(envp, "PATH", 4);

	if (path && !path_ok(path, strlen(path)))
		ck.why = "relative PATH entry";
	if (!ck.why)
		each_cmd(&ck, check_words);
	if (!ck.why)
		each_cmd(&ck, check_path_assign);
	if (!ck.why)
		ck.why = check_pwd(envp);
	if (ck.why) {
		line->reason = ck.why;
		return USH_DELEGATE;
	}
	if (line->nitems == 1 && line->items[0].npipes == 1 && line->items[0].pipes[0].ncmds == 1) {
		const struct ush_pipeline *pl = &line->items[0].pipes[0];
		const struct ush_cmd *c = &pl->cmds[0];
		int spawn = !pl->bang && c->nargs && !c->builtin;
		for (unsigned i = 0; i < c->nredirs; i++)
			spawn &= c->redirs[i].fd != 2;
		return spawn ? USH_SPAWN : USH_NATIVE;
	}
	return USH_NATIVE;
}
