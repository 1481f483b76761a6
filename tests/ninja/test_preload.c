/* SPDX-License-Identifier: MIT */
/*
 * The preload's side table (record.c, linked in: its setters interpose
 * glibc's here too), and spawn_cases run with and without the preload:
 * every case must print the same, and take the path we expect.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "preload.h"

/* ---- recording ---- */

START_TEST(actions_recorded)
{
	posix_spawn_file_actions_t fa;
	struct rec_actions r;
	char path[] = "/tmp/some/file";

	ck_assert_int_eq(posix_spawn_file_actions_init(&fa), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addopen(&fa, 4, path, O_RDONLY, 0640), 0);
	ck_assert_int_eq(posix_spawn_file_actions_adddup2(&fa, 4, 1), 0);
	ck_assert_int_eq(posix_spawn_file_actions_addclose(&fa, 4), 0);
	/* refused by glibc: not recorded, and the counts still agree */
	ck_assert_int_eq(posix_spawn_file_actions_addclose(&fa, -1), EBADF);
	path[1] = 'X'; /* the record holds its own copy */
	ck_assert_int_eq(rec_actions_get(&fa, &r), 0);
	ck_assert_uint_eq(r.n, 3);
	ck_assert_int_eq(r.fa[0].op, USPAWN_FA_OPEN);
	ck_assert_int_eq(r.fa[0].fd, 4);
	ck_assert_str_eq(r.fa[0].path, "/tmp/some/file");
	ck_assert_int_eq(r.fa[0].oflag, O_RDONLY);
	ck_assert_int_eq(r.fa[0].mode, 0640);
	ck_assert_int_eq(r.fa[1].op, USPAWN_FA_DUP2);
	ck_assert_int_eq(r.fa[1].src, 4);
	ck_assert_int_eq(r.fa[1].fd, 1);
	ck_assert_int_eq(r.fa[2].op, USPAWN_FA_CLOSE);
	ck_assert_ptr_null(r.cwd);
	rec_actions_free(&r);
	ck_assert_int_eq(posix_spawn_file_actions_destroy(&fa), 0);
	ck_assert_int_eq(rec_actions_get(&fa, &r), -1); /* forgotten */
}
END_TEST

START_TEST(actions_none_and_unknown)
{
	posix_spawn_file_actions_t fa;
	struct rec_actions r;

	ck_assert_int_eq(rec_actions_get(NULL, &r), 0);
	ck_assert_uint_eq(r.n, 0);
	memset(&fa, 0, sizeof fa);
	ck_assert_int_eq(rec_actions_get(&fa, &r), -1);
}
END_TEST

START_TEST(actions_chdir)
{
	posix_spawn_file_actions_t fa;
	struct rec_actions r;

	posix_spawn_file_actions_init(&fa);
	ck_assert_int_eq(posix_spawn_file_actions_addchdir_np(&fa, "/tmp"), 0);
	posix_spawn_file_actions_addclose(&fa, 5);
	ck_assert_int_eq(rec_actions_get(&fa, &r), 0);
	ck_assert_str_eq(r.cwd, "/tmp");
	ck_assert_uint_eq(r.n, 1);
	rec_actions_free(&r);
	/* a chdir after another action: libuspawn cannot keep that order */
	posix_spawn_file_actions_addchdir_np(&fa, "/");
	ck_assert_int_eq(rec_actions_get(&fa, &r), -1);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(actions_unsupported)
{
	posix_spawn_file_actions_t fa;
	struct rec_actions r;

	posix_spawn_file_actions_init(&fa);
	ck_assert_int_eq(posix_spawn_file_actions_addfchdir_np(&fa, 0), 0);
	ck_assert_int_eq(rec_actions_get(&fa, &r), -1);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawn_file_actions_init(&fa);
	ck_assert_int_eq(posix_spawn_file_actions_addclosefrom_np(&fa, 3), 0);
	ck_assert_int_eq(rec_actions_get(&fa, &r), -1);
	posix_spawn_file_actions_destroy(&fa);
	/* reused address: a fresh record */
	posix_spawn_file_actions_init(&fa);
	ck_assert_int_eq(rec_actions_get(&fa, &r), 0);
	rec_actions_free(&r);
	posix_spawn_file_actions_destroy(&fa);
}
END_TEST

START_TEST(attr_recorded)
{
	posix_spawnattr_t at;
	struct rec_attr t;
	sigset_t mask, def;

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigemptyset(&def);
	sigaddset(&def, SIGINT);
	posix_spawnattr_init(&at);
	ck_assert_int_eq(posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP |
							       POSIX_SPAWN_SETSIGMASK |
							       POSIX_SPAWN_SETSIGDEF),
			 0);
	ck_assert_int_eq(posix_spawnattr_setpgroup(&at, 42), 0);
	ck_assert_int_eq(posix_spawnattr_setsigmask(&at, &mask), 0);
	ck_assert_int_eq(posix_spawnattr_setsigdefault(&at, &def), 0);
	ck_assert_int_eq(rec_attr_get(&at, &t), 0);
	ck_assert_int_eq(t.flags,
			 POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	ck_assert_int_eq(t.pgroup, 42);
	ck_assert(sigismember(&t.sigmask, SIGTERM) && !sigismember(&t.sigmask, SIGINT));
	ck_assert(sigismember(&t.sigdefault, SIGINT) && !sigismember(&t.sigdefault, SIGTERM));
	/* flags changed behind our back: not trusted */
	at.__flags |= POSIX_SPAWN_RESETIDS;
	ck_assert_int_eq(rec_attr_get(&at, &t), -1);
	posix_spawnattr_destroy(&at);
	ck_assert_int_eq(rec_attr_get(&at, &t), -1);
	ck_assert_int_eq(rec_attr_get(NULL, &t), 0);
	ck_assert_int_eq(t.flags, 0);
}
END_TEST

START_TEST(attr_sched_unsupported)
{
	posix_spawnattr_t at;
	struct rec_attr t;

	posix_spawnattr_init(&at);
	ck_assert_int_eq(posix_spawnattr_setschedpolicy(&at, 0), 0);
	ck_assert_int_eq(rec_attr_get(&at, &t), -1);
	posix_spawnattr_destroy(&at);
}
END_TEST

/* ---- the same child with and without the preload ---- */

#define NCASES 15
/* how each case must go through the preload (the trace's first word) */
static const char *const expect[NCASES] = {
	"lib",    "lib",      "lib",  "lib", "lib",  "lib",  "real",   "real",
	"direct", "uring-sh", "real", "lib", "real", "real", "direct",
};

static char dir[256];

/* Run spawn_cases n; its stdout+stderr and the files the case wrote, into out. */
static void run_case(int n, int preload, char *out, size_t cap)
{
	char num[16], path[512], trace[300], cmd[2048];
	int p[2];

	snprintf(num, sizeof num, "%d", n);
	snprintf(trace, sizeof trace, "%s.trace", dir);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && mkdir -p '%s' && : > '%s/noexec' && rm -f '%s'",
		 dir, dir, dir, trace);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		if (preload) {
			setenv("LD_PRELOAD", getenv("PRELOAD"), 1);
			setenv("USPAWN_PRELOAD_TRACE", trace, 1);
		}
		snprintf(path, sizeof path, "%s:%s", getenv("PROBE_DIR"), getenv("PATH"));
		setenv("PATH", path, 1);
		execl(getenv("CASES"), "spawn_cases", getenv("PROBE"), dir, num, (char *)NULL);
		_exit(126);
	}
	close(p[1]);
	size_t len = 0;
	ssize_t r;
	while (len + 1 < cap && (r = read(p[0], out + len, cap - len - 1)) > 0)
		len += (size_t)r;
	out[len] = 0;
	close(p[0]);
	int st;
	waitpid(pid, &st, 0);
	ck_assert_int_eq(st, 0);
	/* files the case made, in a fixed order */
	const char *files[] = {"out5", "app", "rel", "sh8", "sh14"};
	for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		len = strlen(out);
		len += (size_t)snprintf(out + len, cap - len, "== %s\n", files[i]);
		len += fread(out + len, 1, cap - len - 1, f);
		out[len] = 0;
		fclose(f);
	}
	if (preload) {
		FILE *f = fopen(trace, "r");
		char how[32] = "";
		ck_assert_msg(f != NULL, "case %d: no trace", n);
		char line[600];
		/* the last line: why it fell through comes before the real spawn */
		while (fgets(line, sizeof line, f))
			sscanf(line, "%31s", how);
		fclose(f);
		ck_assert_msg(!strcmp(how, expect[n]), "case %d went %s, not %s", n, how,
			      expect[n]);
	}
}

START_TEST(same_child)
{
	static char plain[65536], pre[65536];

	run_case(_i, 0, plain, sizeof plain);
	run_case(_i, 1, pre, sizeof pre);
	ck_assert_msg(!strcmp(plain, pre), "case %d differs:\n--- plain\n%s\n--- preload\n%s", _i,
		      plain, pre);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("preload");
	TCase *rec = tcase_create("record"), *spawn = tcase_create("spawn");

	snprintf(dir, sizeof dir, "%s/preload-case.%d",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	tcase_add_test(rec, actions_recorded);
	tcase_add_test(rec, actions_none_and_unknown);
	tcase_add_test(rec, actions_chdir);
	tcase_add_test(rec, actions_unsupported);
	tcase_add_test(rec, attr_recorded);
	tcase_add_test(rec, attr_sched_unsupported);
	tcase_add_loop_test(spawn, same_child, 0, NCASES);
	tcase_set_timeout(spawn, 60);
	suite_add_tcase(s, rec);
	suite_add_tcase(s, spawn);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s.trace'", dir, dir);
	if (system(cmd))
		failed++;
	return failed ? 1 : 0;
}
