/* SPDX-License-Identifier: MIT */
/*
 * uring-sh --uspawn-gate FD PATH ARGV0 [ARG...]: a command's deferred start.
 *
 * libuspawn-preload starts a spawn whose jobserver token is not there yet
 * this way, so that ninja's posix_spawn returns at once and ninja goes on
 * reading its other children's output and reaping them (blocking in
 * posix_spawn until a token comes can deadlock: every token held by a
 * child blocked on a full output pipe). The process is already the one
 * the caller got the pid of, with the caller's file actions and signal
 * attributes applied; it waits for one byte on FD (the token was handed
 * over), closes FD and becomes PATH. End of file means nobody will hand a
 * token any more (the build went away): it exits 1 without running.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "sh.h"

extern char **environ;

static void say(const char *a, const char *b, const char *c)
{
	write_all(2, "uring-sh: ", 10);
	write_all(2, a, strlen(a));
	write_all(2, b, strlen(b));
	write_all(2, c, strlen(c));
	write_all(2, "\n", 1);
}

int gate_main(int argc, char **argv)
{
	char *end;
	char byte;
	ssize_t n;

	if (argc < 5)
		return 2;
	long fd = strtol(argv[2], &end, 10);
	if (*end || fd < 0 || fd > 1 << 20) {
		say("--uspawn-gate: bad fd ", argv[2], "");
		return 2;
	}
	while ((n = read((int)fd, &byte, 1)) < 0 && errno == EINTR)
		;
	close((int)fd);
	if (n != 1) {
		say(argv[3], ": ", "no jobserver token came");
		return 1;
	}
	execve(argv[3], argv + 4, environ);
	say(argv[3], ": ", strerror(errno));
	return 127;
}
