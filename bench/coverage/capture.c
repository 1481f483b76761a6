/* SPDX-License-Identifier: MIT */
/*
 * capture-sh: a SHELL for make that records every invocation's arguments
 * and then runs /bin/sh with them. Used to collect the recipe lines real
 * builds send (bench/coverage/corpus.py turns them into difftest lines).
 *
 * Record format, appended with one write(2) to $CAPTURE_SH_LOG (O_APPEND,
 * so parallel jobs do not interleave): "ARGC\n" then, per argument after
 * argv[0], "LEN:BYTES\n".
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void record(const char *log, int argc, char **argv)
{
	size_t n = 32;
	for (int i = 1; i < argc; i++)
		n += strlen(argv[i]) + 24;
	char *buf = malloc(n), *p = buf;
	if (!buf)
		return;
	p += sprintf(p, "%d\n", argc - 1);
	for (int i = 1; i < argc; i++) {
		size_t len = strlen(argv[i]);
		p += sprintf(p, "%zu:", len);
		memcpy(p, argv[i], len);
		p += len;
		*p++ = '\n';
	}
	int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd >= 0) {
		if (write(fd, buf, p - buf) != p - buf)
			fprintf(stderr, "capture-sh: %s: short write\n", log);
		close(fd);
	}
	free(buf);
}

int main(int argc, char **argv)
{
	const char *log = getenv("CAPTURE_SH_LOG");

	if (log && *log)
		record(log, argc, argv);
	argv[0] = "/bin/sh";
	execv("/bin/sh", argv);
	perror("capture-sh: /bin/sh");
	return 127;
}
