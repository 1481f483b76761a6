/* SPDX-License-Identifier: MIT */
/*
 * uring-sh: a SHELL for make. Lines in ush's subset run here (the last
 * command exec'd directly, others spawned through libuspawn); any other
 * line, option or surprise is handed whole to /bin/sh with the same argv.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include "run.h"

static char arena_buf[4 << 20];

static void stats(char **envp, const char *what, const char *reason)
{
	const char *file = env_get(envp, "USPAWN_SH_STATS", 15);
	char buf[256];
	struct out o = {buf, 0, sizeof buf - 1};

	if (!file || !*file)
		return;
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return;
	out_str(&o, what);
	if (reason) {
		out_str(&o, " ");
		out_str(&o, reason);
	}
	out_str(&o, "\n");
	write_all(fd, buf, o.n);
	close(fd);
}

static void delegate(char **argv, char **envp, const char *reason)
{
	stats(envp, "delegated", reason);
	execv("/bin/sh", argv);
	write_all(2, "uring-sh: cannot exec /bin/sh\n", 30);
	_exit(127);
}

/* make passes -c, -ec, -e -c ...; anything else goes to /bin/sh. */
static int parse_options(int argc, char **argv, int *errexit)
{
	int i, cflag = 0;

	for (i = 1; i < argc && (argv[i][0] == '-' || argv[i][0] == '+'); i++) {
		const char *a = argv[i];
		if (!a[1])
			return -1;
		for (int j = 1; a[j]; j++) {
			if (a[j] == 'c' && a[0] == '-')
				cflag = 1;
			else if (a[j] == 'e')
				*errexit = a[0] == '-';
			else
				return -1;
		}
	}
	return cflag && i < argc ? i : -1;
}

int main(int argc, char **argv, char **envp)
{
	struct ush_arena a = {arena_buf, sizeof arena_buf, 0};
	struct shell sh;
	struct ush_line line;
	int errexit = 0;
	int i = parse_options(argc, argv, &errexit);

	if (i < 0)
		delegate(argv, envp, "option");
	const char *text = argv[i];
	size_t len = strlen(text);
	/* the arena must never run out mid-run: that would be a difference */
	if (len > sizeof arena_buf / 16)
		delegate(argv, envp, "line too long");
	enum ush_class c = ush_parse(&a, text, len, &line);
	if (c == USH_SPAWN || c == USH_NATIVE)
		c = ush_check(&line, envp);
	if (c == USH_DELEGATE || c == USH_SYNTAX)
		delegate(argv, envp, c == USH_SYNTAX ? "syntax" : line.reason);
	stats(envp, "native", NULL);
	memset(&sh, 0, sizeof sh);
	sh.a = &a;
	sh.arg0 = i + 1 < argc ? argv[i + 1] : argv[0];
	sh.environ = envp;
	sh.errexit = errexit;
	const char *el = env_get(envp, "USPAWN_SH_EXEC_LAST", 19);
	sh.exec_last = el && el[0] == '1';
	run_line(&sh, &line);
}
