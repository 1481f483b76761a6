/* SPDX-License-Identifier: MIT */
/*
 * /init of the test VM: mount the usual file systems, bring up lo, let
 * every uid use /dev/ram0, give each command line a fresh /tmp with
 * /tmp/suid-ids in it (khelper, set-uid 2000), run
 * the test programs named by USPAWN_TESTS (a ';'-separated list of command
 * lines, words split on ','; leading NAME=value words set the program's
 * environment, and USPAWN_RUN_UID=N runs it as uid and gid N; default
 * "/bin/kspawn"), print one verdict line the host parses, then power off:
 *   USPAWN-VERDICT: PASS | FAIL
 * With USPAWN_KMEMLEAK=1 it scans kmemleak at the end and fails on reports.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
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
		const char *uid = getenv("USPAWN_RUN_UID");
		if (uid && (setgroups(0, NULL) < 0 || setgid((gid_t)atoi(uid)) < 0 ||
			    setuid((uid_t)atoi(uid)) < 0)) {
			fprintf(stderr, "kinit: uid %s: %s\n", uid, strerror(errno));
			_exit(127);
		}
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

/* What the tests need of the machine, done once as root. */
static void setup(void)
{
	struct ifreq ifr = {0};
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	/* loopback sockets (127.0.0.1) for SEND/RECV and liburing's tests */
	strcpy(ifr.ifr_name, "lo");
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
		ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd >= 0)
		close(fd);
	/* O_DIRECT on brd for every uid */
	chmod("/dev/ram0", 0666);
}

/*
 * Each command line gets a /tmp of its own: the tests use fixed names
 * there, and files a root line leaves behind (0644, in a sticky /tmp)
 * cannot be truncated or removed by a uid-1000 line that follows. Then
 * make /tmp/suid-ids, a set-uid program owned by another uid than root or
 * the tests'.
 */
static void fresh_tmp(void)
{
	umount2("/tmp", MNT_DETACH);
	mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
	int in = open("/bin/khelper", O_RDONLY),
	    out = open("/tmp/suid-ids", O_WRONLY | O_CREAT, 0755);
	char buf[65536];
	ssize_t n;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			break;
	if (in >= 0)
		close(in);
	if (out >= 0) {
		fchown(out, 2000, 2000);
		fchmod(out, 04755);
		close(out);
	}
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
	setenv("PATH", "/bin", 1);
	setup();

	char *save, *line = strtok_r(list, ";", &save);
	for (; line; line = strtok_r(NULL, ";", &save)) {
		char *copy = strdup(line);
		fresh_tmp();
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
