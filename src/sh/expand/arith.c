/* SPDX-License-Identifier: MIT */
/*
 * $((...)) as dash 0.5.12 evaluates it. Parsing and computing are one pass,
 * so errors come in dash's order (a variable is read when its name is
 * parsed, an operator is applied once its right operand is complete). The
 * operand that && || ?: skip is parsed with "noeval": no variable is read,
 * nothing is assigned, no division fails.
 */
#include "expand/arith.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Deeper nesting than this fails instead of exhausting the stack. */
#define ARITH_MAX_DEPTH 4000

enum tok {
	T_EOF,
	T_NUM,
	T_VAR,
	T_BAD, /* a character that starts no token */
	T_LPAREN,
	T_RPAREN,
	T_QMARK,
	T_COLON,
	T_NOT,
	T_BNOT,
	T_OROR,
	T_ANDAND,
	T_ASSIGN,    /* = */
	T_ASSIGN_OP, /* *= /= ... : the operator is in token.op */
	/* binary operators (precedence in binop_prec) */
	T_OR,
	T_XOR,
	T_AND,
	T_EQ,
	T_NE,
	T_LT,
	T_LE,
	T_GT,
	T_GE,
	T_SHL,
	T_SHR,
	T_ADD,
	T_SUB,
	T_MUL,
	T_DIV,
	T_REM,
};

struct token {
	enum tok kind;
	enum tok op;      /* T_ASSIGN_OP: the binary operator */
	intmax_t num;     /* T_NUM */
	const char *name; /* T_VAR */
	size_t len;       /* T_VAR */
};

struct arith {
	const char *expr; /* the whole text, for messages */
	const char *p;    /* where the next token starts */
	struct token tok; /* the current token */
	const struct arith_env *env;
	char *msg;
	size_t msgn;
	int depth;
	jmp_buf fail;
};

/* Operators, longest first so that "<<=" is not read as "<" "<=". */
static const struct {
	char text[4];
	enum tok kind;
	enum tok op;
} operators[] = {
	{"<<=", T_ASSIGN_OP, T_SHL},
	{">>=", T_ASSIGN_OP, T_SHR},
	{"<<", T_SHL, 0},
	{">>", T_SHR, 0},
	{"<=", T_LE, 0},
	{">=", T_GE, 0},
	{"==", T_EQ, 0},
	{"!=", T_NE, 0},
	{"&&", T_ANDAND, 0},
	{"||", T_OROR, 0},
	{"*=", T_ASSIGN_OP, T_MUL},
	{"/=", T_ASSIGN_OP, T_DIV},
	{"%=", T_ASSIGN_OP, T_REM},
	{"+=", T_ASSIGN_OP, T_ADD},
	{"-=", T_ASSIGN_OP, T_SUB},
	{"&=", T_ASSIGN_OP, T_AND},
	{"^=", T_ASSIGN_OP, T_XOR},
	{"|=", T_ASSIGN_OP, T_OR},
	{"<", T_LT, 0},
	{">", T_GT, 0},
	{"=", T_ASSIGN, 0},
	{"!", T_NOT, 0},
	{"~", T_BNOT, 0},
	{"+", T_ADD, 0},
	{"-", T_SUB, 0},
	{"*", T_MUL, 0},
	{"/", T_DIV, 0},
	{"%", T_REM, 0},
	{"&", T_AND, 0},
	{"^", T_XOR, 0},
	{"|", T_OR, 0},
	{"(", T_LPAREN, 0},
	{")", T_RPAREN, 0},
	{"?", T_QMARK, 0},
	{":", T_COLON, 0},
};

__attribute__((noreturn, format(printf, 2, 3))) static void fail(struct arith *a, const char *fmt,
								 ...)
{
	if (a->msgn) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(a->msg, a->msgn, fmt, ap);
		va_end(ap);
	}
	longjmp(a->fail, 1);
}

__attribute__((noreturn)) static void syntax(struct arith *a, const char *what)
{
	fail(a, "arithmetic expression: %s: \"%s\"", what, a->expr);
}

static int is_name_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_name_char(int c)
{
	return is_name_start(c) || (c >= '0' && c <= '9');
}

static struct token lex(const char **pp)
{
	const char *p = *pp;
	struct token t = {T_EOF, 0, 0, NULL, 0};

	/* dash skips exactly these three; \r \v \f are bad characters */
	while (*p == ' ' || *p == '\t' || *p == '\n')
		p++;
	if (!*p) {
		*pp = p;
		return t;
	}
	if (*p >= '0' && *p <= '9') {
		/* base 0: 0x hex, 0 octal; an overflow saturates (dash ignores ERANGE) */
		char *end;
		t.kind = T_NUM;
		t.num = strtoimax(p, &end, 0);
		*pp = end;
		return t;
	}
	if (is_name_start((unsigned char)*p)) {
		t.kind = T_VAR;
		t.name = p;
		while (is_name_char((unsigned char)*p))
			p++;
		t.len = (size_t)(p - t.name);
		*pp = p;
		return t;
	}
	for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
		size_t n = strlen(operators[i].text);
		if (strncmp(p, operators[i].text, n) == 0) {
			t.kind = operators[i].kind;
			t.op = operators[i].op;
			*pp = p + n;
			return t;
		}
	}
	t.kind = T_BAD;
	*pp = p + 1;
	return t;
}

static void next(struct arith *a)
{
	a->tok = lex(&a->p);
}

static enum tok peek(const struct arith *a)
{
	const char *p = a->p;
	return lex(&p).kind;
}

static void enter(struct arith *a)
{
	if (++a->depth > ARITH_MAX_DEPTH)
		syntax(a, "nested too deeply");
}

/* A variable's value as dash reads it: unset or empty is 0, else a whole number. */
static intmax_t lookup(struct arith *a, const struct token *var)
{
	const char *s =
		a->env && a->env->get ? a->env->get(a->env->ctx, var->name, var->len) : NULL;
	char *end;
	intmax_t v;

	if (!s || !*s)
		return 0;
	errno = 0;
	v = strtoimax(s, &end, 0);
	/* dash allows trailing blanks (isspace in the C locale) */
	while (*end == ' ' || (*end >= '\t' && *end <= '\r'))
		end++;
	if (errno == ERANGE || *end)
		fail(a, "Illegal number: %s", s);
	return v;
}

static void assign(struct arith *a, const struct token *var, intmax_t v)
{
	char text[32];

	snprintf(text, sizeof text, "%" PRIdMAX, v);
	if (!a->env || !a->env->set)
		return;
	if (a->env->set(a->env->ctx, var->name, var->len, text)) {
		/* set has reported it (e.g. "x: is read only") */
		if (a->msgn)
			a->msg[0] = 0;
		longjmp(a->fail, 1);
	}
}

/* dash divides with the CPU's idiv: INTMAX_MIN / -1 kills the shell with SIGFPE. */
__attribute__((noreturn)) static void die_of_sigfpe(void)
{
	sigset_t set;

	signal(SIGFPE, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, SIGFPE);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(SIGFPE);
	abort();
}

/* Two's complement wrap-around, as the CPU computes (no UB for the sanitizers). */
static intmax_t wrap(uintmax_t u)
{
	return u <= (uintmax_t)INTMAX_MAX ? (intmax_t)u : -(intmax_t)(UINTMAX_MAX - u) - 1;
}

/* x86-64 shifts use the count modulo 64 */
static unsigned shift_count(intmax_t n)
{
	return (unsigned)((uintmax_t)n & (sizeof(intmax_t) * CHAR_BIT - 1));
}

static intmax_t apply(struct arith *a, enum tok op, intmax_t x, intmax_t y)
{
	uintmax_t ux = (uintmax_t)x, uy = (uintmax_t)y;

	switch (op) {
	case T_MUL:
		return wrap(ux * uy);
	case T_DIV:
	case T_REM:
		if (y == 0)
			syntax(a, "division by zero");
		if (y == -1 && x == INTMAX_MIN)
			die_of_sigfpe();
		return op == T_DIV ? x / y : x % y;
	case T_ADD:
		return wrap(ux + uy);
	case T_SUB:
		return wrap(ux - uy);
	case T_SHL:
		return wrap(ux << shift_count(y));
	case T_SHR:
		/* arithmetic shift, as gcc compiles >> of a negative value */
		return x < 0 ? ~(intmax_t)(~ux >> shift_count(y))
			     : (intmax_t)(ux >> shift_count(y));
	case T_LT:
		return x < y;
	case T_LE:
		return x <= y;
	case T_GT:
		return x > y;
	case T_GE:
		return x >= y;
	case T_EQ:
		return x == y;
	case T_NE:
		return x != y;
	case T_AND:
		return x & y;
	case T_XOR:
		return x ^ y;
	case T_OR:
		return x | y;
	default:
		return 0;
	}
}

/* C precedence of the binary operators; 0: not one */
static int binop_prec(enum tok t)
{
	switch (t) {
	case T_MUL:
	case T_DIV:
	case T_REM:
		return 10;
	case T_ADD:
	case T_SUB:
		return 9;
	case T_SHL:
	case T_SHR:
		return 8;
	case T_LT:
	case T_LE:
	case T_GT:
	case T_GE:
		return 7;
	case T_EQ:
	case T_NE:
		return 6;
	case T_AND:
		return 5;
	case T_XOR:
		return 4;
	case T_OR:
		return 3;
	default:
		return 0;
	}
}

static intmax_t assignment(struct arith *a, int noeval);

/* a number, a variable, ( ), or a unary operator applied to one of those */
static intmax_t primary(struct arith *a, int noeval)
{
	struct token t;
	intmax_t v;

	/* unary + changes nothing (and dash has no ++) */
	while (a->tok.kind == T_ADD)
		next(a);
	t = a->tok;
	switch (t.kind) {
	case T_LPAREN:
		next(a);
		enter(a);
		v = assignment(a, noeval);
		a->depth--;
		if (a->tok.kind != T_RPAREN)
			syntax(a, "expecting ')'");
		next(a);
		return v;
	case T_NUM:
		next(a);
		return t.num;
	case T_VAR:
		next(a);
		return noeval ? 0 : lookup(a, &t);
	case T_SUB:
	case T_NOT:
	case T_BNOT:
		next(a);
		enter(a);
		v = primary(a, noeval);
		a->depth--;
		if (t.kind == T_SUB)
			return wrap(-(uintmax_t)v);
		return t.kind == T_NOT ? !v : ~v;
	default:
		syntax(a, "expecting primary");
	}
}

/* the binary operators of precedence minprec and above, left-associative */
static intmax_t binary(struct arith *a, int minprec, int noeval)
{
	intmax_t x = primary(a, noeval);

	for (;;) {
		enum tok op = a->tok.kind;
		int prec = binop_prec(op);
		intmax_t y;

		if (!prec || prec < minprec)
			return x;
		next(a);
		y = binary(a, prec + 1, noeval);
		x = noeval ? y : apply(a, op, x, y);
	}
}

static intmax_t and_list(struct arith *a, int noeval)
{
	intmax_t x = binary(a, 1, noeval);

	while (a->tok.kind == T_ANDAND) {
		intmax_t y;
		next(a);
		y = binary(a, 1, noeval || !x);
		x = x && y;
	}
	return x;
}

static intmax_t or_list(struct arith *a, int noeval)
{
	intmax_t x = and_list(a, noeval);

	while (a->tok.kind == T_OROR) {
		intmax_t y;
		next(a);
		y = and_list(a, noeval || x);
		x = x || y;
	}
	return x;
}

/* c ? x : y, where x may assign but y may not (dash's grammar) */
static intmax_t conditional(struct arith *a, int noeval)
{
	intmax_t c = or_list(a, noeval), x, y;

	if (a->tok.kind != T_QMARK)
		return c;
	next(a);
	x = assignment(a, noeval || !c);
	if (a->tok.kind != T_COLON)
		syntax(a, "expecting ':'");
	next(a);
	enter(a);
	y = conditional(a, noeval || c);
	a->depth--;
	return c ? x : y;
}

/* name = value, name op= value (right-associative), or a conditional */
static intmax_t assignment(struct arith *a, int noeval)
{
	struct token var = a->tok;
	enum tok kind, op;
	intmax_t v;

	if (var.kind != T_VAR)
		return conditional(a, noeval);
	kind = peek(a);
	if (kind != T_ASSIGN && kind != T_ASSIGN_OP)
		return conditional(a, noeval);
	next(a);
	op = a->tok.op;
	next(a);
	enter(a);
	v = assignment(a, noeval);
	a->depth--;
	if (noeval)
		return v;
	/* the right side first: its errors come before an Illegal number in name */
	if (kind == T_ASSIGN_OP)
		v = apply(a, op, lookup(a, &var), v);
	assign(a, &var, v);
	return v;
}

int arith_eval(const char *expr, const struct arith_env *env, intmax_t *out, char *msg, size_t msgn)
{
	struct arith a = {.expr = expr, .p = expr, .env = env, .msg = msg, .msgn = msgn};
	intmax_t v;

	if (setjmp(a.fail))
		return -1;
	next(&a);
	enter(&a);
	v = assignment(&a, 0);
	if (a.tok.kind != T_EOF)
		syntax(&a, "expecting EOF");
	*out = v;
	return 0;
}
