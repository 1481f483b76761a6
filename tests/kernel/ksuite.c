/* SPDX-License-Identifier: MIT */
/*
 * ksuite TIMEOUT DIR [NAME...]: run another project's test programs inside
 * the test VM (liburing's test/, see kernel/liburing-vm.sh): every
 * executable in DIR, sorted, or only the NAMEs given, each as root in a
 * fresh directory /tmp/ksuite/NAME, in a session of its own with stdin from
 * /dev/null and its output in a file, killed with its process group after
 * TIMEOUT seconds; the files named in $KSUITE_LINKS (comma-separated) are
 * linked from DIR into each fresh directory (liburing's timeout test execs
 * ./exec-target.t). The programs named in $KSUITE_SHORT (colon-separated)
 * get $KSUITE_SHORT_TIMEOUT seconds instead: those that never finish under
 * TCG, run only to see the kernel survive them. One line per program for
 * the host to compare:
 *   SUITE NAME pass|skip|fail-N|signal-N|timeout SECONDS
 * (skip = exit 77, liburing's T_EXIT_SKIP). A failure's last output lines
 * follow as "# " comments. Exit status 0: the host judges the results.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int is_program(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* The last lines of a failed program's output, as TAP comments. */
static void show_tail(const char *log)
{
	char buf[2048];
	int fd = open(log, O_RDONLY);
	off_t end = fd < 0 ? 0 : lseek(fd, 0, SEEK_END);
	ssize_t n;

	if (fd < 0)
		return;
	lseek(fd, end > (off_t)sizeof(buf) - 1 ? end - (off_t)sizeof(buf) + 1 : 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = 0;
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		printf("#   %s\n", line);
}

static void link_helpers(const char *dir, const char *work)
{
	const char *links = getenv("KSUITE_LINKS");
	char list[512], from[1024], to[1024];

	if (!links)
		return;
	snprintf(list, sizeof(list), "%s", links);
	for (char *save, *f = strtok_r(list, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		snprintf(from, sizeof(from), "%s/%s", dir, f);
		snprintf(to, sizeof(to), "%s/%s", work, f);
		symlink(from, to);
	}
}

static void run_one(const char *dir, const char *name, int timeout)
{
	char prog[512], work[512], log[600], result[32];
	double start = now();
	int st = 0;
	pid_t pid;

	snprintf(prog, sizeof(prog), "%s/%s", dir, name);
	snprintf(work, sizeof(work), "/tmp/ksuite/%s", name);
	snprintf(log, sizeof(log), "/tmp/ksuite/%s.log", name);
	mkdir("/tmp/ksuite", 0755);
	mkdir(work, 0755);
	link_helpers(dir, work);
	pid = fork();
	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		int null = open("/dev/null", O_RDONLY);

		/* no controlling terminal: nothing may write over the console */
		setsid();
		if (null >= 0) {
			dup2(null, 0);
			close(null);
		}
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
			close(fd);
		}
		if (chdir(work) < 0)
			_exit(126);
		execl(prog, name, (char *)NULL);
		_exit(127);
	}
	snprintf(result, sizeof(result), "timeout");
	while (now() - start < timeout) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid) {
			if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
				snprintf(result, sizeof(result), "pass");
			else if (WIFEXITED(st) && WEXITSTATUS(st) == 77)
				snprintf(result, sizeof(result), "skip");
			else if (WIFEXITED(st))
				snprintf(result, sizeof(result), "fail-%d", WEXITSTATUS(st));
			else
				snprintf(result, sizeof(result), "signal-%d", WTERMSIG(st));
			break;
		}
		usleep(20000);
	}
	/* whatever the program left behind goes with it */
	kill(-pid, SIGKILL);
	if (!strcmp(result, "timeout"))
		waitpid(pid, &st, 0);
	/* on a line of its own, whatever a program wrote before */
	printf("\nSUITE %s %s %.1f\n", name, result, now() - start);
	if (strcmp(result, "pass") && strcmp(result, "skip"))
		show_tail(log);
	fflush(stdout);
	nftw(work, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	unlink(log);
}

/* The timeout of one program: shorter if $KSUITE_SHORT names it. */
static int timeout_of(const char *name, int timeout)
{
	const char *list = getenv("KSUITE_SHORT"), *secs = getenv("KSUITE_SHORT_TIMEOUT");
	size_t len = strlen(name);

	for (const char *p = list; p && *p; p = strchr(p, ':') ? strchr(p, ':') + 1 : "") {
		if (!strncmp(p, name, len) && (p[len] == ':' || p[len] == 0))
			return secs ? atoi(secs) : timeout;
	}
	return timeout;
}

int main(int argc, char **argv)
{
	struct dirent **names;
	int n, timeout;

	if (argc < 3) {
		fprintf(stderr, "usage: ksuite TIMEOUT DIR [NAME...]\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	timeout = atoi(argv[1]);
	if (argc > 3) {
		for (int i = 3; i < argc; i++)
			run_one(argv[2], argv[i], timeout_of(argv[i], timeout));
		return 0;
	}
	n = scandir(argv[2], &names, is_program, alphasort);
	if (n < 0) {
		fprintf(stderr, "ksuite: %s: %s\n", argv[2], strerror(errno));
		return 2;
	}
	printf("# ksuite: %d programs in %s, %d s each at most\n", n, argv[2], timeout);
	for (int i = 0; i < n; i++) {
		run_one(argv[2], names[i]->d_name, timeout_of(names[i]->d_name, timeout));
		free(names[i]);
	}
	free(names);
	/* reap what the programs orphaned */
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	return 0;
}
