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
#include "syntax/ast.h"
#include "sh.h"
#include "syntax/parser.c"
#include "syntax/lexer.c"
#include "syntax/word.c"

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

/* Tree shapes (checked against dash's behaviour by hand). */
static const struct tcase_src shapes[] = {
	{"echo a \"b c\" d'e'f", "(simple@1 echo a <b c> d<e>f)"},
	{"a=1 b c", "(simple@1 a=1 b c)"},
	{"echo \"\" '' a\"\" \"\"b", "(simple@1 echo <> <> a<> <>b)"},
	{"echo \\a\\\\ \"\\a\\$\\\"\\`\\\\\" '\\n'", "(simple@1 echo <a\\> <\\a$\"`\\> <\\n>)"},
	{"echo $x ${y} $1 $10 ${10} $@ $* $# $? $- $$ $! $0 $ a$",
	 "(simple@1 echo ${x} ${y} ${1} ${1}0 ${10} ${@} ${*} ${#} ${?} ${-} ${$} ${!} ${0} $ a$)"},
	{"echo ${x:-a b} ${x-} ${x:=$y} ${x?} ${x:?m} ${x+\"q\"} ${#x} ${#} ${##} ${#-a}",
	 "(simple@1 echo ${x:-[a b]} ${x-} ${x:=[${y}]} ${x?} ${x:?[m]} ${x+[<q>]} ${#x} ${#} "
	 "${##} ${#-[a]})"},
	{"echo ${x%a*} ${x%%'*'} ${x#\\*} ${x##\"$y\"}",
	 "(simple@1 echo ${x%[a*]} ${x%%[<*>]} ${x#[<*>]} ${x##[Q${y}]})"},
	{"echo \"${x:-'a' \"b\"}\" \"${x%'a'*}\"", "(simple@1 echo Q${x:-[<'a' b>]} Q${x%[<a>*]})"},
	{"echo ${x^} ${} ${ x} ${x:%a}",
	 "(simple@1 echo ${x^BAD} ${^BAD} ${^BAD[x]} ${x:^BAD[a]})"},
	{"echo ~ ~/a ~u/b ~\"\" a~ ~u:x", "(simple@1 echo ~() ~()/a ~(u)/b ~<> a~ ~(u:x))"},
	{"x=~/a:~b:c~ y=a=~ export z=~/q:~ w",
	 "(simple@1 x=~()/a:~(b):c~ y=a=~ export z=~D()/q:~D() w)"},
	{"echo $(a; b) \"$(c)\" $( ) `d` \"`e \\\"f\\\"`\"",
	 "(simple@1 echo $[(seq@1 (simple@1 a) (simple@1 b))] Q$[(simple@1 c)] $[] $[(simple@1 d)] "
	 "Q$[(simple@1 e <f>)])"},
	{"echo $((1 + $x * (2))) \"$((y))\" $(( (1) ))",
	 "(simple@1 echo $((<1 + >Q${x}< * (2)>)) Q$((<y>)) $((< (1) >)))"},
	{"echo $( (a) )", "(simple@1 echo $[(sub@1 (simple@1 a))])"},
	{"a | b | c && ! d || e & f; g",
	 "(seq@1 (seq@1 (bg@1 (or@1 (and@1 (pipe@1 (simple@1 a) (simple@1 b) (simple@1 c)) (not@1 "
	 "(simple@1 d))) (simple@1 e))) (simple@1 f)) (simple@1 g))"},
	{"{ a; b; } > x 2>&1; (c) <y",
	 "(seq@1 (group@1 (seq@1 (simple@1 a) (simple@1 b)) 1>x 2>&1) (sub@1 (simple@1 c) 0<y))"},
	{"if a; then b; elif c; then d; else e; fi",
	 "(if@1 (simple@1 a) (simple@1 b) (if@1 (simple@1 c) (simple@1 d) (simple@1 e)))"},
	{"while a; do b; done; until c; do d; done",
	 "(seq@1 (while@1 (simple@1 a) (simple@1 b)) (until@1 (simple@1 c) (simple@1 d)))"},
	{"for i; do a; done; for i in; do b; done; for i in 1 \"2 3\"; do c; done",
	 "(seq@1 (seq@1 (for@1 i (simple@1 a)) (for@1 i in; (simple@1 b))) (for@1 i in 1 <2 3>; "
	 "(simple@1 c)))"},
	{"case $x in a|b) c;; (d) ;; *) e; esac",
	 "(case@1 ${x} [a|b) (simple@1 c)] [d) -] [*) (simple@1 e)])"},
	{"f() { a; }; g() (b) >x; h() if a; then b; fi",
	 "(seq@1 (seq@1 (func@1 f (group@1 (simple@1 a))) (func@1 g (sub@1 (simple@1 b) 1>x))) "
	 "(func@1 h (if@1 (simple@1 a) (simple@1 b) -)))"},
	{"cat <<E <<-'F'\na $x \\$y\nE\n\tb $x\n\tF",
	 "(simple@1 cat 0<<<a >Q${x}< $y\n> 0<<<b $x\n>)"},
	{"cat <<\"E\"\na\nE", "(simple@1 cat 0<<<a\n>)"},
	{"a\n\nb \\\nc\n\"d\ne\"", "(seq@1 (seq@1 (simple@1 a) (simple@3 b c)) (simple@6 <d\ne>))"},
	{"echo 2>x 3<y 12>z 0<>w >|v >>u <&- >&2",
	 "(simple@1 echo 12 2>x 3<y 1>z 0<>w 1>|v 1>>u 0<&- 1>&2)"},
	{"echo a#b #c\nd", "(seq@1 (simple@1 echo a#b) (simple@2 d))"},
};

/* Syntax errors: the text and line /bin/dash -n prints. */
static const struct tcase_src errors[] = {
	{"(a) b", "ERR 1: Syntax error: word unexpected"},
	{"echo )", "ERR 1: Syntax error: \")\" unexpected"},
	{"$(fi)", "ERR 1: Syntax error: \"fi\" unexpected (expecting \")\")"},
	{"if true; then fi", "ERR 1: Syntax error: \"fi\" unexpected"},
	{"echo ${x:}", "ERR 1: Syntax error: Missing '}'"},
	{"echo ${x", "ERR 1: Syntax error: Missing '}'"},
	{"echo \"abc", "ERR 1: Syntax error: Unterminated quoted string"},
	{"echo `echo a", "ERR 1: Syntax error: EOF in backquote substitution"},
	{"! ! true", "ERR 1: Syntax error: \"!\" unexpected"},
	{"for 1 in a; do :; done", "ERR 1: Syntax error: Bad for loop variable"},
	{"1a() { :; }", "ERR 1: Syntax error: Bad function name"},
	{"if true\nthen :\n", "ERR 3: Syntax error: end of file unexpected (expecting \"fi\")"},
	{"echo \"a\nb", "ERR 2: Syntax error: Unterminated quoted string"},
	{"echo ${x\n", "ERR 1: Syntax error: Missing '}'"},
	{"echo a |\n", "ERR 2: Syntax error: end of file unexpected"},
	{"for i in a b\n", "ERR 2: Syntax error: end of file unexpected (expecting \"do\")"},
	{"case x in\na) ;;\nb)", "ERR 3: Syntax error: end of file unexpected (expecting \";;\")"},
	{"echo $(\nif)", "ERR 2: Syntax error: \")\" unexpected"},
	{"echo `\nif`", "ERR 2: Syntax error: end of file unexpected (expecting \"then\")"},
	{"a\n`\ncase 2>&1`", "ERR 2: Syntax error: redirection unexpected (expecting word)"},
	{"case x in a b) ;; esac", "ERR 1: Syntax error: word unexpected (expecting \")\")"},
	{"case x in a) b) ;; esac", "ERR 1: Syntax error: \")\" unexpected (expecting \";;\")"},
	{"for i in a; nf; done", "ERR 1: Syntax error: word unexpected (expecting \"do\")"},
	{"for i ; in a; do :; done", "ERR 1: Syntax error: \"in\" unexpected (expecting \"do\")"},
	{"{ :; } }", "ERR 1: Syntax error: \"}\" unexpected"},
	{"x=() ;", "ERR 1: Syntax error: \"(\" unexpected"},
	{"a()", "ERR 1: Syntax error: end of file unexpected"},
	{"case x in ;; esac", "ERR 1: Syntax error: word unexpected (expecting \")\")"},
	{"case x in ) ;; esac", "ERR 1: Syntax error: \";;\" unexpected (expecting \")\")"},
	{"case x y", "ERR 1: Syntax error: word unexpected (expecting \"in\")"},
	{"case ; in", "ERR 1: Syntax error: \";\" unexpected (expecting word)"},
	{"echo >\n", "ERR 2: Syntax error: newline unexpected"},
	{"case >x in", "ERR 1: Syntax error: redirection unexpected (expecting word)"},
	{"echo \"${x-a", "ERR 1: Syntax error: Unterminated quoted string"},
	{"echo $((1+2) )", "ERR 1: Syntax error: Missing '))'"},
	{"echo $((echo a) )", "ERR 1: Syntax error: Missing '))'"},
	{"if a; then b; else c; elif d; fi",
	 "ERR 1: Syntax error: \"elif\" unexpected (expecting \"fi\")"},
	{"while :; done", "ERR 1: Syntax error: \"done\" unexpected (expecting \"do\")"},
	{"until\n", "ERR 2: Syntax error: end of file unexpected (expecting \"do\")"},
	{"f(x)", "ERR 1: Syntax error: word unexpected (expecting \")\")"},
	{"\"f\"() { :; }", "ERR 1: Syntax error: Bad function name"},
	{"a ;;", "ERR 1: Syntax error: \";;\" unexpected"},
	{"cat <<E;case\nesac ${", "ERR 2: Syntax error: newline unexpected (expecting word)"},
	{"cat <<E\n${x-\"a", "ERR 2: Syntax error: Missing '}'"},
	{"cat <<E$(a)\nE", "ERR 1: Syntax error: \"(\" unexpected"},
	{"echo `", "ERR 1: Syntax error: EOF in backquote substitution"},
};

/* A here-document whose newline is past the end of its $(...) is empty. */
static const struct tcase_src odd[] = {
	{"echo $(cat <<E)\nE", "(seq@1 (simple@1 echo $[(simple@1 cat 0<<<>)]) (simple@2 E))"},
};

/* Line numbers of commands: dash's, seen in its "sh: N: x: not found". */
static const struct tcase_src lines[] = {
	{"nf1 \\\na; nf2 \"\n\" x\nnf3",
	 "(seq@1 (seq@1 (simple@1 nf1 a) (simple@2 nf2 <\n> x)) (simple@4 nf3))"},
	{"nf1 <<E; nf2\na\nE\nnf3",
	 "(seq@1 (seq@1 (simple@1 nf1 0<<<a\n>) (simple@1 nf2)) (simple@4 nf3))"},
	{"\nx=1 \\\nnf1", "(simple@2 x=1 nf1)"},
	{"a=$(nf1\nnf2) nf3", "(simple@2 a=$[(seq@1 (simple@1 nf1) (simple@2 nf2))] nf3)"},
	{"\n{\n:\n} >/x/y", "(group@2 (simple@3 :) 1>/x/y)"},
	{"a\n`\nnf1`", "(seq@1 (simple@1 a) (simple@3 $[(simple@2 nf1)]))"},
	{"a |\n\n{ b; }", "(pipe@1 (simple@1 a) (group@1 (simple@3 b)))"},
	{"cat <<E\n$(nf1\nnf2)\nE\nnf3",
	 "(seq@1 (simple@1 cat 0<<Q$[(seq@2 (simple@2 nf1) (simple@3 nf2))]<\n>) (simple@5 nf3))"},
};

/*
 * Without an alias table (uring-run, the preload, this test) alias lines
 * are plain commands; uring-sh's own table expands them (corpus_alias.txt).
 */
static const struct tcase_src unsupported[] = {
	{"alias l=ls\nl", "(seq@1 (simple@1 alias l=ls) (simple@2 l))"},
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

START_TEST(test_errors)
{
	check_table(errors, sizeof errors / sizeof *errors);
}
END_TEST

START_TEST(test_odd)
{
	check_table(odd, sizeof odd / sizeof *odd);
}
END_TEST

START_TEST(test_lines)
{
	check_table(lines, sizeof lines / sizeof *lines);
}
END_TEST

START_TEST(test_unsupported)
{
	check_table(unsupported, sizeof unsupported / sizeof *unsupported);
}
END_TEST

static char deep[8192];

/* Hostile nesting is refused before the C stack is at risk. */
START_TEST(test_depth)
{
	const char *open[] = {"(", "$(", "\"${x-", "{ "};

	for (unsigned k = 0; k < 4; k++) {
		size_t n = 0, w = strlen(open[k]);
		for (int i = 0; i < 1500; i++, n += w)
			memcpy(deep + n, open[k], w);
		deep[n] = 0;
		ck_assert_str_eq(parse_dump(deep), "UNSUPPORTED: nesting deeper than 1000 levels");
	}
	/* 200 levels are fine */
	memset(deep, '(', 200);
	strcpy(deep + 200, "a");
	memset(deep + 201, ')', 200);
	deep[401] = 0;
	ck_assert(strncmp(parse_dump(deep), "(sub@1 (sub@1 ", 14) == 0);
}
END_TEST

/* Running out of arena is "unsupported", never a crash or a bad tree. */
START_TEST(test_out_of_memory)
{
	const char *s = "for i in a b c; do case $i in a) echo \"${x:-$(echo y)}\";; esac; done";
	struct ush_arena a;
	const char *err, *reason;
	unsigned line;
	int ok = 0;

	for (size_t cap = 0; cap < 16384; cap += 64) {
		a = (struct ush_arena){arena_buf, cap, 0};
		struct node *n = syntax_parse(&a, s, strlen(s), 1, &err, &line, &reason);
		if (err) {
			ck_assert_ptr_eq(err, SYNTAX_UNSUPPORTED);
			ck_assert_str_eq(reason, "out of memory");
			ck_assert_ptr_null(n);
		} else {
			ck_assert_ptr_nonnull(n);
			ok = 1;
		}
	}
	ck_assert(ok);
}
END_TEST

/* lineno is the number of the first line; an empty script is NULL. */
START_TEST(test_first_line)
{
	struct ush_arena a = {arena_buf, sizeof arena_buf, 0};
	const char *err, *reason;
	unsigned line;
	struct node *n = syntax_parse(&a, "\n\nfi", 4, 10, &err, &line, &reason);

	ck_assert_ptr_null(n);
	ck_assert_str_eq(err, "Syntax error: \"fi\" unexpected");
	ck_assert_uint_eq(line, 12);
	n = syntax_parse_partial(&a, "a; b\nc\nif\nd", 11, 1, &err, &line, &reason);
	ck_assert_str_eq(err, "Syntax error: end of file unexpected (expecting \"then\")");
	ck_assert_uint_eq(line, 4);
	ck_assert_ptr_nonnull(n);
	struct out o = {dump_buf, 0, sizeof dump_buf - 1};
	dump_node(&o, n);
	dump_buf[o.n] = 0;
	ck_assert_str_eq(dump_buf, "(seq@1 (seq@1 (simple@1 a) (simple@1 b)) (simple@2 c))");
	n = syntax_parse_partial(&a, "if", 2, 1, &err, &line, &reason);
	ck_assert_ptr_null(n);
	ck_assert_ptr_nonnull(err);
	n = syntax_parse(&a, " \n# c\n", 6, 1, &err, &line, &reason);
	ck_assert_ptr_null(n);
	ck_assert_ptr_null(err);
}
END_TEST

/*
 * A stream whose text ends in a backslash is cut there: the next read may
 * bring the newline that makes it a line continuation, which moves the
 * line of the error after ";" (dash: 2: Syntax error: ";" unexpected).
 */
START_TEST(test_stream_cut_backslash)
{
	static const char *const texts[] = {";\\", "echo a &\\", "echo a >\\", "echo a <<\\",
					    "echo a |\\"};

	for (unsigned i = 0; i < sizeof texts / sizeof *texts; i++) {
		struct ush_arena a = {arena_buf, sizeof arena_buf, 0};
		struct syn_stream *st = syntax_stream(&a, texts[i], strlen(texts[i]), 1, NULL);
		struct node *tree;
		const char *err, *reason, *rest;
		unsigned errline, line;
		int cut, inalias;

		while (syntax_next(st, &tree, &err, &errline, &reason) > 0)
			;
		syntax_stream_tell(st, &line, &cut, &inalias, &rest);
		ck_assert_msg(cut, "%s: not cut at its trailing backslash", texts[i]);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("syntax");
	TCase *tc = tcase_create("syntax");

	tcase_add_test(tc, test_shapes);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_lines);
	tcase_add_test(tc, test_odd);
	tcase_add_test(tc, test_unsupported);
	tcase_add_test(tc, test_depth);
	tcase_add_test(tc, test_out_of_memory);
	tcase_add_test(tc, test_first_line);
	tcase_add_test(tc, test_stream_cut_backslash);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
#endif
