/* SPDX-License-Identifier: MIT */
/* MAKEFLAGS parsing and the jobserver client/server, with Check. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "uspawn/jobserver.h"

static struct uspawn_js_auth a;

START_TEST(no_makeflags)
{
	ck_assert_int_eq(uspawn_js_parse(NULL, &a), 0);
	ck_assert_int_eq(a.style, USPAWN_JS_NONE);
	ck_assert_int_eq(uspawn_js_parse("", &a), 0);
	ck_assert_int_eq(a.style, USPAWN_JS_NONE);
	ck_assert_int_eq(uspawn_js_parse(" -j4", &a), 0);
	ck_assert_int_eq(a.style, USPAWN_JS_NONE);
	ck_assert_int_eq(a.jobs, 4);
}
END_TEST

START_TEST(pipe_auth)
{
	ck_assert_int_eq(uspawn_js_parse(" -j8 --jobserver-auth=3,4", &a), 0);
	ck_assert_int_eq(a.style, USPAWN_JS_PIPE);
	ck_assert_int_eq(a.rfd, 3);
	ck_assert_int_eq(a.wfd, 4);
	ck_assert_int_eq(a.jobs, 8);
	ck_assert_int_eq(a.dry_run, 0);
}
END_TEST

START_TEST(fifo_auth)
{
	ck_assert_int_eq(uspawn_js_parse("-j3 --jobserver-auth=fifo:/tmp/GMfifo123", &a), 0);
	ck_assert_int_eq(a.style, USPAWN_JS_FIFO);
	ck_assert_str_eq(a.path, "/tmp/GMfifo123");
}
END_TEST

START_TEST(old_fds_alias)
{
	ck_assert_int_eq(uspawn_js_parse(" --jobserver-fds=5,6 -j", &a), 0);
	ck_assert_int_eq(a.style, USPAWN_JS_PIPE);
	ck_assert_int_eq(a.rfd, 5);
	ck_assert_int_eq(a.wfd, 6);
}
END_TEST

START_TEST(last_wins)
{
	ck_assert_int_eq(uspawn_js_parse("--jobserver-fds=5,6 --jobserver-auth=fifo:/a "
					 "--jobserver-auth=7,8",
					 &a),
			 0);
	ck_assert_int_eq(a.style, USPAWN_JS_PIPE);
	ck_assert_int_eq(a.rfd, 7);
	ck_assert_int_eq(uspawn_js_parse("--jobserver-auth=7,8 --jobserver-fds=9,10", &a), 0);
	ck_assert_int_eq(a.rfd, 9);
	ck_assert_int_eq(uspawn_js_parse("--jobserver-auth=7,8 --jobserver-auth=fifo:/b", &a), 0);
	ck_assert_int_eq(a.style, USPAWN_JS_FIFO);
	ck_assert_str_eq(a.path, "/b");
}
END_TEST

START_TEST(dry_run_first_word)
{
	ck_assert_int_eq(uspawn_js_parse("n -j2 --jobserver-auth=3,4", &a), 0);
	ck_assert_int_eq(a.dry_run, 1);
	ck_assert_int_eq(uspawn_js_parse("kns --jobserver-auth=3,4", &a), 0);
	ck_assert_int_eq(a.dry_run, 1);
	ck_assert_int_eq(uspawn_js_parse("ks --jobserver-auth=3,4", &a), 0);
	ck_assert_int_eq(a.dry_run, 0);
	/* an 'n' elsewhere is no dry run */
	ck_assert_int_eq(uspawn_js_parse(" --no-print-directory", &a), 0);
	ck_assert_int_eq(a.dry_run, 0);
	ck_assert_int_eq(uspawn_js_parse("-- n=1", &a), 0);
	ck_assert_int_eq(a.dry_run, 0);
}
END_TEST

START_TEST(overrides_ignored)
{
	/* after " -- " come variable assignments, not options */
	ck_assert_int_eq(uspawn_js_parse(" -j2 -- X=--jobserver-auth=9,9", &a), 0);
	ck_assert_int_eq(a.style, USPAWN_JS_NONE);
	ck_assert_int_eq(uspawn_js_parse(" --jobserver-auth=3,4 -- X=--jobserver-auth=9,9", &a), 0);
	ck_assert_int_eq(a.rfd, 3);
}
END_TEST

START_TEST(escaped_blanks)
{
	ck_assert_int_eq(uspawn_js_parse(" --jobserver-auth=fifo:/tmp/a\\ b -j2", &a), 0);
	ck_assert_int_eq(a.style, USPAWN_JS_FIFO);
	ck_assert_str_eq(a.path, "/tmp/a b");
}
END_TEST

START_TEST(malformed)
{
	ck_assert_int_eq(uspawn_js_parse("--jobserver-auth=3", &a), -EINVAL);
	ck_assert_int_eq(a.style, USPAWN_JS_NONE);
	ck_assert_int_eq(uspawn_js_parse("--jobserver-auth=3,x", &a), -EINVAL);
	ck_assert_int_eq(uspawn_js_parse("--jobserver-auth=fifo:", &a), -EINVAL);
	ck_assert_int_eq(uspawn_js_parse("--jobserver-auth=", &a), -EINVAL);
	/* negative fds parse: make's way of saying "disabled" */
	ck_assert_int_eq(uspawn_js_parse("--jobserver-auth=-2,-2", &a), 0);
	ck_assert_int_eq(a.rfd, -2);
}
END_TEST

START_TEST(client_closed_fds)
{
	struct uspawn_js js;

	ck_assert_int_eq(uspawn_js_client(&js, " -j4 --jobserver-auth=900,901", 7),
			 USPAWN_JS_UNAVAILABLE);
	ck_assert_int_eq(uspawn_js_client(&js, " -j4 --jobserver-auth=-2,-2", 7),
			 USPAWN_JS_UNAVAILABLE);
	ck_assert_int_eq(uspawn_js_client(&js, " -j4 --jobserver-auth=fifo:/nonexistent/x", 7),
			 USPAWN_JS_UNAVAILABLE);
	ck_assert_int_eq(uspawn_js_client(&js, " -j4", 7), USPAWN_JS_ABSENT);
	/* fds that are open but no pipe: invalid */
	int fd = open("/dev/null", O_RDWR);
	char mf[64];
	snprintf(mf, sizeof mf, "--jobserver-auth=%d,%d", fd, fd);
	ck_assert_int_eq(uspawn_js_client(&js, mf, 7), USPAWN_JS_UNAVAILABLE);
	close(fd);
}
END_TEST

/* Take tokens through the ring (also from an O_NONBLOCK pipe), give them back. */
static void tokens_roundtrip(enum uspawn_js_style style, int nonblock)
{
	struct uspawn_js srv, cli;
	struct uspawn *u = uspawn_open(NULL);
	struct uspawn_event ev;
	int got = 0;

	ck_assert_ptr_nonnull(u);
	ck_assert_int_eq(uspawn_js_server(&srv, 4, style, 1), 0);
	if (nonblock)
		fcntl(srv.rfd, F_SETFL, fcntl(srv.rfd, F_GETFL) | O_NONBLOCK);
	ck_assert_int_eq(uspawn_js_client(&cli, uspawn_js_makeflags(&srv), 2), USPAWN_JS_OK);
	while (got < 3) {
		ck_assert_int_eq(uspawn_js_request(&cli, u, 3 - got), 0);
		ck_assert_int_eq(uspawn_wait(u, &ev, 1, 5000), 1);
		ck_assert_int_eq(ev.type, USPAWN_EV_READ);
		ck_assert_uint_eq(ev.user_data, 2);
		int n = uspawn_js_event(&cli, u, &ev);
		ck_assert_int_ge(n, 0);
		got += n;
	}
	ck_assert_uint_eq(cli.held, 3);
	/* the pool is empty now: a request waits, and cancels cleanly */
	ck_assert_int_eq(uspawn_js_request(&cli, u, 1), 0);
	ck_assert_int_eq(uspawn_wait(u, &ev, 1, 50), 0);
	uspawn_js_cancel(&cli, u);
	ck_assert_int_eq(uspawn_wait(u, &ev, 1, 5000), 1);
	ck_assert_int_eq(uspawn_js_event(&cli, u, &ev), 0);
	ck_assert_int_eq(cli.pending, 0);
	ck_assert_int_eq(uspawn_js_release(&cli), 0);
	ck_assert_uint_eq(cli.held, 2);
	ck_assert_int_eq(uspawn_js_close(&cli), 0);
	ck_assert_int_eq(uspawn_js_close(&srv), 0);
	uspawn_close(u);
}

START_TEST(pipe_tokens)
{
	tokens_roundtrip(USPAWN_JS_PIPE, 0);
}
END_TEST

START_TEST(pipe_tokens_nonblock)
{
	tokens_roundtrip(USPAWN_JS_PIPE, 1);
}
END_TEST

START_TEST(fifo_tokens)
{
	tokens_roundtrip(USPAWN_JS_FIFO, 0);
}
END_TEST

START_TEST(server_counts_missing)
{
	struct uspawn_js srv;
	char b;

	ck_assert_int_eq(uspawn_js_server(&srv, 3, USPAWN_JS_PIPE, 1), 0);
	char want[64];
	snprintf(want, sizeof want, "-j3 --jobserver-auth=%d,%d", srv.rfd, srv.wfd);
	ck_assert_str_eq(uspawn_js_makeflags(&srv), want);
	ck_assert_int_eq(read(srv.rfd, &b, 1), 1); /* a client that never gives it back */
	ck_assert_int_eq(uspawn_js_close(&srv), 1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("jobserver");
	TCase *tc = tcase_create("makeflags");

	tcase_add_test(tc, no_makeflags);
	tcase_add_test(tc, pipe_auth);
	tcase_add_test(tc, fifo_auth);
	tcase_add_test(tc, old_fds_alias);
	tcase_add_test(tc, last_wins);
	tcase_add_test(tc, dry_run_first_word);
	tcase_add_test(tc, overrides_ignored);
	tcase_add_test(tc, escaped_blanks);
	tcase_add_test(tc, malformed);
	tcase_add_test(tc, client_closed_fds);
	tcase_add_test(tc, pipe_tokens);
	tcase_add_test(tc, pipe_tokens_nonblock);
	tcase_add_test(tc, fifo_tokens);
	tcase_add_test(tc, server_counts_missing);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_set_fork_status(sr, CK_NOFORK);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
