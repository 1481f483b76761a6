/* SPDX-License-Identifier: MIT */
/*
 * dash's test and [: POSIX's rules for 3 and 4 arguments first, then a
 * recursive descent over the words (-o over -a over ! over primaries).
 * Like dash, both sides of -a and -o are evaluated, and an operator word
 * counts as an operand where an operator cannot stand.
 */
#include <fcntl.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "builtins/builtins.h"

enum kind { UNOP, BINOP, AND, OR, NOT, LPAREN, RPAREN };

struct op {
	const char *text;
	enum kind kind;
};

static const struct op ops[] = {
	{"-r", UNOP},   {"-w", UNOP},   {"-x", UNOP},   {"-e", UNOP},   {"-f", UNOP},
	{"-d", UNOP},   {"-c", UNOP},   {"-b", UNOP},   {"-p", UNOP},   {"-u", UNOP},
	{"-g", UNOP},   {"-k", UNOP},   {"-s", UNOP},   {"-t", UNOP},   {"-z", UNOP},
	{"-n", UNOP},   {"-h", UNOP},   {"-O", UNOP},   {"-G", UNOP},   {"-L", UNOP},
	{"-S", UNOP},   {"=", BINOP},   {"!=", BINOP},  {"<", BINOP},   {">", BINOP},
	{"-eq", BINOP}, {"-ne", BINOP}, {"-lt", BINOP}, {"-le", BINOP}, {"-gt", BINOP},
	{"-ge", BINOP}, {"-nt", BINOP}, {"-ot", BINOP}, {"-ef", BINOP}, {"-a", AND},
	{"-o", OR},     {"!", NOT},     {"(", LPAREN},  {")", RPAREN},
};

struct parse {
	struct bi_ctx *c;
	const char *name;
	char **wp;           /* the current word */
	const struct op *op; /* what the last lexed word is, NULL: an operand */
	jmp_buf fail;
};

static const struct op *find_op(const char *s)
{
	for (unsigned i = 0; i < sizeof ops / sizeof *ops; i++)
		if (!strcmp(s, ops[i].text))
			return &ops[i];
	return NULL;
}

static void __attribute__((noreturn)) syntax(struct parse *p, const char *op, const char *msg)
{
	if (op && *op)
		bi_error(p->c, p->name, op, ": ", msg);
	else
		bi_error(p->c, p->name, msg, NULL, NULL);
	longjmp(p->fail, 1);
}

/* a unary operator followed by a word and a binary operator is an operand */
static int unop_is_operand(char **tp)
{
	if (!tp[1])
		return 1;
	if (!tp[2])
		return 0;
	const struct op *op = find_op(tp[1]);
	return op && op->kind == BINOP;
}

/* What the word at tp is; sets p->op. -1: end of words, -2: an operand. */
enum { END = -1, OPERAND = -2 };
static int lex(struct parse *p, char **tp)
{
	const struct op *op = *tp ? find_op(*tp) : NULL;

	p->op = NULL;
	if (!*tp)
		return END;
	if (!op || (op->kind == UNOP && unop_is_operand(tp)) || (op->kind == LPAREN && !tp[1]))
		return OPERAND;
	p->op = op;
	return (int)op->kind;
}

static intmax_t number(struct parse *p, const char *s)
{
	intmax_t v;

	if (bi_strtomax(s, &v) < 0) {
		bi_error(p->c, p->name, "Illegal number: ", s, NULL);
		longjmp(p->fail, 1);
	}
	return v;
}

static int file_test(char op, const char *f)
{
	struct stat st;

	if (op == 'h' || op == 'L')
		return !lstat(f, &st) && S_ISLNK(st.st_mode);
	if (op == 'r' || op == 'w' || op == 'x') {
		int mode = op == 'r' ? R_OK : op == 'w' ? W_OK : X_OK;
		return !faccessat(AT_FDCWD, f, mode, AT_EACCESS);
	}
	if (stat(f, &st) < 0)
		return 0;
	switch (op) {
	case 'e':
		return 1;
	case 'f':
		return S_ISREG(st.st_mode);
	case 'd':
		return S_ISDIR(st.st_mode);
	case 'c':
		return S_ISCHR(st.st_mode);
	case 'b':
		return S_ISBLK(st.st_mode);
	case 'p':
		return S_ISFIFO(st.st_mode);
	case 'S':
		return S_ISSOCK(st.st_mode);
	case 'u':
		return (st.st_mode & S_ISUID) != 0;
	case 'g':
		return (st.st_mode & S_ISGID) != 0;
	case 'k':
		return (st.st_mode & S_ISVTX) != 0;
	case 's':
		return st.st_size > 0;
	case 'O':
		return st.st_uid == geteuid();
	case 'G':
		return st.st_gid == getegid();
	}
	return 0;
}

static int unary(struct parse *p, const struct op *op, const char *arg)
{
	switch (op->text[1]) {
	case 'z':
		return !*arg;
	case 'n':
		return *arg != 0;
	case 't':
		return isatty((int)number(p, arg));
	}
	return file_test(op->text[1], arg);
}

static int newer(const char *a, const char *b)
{
	struct stat sa, sb;

	if (stat(a, &sa) < 0 || stat(b, &sb) < 0)
		return 0;
	return sa.st_mtim.tv_sec > sb.st_mtim.tv_sec ||
	       (sa.st_mtim.tv_sec == sb.st_mtim.tv_sec && sa.st_mtim.tv_nsec > sb.st_mtim.tv_nsec);
}

static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

static int compare_numbers(struct parse *p, const char *op, const char *a, const char *b)
{
	intmax_t x = number(p, a), y = number(p, b);

	if (!strcmp(op, "-eq"))
		return x == y;
	if (!strcmp(op, "-ne"))
		return x != y;
	if (!strcmp(op, "-lt"))
		return x < y;
	if (!strcmp(op, "-le"))
		return x <= y;
	if (!strcmp(op, "-gt"))
		return x > y;
	return x >= y;
}

/* the word before the binary operator p->op; leaves wp at the right operand */
static int binary(struct parse *p)
{
	const char *left = *p->wp, *op = p->op->text;

	p->wp += 2;
	const char *right = *p->wp;
	if (!right)
		syntax(p, op, "argument expected");
	if (!strcmp(op, "="))
		return !strcmp(left, right);
	if (!strcmp(op, "!="))
		return strcmp(left, right) != 0;
	if (!strcmp(op, "<"))
		return strcmp(left, right) < 0;
	if (!strcmp(op, ">"))
		return strcmp(left, right) > 0;
	if (!strcmp(op, "-nt"))
		return newer(left, right);
	if (!strcmp(op, "-ot"))
		return newer(right, left);
	if (!strcmp(op, "-ef"))
		return same_file(left, right);
	return compare_numbers(p, op, left, right);
}

static int or_expr(struct parse *p, int t);

/* the word after the current one (the end stays the end) */
static int lex_next(struct parse *p)
{
	return *p->wp ? lex(p, p->wp + 1) : lex(p, p->wp);
}

static int primary(struct parse *p, int t)
{
	if (t == END)
		return 0;
	if (t == LPAREN) {
		int inner = lex(p, ++p->wp);
		if (inner == RPAREN)
			return 0;
		int r = or_expr(p, inner);
		if (*p->wp)
			p->wp++;
		if (lex(p, p->wp) != RPAREN)
			syntax(p, NULL, "closing paren expected");
		return r;
	}
	if (p->op && p->op->kind == UNOP) {
		const struct op *op = p->op;
		if (!*++p->wp)
			syntax(p, op->text, "argument expected");
		return unary(p, op, *p->wp);
	}
	lex_next(p);
	if (p->op && p->op->kind == BINOP)
		return binary(p);
	return **p->wp != 0;
}

static int not_expr(struct parse *p, int t)
{
	if (t == NOT)
		return !not_expr(p, lex(p, ++p->wp));
	return primary(p, t);
}

static int and_expr(struct parse *p, int t)
{
	int r = 1;

	for (;;) {
		if (!not_expr(p, t))
			r = 0;
		if (lex_next(p) != AND)
			return r;
		t = lex(p, p->wp += 2);
	}
}

static int or_expr(struct parse *p, int t)
{
	int r = 0;

	for (;;) {
		r |= and_expr(p, t);
		if (lex_next(p) != OR)
			return r;
		t = lex(p, p->wp += 2);
	}
}

/* the POSIX rules by argument count; returns the status */
static int evaluate(struct parse *p, char **argv, int argc)
{
	int status = 1, t;

	for (;;) {
		if (argc < 1)
			return status;
		if (argc == 3) {
			const struct op *op = find_op(argv[1]);
			if (op && op->kind == BINOP) {
				p->op = NULL;
				t = OPERAND;
				break;
			}
		}
		if (argc == 3 || argc == 4) {
			if (!strcmp(argv[0], "(") && !strcmp(argv[argc - 1], ")")) {
				argv[--argc] = NULL;
				argv++;
				argc--;
			} else if (!strcmp(argv[0], "!")) {
				status = 0;
				argv++;
				argc--;
				continue;
			}
		}
		t = lex(p, argv);
		break;
	}
	p->wp = argv;
	status ^= or_expr(p, t);
	if (p->wp[0] && p->wp[1])
		syntax(p, p->wp[0], "unexpected operator");
	return status;
}

/* a syntax error longjmps here; a function of its own, so no local of
 * bi_test lives across the setjmp */
static int evaluate_or_2(struct parse *p, char **words, int n)
{
	if (setjmp(p->fail))
		return 2;
	return evaluate(p, words, n);
}

int bi_test(struct bi_ctx *c, int argc, char **argv)
{
	struct parse p = {.c = c, .name = argv[0]};
	int status;

	if (!strcmp(argv[0], "[")) {
		if (argc < 2 || strcmp(argv[argc - 1], "]")) {
			bi_error(c, "[", "missing ]", NULL, NULL);
			return 2;
		}
		argc--;
	}
	/* a copy: the rules for ( and ) cut words off the end */
	char **words = malloc(sizeof *words * (size_t)argc);
	if (!words)
		return 2;
	memcpy(words, argv + 1, sizeof *words * (size_t)(argc - 1));
	words[argc - 1] = NULL;
	status = evaluate_or_2(&p, words, argc - 1);
	free(words);
	return status;
}
