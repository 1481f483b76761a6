/* SPDX-License-Identifier: MIT */
/*
 * Running syntax trees, node by node, as dash's evaltree(): lists,
 * conditions and loops here; simple commands in simple.c, pipelines
 * and subshells in child.c. set -e is checked where dash checks it: after a
 * simple command, a pipeline, a subshell or a background job, unless the
 * command is tested (a condition, the left of && ||, under !).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include "eval/eval.h"
#include "expand/pattern.h"

struct evalctl ev = {.savestatus = -1};

void eval_oom(struct shell *sh)
{
	shell_fail(sh, 2, "Out of space", NULL, NULL);
}

void eval_out(const char *s, size_t n)
{
	while (n && !ev.out_error) {
		ssize_t w = write(1, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			ev.out_error = 1;
			break;
		}
		s += w;
		n -= (size_t)w;
	}
}

void eval_errexit(struct shell *sh, int status)
{
	if (status && (sh->opts & OPT_ERREXIT) && !sh->errexit_off) {
		ev.leaving = 1;
		shell_exit(sh, status);
	}
}

/* a condition: set -e does not apply inside */
static int eval_tested(struct shell *sh, struct node *n)
{
	sh->errexit_off++;
	int st = eval_node(sh, n);
	sh->errexit_off--;
	return st;
}

/* dash's skiploop(): after a loop's condition or body */
static int skip_loop(void)
{
	int skip = ev.skip;

	if (skip == SKIP_BREAK || skip == SKIP_CONT) {
		if (--ev.skipcount == 0)
			ev.skip = SKIP_NONE;
		else
			skip = SKIP_BREAK;
	}
	return skip;
}

static int eval_loop(struct shell *sh, struct node *n)
{
	int status = 0;

	ev.loopnest++;
	for (;;) {
		int c = eval_tested(sh, n->u.ctl.cond);
		int skip = skip_loop();
		if (skip == SKIP_CONT)
			continue;
		/* dash: `while return N` gives the loop N, a bare return does not */
		if (skip == SKIP_FUNC && ev.return_arg)
			status = c;
		if (skip)
			break;
		if ((n->type == N_WHILE) != (c == 0))
			break;
		status = eval_node(sh, n->u.ctl.body);
		skip = skip_loop();
		if (skip == SKIP_CONT)
			continue;
		if (skip)
			break;
	}
	ev.loopnest--;
	return status;
}

static void free_fields(struct strvec *sv)
{
	for (unsigned i = 0; i < sv->n; i++)
		free(sv->v[i]);
	strvec_free(sv);
}

static int eval_for(struct shell *sh, struct node *n)
{
	struct strvec words = {0};
	int status = 0;

	sh->lineno = n->lineno;
	if (n->u.loop.has_in) {
		if (words_expand(sh, n->u.loop.words, n->u.loop.nwords, &words) < 0)
			eval_oom(sh);
	} else {
		for (unsigned i = 0; i < sh->nparams; i++) {
			char *s = strdup(sh->params[i]);
			if (!s || strvec_push(&words, s) < 0)
				eval_oom(sh);
		}
	}
	ev.loopnest++;
	for (unsigned i = 0; i < words.n; i++) {
		if (shvar_set(sh, n->u.loop.var, n->u.loop.n, words.v[i], 0) < 0)
			shell_exit(sh, 2);
		status = eval_node(sh, n->u.loop.body);
		if (skip_loop() & ~SKIP_CONT)
			break;
	}
	ev.loopnest--;
	free_fields(&words);
	return status;
}

static int eval_case(struct shell *sh, struct node *n)
{
	sh->lineno = n->lineno;
	char *subject = words_string(sh, &n->u.cas.subject);
	int status = 0;

	if (!subject)
		eval_oom(sh);
	size_t len = strlen(subject);
	for (unsigned i = 0; i < n->u.cas.n; i++) {
		struct case_item *it = &n->u.cas.items[i];
		for (unsigned j = 0; j < it->npats; j++) {
			char *pat = words_pattern(sh, &it->pats[j]);
			if (!pat)
				eval_oom(sh);
			int m = pattern_match(pat, subject, len);
			free(pat);
			if (!m)
				continue;
			if (it->body && !ev.skip)
				status = eval_node(sh, it->body);
			free(subject);
			return status;
		}
	}
	free(subject);
	return status;
}

static int eval_if(struct shell *sh, struct node *n)
{
	int c = eval_tested(sh, n->u.ctl.cond);

	if (ev.skip)
		return c;
	if (!c)
		return eval_node(sh, n->u.ctl.body);
	return n->u.ctl.other ? eval_node(sh, n->u.ctl.other) : 0;
}

/* a compound command's own redirections around its body */
static int eval_redirected(struct shell *sh, struct node *n,
			   int (*fn)(struct shell *, struct node *))
{
	struct redirsave sv = {0};
	int status;
	jmp_buf jb;
	void *up;

	sh->lineno = n->lineno;
	EV_UNWIND(jb, up, redirect_restore(&sv));
	if (redirect_apply(sh, n->redirs, &sv) < 0) {
		status = 2;
		redirect_restore(&sv);
		EV_UNWIND_END(up);
		eval_errexit(sh, status); /* set -e: a failed redirection ends the shell too */
		return status;
	} else
		status = fn(sh, n);
	redirect_restore(&sv);
	EV_UNWIND_END(up);
	return status;
}

static int eval_group(struct shell *sh, struct node *n)
{
	return eval_node(sh, n->u.sub.body);
}

static int eval_compound(struct shell *sh, struct node *n)
{
	switch (n->type) {
	case N_GROUP:
		return eval_group(sh, n);
	case N_IF:
		return eval_if(sh, n);
	case N_WHILE:
	case N_UNTIL:
		return eval_loop(sh, n);
	case N_FOR:
		return eval_for(sh, n);
	default:
		return eval_case(sh, n);
	}
}

static int eval_andor(struct shell *sh, struct node *n)
{
	int st = eval_tested(sh, n->u.bin.left);

	if (ev.skip || (st == 0) != (n->type == N_AND))
		return st;
	return eval_node(sh, n->u.bin.right);
}

int eval_node(struct shell *sh, struct node *n)
{
	int status = 0, check = 0;

	/* set -n: dash reads on but runs nothing more (the EXIT trap neither); $? stays */
	if (sh->opts & OPT_NOEXEC)
		return sh->status;
	if (!n)
		return sh->status = 0;
	switch (n->type) {
	case N_SIMPLE:
		status = eval_simple(sh, n);
		check = 1;
		break;
	case N_PIPE:
		status = eval_pipe(sh, n);
		check = 1;
		break;
	case N_NOT:
		status = !eval_tested(sh, n->u.sub.body);
		break;
	case N_AND:
	case N_OR:
		status = eval_andor(sh, n);
		break;
	case N_SEQ:
		eval_node(sh, n->u.bin.left);
		if (ev.skip)
			return sh->status;
		return eval_node(sh, n->u.bin.right);
	case N_BG:
		status = eval_background(sh, n);
		check = 1;
		break;
	case N_SUBSHELL:
		status = eval_subshell(sh, n);
		check = 1;
		break;
	case N_FUNC:
		func_define(sh, n);
		status = 0;
		break;
	default:
		status = n->redirs ? eval_redirected(sh, n, eval_compound) : eval_compound(sh, n);
		break;
	}
	sh->status = status;
	if (trap_pending)
		trap_run_pending(sh);
	if (check)
		eval_errexit(sh, status);
	return sh->status;
}

int eval_tree(struct shell *sh, struct node *n)
{
	return eval_node(sh, n);
}

/*
 * Mark the commands after which the shell has nothing left to do (dash's
 * EV_EXIT positions): the right of ; && ||, the branches of if and case, the
 * end of a plain { }. Such a command is exec'd in place of the shell, as the
 * issue asks and as bash and upstream dash do; loops, ! and pipelines are
 * never tails. The one visible difference from Debian's dash, which forks
 * even there: a last command killed by a signal kills the shell's process
 * itself, instead of dash's message and status 128+n. USPAWN_SH_EXEC_LAST=0
 * turns it off.
 */
void eval_mark_last(struct node *n)
{
	while (n) {
		switch (n->type) {
		case N_SIMPLE:
			n->last = 1;
			return;
		case N_SEQ:
		case N_AND:
		case N_OR:
			n = n->u.bin.right;
			break;
		case N_GROUP:
			if (n->redirs)
				return;
			n = n->u.sub.body;
			break;
		case N_IF:
			if (n->redirs)
				return;
			eval_mark_last(n->u.ctl.body);
			n = n->u.ctl.other;
			break;
		case N_CASE:
			if (n->redirs)
				return;
			for (unsigned i = 0; i + 1 < n->u.cas.n; i++)
				eval_mark_last(n->u.cas.items[i].body);
			n = n->u.cas.n ? n->u.cas.items[n->u.cas.n - 1].body : NULL;
			break;
		default:
			return;
		}
	}
}

/* whether a tree defines functions: its nodes must then live for the run */
int eval_defines_function(const struct node *n)
{
	if (!n)
		return 0;
	switch (n->type) {
	case N_FUNC:
		return 1;
	case N_SIMPLE:
		return 0;
	case N_PIPE:
		for (unsigned i = 0; i < n->u.pipe.n; i++)
			if (eval_defines_function(n->u.pipe.cmds[i]))
				return 1;
		return 0;
	case N_AND:
	case N_OR:
	case N_SEQ:
		return eval_defines_function(n->u.bin.left) ||
		       eval_defines_function(n->u.bin.right);
	case N_NOT:
	case N_BG:
	case N_SUBSHELL:
	case N_GROUP:
		return eval_defines_function(n->u.sub.body);
	case N_IF:
	case N_WHILE:
	case N_UNTIL:
		return eval_defines_function(n->u.ctl.cond) ||
		       eval_defines_function(n->u.ctl.body) ||
		       eval_defines_function(n->u.ctl.other);
	case N_FOR:
		return eval_defines_function(n->u.loop.body);
	case N_CASE:
		for (unsigned i = 0; i < n->u.cas.n; i++)
			if (eval_defines_function(n->u.cas.items[i].body))
				return 1;
		return 0;
	}
	return 0;
}

/*
 * dash's loop over a text: parse a list, run it, parse the next, so that
 * an alias defined by one list applies from the next. A syntax error is
 * reported after the lists before it ran. *keep is set when a list defined
 * a function (its tree lives in a).
 */
int eval_stream(struct shell *sh, struct ush_arena *a, const char *text, size_t len,
		unsigned lineno, int *keep)
{
	struct syn_stream *st = syntax_stream(a, text, len, lineno, &alias_ops);
	const char *err, *reason;
	unsigned errline;
	struct node *n;
	int r, ran = 0, status = 0;

	if (!st)
		eval_oom(sh);
	*keep = 0;
	while ((r = syntax_next(st, &n, &err, &errline, &reason)) > 0) {
		if (!n)
			continue;
		*keep |= eval_defines_function(n);
		ev.eof_held = syntax_stream_eof(st);
		ev.parse_line = syntax_stream_line(st);
		status = eval_node(sh, n);
		ran = 1;
		if (ev.skip)
			break;
	}
	syntax_stream_end(st);
	if (!r)
		ev.eof_held = 1; /* dash's last parse read the end */
	if (r < 0) {
		sh->lineno = errline;
		if (err == SYNTAX_UNSUPPORTED)
			shell_fail(sh, 2, "uring-sh: unsupported: ", reason ? reason : "?", NULL);
		shell_fail(sh, 2, err, NULL, NULL);
	}
	if (!ran)
		sh->status = 0;
	return ran ? status : 0;
}

/* The rest of a text, a list at a time, in an arena of its own (alias values add text). */
static void eval_rest(struct shell *sh, const char *text, size_t len, unsigned lineno)
{
	struct ush_arena a = {NULL, len * 48 + (1 << 20), 0};
	int keep;

	if (!(a.buf = malloc(a.cap)))
		eval_oom(sh);
	eval_stream(sh, &a, text, len, lineno, &keep);
	if (!keep)
		free(a.buf);
}

/*
 * The top-level lists of a text parsed at once, one after the other. dash
 * parses a list only when the one before has run, so once an alias is
 * defined (a `.` file, an eval) the rest of the text, and a syntax error
 * after the last list (rest), is parsed afresh with it. LISTS_STREAMED:
 * that happened, errors included; LISTS_SKIPPED: break, continue, return.
 */
int eval_lists(struct shell *sh, const char *text, size_t len, unsigned lineno,
	       const struct toplists *tl, int rest)
{
	for (unsigned i = 0; i < tl->n || (rest && i == tl->n); i++) {
		if (alias_any()) {
			size_t off = i ? tl->v[i - 1].end : 0;
			eval_rest(sh, text + off, len - off, i ? tl->v[i - 1].line : lineno);
			return LISTS_STREAMED;
		}
		if (i == tl->n)
			break;
		ev.eof_held = tl->v[i].eof;
		ev.parse_line = tl->v[i].line;
		eval_node(sh, tl->v[i].n);
		if (ev.skip)
			return LISTS_SKIPPED;
	}
	ev.eof_held = 1; /* dash's last parse read the end */
	return LISTS_RAN;
}

/*
 * Text parsed at run time gets an arena of its own, freed after the run
 * unless it defined functions (loops of eval must not grow memory). With
 * aliases defined or named, it is parsed a list at a time (eval_stream);
 * else at once, a list run at a time (eval_lists).
 */
static int eval_string_(struct shell *sh, const char *text, size_t len, unsigned lineno);

/* dash reads the text as a file of its own: the outer parser's line comes back after */
int eval_string(struct shell *sh, const char *text, size_t len, unsigned lineno)
{
	unsigned line = ev.parse_line;
	int status = eval_string_(sh, text, len, lineno);
	ev.parse_line = line;
	return status;
}

static int eval_string_(struct shell *sh, const char *text, size_t len, unsigned lineno)
{
	struct ush_arena a;
	const char *err = NULL, *reason = NULL;
	unsigned errline = 0;
	int aliases = alias_any() || alias_mentioned(text, len);

	/* alias values add text the length does not count */
	a.cap = len * 48 + (aliases ? 1 << 20 : 4096);
	a.used = 0;
	a.buf = malloc(a.cap);
	if (!a.buf)
		eval_oom(sh);
	if (aliases) {
		int keep;
		int status = eval_stream(sh, &a, text, len, lineno, &keep);
		if (!keep)
			free(a.buf);
		return status;
	}
	/* on a syntax error, the lists completed before it (dash parses and runs one at a time) */
	struct toplists tl;
	struct node *n = syntax_parse_lists(&a, text, len, lineno, &err, &errline, &reason, &tl);
	if (err == SYNTAX_UNSUPPORTED) {
		sh->lineno = errline;
		shell_fail(sh, 2, "uring-sh: unsupported: ", reason ? reason : "?", NULL);
	}
	sh->status = tl.n ? sh->status : 0;
	int ran = eval_lists(sh, text, len, lineno, &tl, err != NULL);
	if (ran == LISTS_RAN && err) {
		/* (the message may live in the arena: it is never freed on this way out) */
		sh->lineno = errline;
		shell_fail(sh, 2, err, NULL, NULL);
	}
	if (!n || !eval_defines_function(n))
		free(a.buf);
	return sh->status;
}

int eval_text(struct shell *sh, const char *text, size_t len)
{
	return eval_string(sh, text, len, sh->lineno);
}

/* dash's prefix: "$0: LINE: ", and the builtin running when there is one */
static void eval_msg(struct shell *sh, const char *a, const char *b, const char *c, const char *d)
{
	const char *p[] = {a, b, c, d};
	size_t cap = 64 + strlen(sh->arg0) + (ev.cmdname ? strlen(ev.cmdname) : 0);

	for (int i = 0; i < 4 && p[i]; i++)
		cap += strlen(p[i]);
	struct out o = {malloc(cap), 0, cap};
	if (!o.buf)
		return;
	out_prefix(&o, sh->arg0, sh->lineno);
	if (ev.cmdname) {
		out_str(&o, ev.cmdname);
		out_str(&o, ": ");
	}
	for (int i = 0; i < 4 && p[i]; i++)
		out_str(&o, p[i]);
	out_str(&o, "\n");
	write_all(2, o.buf, o.n);
	free(o.buf);
}

const struct shell_ops eval_ops = {
	.cmdsubst = eval_cmdsubst,
	.msg = eval_msg,
	.exit = eval_exit,
	.path_changed = cmdtable_clear,
	.optind_changed = getopts_reset,
};
