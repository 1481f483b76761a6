/* SPDX-License-Identifier: MIT */
/*
 * Unit tests (Check) of ush_decide(): which lines are one external command
 * to spawn directly and with what, which go to uring-sh or /bin/sh; that a
 * direct spawn gives what `dash -c LINE` gives (output and environment);
 * dash's words for a failed start; no memory but the arena's.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ush.h"

static char buf[1 << 20];
static struct ush_arena arena;
static struct ush_spawn sp;
static const char *why;
static char *env[] = {"PATH=/usr/bin:/bin", "X=a  b",  "E=",       "G=*.c",
		      "CC=cat -n",          "HOME=/h", "P=/a/b.c", NULL};

static enum ush_how decide_in(const char *s, char **envp)
{
	arena = (struct ush_arena){buf, sizeof buf, 0};
	return ush_decide(&arena, s, strlen(s), "/bin/sh", envp, &sp, &why);
}

static enum ush_how decide(const char *s)
{
	return decide_in(s, env);
}

/* the argv of a direct line, joined with '|' */
static const char *fields(const char *s)
{
	static char out[512];

	ck_assert_msg(decide(s) == USH_DIRECT, "%s: not direct (%s)", s, why ? why : "");
	out[0] = 0;
	for (char **a = sp.argv; *a; a++) {
		if (a != sp.argv)
			strcat(out, "|");
		strcat(out, *a);
	}
	return out;
}

static int env_has(char **e, const char *entry)
{
	for (; *e; e++)
		if (!strcmp(*e, entry))
			return 1;
	return 0;
}

START_TEST(one_command_is_direct)
{
	ck_assert_str_eq(fields("cat -c x.c -o x.o"), "cat|-c|x.c|-o|x.o");
	ck_assert_str_eq(sp.path, "/usr/bin/cat");
	ck_assert_int_eq(decide("FOO=1 cat > log"), USH_DIRECT);
	ck_assert(env_has(sp.envp, "FOO=1"));
	ck_assert_uint_eq(sp.nactions, 1);
	ck_assert_int_eq(sp.actions[0].op, USPAWN_FA_OPEN);
	ck_assert_str_eq(sp.actions[0].path, "log");
	ck_assert_int_eq(decide("/bin/true"), USH_DIRECT);
	ck_assert_int_eq(decide("cat;"), USH_DIRECT);
}
END_TEST

START_TEST(uring_sh_runs_the_rest)
{
	static const char *const lines[] = {
		"a && b",
		"cat; cat",
		"cat | cat",
		"! cat",
		"cat &",
		"echo hi", /* a builtin */
		"cd dir",
		"x=1",        /* no command */
		"$E",         /* no field */
		"cat 2> err", /* the shell's messages follow fd 2 */
		"",           /* nothing */
		"# only a comment",
		"cat *.c",    /* a glob to read */
		"cat $G",     /* a glob from a variable */
		"cat $(pwd)", /* commands of its own */
		"cat `pwd`",
		"cat $((1+1))",
		"cat ${u=1}",    /* assigns */
		"cat ${u?gone}", /* may end the shell */
		"cat $$",        /* no shell process to have that pid */
		"cat ~root",     /* dash asks NSS */
		"if true; then cat; fi",
		"f() { cat; }",
		"cat <<EOF\nx\nEOF",
		"cat 3> x", /* the caller's fds above 2 */
		"cat >&5",
		"cat >&$X",
		"printf x",
		"A=1 echo",
	};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		ck_assert_msg(decide(lines[i]) == USH_URING_SH, "%s: %d (%s)", lines[i],
			      decide(lines[i]), why ? why : "");
}
END_TEST

START_TEST(sh_says_what_is_wrong)
{
	ck_assert_int_eq(decide("cat |"), USH_SH);
	ck_assert_str_eq(why, "syntax error");
	ck_assert_int_eq(decide("&& cat"), USH_SH);
	ck_assert_int_eq(decide("cat > ;"), USH_SH);
	ck_assert_int_eq(decide("no-such-command-xyz a"), USH_SH);
	ck_assert_str_eq(why, "not found");
	ck_assert_int_eq(sp.lookup_error, ENOENT);
}
END_TEST

START_TEST(the_whole_expander)
{
	ck_assert_str_eq(fields("cat 'a  b' \"c  d\" e\\ f"), "cat|a  b|c  d|e f");
	ck_assert_str_eq(fields("cat \"a\\$b\\\\c\\d\""), "cat|a$b\\c\\d");
	ck_assert_str_eq(fields("cat x''y \"\" ''"), "cat|xy||");
	ck_assert_str_eq(fields("cat a\\\nb"), "cat|ab");
	ck_assert_str_eq(fields("cat $X \"$X\" x$X $E \"$E\""), "cat|a|b|a  b|xa|b|");
	ck_assert_str_eq(fields("cat ${NO:-d} ${E-u} ${X:+s} $?"), "cat|d|s|0");
	/* what the subset parser left to uring-sh */
	ck_assert_str_eq(fields("cat ~/x ${P##*/} ${P%.c} ${#X} $0 $#"),
			 "cat|/h/x|b.c|/a/b|4|/bin/sh|0");
	ck_assert_str_eq(fields("$CC x.c"), "cat|-n|x.c");
	ck_assert_str_eq(fields("cat \"$@\" $* \"${NO-$X}\""), "cat|a  b");
	ck_assert_str_eq(fields("cat '*.c' \\?"), "cat|*.c|?");
}
END_TEST

START_TEST(redirections_are_file_actions)
{
	ck_assert_int_eq(decide("cat <in >out >>log <>rw >|clob 0<&- 1>&0"), USH_DIRECT);
	ck_assert_uint_eq(sp.nactions, 7);
	ck_assert_int_eq(sp.actions[0].oflag, O_RDONLY);
	ck_assert_int_eq(sp.actions[0].fd, 0);
	ck_assert_int_eq(sp.actions[1].oflag, O_WRONLY | O_CREAT | O_TRUNC);
	ck_assert_int_eq(sp.actions[2].oflag, O_WRONLY | O_CREAT | O_APPEND);
	ck_assert_int_eq(sp.actions[3].oflag, O_RDWR | O_CREAT);
	ck_assert_int_eq(sp.actions[4].oflag, O_WRONLY | O_CREAT | O_TRUNC);
	ck_assert_int_eq(sp.actions[5].op, USPAWN_FA_CLOSE);
	ck_assert_int_eq(sp.actions[5].fd, 0);
	ck_assert_int_eq(sp.actions[6].op, USPAWN_FA_DUP2);
	ck_assert_int_eq(sp.actions[6].src, 0);
	ck_assert_int_eq(sp.actions[6].fd, 1);
	ck_assert_int_eq(decide("cat > \"$P\".o"), USH_DIRECT);
	ck_assert_str_eq(sp.actions[0].path, "/a/b.c.o");
}
END_TEST

/* each assignment sees the ones before it; the words do not */
START_TEST(assignments_in_order)
{
	ck_assert_int_eq(decide("A=1 B=$A C=${B}x cat $A"), USH_DIRECT);
	ck_assert(env_has(sp.envp, "A=1"));
	ck_assert(env_has(sp.envp, "B=1"));
	ck_assert(env_has(sp.envp, "C=1x"));
	ck_assert_uint_eq(sp.argv[1] == NULL, 1);
	ck_assert_int_eq(decide("PATH=/nonexistent cat"), USH_SH);
	ck_assert_int_eq(decide("PATH=/bin:$PATH ls"), USH_DIRECT);
	ck_assert_str_eq(sp.path, "/bin/ls");
	ck_assert_int_eq(decide("PATH=bin:/bin ls"), USH_URING_SH);
	ck_assert_str_eq(why, "relative PATH entry");
}
END_TEST

/* dash's line numbers and words for a start that failed */
START_TEST(spawn_errors_in_dash_words)
{
	char msg[256];

	ck_assert_int_eq(decide("FOO=1 ls -l > out < in"), USH_DIRECT);
	int st = ush_spawn_error(&sp, "sh", ENOENT, USPAWN_STAGE_ACTION, 0, msg, sizeof msg);
	ck_assert_int_eq(st, 2);
	ck_assert_str_eq(msg, "sh: 1: cannot create out: Directory nonexistent\n");
	ush_spawn_error(&sp, "sh", ENOENT, USPAWN_STAGE_ACTION, 1, msg, sizeof msg);
	ck_assert_str_eq(msg, "sh: 1: cannot open in: No such file\n");
	st = ush_spawn_error(&sp, "sh", EACCES, USPAWN_STAGE_EXEC, 0, msg, sizeof msg);
	ck_assert_int_eq(st, 126);
	ck_assert_str_eq(msg, "sh: 1: ls: Permission denied\n");
	ck_assert_int_eq(decide("\n\nno-such-command-xyz"), USH_SH);
	st = ush_spawn_error(&sp, "uring-sh", 0, USPAWN_STAGE_NONE, 0, msg, sizeof msg);
	ck_assert_int_eq(st, 127);
	ck_assert_str_eq(msg, "uring-sh: 3: no-such-command-xyz: not found\n");
}
END_TEST

static int by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* line spawned directly or run by dash -c, here: its stdout, sorted by line */
static char *run(const char *line, char **envp, int direct, int *status)
{
	struct uspawn *u = uspawn_open(NULL);
	struct uspawn_cmd cmd;
	struct uspawn_event ev;
	int fds[2];
	char *sh_argv[] = {"/bin/sh", "-c", (char *)line, NULL};

	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(pipe(fds), 0);
	uspawn_cmd_init(&cmd);
	/* the caller's own actions first, as the preload's and uring-run's */
	struct uspawn_fa fa[8] = {
		{.op = USPAWN_FA_DUP2, .fd = 1, .src = fds[1]},
		{.op = USPAWN_FA_OPEN, .fd = 2, .path = "/dev/null", .oflag = O_WRONLY},
	};
	if (direct) {
		ck_assert_msg(decide_in(line, envp) == USH_DIRECT, "%s (%s)", line, why);
		ck_assert_uint_le(sp.nactions, 6);
		memcpy(fa + 2, sp.actions, sp.nactions * sizeof *fa);
		cmd.path = sp.path;
		cmd.argv = sp.argv;
		cmd.envp = sp.envp;
		cmd.n_actions = 2 + sp.nactions;
	} else {
		cmd.path = "/bin/dash";
		cmd.argv = sh_argv;
		cmd.envp = envp;
		cmd.n_actions = 2;
	}
	cmd.actions = fa;
	ck_assert_int_ge(uspawn_run(u, &cmd, &ev), 0);
	close(fds[1]);
	static char out[2][8192];
	char *o = out[direct];
	ssize_t n, k = 0;
	while ((n = read(fds[0], o + k, sizeof out[0] - 1 - k)) > 0)
		k += n;
	close(fds[0]);
	o[k] = 0;
	*status = ev.error ? -ev.error : WEXITSTATUS(ev.status);
	uspawn_close(u);
	/* env prints in its own order: sort */
	char *lines[256];
	unsigned nl = 0;
	for (char *p = strtok(o, "\n"); p && nl < 256; p = strtok(NULL, "\n"))
		lines[nl++] = strdup(p);
	qsort(lines, nl, sizeof *lines, by_text);
	o[0] = 0;
	for (unsigned i = 0; i < nl; i++) {
		strcat(o, lines[i]);
		strcat(o, "\n");
		free(lines[i]);
	}
	return o;
}

/*
 * What dash -c gives is what the direct spawn gives: output, status,
 * environment (dash resets IFS, OPTIND and PPID, drops names that are
 * none, exports PWD, takes the last of a name twice). Both run here, as
 * the preload's and uring-run's lines run in their caller's directory.
 */
START_TEST(direct_is_dash)
{
	char tmpl[] = "/tmp/ush-decide-XXXXXX", old[4096];
	char *dir = mkdtemp(tmpl);
	char pwd[64];
	snprintf(pwd, sizeof pwd, "PWD=%s", dir);
	char *denv[] = {"PATH=/usr/bin:/bin",
			"IFS=:",
			"OPTIND=4",
			"PPID=1",
			"BAD-NAME=1",
			"X=a  b",
			"HOME=/h",
			pwd,
			"X=last",
			NULL};
	static const char *const lines[] = {
		"env",
		"A=1 B=$A IFS=x env",
		"/usr/bin/printf '[%s]' $X ~ ${X%t} \"$0\" $# > f; /usr/bin/cat f",
		"cat < f",
		"PWD=/x OLDPWD=/y env",
		"cat nosuchfile",
	};
	int st;

	ck_assert_ptr_nonnull(dir);
	ck_assert_ptr_nonnull(getcwd(old, sizeof old));
	ck_assert_int_eq(chdir(dir), 0);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		char *want = run(lines[i], denv, 0, &st);
		/* two commands (dash's run writes f for the next line) */
		if (decide_in(lines[i], denv) != USH_DIRECT)
			continue;
		int got_st;
		char *got = run(lines[i], denv, 1, &got_st);
		ck_assert_msg(!strcmp(want, got), "%s:\ndash:\n%s\ndirect:\n%s", lines[i], want,
			      got);
		ck_assert_int_eq(st, got_st);
	}
	unlink("f");
	ck_assert_int_eq(chdir(old), 0);
	ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(arena_too_small)
{
	static char small[6000];
	struct ush_arena a = {small, sizeof small, 0};
	const char *s =
		"cat a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j";

	ck_assert_int_eq(ush_decide(&a, s, strlen(s), "sh", env, &sp, &why), USH_SH);
	ck_assert_uint_le(a.used, sizeof small);
}
END_TEST

#ifndef __SANITIZE_ADDRESS__
/* every allocation of the process, counted while `counting` */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t m);
extern void *__libc_realloc(void *p, size_t n);
static volatile int counting, allocations;

void *malloc(size_t n)
{
	allocations += counting;
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t m)
{
	allocations += counting;
	return __libc_calloc(n, m);
}

void *realloc(void *p, size_t n)
{
	allocations += counting;
	return __libc_realloc(p, n);
}

START_TEST(no_memory_but_the_arena)
{
	static const char *const lines[] = {
		"A=1 B=$A cat ~/x ${X%% *} \"$@\" $X${E:-d} < in > out",
		"cat $(pwd)",
		"cat *.c",
		"if x; then y; fi",
		"cat |",
		"no-such-command-xyz",
	};
	counting = 1; /* the counting itself works */
	allocations = 0;
	char *volatile p = malloc(8);
	free(p);
	counting = 0;
	ck_assert_int_eq(allocations, 1);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		counting = 1;
		allocations = 0;
		decide(lines[i]);
		counting = 0;
		ck_assert_msg(allocations == 0, "%s: %d allocations", lines[i], allocations);
	}
}
END_TEST
#endif

int main(void)
{
	Suite *s = suite_create("decide");
	TCase *tc = tcase_create("decide");

	tcase_add_test(tc, one_command_is_direct);
	tcase_add_test(tc, uring_sh_runs_the_rest);
	tcase_add_test(tc, sh_says_what_is_wrong);
	tcase_add_test(tc, the_whole_expander);
	tcase_add_test(tc, redirections_are_file_actions);
	tcase_add_test(tc, assignments_in_order);
	tcase_add_test(tc, spawn_errors_in_dash_words);
	tcase_add_test(tc, direct_is_dash);
	tcase_add_test(tc, arena_too_small);
#ifndef __SANITIZE_ADDRESS__
	tcase_add_test(tc, no_memory_but_the_arena);
#endif
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
