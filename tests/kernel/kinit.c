/* SPDX-License-Identifier: MIT */
/*
 * /init of the test VM: mount the usual file systems, run the test programs
 * named by USPAWN_TESTS (a ';'-separated list of command lines, words split
 * on ','; leading NAME=value words set the program's environment; default
 * "/bin/kspawn"), print one verdict line the host parses,
 * then power off:
 *   USPAWN-VERDICT: PASS | FAIL
 * With USPAWN_KMEMLEAK=1 it scans kmemleak at the end and fails on reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void console(void)
{
	int fd;

	mkdir("/dev", 0755);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	fd = open("/dev/console", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		if (fd > 2)
			close(fd);
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
}

/* Run one command line; returns its wait status. */
static int run(char *line)
{
	char *argv[64];
	int argc = 0, st = -1;

	for (char *w = strtok(line, ","); w && argc < 63; w = strtok(NULL, ","))
		argv[argc++] = w;
	argv[argc] = NULL;
	/* leading NAME=value words go to the program's environment */
	int first = 0;
	while (first < argc && strchr(argv[first], '='))
		first++;
	if (first == argc)
		return 0;
	printf("# run %s\n", argv[first]);
	pid_t pid = fork();
	if (pid == 0) {
		for (int i = 0; i < first; i++)
			putenv(argv[i]);
		execv(argv[first], argv + first);
		fprintf(stderr, "kinit: exec %s: %s\n", argv[first], strerror(errno));
		_exit(127);
	}
	/* PID 1 reaps orphans too: wait for this pid only, reap the rest */
	for (;;) {
		int s;
		pid_t r = wait(&s);
		if (r == pid) {
			st = s;
			break;
		}
		if (r < 0 && errno != EINTR)
			break;
	}
	return st;
}

static int kmemleak_clean(void)
{
	char buf[4096];
	ssize_t n;
	int fd;

	mkdir("/sys/kernel/debug", 0755);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	for (int i = 0; i < 2; i++) { /* two scans: fresh objects are not reported */
		fd = open("/sys/kernel/debug/kmemleak", O_WRONLY);
		if (fd < 0) {
			printf("# kmemleak: %s\n", strerror(errno));
			return 0;
		}
		write(fd, "scan", 4);
		close(fd);
	}
	fd = open("/sys/kernel/debug/kmemleak", O_RDONLY);
	n = fd < 0 ? 0 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	if (n > 0) {
		buf[n] = 0;
		printf("# kmemleak reports:\n%s\n", buf);
		return 0;
	}
	printf("# kmemleak: clean\n");
	return 1;
}

int main(void)
{
	const char *tests = getenv("USPAWN_TESTS");
	char *list = strdup(tests ? tests : "/bin/kspawn");
	int failed = 0;

	console();
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/tmp", 01777);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);
	setenv("PATH", "/bin", 1);

	char *save, *line = strtok_r(list, ";", &save);
	for (; line; line = strtok_r(NULL, ";", &save)) {
		char *copy = strdup(line);
		int st = run(copy);
		if (!(WIFEXITED(st) && WEXITSTATUS(st) == 0)) {
			printf("# FAILED: %s (status %#x)\n", line, st);
			failed++;
		}
		free(copy);
	}
	if (getenv("USPAWN_KMEMLEAK") && !kmemleak_clean())
		failed++;

	printf("USPAWN-VERDICT: %s\n", failed ? "FAIL" : "PASS");
	fflush(stdout);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
