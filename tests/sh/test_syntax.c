/* SPDX-License-Identifier: MIT */
/*
 * syntax_parse: tree shapes (printed as a compact text form), line numbers
 * and dash's exact syntax error messages. Built with -DSYNTAX_DUMP_MAIN it
 * is instead a tool printing the tree of its argument.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ast.h"
#include "sh.h"
#include "syntax.c"
#include "syntax_lex.c"
#include "syntax_word.c"

static const char *const op_names[] = {"", "#", "-", "=", "?", "+", "%", "%%", "#", "##", "^BAD"};
static const char *const redir_names[] = {"", "<", ">", ">|", ">>", "<>", "<&", ">&", "<<"};
static const char *const node_names[] = {"simple", "pipe",  "not", "and",   "or",
					 "seq",    "bg",    "sub", "group", "if",
					 "while",  "until", "for", "case",  "func"};

static void dump_node(struct out *o, const struct node *n);

/* unquoted literal as is, quoted <...>, $name, ${name op arg}, $[cmd], $((w)), ~user */
static void dump_word(struct out *o, const struct word *w)
{
	for (unsigned i = 0; i < w->nparts; i++) {
		const struct wpart *p = &w->parts[i];

		if (p->quoted && p->type != WP_LIT)
			out_str(o, "Q");
		switch (p->type) {
		case WP_LIT:
			out_str(o, p->quoted ? "<" : "");
			out_mem(o, p->s, p->n);
			out_str(o, p->quoted ? ">" : "");
			break;
		case WP_PARAM:
			out_str(o, "${");
			if (p->param->op == PE_LENGTH)
				out_str(o, "#");
			out_mem(o, p->param->name, p->param->n);
			if (p->param->op != PE_LENGTH) {
				out_str(o, p->param->colon ? ":" : "");
				out_str(o, op_names[p->param->op]);
			}
			if (p->param->arg) {
				out_str(o, "[");
				dump_word(o, p->param->arg);
				out_str(o, "]");
			}
			out_str(o, "}");
			break;
		case WP_CMDSUB:
			out_str(o, "$[");
			if (p->cmd)
				dump_node(o, p->cmd);
			out_str(o, "]");
			break;
		case WP_ARITH:
			out_str(o, "$((");
			dump_word(o, p->arith);
			out_str(o, "))");
			break;
		case WP_TILDE:
			out_str(o, p->decl ? "~D(" : "~(");
			out_mem(o, p->s, p->n);
			out_str(o, ")");
			break;
		}
	}
}

static void dump_words(struct out *o, const struct word *w, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		out_str(o, " ");
		dump_word(o, &w[i]);
	}
}

static void dump_redirs(struct out *o, const struct redir *r)
{
	for (; r; r = r->next) {
		out_str(o, " ");
		out_uint(o, (unsigned long)r->fd);
		out_str(o, redir_names[r->op]);
		dump_word(o, r->op == R_HEREDOC ? &r->body : &r->target);
	}
}

static void dump_sub(struct out *o, const struct node *n)
{
	if (n)
		dump_node(o, n);
	else
		out_str(o, "-");
}

static void dump_node(struct out *o, const struct node *n)
{
	out_str(o, "(");
	out_str(o, node_names[n->type]);
	out_str(o, "@");
	out_uint(o, n->lineno);
	switch (n->type) {
	case N_SIMPLE:
		for (unsigned i = 0; i < n->u.simple.nassigns; i++) {
			out_str(o, " ");
			out_mem(o, n->u.simple.assigns[i].name, n->u.simple.assigns[i].n);
			out_str(o, "=");
			dump_word(o, &n->u.simple.assigns[i].value);
		}
		dump_words(o, n->u.simple.args, n->u.simple.nargs);
		break;
	case N_PIPE:
		for (unsigned i = 0; i < n->u.pipe.n; i++) {
			out_str(o, " ");
			dump_node(o, n->u.pipe.cmds[i]);
		}
		break;
	case N_AND:
	case N_OR:
	case N_SEQ:
		out_str(o, " ");
		dump_node(o, n->u.bin.left);
		out_str(o, " ");
		dump_node(o, n->u.bin.right);
		break;
	case N_NOT:
	case N_BG:
	case N_SUBSHELL:
	case N_GROUP:
		out_str(o, " ");
		dump_node(o, n->u.sub.body);
		break;
	case N_IF:
	case N_WHILE:
	case N_UNTIL:
		out_str(o, " ");
		dump_sub(o, n->u.ctl.cond);
		out_str(o, " ");
		dump_sub(o, n->u.ctl.body);
		if (n->type == N_IF) {
			out_str(o, " ");
			dump_sub(o, n->u.ctl.other);
		}
		break;
	case N_FOR:
		out_str(o, " ");
		out_mem(o, n->u.loop.var, n->u.loop.n);
		if (n->u.loop.has_in) {
			out_str(o, " in");
			dump_words(o, n->u.loop.words, n->u.loop.nwords);
			out_str(o, ";");
		}
		out_str(o, " ");
		dump_sub(o, n->u.loop.body);
		break;
	case N_CASE:
		out_str(o, " ");
		dump_word(o, &n->u.cas.subject);
		for (unsigned i = 0; i < n->u.cas.n; i++) {
			const struct case_item *it = &n->u.cas.items[i];
			out_str(o, " [");
			for (unsigned j = 0; j < it->npats; j++) {
				out_str(o, j ? "|" : "");
				dump_word(o, &it->pats[j]);
			}
			out_str(o, ") ");
			dump_sub(o, it->body);
			out_str(o, "]");
		}
		break;
	case N_FUNC:
		out_str(o, " ");
		out_mem(o, n->u.func.name, n->u.func.n);
		out_str(o, " ");
		dump_node(o, n->u.func.body);
		break;
	}
	dump_redirs(o, n->redirs);
	out_str(o, ")");
}

static char arena_buf[1 << 22];
static char dump_buf[1 << 16];

/* The tree of s as text, or "ERR line: message", or "UNSUPPORTED: reason". */
static const char *parse_dump(const char *s)
{
	struct ush_arena a = {arena_buf, sizeof arena_buf, 0};
	struct out o = {dump_buf, 0, sizeof dump_buf - 1};
	const char *err, *reason;
	unsigned line;
	struct node *n = syntax_parse(&a, s, strlen(s), 1, &err, &line, &reason);

	if (err == SYNTAX_UNSUPPORTED) {
		out_str(&o, "UNSUPPORTED: ");
		out_str(&o, reason);
	} else if (err) {
		out_str(&o, "ERR ");
		out_uint(&o, line);
		out_str(&o, ": ");
		out_str(&o, err);
	} else if (n) {
		dump_node(&o, n);
	}
	dump_buf[o.n] = 0;
	return dump_buf;
}

#ifdef SYNTAX_DUMP_MAIN
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		printf("%s\n", parse_dump(argv[i]));
	return 0;
}
#else
struct tcase_src {
	const char *in, *want;
};

/* Tree shapes. */
static const struct tcase_src shapes[] = {
	{"echo a \"b c\" d'e'f", "(simple@1 echo a <b c> d<e>f)"},
	{"a=1 b c", "(simple@1 a=1 b c)"},
};

static void check_table(const struct tcase_src *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(parse_dump(t[i].in), t[i].want);
}

START_TEST(test_shapes)
{
	check_table(shapes, sizeof shapes / sizeof *shapes);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("syntax");
	TCase *tc = tcase_create("syntax");

	tcase_add_test(tc, test_shapes);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif
