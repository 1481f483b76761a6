/* SPDX-License-Identifier: MIT */
/* Unit tests (Check) for ush's lexer, parser, classifier and expansion. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "sh.h"

static char buf[1 << 20];
static struct ush_arena arena;
static struct ush_line line;
static char *env[] = {"PATH=/usr/bin:/bin", "X=a  b", "E=", "G=*.c", "CC=gcc -O2", NULL};

static enum ush_class parse(const char *s)
{
	arena.buf = buf;
	arena.cap = sizeof buf;
	arena.used = 0;
	enum ush_class c = ush_parse(&arena, s, strlen(s), &line);
	if (c == USH_SPAWN || c == USH_NATIVE)
		c = ush_check(&line, env);
	return c;
}

static struct ush_cmd *cmd0(void)
{
	return &line.items[0].pipes[0].cmds[0];
}

static const char *lookup(void *ctx, const char *name, size_t n)
{
	return env_get(ctx, name, n);
}

/* The fields of the first command's words, joined with '|'. */
static const char *fields(const char *s)
{
	static char out[256];
	struct expander x = {&arena, lookup, env, 7};
	struct argv_vec av = {0};

	ck_assert_int_ne(parse(s), USH_DELEGATE);
	for (unsigned i = 0; i < cmd0()->nargs; i++)
		ck_assert_int_eq(expand_fields(&x, &cmd0()->args[i], &av), 0);
	out[0] = 0;
	for (unsigned i = 0; i < av.n; i++) {
		if (i)
			strcat(out, "|");
		strcat(out, av.v[i]);
	}
	return out;
}

START_TEST(simple_is_spawn)
{
	ck_assert_int_eq(parse("cc -c x.c -o x.o"), USH_SPAWN);
	ck_assert_uint_eq(cmd0()->nargs, 5);
	ck_assert_int_eq(parse("FOO=1 make > log"), USH_SPAWN);
	ck_assert_uint_eq(cmd0()->nassigns, 1);
	ck_assert_uint_eq(cmd0()->nredirs, 1);
}
END_TEST

START_TEST(native_forms)
{
	ck_assert_int_eq(parse("a && b"), USH_NATIVE);
	ck_assert_int_eq(parse("a; b"), USH_NATIVE);
	ck_assert_int_eq(parse("a | b"), USH_NATIVE);
	ck_assert_int_eq(parse("! a"), USH_NATIVE);
	ck_assert_int_eq(parse("echo hi"), USH_NATIVE);
	ck_assert_int_eq(parse("cd dir"), USH_NATIVE);
	ck_assert_int_eq(parse("test -f x || exit 1"), USH_NATIVE);
	ck_assert_int_eq(parse("[ ! -d x ]"), USH_NATIVE);
	ck_assert_int_eq(parse("a 2> err"), USH_NATIVE); /* fd 2: messages must follow it */
	ck_assert_int_eq(parse(""), USH_NATIVE);
	ck_assert_int_eq(parse("# only a comment"), USH_NATIVE);
}
END_TEST

START_TEST(delegations)
{
	static const char *const cases[][2] = {
		{"echo *.c", "glob"},
		{"echo $(pwd)", "command substitution"},
		{"echo `pwd`", "backquote"},
		{"if true; then :; fi", "compound command"},
		{"for i in 1; do :; done", "compound command"},
		{"f() { :; }", "subshell"},
		{"cat <<EOF", "here-document"},
		{"echo $((1+1))", "command substitution"},
		{"echo ~", "tilde"},
		{"echo $1", "special parameter"},
		{"echo $@", "special parameter"},
		{"echo ${#X}", "parameter expansion"},
		{"a &", "background"},
		{"printf x", "builtin"},
		{"test -x f", "test form"},
		{"[ -f x", "test form"},
		{"echo [x", "glob"},
		{"set -x", "set"},
		{"IFS=: ; a", "special variable"},
		{"echo $G", "glob in an expansion"},
		{"$CC x.c", NULL},
		{"A=1 echo", "assignment before a builtin"},
		{"echo 3>x", "fd above 2"},
		{"cd -", "cd option"},
		{"export", "export without names"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum ush_class c = parse(cases[i][0]);
		if (!cases[i][1]) {
			ck_assert_int_eq(c, USH_SPAWN);
			continue;
		}
		ck_assert_msg(c == USH_DELEGATE, "%s: class %d", cases[i][0], c);
		ck_assert_str_eq(line.reason, cases[i][1]);
	}
}
END_TEST

START_TEST(syntax_errors)
{
	ck_assert_int_eq(parse("a |"), USH_SYNTAX);
	ck_assert_int_eq(parse("&& a"), USH_SYNTAX);
	ck_assert_int_eq(parse("; a"), USH_SYNTAX);
	ck_assert_int_eq(parse("a > "), USH_SYNTAX);
	ck_assert_int_eq(parse("a > ;"), USH_SYNTAX);
	ck_assert_int_eq(parse("a && || b"), USH_SYNTAX);
}
END_TEST

START_TEST(quotes_and_escapes)
{
	ck_assert_str_eq(fields("echo 'a  b' \"c  d\" e\\ f"), "echo|a  b|c  d|e f");
	ck_assert_str_eq(fields("echo \"a\\$b\\\\c\\d\""), "echo|a$b\\c\\d");
	ck_assert_str_eq(fields("echo x''y \"\" ''"), "echo|xy||");
	ck_assert_str_eq(fields("echo a\\\nb"), "echo|ab");
	ck_assert_str_eq(fields("echo a#b #c"), "echo|a#b");
}
END_TEST

START_TEST(field_splitting)
{
	ck_assert_str_eq(fields("echo $X"), "echo|a|b");
	ck_assert_str_eq(fields("echo \"$X\""), "echo|a  b");
	ck_assert_str_eq(fields("echo $E"), "echo");
	ck_assert_str_eq(fields("echo \"$E\""), "echo|");
	ck_assert_str_eq(fields("echo x$X"), "echo|xa|b");
	ck_assert_str_eq(fields("echo ${NO:-d} ${E-u} ${X:+s} $?"), "echo|d|s|7");
	ck_assert_str_eq(fields("echo ${E:-d}${NO+z}"), "echo|d");
}
END_TEST

START_TEST(assignments_and_redirs)
{
	ck_assert_int_eq(parse("A=1 B='x y' cmd 2>&1 >out <in 1>>log 0<&-"), USH_NATIVE);
	struct ush_cmd *c = cmd0();
	ck_assert_uint_eq(c->nassigns, 2);
	ck_assert_int_eq((int)c->assigns[1].n, 1);
	ck_assert_int_eq(c->assigns[1].name[0], 'B');
	ck_assert_uint_eq(c->nredirs, 5);
	ck_assert_int_eq(c->redirs[0].op, USH_R_DUPOUT);
	ck_assert_int_eq(c->redirs[0].fd, 2);
	ck_assert_int_eq(c->redirs[0].dup, 1);
	ck_assert_int_eq(c->redirs[1].op, USH_R_OUT);
	ck_assert_int_eq(c->redirs[2].op, USH_R_IN);
	ck_assert_int_eq(c->redirs[3].op, USH_R_APPEND);
	ck_assert_int_eq(c->redirs[4].dup, -1);
	ck_assert_int_eq(parse("echo a=b"), USH_NATIVE);
	ck_assert_uint_eq(cmd0()->nassigns, 0);
}
END_TEST

START_TEST(structure_and_lines)
{
	ck_assert_int_eq(parse("a && b || c; d\n\ne | f |\ng"), USH_NATIVE);
	ck_assert_uint_eq(line.nitems, 3);
	ck_assert_uint_eq(line.items[0].npipes, 3);
	ck_assert_int_eq(line.items[0].ops[0], '&');
	ck_assert_int_eq(line.items[0].ops[1], '|');
	ck_assert_uint_eq(line.items[2].pipes[0].ncmds, 3);
	ck_assert_uint_eq(line.items[2].pipes[0].cmds[0].lineno, 3);
	ck_assert_uint_eq(line.items[2].pipes[0].cmds[2].lineno, 4);
}
END_TEST

START_TEST(spawn_prepare_and_errors)
{
	struct ush_spawn sp;
	char msg[256];

	ck_assert_int_eq(parse("FOO=1 ls -l > out < in"), USH_SPAWN);
	ck_assert_int_eq(ush_prepare_spawn(&arena, &line, env, &sp), 0);
	ck_assert_str_eq(sp.argv[0], "ls");
	ck_assert_int_eq(sp.lookup_error, 0);
	ck_assert_uint_eq(sp.nactions, 2);
	ck_assert_int_eq(sp.actions[0].op, USPAWN_FA_OPEN);
	ck_assert_int_eq(sp.actions[0].oflag, O_WRONLY | O_CREAT | O_TRUNC);
	int st = ush_spawn_error(&sp, "sh", ENOENT, USPAWN_STAGE_ACTION, 0, msg, sizeof msg);
	ck_assert_int_eq(st, 2);
	ck_assert_str_eq(msg, "sh: 1: cannot create out: Directory nonexistent\n");
	st = ush_spawn_error(&sp, "sh", ENOENT, USPAWN_STAGE_ACTION, 1, msg, sizeof msg);
	ck_assert_str_eq(msg, "sh: 1: cannot open in: No such file\n");
	st = ush_spawn_error(&sp, "sh", EACCES, USPAWN_STAGE_EXEC, 0, msg, sizeof msg);
	ck_assert_int_eq(st, 126);
	ck_assert_str_eq(msg, "sh: 1: ls: Permission denied\n");
	int found = 0;
	for (char **e = sp.envp; *e; e++)
		found += !strcmp(*e, "FOO=1");
	ck_assert_int_eq(found, 1);

	ck_assert_int_eq(parse("no-such-command-xyz"), USH_SPAWN);
	ck_assert_int_eq(ush_prepare_spawn(&arena, &line, env, &sp), 0);
	ck_assert_int_eq(sp.lookup_error, ENOENT);
	st = ush_spawn_error(&sp, "uring-sh", 0, USPAWN_STAGE_NONE, 0, msg, sizeof msg);
	ck_assert_int_eq(st, 127);
	ck_assert_str_eq(msg, "uring-sh: 1: no-such-command-xyz: not found\n");
}
END_TEST

/* The USH_SPAWN path end to end through libuspawn, as uring-run would use it. */
static int spawn_line(const char *text, char *msg, size_t n)
{
	struct ush_spawn sp;
	struct uspawn_cmd cmd;
	struct uspawn_event ev;
	struct uspawn *u = uspawn_open(NULL);
	char tmpl[] = "/tmp/ush-test-XXXXXX";
	char *dir = mkdtemp(tmpl);

	ck_assert_ptr_nonnull(u);
	ck_assert_ptr_nonnull(dir);
	ck_assert_int_eq(parse(text), USH_SPAWN);
	ck_assert_int_eq(ush_prepare_spawn(&arena, &line, env, &sp), 0);
	uspawn_cmd_init(&cmd);
	cmd.path = sp.path;
	cmd.argv = sp.argv;
	cmd.envp = sp.envp;
	cmd.cwd = dir;
	cmd.actions = sp.actions;
	cmd.n_actions = sp.nactions;
	ck_assert_int_ge(uspawn_run(u, &cmd, &ev), 0);
	int status =
		ev.error ? ush_spawn_error(&sp, "sh", ev.error, ev.stage, ev.stage_index, msg, n)
			 : WEXITSTATUS(ev.status);
	char out[64];
	snprintf(out, sizeof out, "%s/out", dir);
	int created = access(out, F_OK) == 0;
	unlink(out);
	rmdir(dir);
	uspawn_close(u);
	return created ? status + 1000 : status;
}

START_TEST(spawn_through_libuspawn)
{
	char msg[256] = "";

	ck_assert_int_eq(spawn_line("ls > out", msg, sizeof msg), 1000);
	ck_assert_int_eq(spawn_line("no-such-command-xyz > out", msg, sizeof msg), 1127);
	ck_assert_str_eq(msg, "sh: 1: no-such-command-xyz: not found\n");
	ck_assert_int_eq(spawn_line("ls < nofile", msg, sizeof msg), 2);
	ck_assert_str_eq(msg, "sh: 1: cannot open nofile: No such file\n");
	ck_assert_int_eq(spawn_line("/etc/passwd", msg, sizeof msg), 126);
	ck_assert_str_eq(msg, "sh: 1: /etc/passwd: Permission denied\n");
}
END_TEST

START_TEST(arena_exhaustion_delegates)
{
	static char small[256];
	struct ush_arena a = {small, sizeof small, 0};
	const char *s = "echo a b c d e f g h i j k l m n o p q r s t u v w x y z";
	ck_assert_int_eq(ush_parse(&a, s, strlen(s), &line), USH_DELEGATE);
	ck_assert_str_eq(line.reason, "out of memory");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("ush");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, simple_is_spawn);
	tcase_add_test(tc, native_forms);
	tcase_add_test(tc, delegations);
	tcase_add_test(tc, syntax_errors);
	tcase_add_test(tc, quotes_and_escapes);
	tcase_add_test(tc, field_splitting);
	tcase_add_test(tc, assignments_and_redirs);
	tcase_add_test(tc, structure_and_lines);
	tcase_add_test(tc, spawn_prepare_and_errors);
	tcase_add_test(tc, spawn_through_libuspawn);
	tcase_add_test(tc, arena_exhaustion_delegates);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
