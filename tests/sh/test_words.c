/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of state/vars.c (variables, special parameters) and expand/
 * (expansion) in-process, on hand-built words. Expected values are dash
 * 0.5.12's; the differential corpus (corpus_words.txt) checks the same
 * code through the whole shell.
 *
 * Both are in the ush library, without the evaluator: what they need of it
 * (struct shell_ops) is this test's (shell_fail returns here through a
 * longjmp).
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "shell.h"

static char msgbuf[1024];
static jmp_buf failed;
static int fail_status;

static void t_msg(struct shell *sh, const char *a, const char *b, const char *c, const char *d)
{
	(void)sh;
	snprintf(msgbuf, sizeof msgbuf, "%s%s%s%s", a, b ? b : "", c ? c : "", d ? d : "");
}

__attribute__((noreturn)) static void t_exit(struct shell *sh, int status)
{
	(void)sh;
	fail_status = status;
	longjmp(failed, 1);
}

static char *t_cmdsubst(struct shell *sh, struct node *cmd, size_t *len)
{
	(void)sh, (void)cmd;
	*len = 6;
	return strdup("out  x");
}

/* OPTIND's and PATH's hooks (builtins/getopts.c, state/cmdtable.c in uring-sh) */
static int t_optind(struct shell *sh, const char *value)
{
	(void)sh, (void)value;
	return 0;
}

static void t_path(void)
{
}

static const struct shell_ops ops = {t_cmdsubst, t_msg, t_exit, t_path, t_optind};

static char *env0[] = {"A=1", "A=2", "a-b=3", "B=", "IFS=x", "PS1=zz", "OPTIND=7", NULL};
static char *params0[] = {"a", "", NULL};
static struct shell sh;

static void setup(void)
{
	memset(&sh, 0, sizeof sh);
	sh.environ = env0;
	sh.ops = &ops;
	sh.arg0 = "sh";
	sh.params = params0;
	sh.nparams = 2;
	sh.rootpid = 4242;
	msgbuf[0] = 0;
}

/* words from a tiny notation: 'L' literal, 'Q' quoted literal, 'P' $name, 'R' "$name" */
static struct wpart parts[16];
static struct param params[16];
static struct word word;

static struct word *mk(const char *spec, ...)
{
	va_list ap;
	unsigned n = 0;

	va_start(ap, spec);
	memset(parts, 0, sizeof parts);
	memset(params, 0, sizeof params);
	for (const char *c = spec; *c; c++, n++) {
		const char *s = va_arg(ap, const char *);
		struct wpart *p = &parts[n];
		p->quoted = *c == 'Q' || *c == 'R';
		/* consecutive quoted parts are one "...", as the parser marks them */
		p->dqstart = p->quoted && (n == 0 || !parts[n - 1].quoted);
		if (*c == 'L' || *c == 'Q') {
			p->type = WP_LIT;
			p->s = s;
			p->n = strlen(s);
		} else {
			p->type = WP_PARAM;
			p->param = &params[n];
			params[n].name = s;
			params[n].n = strlen(s);
		}
	}
	va_end(ap);
	word.parts = parts;
	word.nparts = n;
	return &word;
}

/* the fields of w joined as "[f1][f2]" */
static const char *fields(struct word *w)
{
	static char buf[512];
	struct strvec sv = {0};

	buf[0] = 0;
	ck_assert_int_eq(words_expand(&sh, w, 1, &sv), 0);
	for (unsigned i = 0; i < sv.n; i++) {
		strcat(buf, "[");
		strcat(buf, sv.v[i]);
		strcat(buf, "]");
		free(sv.v[i]);
	}
	strvec_free(&sv);
	return buf;
}

START_TEST(import_environment)
{
	ck_assert_str_eq(shvar_get(&sh, "A", 1), "2");
	ck_assert_ptr_null(shvar_get(&sh, "a-b", 3));
	ck_assert_str_eq(shvar_get(&sh, "B", 1), "");
	ck_assert_str_eq(shvar_get(&sh, "IFS", 3), " \t\n");
	ck_assert_str_eq(shvar_get(&sh, "OPTIND", 6), "1");
	ck_assert_str_eq(shvar_get(&sh, "PS1", 3), "zz");
	ck_assert_str_eq(shvar_get(&sh, "PS2", 3), "> ");
	ck_assert_str_eq(shvar_get(&sh, "PS4", 3), "+ ");
	ck_assert_ptr_nonnull(shvar_get(&sh, "PPID", 4));
	ck_assert_ptr_nonnull(shvar_get(&sh, "PATH", 4));
	ck_assert_uint_eq(shvar_flags(&sh, "A", 1), SHVAR_EXPORT | SHVAR_SET);
	ck_assert_uint_eq(shvar_flags(&sh, "IFS", 3), SHVAR_EXPORT | SHVAR_SET);
	ck_assert_uint_eq(shvar_flags(&sh, "PS2", 3), SHVAR_SET);
	ck_assert_uint_eq(shvar_flags(&sh, "nosuch", 6), 0);
}
END_TEST

static int in_env(char **env, const char *entry)
{
	for (; env && *env; env++)
		if (!strcmp(*env, entry))
			return 1;
	return 0;
}

START_TEST(environment_for_children)
{
	char **env = shvar_environ(&sh);

	ck_assert(in_env(env, "A=2"));
	ck_assert(in_env(env, "B="));
	ck_assert(in_env(env, "IFS= \t\n"));
	ck_assert(!in_env(env, "a-b=3"));
	ck_assert(!in_env(env, "PS2=> "));
	ck_assert_ptr_eq(shvar_environ(&sh), env); /* cached */
	ck_assert_int_eq(shvar_set(&sh, "N", 1, "v", SHVAR_EXPORT), 0);
	ck_assert_int_eq(shvar_set(&sh, "U", 1, NULL, SHVAR_EXPORT), 0);
	env = shvar_environ(&sh);
	ck_assert(in_env(env, "N=v"));
	for (char **e = env; *e; e++)
		ck_assert(strncmp(*e, "U", 1) || (*e)[1] != '=');
	ck_assert_int_eq(shvar_unset(&sh, "A", 1), 0);
	ck_assert(!in_env(shvar_environ(&sh), "A=2"));
	ck_assert_uint_eq(shvar_flags(&sh, "A", 1), 0);
}
END_TEST

START_TEST(readonly_and_allexport)
{
	ck_assert_int_eq(shvar_set(&sh, "r", 1, "5", SHVAR_READONLY), 0);
	ck_assert_int_eq(shvar_set(&sh, "r", 1, "6", 0), -1);
	ck_assert_str_eq(msgbuf, "r: is read only");
	ck_assert_str_eq(shvar_get(&sh, "r", 1), "5");
	ck_assert_int_eq(shvar_set(&sh, "r", 1, NULL, SHVAR_EXPORT), 0);
	ck_assert_int_eq(shvar_unset(&sh, "r", 1), -1);
	ck_assert_str_eq(msgbuf, "unset: r: is read only");
	sh.opts = OPT_ALLEXPORT;
	ck_assert_int_eq(shvar_set(&sh, "auto", 4, "1", 0), 0);
	ck_assert_uint_eq(shvar_flags(&sh, "auto", 4), SHVAR_EXPORT | SHVAR_SET);
}
END_TEST

START_TEST(reassignment_keeps_values_valid)
{
	/* a value taken from the variable itself (x=${x#?} in a loop) */
	ck_assert_int_eq(shvar_set(&sh, "x", 1, "abcdef", 0), 0);
	for (int i = 0; i < 5; i++)
		ck_assert_int_eq(shvar_set(&sh, "x", 1, shvar_get(&sh, "x", 1) + 1, 0), 0);
	ck_assert_str_eq(shvar_get(&sh, "x", 1), "f");
	ck_assert_int_eq(shvar_set(&sh, "x", 1, "a much longer value than before", 0), 0);
	ck_assert_str_eq(shvar_get(&sh, "x", 1), "a much longer value than before");
}
END_TEST

/* a before b in strcmp order of their names */
static int name_before(const struct shvar_info *a, const struct shvar_info *b)
{
	int c = memcmp(a->name, b->name, a->n < b->n ? a->n : b->n);

	return c ? c < 0 : a->n < b->n;
}

START_TEST(list_sorted)
{
	unsigned n;

	shvar_set(&sh, "zz", 2, NULL, SHVAR_EXPORT);
	struct shvar_info *l = shvar_list(&sh, SHVAR_EXPORT, &n);
	ck_assert_ptr_nonnull(l);
	for (unsigned i = 1; i < n; i++)
		ck_assert(name_before(&l[i - 1], &l[i]));
	ck_assert_uint_eq(l[n - 1].n, 2);
	ck_assert(!memcmp(l[n - 1].name, "zz", 2));
	ck_assert_ptr_null(l[n - 1].value);
	free(l);
}
END_TEST

START_TEST(save_restore)
{
	void *s = shvar_save(&sh, "v", 1);
	shvar_set(&sh, "v", 1, "1", SHVAR_EXPORT);
	shvar_restore(&sh, s);
	ck_assert_uint_eq(shvar_flags(&sh, "v", 1), 0);
	shvar_set(&sh, "v", 1, "old", 0);
	s = shvar_save(&sh, "v", 1);
	shvar_unset(&sh, "v", 1);
	shvar_restore(&sh, s);
	ck_assert_str_eq(shvar_get(&sh, "v", 1), "old");
}
END_TEST

START_TEST(special_parameters)
{
	char tmp[32];

	ck_assert_str_eq(shell_param(&sh, "#", 1, tmp, sizeof tmp), "2");
	sh.status = 127;
	ck_assert_str_eq(shell_param(&sh, "?", 1, tmp, sizeof tmp), "127");
	ck_assert_str_eq(shell_param(&sh, "$", 1, tmp, sizeof tmp), "4242");
	ck_assert_ptr_null(shell_param(&sh, "!", 1, tmp, sizeof tmp));
	ck_assert_str_eq(shell_param(&sh, "-", 1, tmp, sizeof tmp), "");
	sh.opts = OPT_ERREXIT | OPT_NOUNSET | OPT_XTRACE | OPT_NOGLOB | OPT_ALLEXPORT |
		  OPT_NOCLOBBER | OPT_VERBOSE;
	ck_assert_str_eq(shell_param(&sh, "-", 1, tmp, sizeof tmp), "uaCvxfe");
	ck_assert_str_eq(shell_param(&sh, "0", 1, tmp, sizeof tmp), "sh");
	ck_assert_str_eq(shell_param(&sh, "1", 1, tmp, sizeof tmp), "a");
	ck_assert_str_eq(shell_param(&sh, "02", 2, tmp, sizeof tmp), "");
	ck_assert_ptr_null(shell_param(&sh, "3", 1, tmp, sizeof tmp));
	ck_assert_str_eq(shell_param(&sh, "@", 1, tmp, sizeof tmp), "a ");
	shvar_set(&sh, "IFS", 3, ":", 0);
	ck_assert_str_eq(shell_param(&sh, "*", 1, tmp, sizeof tmp), "a:");
	shvar_set(&sh, "IFS", 3, "", 0);
	ck_assert_str_eq(shell_param(&sh, "*", 1, tmp, sizeof tmp), "a");
}
END_TEST

START_TEST(splitting)
{
	shvar_set(&sh, "x", 1, " a  b ", 0);
	ck_assert_str_eq(fields(mk("P", "x")), "[a][b]");
	ck_assert_str_eq(fields(mk("R", "x")), "[ a  b ]");
	ck_assert_str_eq(fields(mk("LPL", "X", "x", "Y")), "[X][a][b][Y]");
	ck_assert_str_eq(fields(mk("QP", "", "x")), "[][a][b]");
	shvar_set(&sh, "IFS", 3, ":", 0);
	shvar_set(&sh, "x", 1, ":a::b:", 0);
	ck_assert_str_eq(fields(mk("P", "x")), "[][a][][b]");
	shvar_set(&sh, "x", 1, "", 0);
	ck_assert_str_eq(fields(mk("P", "x")), "");
	ck_assert_str_eq(fields(mk("R", "x")), "[]");
}
END_TEST

START_TEST(positional_fields)
{
	ck_assert_str_eq(fields(mk("R", "@")), "[a][]");
	ck_assert_str_eq(fields(mk("P", "@")), "[a]");
	ck_assert_str_eq(fields(mk("QRQ", "x", "@", "y")), "[xa][y]");
	ck_assert_str_eq(fields(mk("R", "*")), "[a ]");
	sh.nparams = 0;
	ck_assert_str_eq(fields(mk("R", "@")), "");
	/* "$@$@": the second is not at the start of its quotes */
	ck_assert_str_eq(fields(mk("RR", "@", "@")), "[]");
	ck_assert_str_eq(fields(mk("RQ", "@", "")), "[]");
	/* dash: "$@" after a "$@" region, every IFS byte separates */
	sh.nparams = 2;
	shvar_set(&sh, "x", 1, "  b", 0);
	ck_assert_str_eq(fields(mk("RP", "@", "x")), "[a][][][b]");
}
END_TEST

START_TEST(strings_and_patterns)
{
	shvar_set(&sh, "IFS", 3, ":", 0);
	char *s = words_string(&sh, mk("R", "@"));
	ck_assert_str_eq(s, "a:");
	free(s);
	s = words_pattern(&sh, mk("QL", "*?", "*"));
	ck_assert_str_eq(s, "\\*\\?*");
	free(s);
	shvar_set(&sh, "x", 1, "\\*", 0);
	s = words_pattern(&sh, mk("P", "x"));
	ck_assert_str_eq(s, "\\*");
	free(s);
}
END_TEST

START_TEST(operators)
{
	struct word *w = mk("P", "u");
	struct word arg = {0};
	struct wpart ap = {WP_LIT, 0, "d  e", 4, NULL, NULL, NULL, 0};

	arg.parts = &ap;
	arg.nparts = 1;
	params[0].op = PE_DEFAULT;
	params[0].arg = &arg;
	ck_assert_str_eq(fields(w), "[d][e]");
	params[0].op = PE_ASSIGN;
	ck_assert_str_eq(fields(w), "[d][e]");
	ck_assert_str_eq(shvar_get(&sh, "u", 1), "d  e");
	params[0].op = PE_TRIM_SP;
	ap.s = "d";
	ap.n = 1;
	ck_assert_str_eq(fields(w), "[e]");
	params[0].op = PE_LENGTH;
	ck_assert_str_eq(fields(w), "[4]");
	params[0].op = PE_ALT;
	ck_assert_str_eq(fields(w), "[d]");
}
END_TEST

START_TEST(errors)
{
	struct word *w = mk("P", "nosuch");

	params[0].op = PE_ERROR;
	if (!setjmp(failed)) {
		fields(w);
		ck_abort_msg("no error");
	}
	ck_assert_int_eq(fail_status, 2);
	ck_assert_str_eq(msgbuf, "nosuch: parameter not set");
	params[0].op = PE_PLAIN;
	sh.opts = OPT_NOUNSET;
	if (!setjmp(failed)) {
		fields(w);
		ck_abort_msg("no error");
	}
	ck_assert_str_eq(msgbuf, "nosuch: parameter not set");
	w = mk("P", "3");
	params[0].op = PE_ASSIGN;
	if (!setjmp(failed)) {
		fields(w);
		ck_abort_msg("no error");
	}
	ck_assert_str_eq(msgbuf, "3: bad variable name");
}
END_TEST

START_TEST(command_substitution)
{
	struct word w = {0};
	struct wpart p = {WP_CMDSUB, 0, NULL, 0, NULL, (struct node *)&w, NULL, 0};

	w.parts = &p;
	w.nparts = 1;
	ck_assert_str_eq(fields(&w), "[out][x]");
	p.quoted = 1;
	ck_assert_str_eq(fields(&w), "[out  x]");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("words");
	TCase *tc = tcase_create("words");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, import_environment);
	tcase_add_test(tc, environment_for_children);
	tcase_add_test(tc, readonly_and_allexport);
	tcase_add_test(tc, reassignment_keeps_values_valid);
	tcase_add_test(tc, list_sorted);
	tcase_add_test(tc, save_restore);
	tcase_add_test(tc, special_parameters);
	tcase_add_test(tc, splitting);
	tcase_add_test(tc, positional_fields);
	tcase_add_test(tc, strings_and_patterns);
	tcase_add_test(tc, operators);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, command_substitution);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed_n = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed_n ? 1 : 0;
}
