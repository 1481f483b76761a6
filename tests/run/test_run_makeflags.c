/* SPDX-License-Identifier: MIT */
/* uring-run reads MAKEFLAGS as make 4.3 does (decode_env_switches): -n, -j. With Check. */
#include <check.h>
#include <stdlib.h>

#include "run.h"

static struct make_flags mf;

#define DRY(v, want)                                                                               \
	do {                                                                                       \
		makeflags_parse(v, &mf);                                                           \
		ck_assert_msg(mf.dry_run == (want), "MAKEFLAGS='%s': dry_run %d", v, mf.dry_run);  \
	} while (0)

START_TEST(dry_run_anywhere)
{
	DRY("n", 1);
	DRY("-n", 1);
	DRY(" -n", 1); /* the case: a blank first */
	DRY("kn", 1);
	DRY("kns -j2 --jobserver-auth=3,4", 1);
	DRY(" -k -n", 1);
	DRY(" -nj2", 1);
	DRY(" --dry-run", 1);
	DRY(" --just-print", 1);
	DRY(" --recon", 1);
	DRY(" --dry", 1); /* getopt_long takes an unambiguous prefix, as make does */
	DRY("s --no-print-directory -n", 1);
}
END_TEST

START_TEST(no_dry_run)
{
	makeflags_parse(NULL, &mf);
	ck_assert_int_eq(mf.dry_run, 0);
	DRY("", 0);
	DRY("ks", 0);
	DRY(" --no-print-directory", 0);
	DRY("w -In", 0); /* make -I n: the include directory is "n" */
	DRY(" -I n", 0);
	DRY(" -C n", 0);
	DRY(" -f n -o n -W n", 0);
	DRY(" --eval=n", 0);
	DRY(" -O n", 0); /* -O's argument is optional: "n" is a target */
	DRY(" -l n", 0); /* -l takes the next word only if it is a number */
	DRY(" -j2n", 0); /* a malformed -j argument, not -n */
	DRY("X=n", 0);   /* a first word with '=' is a variable */
	DRY(" -- n", 0); /* overrides follow "--" */
	DRY("e -- X=-n", 0);
	DRY(" --j", 0); /* ambiguous: jobs, jobserver-auth, just-print */
}
END_TEST

START_TEST(jobs)
{
	makeflags_parse(NULL, &mf);
	ck_assert_int_eq(mf.under_make, 0);
	makeflags_parse("", &mf);
	ck_assert_int_eq(mf.under_make, 1);
	ck_assert_int_eq(mf.jobs, 0);
	ck_assert_int_eq(mf.jobserver, 0);
	makeflags_parse(" -j3 --jobserver-auth=3,4", &mf);
	ck_assert_int_eq(mf.jobs, 3);
	ck_assert_int_eq(mf.jobserver, 1);
	makeflags_parse(" -j", &mf); /* make -j: no limit */
	ck_assert_int_eq(mf.jobs, -1);
	ck_assert_int_eq(mf.jobserver, 0);
	makeflags_parse("k -j1", &mf);
	ck_assert_int_eq(mf.jobs, 1);
	makeflags_parse(" -j 4", &mf); /* make takes a number in the next word */
	ck_assert_int_eq(mf.jobs, 4);
	makeflags_parse(" --jobs=5 --jobserver-fds=3,4", &mf);
	ck_assert_int_eq(mf.jobs, 5);
	ck_assert_int_eq(mf.jobserver, 1);
	makeflags_parse(" -j0", &mf); /* invalid: ignored */
	ck_assert_int_eq(mf.jobs, 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("makeflags");
	TCase *tc = tcase_create("make 4.3");

	tcase_add_test(tc, dry_run_anywhere);
	tcase_add_test(tc, no_dry_run);
	tcase_add_test(tc, jobs);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
