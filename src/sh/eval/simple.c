/* SPDX-License-Identifier: MIT */
/*
 * Simple commands in dash's order: expand the words, apply the
 * redirections to the shell, expand the assignments (each visible to the
 * next), trace, then run a special builtin, a function, a builtin or an
 * external command (spawned through libuspawn; in a forked child with
 * nothing after it, exec'd). Everything expanded is freed afterwards.
 */
#include <errno.h>
#include <setjmp.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "decide/decide.h"
#include "eval/eval.h"
#include "eval/jobs.h"
#include "builtins/shell.h"

static void free_fields(struct strvec *sv)
{
	for (unsigned i = 0; i < sv->n; i++)
		free(sv->v[i]);
	strvec_free(sv);
}

const char *eval_pathvar(struct shell *sh)
{
	const char *p = shvar_get(sh, "PATH", 4);
	return p ? p : "";
}

static int exec_status(int e)
{
	return e == EACCES ? 126 : (e == ENOENT || e == ENOTDIR) ? 127 : 2;
}

static void expand_args(struct shell *sh, const struct node *n, struct strvec *av)
{
	/* words_expand knows export/readonly/local (NAME=value unsplit) */
	if (n->u.simple.nargs && words_expand(sh, n->u.simple.args, n->u.simple.nargs, av) < 0)
		eval_oom(sh);
}

struct simple {
	struct node *n;
	struct strvec av;      /* the command's fields */
	struct strvec assigns; /* "NAME=value" as traced */
	void **temps;          /* shvar_save()d: temporary assignments */
	unsigned ntemps;
	struct redirsave rs;
};

/*
 * Expand and perform the assignments, each seen by the next: permanent
 * ones (temporary 0: no command, special builtins), temporary exported
 * ones (1), permanent exported ones (2: exec).
 */
static void do_assigns(struct shell *sh, struct simple *c, int temporary)
{
	unsigned na = c->n->u.simple.nassigns;

	if (temporary == 1 && na) {
		c->temps = calloc(na, sizeof *c->temps);
		if (!c->temps)
			eval_oom(sh);
	}
	for (unsigned i = 0; i < na; i++) {
		const struct assign *as = &c->n->u.simple.assigns[i];
		char *v = words_string(sh, &as->value);
		if (!v)
			eval_oom(sh);
		if (temporary == 1 && !(c->temps[c->ntemps++] = shvar_save(sh, as->name, as->n)))
			eval_oom(sh);
		if (shvar_set(sh, as->name, as->n, v, temporary ? SHVAR_EXPORT : 0) < 0)
			shell_exit(sh, 2);
		if (sh->opts & OPT_XTRACE) {
			size_t vl = strlen(v);
			char *s = malloc(as->n + vl + 2);
			if (!s)
				eval_oom(sh);
			memcpy(s, as->name, as->n);
			s[as->n] = '=';
			memcpy(s + as->n + 1, v, vl + 1);
			if (strvec_push(&c->assigns, s) < 0)
				eval_oom(sh);
		}
		free(v);
	}
}

static void simple_done(struct shell *sh, struct simple *c)
{
	while (c->ntemps)
		shvar_restore(sh, c->temps[--c->ntemps]);
	free(c->temps);
	c->temps = NULL;
	redirect_restore(&c->rs);
	free_fields(&c->av);
	free_fields(&c->assigns);
}

/*
 * The first command substitution dash's parser meets in PS4: 1 for $(...),
 * 2 for `...` (*b and *e: its text), 0 for none.
 */
static int ps4_first_subst(const char *s, const char **b, const char **e)
{
	for (const char *p = s; *p; p++) {
		if (*p == '\\' && p[1]) {
			p++;
		} else if (*p == '`') {
			const char *q = p + 1;
			while (*q && *q != '`')
				q += q[0] == '\\' && q[1] ? 2 : 1;
			*b = p + 1;
			*e = q;
			return 2;
		} else if (p[0] == '$' && p[1] == '(') {
			if (p[2] != '(')
				return 1;
			p += 2; /* $(( arithmetic: its text is read on */
		}
	}
	return 0;
}

/* PS4 with its parameters and command substitutions expanded, as dash does */
static char *ps4_expand(struct shell *sh, const char *ps4)
{
	const char *b, *e;
	int k = ev.eof_held ? ps4_first_subst(ps4, &b, &e) : 0;

	if (k)
		ev.eof_held = 0; /* the first substitution's parse reads the held EOF */
	if (k == 1) {
		/* $(: an empty list, then EOF where ")" should be */
		unsigned line = sh->lineno;
		sh->lineno = 1;
		shell_msg(sh, "Syntax error: end of file unexpected (expecting \")\")", NULL, NULL,
			  NULL);
		sh->lineno = line;
		return strdup(ps4);
	}
	if (k == 2) {
		/* `...`: read as an empty command, it expands to nothing */
		size_t n = strlen(ps4);
		char *t = malloc(n + 1);
		if (!t)
			eval_oom(sh);
		memcpy(t, ps4, (size_t)(b - ps4));
		memcpy(t + (b - ps4), e, n - (size_t)(e - ps4) + 1);
		char *r = ps4_expand(sh, t);
		free(t);
		return r;
	}

	static const char end[] = "\n_USH_PS4_\n";
	size_t n = strlen(ps4);
	char *text = malloc(n + 32);
	struct ush_arena a = {malloc(n * 48 + 4096), n * 48 + 4096, 0};
	const char *err = NULL, *reason = NULL;
	unsigned line = 0;
	char *res = NULL;

	if (!text || !a.buf)
		eval_oom(sh);
	static const char start[] = ":<<_USH_PS4_\n";
	memcpy(text, start, sizeof start - 1);
	memcpy(text + sizeof start - 1, ps4, n);
	memcpy(text + sizeof start - 1 + n, end, sizeof end);
	struct node *t = syntax_parse(&a, text, strlen(text), sh->lineno, &err, &line, &reason);
	if (!err && t && t->type == N_SIMPLE && t->redirs && t->redirs->op == R_HEREDOC) {
		/* no tracing of the command substitutions PS4 itself runs */
		int saved = ev.back_status;
		unsigned opts = sh->opts;
		jmp_buf j;
		sh->opts &= ~(unsigned)OPT_XTRACE;
		/* dash: an error expanding PS4 is reported, and PS4 is printed as it is */
		if (!setjmp(j)) {
			ev.exit_catch = &j;
			res = words_string(sh, &t->redirs->body);
		}
		ev.exit_catch = NULL;
		sh->opts = opts;
		ev.back_status = saved;
		size_t rl = res ? strlen(res) : 0;
		if (rl && res[rl - 1] == '\n')
			res[rl - 1] = 0;
	}
	free(a.buf);
	free(text);
	return res ? res : strdup(ps4);
}

void eval_xtrace(struct shell *sh, int fd, char **assigns, unsigned nassigns, char **argv)
{
	struct out o = {0};
	const char *ps4 = shvar_get(sh, "PS4", 3);
	char *expanded = NULL;

	if (ps4 && strpbrk(ps4, "$`\\"))
		ps4 = expanded = ps4_expand(sh, ps4);
	size_t cap = 64 + (ps4 ? strlen(ps4) : 2);

	for (unsigned i = 0; i < nassigns; i++)
		cap += strlen(assigns[i]) + 1;
	for (char **a = argv; a && *a; a++)
		cap += strlen(*a) + 1;
	o.buf = malloc(cap);
	o.cap = cap;
	if (!o.buf)
		eval_oom(sh);
	out_str(&o, ps4 ? ps4 : "");
	int first = 1;
	for (unsigned i = 0; i < nassigns; i++, first = 0) {
		if (!first)
			out_str(&o, " ");
		out_str(&o, assigns[i]);
	}
	for (char **a = argv; a && *a; a++, first = 0) {
		if (!first)
			out_str(&o, " ");
		out_str(&o, *a);
	}
	out_str(&o, "\n");
	write_all(fd, o.buf, o.n);
	free(o.buf);
	free(expanded);
}

/*
 * dash's preverrout: the trace goes to the stderr the command's own
 * redirections found (their saved copy of fd 2), or to fd 2 when it was
 * closed before them. fd2: that copy, made by the caller when the
 * redirections are kept (exec), else -1.
 */
static void trace(struct shell *sh, struct simple *c, int fd2)
{
	if (!(sh->opts & OPT_XTRACE))
		return;
	int fd = fd2 >= 0 ? fd2 : 2;
	for (unsigned i = 0; i < c->rs.n; i++)
		if (c->rs.v[i].fd == 2 && c->rs.v[i].copy >= 0)
			fd = c->rs.v[i].copy;
	eval_xtrace(sh, fd, c->assigns.v, c->assigns.n, c->av.v);
}

static int assign_only(struct shell *sh, struct simple *c)
{
	if (redirect_apply(sh, c->n->redirs, &c->rs) < 0) {
		simple_done(sh, c);
		return 2;
	}
	do_assigns(sh, c, 0);
	trace(sh, c, -1);
	simple_done(sh, c);
	jobs_reap_bg();
	return ev.back_status;
}

/* dash's shellexec(): try the entry found and every later one of $PATH */
__attribute__((noreturn)) static void exec_found(struct shell *sh, struct lookup *lk, char **argv,
						 char **envp, const char *pathvar)
{
	int e = ENOENT;

	if (lk->error) {
		e = lk->error;
	} else {
		for (int idx = lk->idx;; idx++) {
			if (idx >= 0 &&
			    path_entry(pathvar, idx, argv[0], lk->path, sizeof lk->path) < 0)
				break;
			execve(standin_path(lk->path, argv), argv, envp);
			if (errno == ENOEXEC) {
				unsigned n = 0;
				while (argv[n])
					n++;
				char **sa = calloc(n + 2, sizeof *sa);
				if (sa) {
					sa[0] = "/bin/sh";
					sa[1] = lk->path;
					memcpy(sa + 2, argv + 1, n * sizeof *sa);
					execve(standin_path("/bin/sh", sa), sa, envp);
				}
			}
			if (idx < 0) {
				e = errno;
				break;
			}
			if (errno != ENOENT && errno != ENOTDIR)
				e = errno;
		}
	}
	shell_msg(sh, argv[0], ": ", ush_errmsg(e, USH_E_EXEC), NULL);
	ev.leaving = 1;
	shell_exit(sh, exec_status(e));
}

/* the exec builtin: dash searches afresh, without its command table */
void exec_external(struct shell *sh, char **argv, char **envp, const char *pathvar)
{
	struct lookup lk;

	lookup_command(argv[0], pathvar, &lk);
	exec_found(sh, &lk, argv, envp, pathvar);
}

/* spawn and wait, trying later $PATH entries after an exec failure as dash does */
static int spawn_wait(struct shell *sh, struct lookup *lk, char **argv, char **envp,
		      const char *pathvar)
{
	struct uspawn_cmd cmd;
	struct uspawn_event e;
	int err = ENOENT;

	for (int idx = lk->idx;; idx++) {
		if (idx >= 0 && path_entry(pathvar, idx, argv[0], lk->path, sizeof lk->path) < 0)
			break;
		uspawn_cmd_init(&cmd);
		cmd.path = standin_path(lk->path, argv);
		cmd.argv = argv;
		cmd.envp = envp;
		if (uspawn_run(jobs_spawner(sh), &cmd, &e) < 0 || e.stage == USPAWN_STAGE_SPAWN ||
		    e.stage == USPAWN_STAGE_SETUP) {
			shell_msg(sh, "Cannot fork", NULL, NULL, NULL);
			return 2;
		}
		if (!e.error)
			return status_of(e.status);
		if (idx < 0) {
			err = e.error;
			break;
		}
		if (e.error != ENOENT && e.error != ENOTDIR)
			err = e.error;
	}
	shell_msg(sh, argv[0], ": ", ush_errmsg(err, USH_E_EXEC), NULL);
	return exec_status(err);
}

static int run_external(struct shell *sh, struct simple *c)
{
	const char *pathvar = eval_pathvar(sh);
	char **envp = shvar_environ(sh);
	struct lookup lk;

	int exec_now = (c->n == ev.exec_node || c->n->last) && !trap_any(sh);

	/* dash looks it up before it forks: the shell's table remembers it
	 * (not worth an entry when the shell is replaced by it) */
	if (cmdtable_lookup(sh, c->av.v[0], pathvar, CMD_TABLE | (exec_now ? 0 : CMD_RECORD), &lk) <
	    0) {
		shell_msg(sh, c->av.v[0], ": ", ush_errmsg(lk.error, USH_E_EXEC), NULL);
		return 127;
	}
	if (exec_now)
		exec_found(sh, &lk, c->av.v, envp, pathvar);
	return spawn_wait(sh, &lk, c->av.v, envp, pathvar);
}

int builtin_run(struct shell *sh, const struct builtin *b, int special, char **argv)
{
	int argc = 0;
	const char *saved = ev.cmdname;
	int saved_special = ev.special;

	while (argv[argc])
		argc++;
	ev.cmdname = argv[0];
	ev.special = special;
	ev.out_error = 0;
	int status = b->fn(sh, argc, argv);
	if (ev.out_error) {
		shell_msg(sh, argv[0], ": I/O error", NULL, NULL);
		ev.out_error = 0;
		status = 1;
	}
	ev.cmdname = saved;
	ev.special = saved_special;
	return status;
}

/* what a command name means: dash's order (special builtin, function, builtin, PATH) */
struct resolved {
	const struct builtin *b;
	struct node *func;
	int special;
};

static void resolve(struct shell *sh, const char *name, int nofunc, struct resolved *r)
{
	r->b = builtin_find(name);
	r->func = NULL;
	r->special = r->b && (r->b->flags & BI_SPECIAL);
	if (r->special)
		return;
	if (!nofunc)
		r->func = func_find(sh, name);
	if (r->func)
		r->b = NULL;
}

int eval_simple(struct shell *sh, struct node *n)
{
	struct simple c = {.n = n};
	struct resolved r;
	jmp_buf jb;
	void *up;

	sh->lineno = n->lineno;
	ev.back_status = 0;
	/* an error caught by a `command` above: the redirections and assignments go back */
	EV_UNWIND(jb, up, simple_done(sh, &c));
	expand_args(sh, n, &c.av);
	if (!c.av.n) {
		int st = assign_only(sh, &c);
		EV_UNWIND_END(up);
		return st;
	}
	resolve(sh, c.av.v[0], 0, &r);
	/* exec with redirections only keeps them; everything else undoes them */
	int keep = r.b && r.special && !strcmp(c.av.v[0], "exec") && c.av.n == 1;
	int fd2 = keep && (sh->opts & OPT_XTRACE) && n->redirs ? fcntl(2, F_DUPFD_CLOEXEC, 10) : -1;
	if (redirect_apply(sh, n->redirs, keep ? NULL : &c.rs) < 0) {
		if (fd2 >= 0)
			close(fd2);
		if (r.special)
			shell_exit(sh, 2);
		simple_done(sh, &c);
		EV_UNWIND_END(up);
		return 2;
	}
	/* exec's assignments stay, and reach the command it runs */
	if (r.special && c.av.n > 1 && !strcmp(c.av.v[0], "exec"))
		do_assigns(sh, &c, 2);
	else
		do_assigns(sh, &c, !r.special);
	trace(sh, &c, fd2);
	if (fd2 >= 0)
		close(fd2);
	int status;
	if (r.b)
		status = builtin_run(sh, r.b, r.special, c.av.v);
	else if (r.func)
		status = func_call(sh, r.func, c.av.v);
	else
		status = run_external(sh, &c);
	/* dash's waitforjob(NULL) after a builtin or function */
	if (r.b || r.func)
		jobs_reap_bg();
	simple_done(sh, &c);
	/* dash puts the options back after the command's redirections are undone */
	if (r.func && func_opts_restored())
		opts_changed(sh);
	EV_UNWIND_END(up);
	return status;
}

/* a command run by `command NAME ARGS` (functions skipped, builtins not special) */
int eval_command_argv(struct shell *sh, char **argv, const char *pathvar)
{
	struct resolved r;

	resolve(sh, argv[0], 1, &r);
	if (r.b) {
		/*
		 * dash's spclbltin 0: an error inside the builtin (command eval,
		 * command .) ends it only, with the error's status, not the shell
		 */
		struct evalctl saved = ev;
		jmp_buf j;
		if (setjmp(j)) {
			int st = ev.caught;
			ev = saved;
			return st;
		}
		ev.error_catch = &j;
		int status = builtin_run(sh, r.b, 0, argv);
		ev.error_catch = saved.error_catch;
		return status;
	}
	struct lookup lk;
	/* command -p searches its own path: no table then */
	unsigned how = pathvar == eval_pathvar(sh) ? CMD_TABLE | CMD_RECORD : 0;
	if (cmdtable_lookup(sh, argv[0], pathvar, how, &lk) < 0) {
		shell_msg(sh, argv[0], ": ", ush_errmsg(lk.error, USH_E_EXEC), NULL);
		return 127;
	}
	return spawn_wait(sh, &lk, argv, shvar_environ(sh), pathvar);
}

/*
 * A spawned child cannot walk $PATH after a failed exec as dash's forked
 * child would: start it at the first executable entry from lk->idx on.
 */
static void first_executable(struct lookup *lk, const char *pathvar, const char *name)
{
	char path[sizeof lk->path];

	for (int idx = lk->idx; idx >= 0; idx++) {
		if (path_entry(pathvar, idx, name, path, sizeof path) < 0)
			break;
		if (!faccessat(AT_FDCWD, path, X_OK, AT_EACCESS)) {
			memcpy(lk->path, path, sizeof path);
			break;
		}
	}
}

/*
 * Expand n's words; 1 when the command is an external program found in
 * $PATH (lk filled, *pathvar the $PATH used), 0 when it is empty, a
 * builtin, a function or not found: the caller forks the shell instead.
 */
static int external_lookup(struct shell *sh, struct node *n, struct simple *c, struct lookup *lk,
			   const char **pathvar)
{
	struct resolved r;

	sh->lineno = n->lineno;
	expand_args(sh, n, &c->av);
	if (!c->av.n)
		return 0;
	resolve(sh, c->av.v[0], 0, &r);
	if (r.b || r.func)
		return 0;
	/*
	 * PATH=... would change (and clear the table of) this shell, not a
	 * child; a read-only variable's assignment fails in dash's child
	 */
	for (unsigned i = 0; i < n->u.simple.nassigns; i++) {
		const struct assign *as = &n->u.simple.assigns[i];
		if ((as->n == 4 && !memcmp(as->name, "PATH", 4)) ||
		    (shvar_flags(sh, as->name, as->n) & SHVAR_READONLY))
			return 0;
	}
	*pathvar = eval_pathvar(sh);
	/* dash's child looks it up: its table is used, never added to */
	return cmdtable_lookup(sh, c->av.v[0], *pathvar, CMD_TABLE, lk) >= 0;
}

/*
 * A USPAWN_NO_REAP job's EXIT event: the process exists (pid), or why it
 * could not start or exec (error). It comes as the job starts.
 */
static int spawn_verdict(struct uspawn *u, struct member *m)
{
	struct uspawn_event e;

	for (;;) {
		int got = uspawn_wait(u, &e, 1, -1);
		if (got == -EINTR)
			continue;
		if (got <= 0)
			return -1;
		if (e.type == USPAWN_EV_EXIT && e.user_data == (uintptr_t)m)
			break;
	}
	m->pid = e.pid;
	m->error = e.error;
	return 0;
}

/*
 * A pipeline member that is plainly an external command: spawn it with in
 * and out as its fd 0 and 1. 0: the caller forks the shell instead.
 */
int simple_spawn(struct shell *sh, struct node *n, int in, int out, struct member *m)
{
	struct simple c = {.n = n};
	struct lookup lk;
	const char *pathvar;

	if (n->type != N_SIMPLE || !simple_pure(n, sh->opts))
		return 0;
	/* dash traces the member in its child: the shell's held EOF stays (ps4_expand) */
	int held = ev.eof_held;
	if (!external_lookup(sh, n, &c, &lk, &pathvar))
		goto fork;
	/* the pipe ends, then the member's own redirections, on the shell's fds */
	struct redirsave pipes = {0};
	if (redirect_dup(&pipes, in, 0) < 0 || redirect_dup(&pipes, out, 1) < 0 ||
	    redirect_apply(sh, n->redirs, &c.rs) < 0) {
		m->status = 2;
		redirect_restore(&c.rs);
		redirect_restore(&pipes);
		simple_done(sh, &c);
		ev.eof_held = held;
		return 1;
	}
	do_assigns(sh, &c, 1);
	first_executable(&lk, pathvar, c.av.v[0]);
	struct uspawn_cmd cmd;
	uspawn_cmd_init(&cmd);
	cmd.path = standin_path(lk.path, c.av.v);
	cmd.argv = c.av.v;
	cmd.envp = shvar_environ(sh);
	cmd.user_data = (uintptr_t)m;
	/* reaped with waitpid (members_wait): a pipeline needs no ring */
	cmd.flags = USPAWN_NO_REAP;
	m->name = strdup(c.av.v[0]);
	m->spawned = 1;
	if (uspawn_submit(jobs_spawner(sh), &cmd, 1) != 1 || spawn_verdict(sh->u, m) < 0) {
		m->spawned = 0;
		m->status = 2;
		shell_msg(sh, "Cannot fork", NULL, NULL, NULL);
	}
	simple_done(sh, &c);
	redirect_restore(&pipes);
	ev.eof_held = held;
	return 1;
fork:
	simple_done(sh, &c);
	ev.eof_held = held;
	return 0;
}

int simple_job_status(struct shell *sh, struct member *m)
{
	/* an exec failure still leaves the child to reap: it exits 127 */
	int st = m->pid > 0 ? wait_child(sh, m->pid) : 127;

	if (m->error) {
		shell_msg(sh, m->name ? m->name : "?", ": ", ush_errmsg(m->error, USH_E_EXEC),
			  NULL);
		st = exec_status(m->error);
	}
	free(m->name);
	m->name = NULL;
	return st;
}
