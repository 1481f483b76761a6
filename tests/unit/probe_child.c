/* SPDX-License-Identifier: MIT */
/*
 * The program the unit tests spawn: reports what a child sees.
 *   probe_child exit N       exit with status N
 *   probe_child kill SIG     die by signal SIG
 *   probe_child fds          print the open fds, one per line
 *   probe_child env NAME     print $NAME or "(unset)"
 *   probe_child cwd          print the working directory
 *   probe_child echo FD TXT  write TXT to fd FD
 *   probe_child cat          copy stdin to stdout
 *   probe_child sigmask      print the blocked mask of signals 1-31 as a bitmask
 *   probe_child pgid         print "same" if pgid == pid else "other"
 *   probe_child sleep MS     sleep
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int list_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;

	if (!d)
		return 1;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.' || atoi(e->d_name) == dirfd(d))
			continue;
		printf("%s\n", e->d_name);
	}
	closedir(d);
	return 0;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : "";

	if (!strcmp(what, "exit"))
		return atoi(arg);
	if (!strcmp(what, "kill")) {
		signal(atoi(arg), SIG_DFL);
		raise(atoi(arg));
		return 99;
	}
	if (!strcmp(what, "fds"))
		return list_fds();
	if (!strcmp(what, "env")) {
		const char *v = getenv(arg);
		printf("%s\n", v ? v : "(unset)");
		return 0;
	}
	if (!strcmp(what, "cwd")) {
		char buf[4096];
		printf("%s\n", getcwd(buf, sizeof buf) ? buf : "?");
		return 0;
	}
	if (!strcmp(what, "echo") && argc > 3) {
		dprintf(atoi(arg), "%s", argv[3]);
		return 0;
	}
	if (!strcmp(what, "cat")) {
		char buf[4096];
		ssize_t n;
		while ((n = read(0, buf, sizeof buf)) > 0)
			if (write(1, buf, (size_t)n) != n)
				return 1;
		return 0;
	}
	if (!strcmp(what, "sigmask")) {
		sigset_t s;
		unsigned long bits = 0;
		sigprocmask(SIG_BLOCK, NULL, &s);
		for (int i = 1; i < 32; i++)
			if (sigismember(&s, i))
				bits |= 1ul << i;
		printf("%lx\n", bits);
		return 0;
	}
	if (!strcmp(what, "handlers")) {
		/* how many signals have neither SIG_DFL nor SIG_IGN */
		int caught = 0;
		for (int i = 1; i < 32; i++) {
			struct sigaction sa;
			if (sigaction(i, NULL, &sa) == 0 && sa.sa_handler != SIG_DFL &&
			    sa.sa_handler != SIG_IGN)
				caught++;
		}
		printf("%d\n", caught);
		return 0;
	}
	if (!strcmp(what, "pgid")) {
		printf("%s\n", getpgid(0) == getpid() ? "same" : "other");
		return 0;
	}
	if (!strcmp(what, "sleep")) {
		struct timespec ts = {atoi(arg) / 1000, (atoi(arg) % 1000) * 1000000L};
		nanosleep(&ts, NULL);
		return 0;
	}
	fprintf(stderr, "probe_child: unknown request '%s'\n", what);
	return 2;
}
