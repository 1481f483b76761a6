/* SPDX-License-Identifier: MIT */
/*
 * Shell functions: the table of definitions (trees that live for the run),
 * calls with their own positional parameters, and `local` variables put
 * back when the function returns.
 */
#include <stdlib.h>
#include <string.h>
#include "eval/eval.h"

struct func {
	char *name;
	struct node *body;
	struct func *next;
};

/* a variable `local` saved (shvar_save), or the options (`local -`) */
struct saved {
	char *name; /* NULL: the options */
	void *var;
	unsigned opts;
	struct saved *next;
};

struct frame {
	struct saved *saved;
	struct frame *up;
};
static struct frame *frames;

static struct func **funcs(struct shell *sh)
{
	return (struct func **)&sh->funcs;
}

struct node *func_find(struct shell *sh, const char *name)
{
	for (struct func *f = *funcs(sh); f; f = f->next)
		if (!strcmp(f->name, name))
			return f->body;
	return NULL;
}

void func_define(struct shell *sh, struct node *n)
{
	struct func *f;

	for (f = *funcs(sh); f; f = f->next)
		if (strlen(f->name) == n->u.func.n && !memcmp(f->name, n->u.func.name, n->u.func.n))
			break;
	if (!f) {
		f = calloc(1, sizeof *f);
		if (!f || !(f->name = strndup(n->u.func.name, n->u.func.n)))
			eval_oom(sh);
		f->next = *funcs(sh);
		*funcs(sh) = f;
	}
	f->body = n->u.func.body;
	cmdtable_forget(f->name);
}

int func_unset(struct shell *sh, const char *name)
{
	for (struct func **p = funcs(sh); *p; p = &(*p)->next) {
		if (strcmp((*p)->name, name))
			continue;
		struct func *f = *p;
		*p = f->next;
		free(f->name);
		free(f);
		return 0;
	}
	return 0;
}

int func_local(struct shell *sh, const char *name, size_t n)
{
	if (!frames)
		return -1;
	for (struct saved *s = frames->saved; s; s = s->next)
		if (s->name ? strlen(s->name) == n && !memcmp(s->name, name, n)
			    : n == 1 && name[0] == '-')
			return 0;
	struct saved *s = calloc(1, sizeof *s);
	if (!s)
		eval_oom(sh);
	if (n == 1 && name[0] == '-') {
		s->opts = sh->opts;
	} else {
		s->name = strndup(name, n);
		s->var = shvar_save(sh, name, n);
		if (!s->name || !s->var)
			eval_oom(sh);
	}
	s->next = frames->saved;
	frames->saved = s;
	return 0;
}

static int opts_restored;

int func_opts_restored(void)
{
	int r = opts_restored;

	opts_restored = 0;
	return r;
}

static void restore_locals(struct shell *sh, struct frame *f)
{
	while (f->saved) {
		struct saved *s = f->saved;
		f->saved = s->next;
		if (!s->name) {
			sh->opts = s->opts;
			opts_restored = 1;
		} else {
			shvar_restore(sh, s->var);
		}
		free(s->name);
		free(s);
	}
}

/* what a call saved, put back when it returns (or an error caught above passes) */
struct call {
	char **params;
	unsigned n, loops;
	int optind, optoff;
};

static void func_return(struct shell *sh, struct frame *fr, const struct call *cl)
{
	ev.funcnest--;
	ev.loopnest = cl->loops;
	if (ev.skip == SKIP_FUNC)
		ev.skip = SKIP_NONE;
	frames = fr->up;
	/* before the locals: a local OPTIND put back resets the caller's place */
	sh->optind = cl->optind;
	sh->optoff = cl->optoff;
	restore_locals(sh, fr);
	for (unsigned i = 0; i < sh->nparams; i++)
		free(sh->params[i]);
	free(sh->params);
	sh->params = cl->params;
	sh->nparams = cl->n;
}

int func_call(struct shell *sh, struct node *body, char **argv)
{
	struct call cl = {sh->params, sh->nparams, ev.loopnest, sh->optind, sh->optoff};
	unsigned n = 0;
	struct frame fr = {NULL, frames};
	jmp_buf jb;
	void *up;

	while (argv[n + 1])
		n++;
	char **params = calloc(n + 1, sizeof *params);
	if (!params)
		eval_oom(sh);
	for (unsigned i = 0; i < n; i++)
		if (!(params[i] = strdup(argv[i + 1])))
			eval_oom(sh);
	sh->params = params;
	sh->nparams = n;
	/* a function's getopts starts over on its own arguments (dash's evalfun) */
	sh->optind = 0;
	sh->optoff = 0;
	frames = &fr;
	ev.loopnest = 0;
	ev.funcnest++;
	EV_UNWIND(jb, up, func_return(sh, &fr, &cl));
	eval_node(sh, body);
	EV_UNWIND_END(up);
	func_return(sh, &fr, &cl);
	return sh->status;
}
