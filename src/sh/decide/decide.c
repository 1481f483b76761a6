/* SPDX-License-Identifier: MIT */
/*
 * The question uring-run and the preload ask of `sh -c LINE`: is the line
 * one external simple command, to be spawned directly with these argv,
 * environment, path and file actions, exactly as dash would have run it?
 *
 * Asked of the whole parser's tree (syntax/) and answered with the whole
 * expander (expand/) in a shell that only reads: its variables are those
 * dash would start with (state/view.c) and its ops refuse anything with
 * an effect, leaving through a longjmp. No memory but the caller's arena,
 * no global state. Everything uring-sh would do differently from a plain
 * exec (a builtin, a function, a glob to read, a here-document, $$, a
 * second command ...) makes the line uring-sh's; a syntax error, or a
 * command that is not found, /bin/sh's (dash says so in its own words).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <string.h>
#include <unistd.h>
#include "builtins/builtins.h"
#include "decide/decide.h"

/* decide's shell: anything with an effect leaves through bail, why said */
struct asker {
	struct shell sh;
	struct shvar_view view;
	jmp_buf bail;
	const char *why;
};

static void ask_msg(struct shell *sh, const char *a, const char *b, const char *c, const char *d)
{
	(void)b, (void)c, (void)d;
	((struct asker *)sh)->why = a; /* the refusal's reason; nothing is printed */
}

__attribute__((noreturn)) static void ask_exit(struct shell *sh, int status)
{
	(void)status;
	longjmp(((struct asker *)sh)->bail, 1);
}

static char *ask_cmdsubst(struct shell *sh, struct node *cmd, size_t *len)
{
	(void)cmd, (void)len;
	shell_fail(sh, 2, "command substitution", NULL, NULL);
}

static void ask_path_changed(void)
{
}

static int ask_optind_changed(struct shell *sh, const char *value)
{
	(void)sh, (void)value;
	return -1;
}

static const struct shell_ops ask_ops = {
	.cmdsubst = ask_cmdsubst,
	.msg = ask_msg,
	.exit = ask_exit,
	.path_changed = ask_path_changed,
	.optind_changed = ask_optind_changed,
};

/* a word that names $$ (no shell process exists to have that pid) or ~user */
static const char *word_asks_shell(const struct word *w)
{
	for (unsigned i = 0; i < w->nparts; i++) {
		const struct wpart *p = &w->parts[i];
		if (p->type == WP_TILDE && p->n && !p->decl)
			return "~user";
		if (p->type != WP_PARAM)
			continue;
		if (p->param->n == 1 && p->param->name[0] == '$')
			return "$$";
		if (p->param->arg) {
			const char *why = word_asks_shell(p->param->arg);
			if (why)
				return why;
		}
	}
	return NULL;
}

/* a redirection file actions can make: < > >| >> <> and <& >& 0-2 or -, fds 0-2 */
static const char *redir_shape(const struct redir *r)
{
	if (r->op == R_HEREDOC)
		return "here-document";
	/* the caller's own fds above 2 are open (close-on-exec) in the child */
	if (r->fd > 2)
		return "fd above 2";
	if (r->op != R_DUPIN && r->op != R_DUPOUT)
		return NULL;
	const struct wpart *p = r->target.parts;
	if (r->target.nparts != 1 || p->type != WP_LIT || p->n != 1 ||
	    (p->s[0] != '-' && (p->s[0] < '0' || p->s[0] > '2')))
		return "fd number";
	return NULL;
}

/* what the text alone says: one simple command that expands without effects */
static const char *shape(const struct node *n)
{
	if (!n)
		return "empty";
	if (n->type != N_SIMPLE)
		return "not one simple command";
	if (!n->u.simple.nargs)
		return "assignments only";
	if (!simple_pure(n, 0))
		return "expansion with an effect, or fd 2 redirected";
	const char *why = NULL;
	for (unsigned i = 0; i < n->u.simple.nargs && !why; i++)
		why = word_asks_shell(&n->u.simple.args[i]);
	for (unsigned i = 0; i < n->u.simple.nassigns && !why; i++)
		why = word_asks_shell(&n->u.simple.assigns[i].value);
	for (const struct redir *r = n->redirs; r && !why; r = r->next)
		if (!(why = redir_shape(r)))
			why = word_asks_shell(&r->target);
	return why;
}

/* every $PATH entry absolute, none of dash's %func / %builtin entries */
static int path_ok(const char *v)
{
	for (;;) {
		if (*v != '/')
			return 0; /* empty or relative: the cwd */
		for (; *v && *v != ':'; v++)
			if (*v == '%')
				return 0;
		if (!*v++)
			return 1;
	}
}

static int redir_action(struct shell *sh, const struct redir *r, struct uspawn_fa *fa)
{
	memset(fa, 0, sizeof *fa);
	fa->fd = r->fd;
	if (r->op == R_DUPIN || r->op == R_DUPOUT) {
		char c = r->target.parts[0].s[0];
		fa->op = c == '-' ? USPAWN_FA_CLOSE : USPAWN_FA_DUP2;
		fa->src = c == '-' ? -1 : c - '0';
		return 0;
	}
	fa->op = USPAWN_FA_OPEN;
	fa->path = words_string(sh, &r->target);
	fa->oflag = r->op == R_IN       ? O_RDONLY
		    : r->op == R_RDWR   ? O_RDWR | O_CREAT
		    : r->op == R_APPEND ? O_WRONLY | O_CREAT | O_APPEND
					: O_WRONLY | O_CREAT | O_TRUNC; /* > and >| (no -C) */
	fa->mode = 0666;
	return fa->path ? 0 : -1;
}

/*
 * The command's assignments, in order, each seen by the next (and not by
 * the words, which dash expands first): "NAME=value" in view->over.
 */
static int assign(struct asker *k, const struct node *n)
{
	struct ush_arena *a = k->sh.xa;
	unsigned na = n->u.simple.nassigns;
	char **over = ush_alloc(a, (na + 1) * sizeof *over);

	if (!over)
		return -1;
	k->view.over = over;
	for (unsigned i = 0; i < na; i++) {
		const struct assign *as = &n->u.simple.assigns[i];
		char *v = words_string(&k->sh, &as->value);
		char *e = v ? ush_alloc(a, as->n + strlen(v) + 2) : NULL;
		if (!e)
			return -1;
		memcpy(e, as->name, as->n);
		e[as->n] = '=';
		strcpy(e + as->n + 1, v);
		over[k->view.nover++] = e;
	}
	return 0;
}

/* expand n as dash's evalcommand would: fields, redirections, assignments */
static enum ush_how expand(struct asker *k, const struct node *n, struct ush_spawn *sp)
{
	struct shell *sh = &k->sh;
	struct strvec av = {.a = sh->xa};

	if (words_expand(sh, n->u.simple.args, n->u.simple.nargs, &av) < 0)
		return USH_SH;
	if (!av.n) {
		k->why = "no command after expansion";
		return USH_URING_SH;
	}
	if (builtin_index(av.v[0]) >= 0) {
		k->why = "builtin";
		return USH_URING_SH;
	}
	sp->argv = av.v;
	unsigned nr = 0;
	for (const struct redir *r = n->redirs; r; r = r->next)
		nr++;
	sp->actions = ush_alloc(sh->xa, (nr + 1) * sizeof *sp->actions);
	if (!sp->actions)
		return USH_SH;
	for (const struct redir *r = n->redirs; r; r = r->next)
		if (redir_action(sh, r, &sp->actions[sp->nactions++]) < 0)
			return USH_SH;
	return assign(k, n) < 0 ? USH_SH : USH_DIRECT;
}

/* the program dash would exec, and the environment it would give it */
static enum ush_how prepare(struct asker *k, struct ush_spawn *sp)
{
	struct shell *sh = &k->sh;
	const char *pathvar = shvar_get(sh, "PATH", 4);

	if (!path_ok(pathvar)) {
		k->why = "relative PATH entry";
		return USH_URING_SH;
	}
	sp->envp = env_child(sh->xa, sh->environ, &k->view);
	if (!sp->envp)
		return USH_SH;
	struct lookup lk;
	lookup_command(sp->argv[0], pathvar, &lk);
	sp->pathvar = pathvar;
	sp->path_idx = lk.idx;
	sp->exec_error = ENOENT;
	sp->lookup_error = lk.error;
	memcpy(sp->path, lk.path, sizeof sp->path);
	if (lk.error) {
		sp->path[0] = 0; /* execve("") fails after the actions ran */
		k->why = "not found";
		return USH_SH;
	}
	return USH_DIRECT;
}

enum ush_how ush_decide(struct ush_arena *a, const char *text, size_t len, const char *arg0,
			char *const *envp, struct ush_spawn *sp, const char **reason)
{
	static char *const noparams[] = {NULL};
	const char *err = NULL, *why = NULL;
	unsigned errline = 0;
	struct asker k;

	memset(sp, 0, sizeof *sp);
	const struct node *n = syntax_parse(a, text, len, 1, &err, &errline, &why);
	if (err) {
		*reason = err == SYNTAX_UNSUPPORTED ? why : "syntax error";
		return USH_SH;
	}
	if ((*reason = shape(n)))
		return USH_URING_SH;
	memset(&k.sh, 0, sizeof k.sh);
	memset(&k.view, 0, sizeof k.view);
	k.why = "out of arena";
	k.sh.arg0 = arg0;
	k.sh.params = (char **)noparams;
	k.sh.environ = (char **)envp;
	k.sh.ops = &ask_ops;
	k.sh.view = &k.view;
	k.sh.xa = a;
	sp->lineno = n->lineno;
	int canonical;
	k.view.pwd = pwd_at_start(a, envp, &canonical);
	if (!canonical) {
		*reason = "PWD not canonical";
		return USH_URING_SH;
	}
	char d[24];
	d[sizeof d - 1] = 0;
	strcpy(k.view.ppid, fmt_udec(d + sizeof d - 1, (unsigned long)getpid()));
	enum ush_how how;
	if (setjmp(k.bail)) {
		/* the expansion refused (k.why) */
		*reason = k.why;
		return USH_URING_SH;
	}
	how = expand(&k, n, sp);
	if (how == USH_DIRECT)
		how = prepare(&k, sp);
	*reason = how == USH_DIRECT ? NULL : k.why;
	return how;
}
