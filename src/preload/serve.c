/* SPDX-License-Identifier: MIT */
/*
 * uring-ninja --jobserver: own a pool of -j tokens for ninja and every
 * sub-make below it. ninja runs as our child (its spawns take tokens
 * through the preload); signals we get are passed on to it, and when it
 * is gone the pool is counted and removed.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ninja.h"

static volatile pid_t child;

static void forward(int sig)
{
	if (child > 0)
		kill(child, sig);
}

static int wait_child(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return 127;
	return st;
}

int serve(char **argv, unsigned jobs, enum uspawn_js_style style)
{
	struct uspawn_js js;
	char pidbuf[32];
	int r = uspawn_js_server(&js, jobs, style, 0);

	if (r < 0) {
		fprintf(stderr, "%s: cannot create the jobserver: %s\n", prog, strerror(-r));
		return 2 << 8;
	}
	setenv("MAKEFLAGS", uspawn_js_makeflags(&js), 1);
	struct sigaction sa = {.sa_handler = forward};
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	pid_t pid = fork();
	if (pid == 0) {
		snprintf(pidbuf, sizeof pidbuf, "%ld", (long)getpid());
		setenv("URING_NINJA_PID", pidbuf, 1);
		execvp(argv[0], argv);
		fprintf(stderr, "%s: %s: %s\n", prog, argv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0) {
		fprintf(stderr, "%s: fork: %s\n", prog, strerror(errno));
		uspawn_js_close(&js);
		return 2 << 8;
	}
	child = pid;
	int st = wait_child(pid);
	int missing = uspawn_js_close(&js);
	if (missing)
		fprintf(stderr, "%s: warning: %d jobserver tokens did not come back\n", prog,
			missing);
	return st;
}
