/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the parser syntax_parse (once with a roomy arena, once
 * with a small one so running out is exercised too), and ush_decide(): the
 * parser, the expander in decide/'s shell and the spawn plan, with dash's
 * words for a failed start; and the incremental reader's rule (a list
 * cut at the end of what was read is parsed again with more) against one
 * parse of the whole text.
 */
#include <stdint.h>
#include <string.h>
#include "sh.h"
#include "syntax/ast.h"

static char buf[1 << 20];
static char *env[] = {"PATH=/usr/bin:/bin", "X=a  b", "E=", "HOME=/root", NULL};

static char sbuf[1 << 22];

/* Every node reached once: the tree must be well formed (ASan checks). */
static unsigned walk(const struct node *n);

static unsigned walk_word(const struct word *w)
{
	unsigned k = 0;

	for (unsigned i = 0; i < w->nparts; i++) {
		const struct wpart *p = &w->parts[i];
		if (p->type == WP_LIT || p->type == WP_TILDE)
			k += p->n ? (unsigned char)p->s[p->n - 1] : 0;
		else if (p->type == WP_PARAM && p->param->arg)
			k += walk_word(p->param->arg);
		else if (p->type == WP_CMDSUB)
			k += walk(p->cmd);
		else if (p->type == WP_ARITH)
			k += walk_word(p->arith);
	}
	return k;
}

static unsigned walk(const struct node *n)
{
	unsigned k = 0;

	if (!n)
		return 0;
	for (const struct redir *r = n->redirs; r; r = r->next)
		k += walk_word(r->op == R_HEREDOC ? &r->body : &r->target);
	switch (n->type) {
	case N_SIMPLE:
		for (unsigned i = 0; i < n->u.simple.nassigns; i++)
			k += walk_word(&n->u.simple.assigns[i].value);
		for (unsigned i = 0; i < n->u.simple.nargs; i++)
			k += walk_word(&n->u.simple.args[i]);
		return k;
	case N_PIPE:
		for (unsigned i = 0; i < n->u.pipe.n; i++)
			k += walk(n->u.pipe.cmds[i]);
		return k;
	case N_AND:
	case N_OR:
	case N_SEQ:
		return k + walk(n->u.bin.left) + walk(n->u.bin.right);
	case N_IF:
	case N_WHILE:
	case N_UNTIL:
		return k + walk(n->u.ctl.cond) + walk(n->u.ctl.body) + walk(n->u.ctl.other);
	case N_FOR:
		for (unsigned i = 0; i < n->u.loop.nwords; i++)
			k += walk_word(&n->u.loop.words[i]);
		return k + walk(n->u.loop.body);
	case N_CASE:
		k += walk_word(&n->u.cas.subject);
		for (unsigned i = 0; i < n->u.cas.n; i++) {
			for (unsigned j = 0; j < n->u.cas.items[i].npats; j++)
				k += walk_word(&n->u.cas.items[i].pats[j]);
			k += walk(n->u.cas.items[i].body);
		}
		return k;
	case N_FUNC:
		return k + walk(n->u.func.body);
	default:
		return k + walk(n->u.sub.body);
	}
}

static void fuzz_syntax(const uint8_t *data, size_t size, size_t cap)
{
	struct ush_arena a = {sbuf, cap, 0};
	const char *err, *reason;
	unsigned line;
	struct node *n = syntax_parse(&a, (const char *)data, size, 1, &err, &line, &reason);

	if (err && !strlen(err))
		__builtin_trap();
	if (!err && walk(n) == 12345678)
		__builtin_trap();
}

static void fuzz_decide(const uint8_t *data, size_t size, size_t cap)
{
	struct ush_arena a = {buf, cap, 0};
	struct ush_spawn *sp = ush_alloc(&a, sizeof *sp);
	const char *why;
	char msg[512];

	if (ush_decide(&a, (const char *)data, size, "sh", env, sp, &why) == USH_DIRECT) {
		ush_spawn_error(sp, "sh", 2, USPAWN_STAGE_EXEC, 0, msg, sizeof msg);
		if (sp->nactions)
			ush_spawn_error(sp, "sh", 2, USPAWN_STAGE_ACTION, sp->nactions - 1, msg,
					sizeof msg);
	}
}

/*
 * The incremental reader's rule (src/sh/eval/input.c): parse a list from
 * the text read so far; when syntax_stream_tell says it was cut at the
 * end, read more and parse it again. Fed in chunks of 1-64 bytes, the
 * lists (where each ends, its line) and the error must be those of one
 * parse of the whole text.
 */
struct listend {
	size_t end;
	unsigned line;
	int r;
	const char *err;
	unsigned errline;
};

static unsigned lists_of(const char *text, size_t size, size_t chunk, struct listend *v,
			 unsigned max)
{
	static char abuf[1 << 20];
	struct ush_arena a = {abuf, sizeof abuf, 0};
	size_t start = 0, have = chunk < size ? chunk : size;
	unsigned n = 0, line = 1;

	while (n < max) {
		struct syn_stream *st = syntax_stream(&a, text + start, have - start, line, NULL);
		for (;;) {
			struct node *tree;
			const char *err, *reason, *rest;
			unsigned errline, l;
			int cut, inalias;
			int r = syntax_next(st, &tree, &err, &errline, &reason);
			size_t left = syntax_stream_tell(st, &l, &cut, &inalias, &rest);
			if (cut && have < size) {
				have = have + chunk < size ? have + chunk : size;
				break; /* parse the list again, with more text */
			}
			if (r < 0 && err == SYNTAX_UNSUPPORTED)
				return n;
			v[n++] = (struct listend){have - left, l, r, r < 0 ? err : NULL, errline};
			if (r <= 0 || n == max)
				return n;
			start = have - left;
			line = l;
			a.used = 0;
			st = syntax_stream(&a, text + start, have - start, line, NULL);
		}
		a.used = 0;
	}
	return n;
}

static void fuzz_incremental(const uint8_t *data, size_t size)
{
	static struct listend whole[256], parts[256];

	if (!size)
		return;
	size_t chunk = 1 + data[0] % 64;
	unsigned nw = lists_of((const char *)data + 1, size - 1, size, whole, 256);
	unsigned np = lists_of((const char *)data + 1, size - 1, chunk, parts, 256);
	if (nw != np)
		__builtin_trap();
	for (unsigned i = 0; i < nw; i++)
		if (whole[i].end != parts[i].end || whole[i].line != parts[i].line ||
		    whole[i].r != parts[i].r || whole[i].errline != parts[i].errline ||
		    (whole[i].err && strcmp(whole[i].err, parts[i].err)))
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_incremental(data, size);
	fuzz_syntax(data, size, sizeof sbuf);
	fuzz_syntax(data, size, 2048);
	fuzz_decide(data, size, sizeof buf);
	fuzz_decide(data, size, 8192);
	return 0;
}
