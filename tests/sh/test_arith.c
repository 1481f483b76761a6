/* SPDX-License-Identifier: MIT */
/*
 * Unit tests (Check) for arith.c: expected results recorded from dash
 * 0.5.12, plus a run-time comparison with /bin/dash over random
 * expressions (each evaluated in a child: INTMAX_MIN / -1 kills it, as it
 * kills dash).
 */
#include <check.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "expand/arith.h"

/* the variables every case starts with (x and y unset) */
static const char *const names[] = {"a", "b", "c", "h", "o", "s", "e", "sp", "x", "y"};
static const char *const initial[] = {"3", "0", "-7", "0x10", "010", "abc", "", " 5 ", NULL, NULL};
#define NVARS (sizeof names / sizeof names[0])
static char values[NVARS][32];
static int isset[NVARS];
static int set_calls;

static int var_index(const char *name, size_t n)
{
	for (size_t i = 0; i < NVARS; i++)
		if (strlen(names[i]) == n && memcmp(names[i], name, n) == 0)
			return (int)i;
	return -1;
}

static const char *get(void *ctx, const char *name, size_t n)
{
	int i = var_index(name, n);
	(void)ctx;
	return i >= 0 && isset[i] ? values[i] : NULL;
}

/* "r" is read-only: set fails as dash's setvar does */
static int set(void *ctx, const char *name, size_t n, const char *value)
{
	int i = var_index(name, n);
	(void)ctx;
	set_calls++;
	if (n == 1 && name[0] == 'r')
		return -1;
	if (i < 0)
		return 0;
	snprintf(values[i], sizeof values[i], "%s", value);
	isset[i] = 1;
	return 0;
}

static const struct arith_env env = {get, set, NULL};

static void reset(void)
{
	for (size_t i = 0; i < NVARS; i++) {
		isset[i] = initial[i] != NULL;
		snprintf(values[i], sizeof values[i], "%s", initial[i] ? initial[i] : "");
	}
	set_calls = 0;
}

/*
 * expr evaluated from the initial variables, as the line
 *   r=$((expr)); echo "$r $a $b $c $h $o $s $e $sp $x $y"
 * prints it in dash, or "sh: 1: MESSAGE" when it fails.
 */
static void eval_line(const char *expr, char *out, size_t n)
{
	char msg[512];
	intmax_t v;
	size_t len;

	reset();
	if (arith_eval(expr, &env, &v, msg, sizeof msg)) {
		snprintf(out, n, "sh: 1: %s", msg);
		return;
	}
	len = (size_t)snprintf(out, n, "%" PRIdMAX, v);
	for (size_t i = 0; i < NVARS && len < n; i++)
		len += (size_t)snprintf(out + len, n - len, " %s", isset[i] ? values[i] : "");
}

/* recorded with dash 0.5.12 (LANG=C) */
static const struct {
	const char *expr, *out;
} cases[] = {
	{"1+2*3", "7 3 0 -7 0x10 010 abc   5   "},
	{"1 +", "sh: 1: arithmetic expression: expecting primary: \"1 +\""},
	{"(1", "sh: 1: arithmetic expression: expecting ')': \"(1\""},
	{"1)", "sh: 1: arithmetic expression: expecting EOF: \"1)\""},
	{"1?2", "sh: 1: arithmetic expression: expecting ':': \"1?2\""},
	{"1?2:", "sh: 1: arithmetic expression: expecting primary: \"1?2:\""},
	{"08", "sh: 1: arithmetic expression: expecting EOF: \"08\""},
	{"0x", "sh: 1: arithmetic expression: expecting EOF: \"0x\""},
	{"0x1g", "sh: 1: arithmetic expression: expecting EOF: \"0x1g\""},
	{"0xff", "255 3 0 -7 0x10 010 abc   5   "},
	{"077", "63 3 0 -7 0x10 010 abc   5   "},
	{"1/0", "sh: 1: arithmetic expression: division by zero: \"1/0\""},
	{"1%0", "sh: 1: arithmetic expression: division by zero: \"1%0\""},
	{"-9223372036854775807-1", "-9223372036854775808 3 0 -7 0x10 010 abc   5   "},
	{"9223372036854775807+1", "-9223372036854775808 3 0 -7 0x10 010 abc   5   "},
	{"9223372036854775808", "9223372036854775807 3 0 -7 0x10 010 abc   5   "},
	{"-9223372036854775808", "-9223372036854775807 3 0 -7 0x10 010 abc   5   "},
	{"1<<64", "1 3 0 -7 0x10 010 abc   5   "},
	{"1<<-1", "-9223372036854775808 3 0 -7 0x10 010 abc   5   "},
	{"1>>65", "0 3 0 -7 0x10 010 abc   5   "},
	{"-1>>1", "-1 3 0 -7 0x10 010 abc   5   "},
	{"-1>>64", "-1 3 0 -7 0x10 010 abc   5   "},
	{"-8>>-1", "-1 3 0 -7 0x10 010 abc   5   "},
	{"x=", "sh: 1: arithmetic expression: expecting primary: \"x=\""},
	{"=1", "sh: 1: arithmetic expression: expecting primary: \"=1\""},
	{"1=2", "sh: 1: arithmetic expression: expecting EOF: \"1=2\""},
	{"x++", "sh: 1: arithmetic expression: expecting primary: \"x++\""},
	{"++x", "0 3 0 -7 0x10 010 abc   5   "},
	{"--x", "0 3 0 -7 0x10 010 abc   5   "},
	{"1--1", "2 3 0 -7 0x10 010 abc   5   "},
	{"1---1", "0 3 0 -7 0x10 010 abc   5   "},
	{"!0", "1 3 0 -7 0x10 010 abc   5   "},
	{"~0", "-1 3 0 -7 0x10 010 abc   5   "},
	{"- -1", "1 3 0 -7 0x10 010 abc   5   "},
	{"3>2>1", "0 3 0 -7 0x10 010 abc   5   "},
	{"1,2", "sh: 1: arithmetic expression: expecting EOF: \"1,2\""},
	{"a.b", "sh: 1: arithmetic expression: expecting EOF: \"a.b\""},
	{"$", "sh: 1: arithmetic expression: expecting primary: \"$\""},
	{"1 ? 2 : 3 ? 4 : 5", "2 3 0 -7 0x10 010 abc   5   "},
	{"0&&(x=1)", "0 3 0 -7 0x10 010 abc   5   "},
	{"1||(x=2)", "1 3 0 -7 0x10 010 abc   5   "},
	{"0 ? 1/0 : 1/0", "sh: 1: arithmetic expression: division by zero: \"0 ? 1/0 : 1/0\""},
	{"1?x=1:y=2", "sh: 1: arithmetic expression: expecting EOF: \"1?x=1:y=2\""},
	{"0?x=1:(y=2)", "2 3 0 -7 0x10 010 abc   5   2"},
	{"x=y=3", "3 3 0 -7 0x10 010 abc   5  3 3"},
	{"s", "sh: 1: Illegal number: abc"},
	{"s=4", "4 3 0 -7 0x10 010 4   5   "},
	{"s+=1", "sh: 1: Illegal number: abc"},
	{"0 && s", "0 3 0 -7 0x10 010 abc   5   "},
	{"s + ", "sh: 1: Illegal number: abc"},
	{"(x=5) +", "sh: 1: arithmetic expression: expecting primary: \"(x=5) +\""},
	{"x += 1/0", "sh: 1: arithmetic expression: division by zero: \"x += 1/0\""},
	{"s /= 0", "sh: 1: Illegal number: abc"},
	{"1 ! = 2", "sh: 1: arithmetic expression: expecting EOF: \"1 ! = 2\""},
	{"x=\"1\"", "sh: 1: arithmetic expression: expecting primary: \"x=\"1\"\""},
	{"1\t+\t2", "3 3 0 -7 0x10 010 abc   5   "},
	{"1", "1 3 0 -7 0x10 010 abc   5   "},
	{"+2", "2 3 0 -7 0x10 010 abc   5   "},
	{"1+2", "3 3 0 -7 0x10 010 abc   5   "},
	{"2**3", "sh: 1: arithmetic expression: expecting primary: \"2**3\""},
	{"a+=b+=2", "5 5 2 -7 0x10 010 abc   5   "},
	{"(a)=2", "sh: 1: arithmetic expression: expecting EOF: \"(a)=2\""},
	{"sp+1", "6 3 0 -7 0x10 010 abc   5   "},
	{"h*o", "128 3 0 -7 0x10 010 abc   5   "},
	{"c%3", "-1 3 0 -7 0x10 010 abc   5   "},
	{"c/2", "-3 3 0 -7 0x10 010 abc   5   "},
	{"-c>>1", "3 3 0 -7 0x10 010 abc   5   "},
	{"c<<62", "4611686018427387904 3 0 -7 0x10 010 abc   5   "},
	{"1 @ 2", "sh: 1: arithmetic expression: expecting EOF: \"1 @ 2\""},
	{"x ? y=5 : 6", "6 3 0 -7 0x10 010 abc   5   "},
	{"(((((((1)))))))", "1 3 0 -7 0x10 010 abc   5   "},
	{"-1>>63", "-1 3 0 -7 0x10 010 abc   5   "},
	{"1<<63", "-9223372036854775808 3 0 -7 0x10 010 abc   5   "},
	{"h<<4", "256 3 0 -7 0x10 010 abc   5   "},
	{"o+h", "24 3 0 -7 0x10 010 abc   5   "},
	{"c%-3", "-1 3 0 -7 0x10 010 abc   5   "},
	{"-c%3", "1 3 0 -7 0x10 010 abc   5   "},
	{"7/-2", "-3 3 0 -7 0x10 010 abc   5   "},
	{"-7/2", "-3 3 0 -7 0x10 010 abc   5   "},
	{"x=7,1", "sh: 1: arithmetic expression: expecting EOF: \"x=7,1\""},
	{"(x=7)*(y=x+1)", "56 3 0 -7 0x10 010 abc   5  7 8"},
	{"a*=a*=2", "36 36 0 -7 0x10 010 abc   5   "},
	{"b||(x=1)", "1 3 0 -7 0x10 010 abc   5  1 "},
	{"b&&(x=1)", "0 3 0 -7 0x10 010 abc   5   "},
	{"a&&(x=1)", "1 3 0 -7 0x10 010 abc   5  1 "},
	{"a||(x=1)", "1 3 0 -7 0x10 010 abc   5   "},
	{"b?x=1:2", "2 3 0 -7 0x10 010 abc   5   "},
	{"a?x=1:2", "1 3 0 -7 0x10 010 abc   5  1 "},
	{"0x7fffffffffffffff+0x7fffffffffffffff", "-2 3 0 -7 0x10 010 abc   5   "},
	{"~9223372036854775807", "-9223372036854775808 3 0 -7 0x10 010 abc   5   "},
	{"!c", "0 3 0 -7 0x10 010 abc   5   "},
	{"!b", "1 3 0 -7 0x10 010 abc   5   "},
	{"~c", "6 3 0 -7 0x10 010 abc   5   "},
	{"-(-9223372036854775807-1)", "-9223372036854775808 3 0 -7 0x10 010 abc   5   "},
	{"1 ? 2 : 3 ? 4", "sh: 1: arithmetic expression: expecting ':': \"1 ? 2 : 3 ? 4\""},
	{"sp*2", "10 3 0 -7 0x10 010 abc   5   "},
	{"e+5", "5 3 0 -7 0x10 010 abc   5   "},
	{"y-1", "-1 3 0 -7 0x10 010 abc   5   "},
	{"x|=4", "4 3 0 -7 0x10 010 abc   5  4 "},
	{"x^=-1", "-1 3 0 -7 0x10 010 abc   5  -1 "},
	{"h>>=2", "4 3 0 -7 4 010 abc   5   "},
	{"o<<=2", "32 3 0 -7 0x10 32 abc   5   "},
	{"a==3&&b==0", "1 3 0 -7 0x10 010 abc   5   "},
	{"a!=3||c<0", "1 3 0 -7 0x10 010 abc   5   "},
	{"c<=c", "1 3 0 -7 0x10 010 abc   5   "},
	{"c>=-6", "0 3 0 -7 0x10 010 abc   5   "},
	{"a<b|b<a", "1 3 0 -7 0x10 010 abc   5   "},
	{"1-2-3", "-4 3 0 -7 0x10 010 abc   5   "},
	{"2*3%4", "2 3 0 -7 0x10 010 abc   5   "},
	{"100/7/2", "7 3 0 -7 0x10 010 abc   5   "},
	{"1<<2<<3", "32 3 0 -7 0x10 010 abc   5   "},
	{"a+++a", "6 3 0 -7 0x10 010 abc   5   "},
	{"a---a", "0 3 0 -7 0x10 010 abc   5   "},
	{"s&&1", "sh: 1: Illegal number: abc"},
	{"s||1", "sh: 1: Illegal number: abc"},
	{"b&&s", "0 3 0 -7 0x10 010 abc   5   "},
	{"a||s", "1 3 0 -7 0x10 010 abc   5   "},
	{"(s)", "sh: 1: Illegal number: abc"},
	{"s?1:2", "sh: 1: Illegal number: abc"},
	{"b?s:2", "2 3 0 -7 0x10 010 abc   5   "},
	{"b?2:s", "sh: 1: Illegal number: abc"},
	{"x=s", "sh: 1: Illegal number: abc"},
	{"s=5", "5 3 0 -7 0x10 010 5   5   "},
};

START_TEST(recorded_from_dash)
{
	char out[1024];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		eval_line(cases[i].expr, out, sizeof out);
		ck_assert_msg(strcmp(out, cases[i].out) == 0, "$((%s)): got <%s>, dash: <%s>",
			      cases[i].expr, out, cases[i].out);
	}
}
END_TEST

START_TEST(read_only_variable)
{
	char msg[64] = "unchanged";
	intmax_t v = 42;

	reset();
	ck_assert_int_eq(arith_eval("r = 5", &env, &v, msg, sizeof msg), -1);
	ck_assert_str_eq(msg, ""); /* set has printed "r: is read only" */
	ck_assert_int_eq(set_calls, 1);
	/* a skipped branch assigns nothing */
	ck_assert_int_eq(arith_eval("0 && (r = 5) || 1 ? 7 : (r = 1)", &env, &v, msg, sizeof msg),
			 0);
	ck_assert_int_eq(v, 7);
	ck_assert_int_eq(set_calls, 1);
}
END_TEST

START_TEST(assignment_text)
{
	char msg[64];
	intmax_t v;

	reset();
	ck_assert_int_eq(arith_eval("x = 0x10 * -3", &env, &v, msg, sizeof msg), 0);
	ck_assert_str_eq(values[8], "-48");
	ck_assert_int_eq(arith_eval("x = -9223372036854775807 - 1", &env, &v, msg, sizeof msg), 0);
	ck_assert_str_eq(values[8], "-9223372036854775808");
	ck_assert_int_eq(arith_eval("x += x", &env, &v, msg, sizeof msg), 0);
	ck_assert_str_eq(values[8], "0");
}
END_TEST

START_TEST(no_environment)
{
	char msg[64];
	intmax_t v = 1;

	ck_assert_int_eq(arith_eval("x + 2 * (y = 3)", NULL, &v, msg, sizeof msg), 0);
	ck_assert_int_eq(v, 6);
}
END_TEST

START_TEST(short_message_buffer)
{
	char msg[8] = "xxxxxxx";
	intmax_t v;

	ck_assert_int_eq(arith_eval("1 + + + ", &env, &v, msg, sizeof msg), -1);
	ck_assert_str_eq(msg, "arithme");
	ck_assert_int_eq(arith_eval("1 +", &env, &v, NULL, 0), -1);
}
END_TEST

/* dash's idiv traps: the shell dies of SIGFPE (status 136 for its parent) */
static int status_of(const char *expr)
{
	pid_t pid = fork();
	int st;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char msg[128];
		intmax_t v;
		reset();
		_exit(arith_eval(expr, &env, &v, msg, sizeof msg) ? 2 : 0);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

START_TEST(intmax_min_by_minus_one_traps)
{
	ck_assert_int_eq(status_of("(-9223372036854775807-1) / -1"), 128 + SIGFPE);
	ck_assert_int_eq(status_of("(-9223372036854775807-1) % -1"), 128 + SIGFPE);
	ck_assert_int_eq(status_of("x = -9223372036854775807-1, x"), 2);
	ck_assert_int_eq(status_of("(x = -9223372036854775807-1) && (x /= -1)"), 128 + SIGFPE);
	ck_assert_int_eq(status_of("0 && (-9223372036854775807-1) / -1"), 0);
	ck_assert_int_eq(status_of("(-9223372036854775807-1) / 1"), 0);
}
END_TEST

static char *repeat(const char *left, int n, const char *mid, const char *right)
{
	size_t l = strlen(left), r = strlen(right), m = strlen(mid);
	char *s = malloc((l + r) * (size_t)n + m + 1), *p = s;

	ck_assert_ptr_nonnull(s);
	for (int i = 0; i < n; i++, p += l)
		memcpy(p, left, l);
	memcpy(p, mid, m);
	p += m;
	for (int i = 0; i < n; i++, p += r)
		memcpy(p, right, r);
	*p = 0;
	return s;
}

START_TEST(deep_nesting)
{
	char msg[64];
	intmax_t v = 0;
	char *s;

	s = repeat("(", 2000, "7", ")");
	ck_assert_int_eq(arith_eval(s, &env, &v, msg, sizeof msg), 0);
	ck_assert_int_eq(v, 7);
	free(s);
	s = repeat("-", 2001, "7", "");
	ck_assert_int_eq(arith_eval(s, &env, &v, msg, sizeof msg), 0);
	ck_assert_int_eq(v, -7);
	free(s);
	s = repeat("0?1:", 2000, "9", "");
	ck_assert_int_eq(arith_eval(s, &env, &v, msg, sizeof msg), 0);
	ck_assert_int_eq(v, 9);
	free(s);
	/* far deeper: an error, not a stack overflow */
	s = repeat("(", 100000, "7", ")");
	ck_assert_int_eq(arith_eval(s, &env, &v, msg, sizeof msg), -1);
	ck_assert_ptr_nonnull(strstr(msg, "nested too deeply"));
	free(s);
	s = repeat("~", 100000, "7", "");
	ck_assert_int_eq(arith_eval(s, &env, &v, msg, sizeof msg), -1);
	free(s);
}
END_TEST

/* ours and theirs (dash's output) must be equal; else show the first differing line */
static void assert_same_output(const char *ours, const char *theirs, const char *inputs)
{
	size_t i = 0, start = 0, line = 1;

	if (strcmp(ours, theirs) == 0)
		return;
	for (; ours[i] && ours[i] == theirs[i]; i++)
		if (ours[i] == '\n') {
			line++;
			start = i + 1;
		}
	ck_abort_msg("output line %zu (inputs: %s): ours <%.*s> dash <%.*s>", line, inputs,
		     (int)strcspn(ours + start, "\n"), ours + start,
		     (int)strcspn(theirs + start, "\n"), theirs + start);
}

/*
 * Every pair of binary operators, both orders, with operand values that
 * tell precedence and associativity apart; and unary operators and
 * compound assignments in front of each. No expression fails, so one dash
 * evaluates them all.
 */
START_TEST(operator_pairs_against_dash)
{
	static const char *const ops[] = {"*", "/",  "%",  "+",  "-", "<<", ">>", "<",  "<=",
					  ">", ">=", "==", "!=", "&", "^",  "|",  "&&", "||"};
	static const char *const triples[][3] = {
		{"13", "6", "3"}, {"1", "2", "3"}, {"7", "7", "1"}, {"-5", "3", "2"}};
	enum { nops = sizeof ops / sizeof ops[0] };
	char dir[] = "/tmp/ush-arith-XXXXXX", path[64], cmd[256], *ours = NULL, *theirs;
	size_t ours_n = 0;
	FILE *script, *mine, *dash;

	if (access("/bin/dash", X_OK) != 0)
		return;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/script", dir);
	script = fopen(path, "w");
	ck_assert_ptr_nonnull(script);
	mine = open_memstream(&ours, &ours_n);
	for (size_t t = 0; t < sizeof triples / sizeof triples[0]; t++)
		for (int i = 0; i < nops; i++)
			for (int j = 0; j < nops + 5; j++) {
				char e[128], msg[128];
				intmax_t v;
				if (j < nops)
					snprintf(e, sizeof e, "%s %s %s %s %s", triples[t][0],
						 ops[i], triples[t][1], ops[j], triples[t][2]);
				else if (j < nops + 3)
					snprintf(e, sizeof e, "%c%s %s %s", "-!~"[j - nops],
						 triples[t][0], ops[i], triples[t][1]);
				else if (i < 7 || (i >= 13 && i < 16)) /* the ops with an op= */
					snprintf(e, sizeof e, "(x = %s) + (x %s= %s %s %s)",
						 triples[t][0], ops[i], triples[t][1],
						 ops[(i + j) % nops], triples[t][2]);
				else
					continue;
				reset();
				if (arith_eval(e, &env, &v, msg, sizeof msg) != 0) {
					/* x /= 0: errors are the random test's business */
					ck_assert_msg(strstr(msg, "division by zero") != NULL,
						      "%s: %s", e, msg);
					continue;
				}
				fprintf(script, "echo $((%s))\n", e);
				fprintf(mine, "%" PRIdMAX "\n", v);
			}
	fclose(script);
	fclose(mine);
	snprintf(cmd, sizeof cmd, "LANG=C /bin/dash %s", path);
	dash = popen(cmd, "r");
	ck_assert_ptr_nonnull(dash);
	{
		FILE *all;
		char buf[4096];
		size_t n, theirs_n = 0;
		theirs = NULL;
		all = open_memstream(&theirs, &theirs_n);
		while ((n = fread(buf, 1, sizeof buf, dash)) > 0)
			fwrite(buf, 1, n, all);
		fclose(all);
	}
	ck_assert_int_eq(pclose(dash), 0);
	assert_same_output(ours, theirs, path);
	unlink(path);
	rmdir(dir);
	free(ours);
	free(theirs);
}
END_TEST

/* a random expression over the test variables, numbers and every operator */
static unsigned long rng;

static unsigned pick(unsigned n)
{
	rng = rng * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(rng >> 33) % n;
}

static void gen(char *s, size_t cap, int depth)
{
	static const char *const atoms[] = {"0",
					    "1",
					    "2",
					    "7",
					    "3",
					    "010",
					    "0x1f",
					    "a",
					    "b",
					    "c",
					    "h",
					    "o",
					    "sp",
					    "x",
					    "e",
					    "9223372036854775807",
					    "99999999999999999999"};
	/* rarer: each of these fails the whole expression */
	static const char *const bad_atoms[] = {"08", "s", "0x", "1e3"};
	static const char *const binops[] = {"+", "-",  "*",  "/",  "%", "<<", ">>", "<",  "<=",
					     ">", ">=", "==", "!=", "&", "^",  "|",  "&&", "||"};
	static const char *const assignops[] = {
		"=", "+=", "-=", "*=", "/=", "%=", "<<=", ">>=", "&=", "^=", "|="};
	static const char *const junk[] = {"(", ")", "?", ":", "@", "**", "++", " ", "=", ","};
	size_t len = strlen(s);
	unsigned k = pick(100);

	if (len > cap / 2)
		k = 0;
	if (depth <= 0 || k < 25) {
		if (pick(50) == 0)
			snprintf(s + len, cap - len, "%s",
				 bad_atoms[pick(sizeof bad_atoms / sizeof bad_atoms[0])]);
		else
			snprintf(s + len, cap - len, "%s",
				 atoms[pick(sizeof atoms / sizeof atoms[0])]);
	} else if (k < 55) {
		gen(s, cap, depth - 1);
		len = strlen(s);
		snprintf(s + len, cap - len, "%s%s%s", pick(2) ? " " : "",
			 binops[pick(sizeof binops / sizeof binops[0])], pick(2) ? " " : "");
		gen(s, cap, depth - 1);
	} else if (k < 63) {
		snprintf(s + len, cap - len, "%s",
			 (const char *[]){"-", "!", "~", "+", " -"}[pick(5)]);
		gen(s, cap, depth - 1);
	} else if (k < 73) {
		snprintf(s + len, cap - len, "(");
		gen(s, cap, depth - 1);
		len = strlen(s);
		snprintf(s + len, cap - len, ")");
	} else if (k < 83) {
		gen(s, cap, depth - 1);
		len = strlen(s);
		snprintf(s + len, cap - len, " ? ");
		gen(s, cap, depth - 1);
		len = strlen(s);
		snprintf(s + len, cap - len, " : ");
		gen(s, cap, depth - 1);
	} else if (k < 98) {
		snprintf(s + len, cap - len, "(%c%s", "abcxy"[pick(5)],
			 assignops[pick(sizeof assignops / sizeof assignops[0])]);
		gen(s, cap, depth - 1);
		len = strlen(s);
		snprintf(s + len, cap - len, ")");
	} else {
		gen(s, cap, depth - 1);
		len = strlen(s);
		snprintf(s + len, cap - len, "%s", junk[pick(sizeof junk / sizeof junk[0])]);
		gen(s, cap, depth - 1);
	}
}

/* arbitrary bytes: no crash, no sanitizer report, a message whenever it fails */
START_TEST(random_bytes)
{
	static const char alphabet[] = "0123456789abxsc()?:+-*/%<>=!~&|^ \t\n@,";
	char e[40], msg[256];
	intmax_t v;

	rng = 5;
	for (int iter = 0; iter < 200000; iter++) {
		size_t n = pick(sizeof e - 1);
		for (size_t i = 0; i < n; i++)
			e[i] = iter % 4 ? alphabet[pick(sizeof alphabet - 1)]
					: (char)(1 + pick(255));
		e[n] = 0;
		reset();
		msg[0] = 'X';
		if (arith_eval(e, &env, &v, msg, sizeof msg) != 0) {
			ck_assert(msg[0] != 'X');
			ck_assert(memchr(msg, 0, sizeof msg) != NULL);
		}
	}
}
END_TEST

/*
 * Our lines for exprs[from..n), each "OUTPUT\n[STATUS]\n" as dash's
 * subshell prints it, evaluated in one child; when a trap kills the child
 * (INTMAX_MIN / -1) that expression gets "[136]" and a new child goes on.
 */
static void eval_all(char *const *exprs, int n, FILE *out)
{
	for (int from = 0; from < n;) {
		int fd[2], st, done = 0;
		char buf[4096];
		FILE *in;
		pid_t pid;

		ck_assert_int_eq(pipe(fd), 0);
		pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			close(fd[0]);
			for (int i = from; i < n; i++) {
				char line[1024], rec[1100];
				int len;
				eval_line(exprs[i], line, sizeof line);
				len = snprintf(rec, sizeof rec, "%s\n[%d]\n", line,
					       strncmp(line, "sh: ", 4) == 0 ? 2 : 0);
				if (write(fd[1], rec, (size_t)len) != len)
					_exit(1);
			}
			_exit(0);
		}
		close(fd[1]);
		in = fdopen(fd[0], "r");
		ck_assert_ptr_nonnull(in);
		while (fgets(buf, sizeof buf, in)) {
			fputs(buf, out);
			done += buf[0] == '[';
		}
		fclose(in);
		ck_assert_int_eq(waitpid(pid, &st, 0), pid);
		if (WIFSIGNALED(st)) {
			fprintf(out, "[%d]\n", 128 + WTERMSIG(st));
			from += done + 1;
		} else {
			ck_assert_int_eq(WEXITSTATUS(st), 0);
			from = n;
		}
	}
}

START_TEST(random_against_dash)
{
	char dir[] = "/tmp/ush-arith-XXXXXX", path[64], cmd[512], *ours = NULL, *theirs = NULL;
	size_t ours_n = 0, theirs_n = 0;
	FILE *exprs, *mine, *dash;
	enum { count = 800 };
	char *all[count];

	if (access("/bin/dash", X_OK) != 0)
		return;
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/exprs", dir);
	exprs = fopen(path, "w");
	ck_assert_ptr_nonnull(exprs);
	mine = open_memstream(&ours, &ours_n);
	rng = 20261122;
	for (int i = 0; i < count; i++) {
		char e[600] = "";
		gen(e, sizeof e, 1 + (int)pick(6));
		/* now and then the trap, mid-batch */
		if (i % 200 == 100)
			snprintf(e, sizeof e, "(x = -9223372036854775807 - 1) %s -1",
				 i % 400 == 100 ? "/" : "%");
		fprintf(exprs, "%s\n", e);
		all[i] = strdup(e);
	}
	fclose(exprs);
	eval_all(all, count, mine);
	fclose(mine);
	for (int i = 0; i < count; i++)
		free(all[i]);
	/* one dash for all: each expression in a subshell, errors to stdout */
	snprintf(cmd, sizeof cmd,
		 "LANG=C /bin/dash -c 'while IFS= read -r l; do (a=3 b=0 c=-7 h=0x10 o=010 s=abc "
		 "e= sp=\" 5 \"; r=$(($l)); echo \"$r $a $b $c $h $o $s $e $sp $x $y\") 2>&1; "
		 "echo \"[$?]\"; done' sh <%s 2>/dev/null",
		 path);
	dash = popen(cmd, "r");
	ck_assert_ptr_nonnull(dash);
	{
		FILE *all = open_memstream(&theirs, &theirs_n);
		char buf[4096];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, dash)) > 0)
			fwrite(buf, 1, n, all);
		fclose(all);
	}
	ck_assert_int_eq(pclose(dash), 0);
	ck_assert_ptr_nonnull(strstr(ours, "\n[136]\n"));
	{
		/* most expressions must compute something, not fail early */
		int ok = 0;
		for (const char *p = ours; (p = strstr(p, "\n[0]\n")); p++)
			ok++;
		ck_assert_int_gt(ok, count / 2);
	}
	assert_same_output(ours, theirs, path);
	unlink(path);
	rmdir(dir);
	free(ours);
	free(theirs);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("arith");
	TCase *tc = tcase_create("core");
	SRunner *sr;
	int failed;

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, recorded_from_dash);
	tcase_add_test(tc, read_only_variable);
	tcase_add_test(tc, assignment_text);
	tcase_add_test(tc, no_environment);
	tcase_add_test(tc, short_message_buffer);
	tcase_add_test(tc, intmax_min_by_minus_one_traps);
	tcase_add_test(tc, deep_nesting);
	tcase_add_test(tc, operator_pairs_against_dash);
	tcase_add_test(tc, random_bytes);
	tcase_add_test(tc, random_against_dash);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
