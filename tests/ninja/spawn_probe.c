/* SPDX-License-Identifier: MIT */
/*
 * What a spawned child sees of its parent's spawn: its fds (what they are,
 * access mode, close-on-exec), blocked signals, ignored signals, process
 * group and session (relative to its parent's), directory and argv. Printed
 * on fd 1 (or the file named by $PROBE_OUT) for spawn_cases to compare with
 * and without the preload.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void fds(FILE *out)
{
	char link[64], target[256];

	for (int fd = 0; fd < 20; fd++) {
		int fl = fcntl(fd, F_GETFL), fdfl = fcntl(fd, F_GETFD);
		if (fl < 0)
			continue;
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, target, sizeof target - 1);
		target[n > 0 ? n : 0] = 0;
		/* pipes and ttys differ between runs: only their kind matters */
		if (!strncmp(target, "pipe:", 5))
			strcpy(target, "pipe");
		else if (!strncmp(target, "/dev/pts/", 9))
			strcpy(target, "tty");
		fprintf(out, "fd %d %s mode=%d cloexec=%d append=%d\n", fd, target, fl & O_ACCMODE,
			!!(fdfl & FD_CLOEXEC), !!(fl & O_APPEND));
	}
}

static void signals(FILE *out)
{
	sigset_t set;

	sigprocmask(SIG_SETMASK, NULL, &set);
	fprintf(out, "blocked:");
	for (int s = 1; s < 32; s++)
		if (sigismember(&set, s))
			fprintf(out, " %d", s);
	fprintf(out, "\nignored:");
	for (int s = 1; s < 32; s++) {
		struct sigaction sa;
		if (s != SIGKILL && s != SIGSTOP && !sigaction(s, NULL, &sa) &&
		    sa.sa_handler == SIG_IGN)
			fprintf(out, " %d", s);
	}
	fprintf(out, "\n");
}

int main(int argc, char **argv)
{
	const char *name = getenv("PROBE_OUT");
	FILE *out = name ? fopen(name, "w") : stdout;
	char cwd[512];

	if (!out)
		return 3;
	for (int i = 0; i < argc; i++)
		fprintf(out, "argv[%d]=%s\n", i,
			i                       ? argv[i]
			: strrchr(argv[0], '/') ? "path"
						: "name");
	fds(out);
	signals(out);
	/* relative to the spawner: under sh -c the shell sits in between */
	const char *sp = getenv("PROBE_SPAWNER");
	pid_t spawner = sp ? (pid_t)atol(sp) : getppid();
	fprintf(out, "spawner's pgroup=%d spawner's session=%d\n", getpgrp() == getpgid(spawner),
		getsid(0) == getsid(spawner));
	fprintf(out, "cwd=%s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
	fprintf(out, "PROBE_VAR=%s\n", getenv("PROBE_VAR") ? getenv("PROBE_VAR") : "(unset)");
	fclose(out);
	return argc > 1 && !strcmp(argv[1], "exit7") ? 7 : 0;
}
