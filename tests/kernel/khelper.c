/* SPDX-License-Identifier: MIT */
/*
 * The programs the VM tests exec, one static binary behind several names
 * (/bin/true, /bin/echo, ...; the initramfs links them here).
 *   true | false         exit 0 | 1
 *   echo ARG...          print the args, space separated
 *   touch FILE           create FILE
 *   sigblk HEX           exit 0 if SigBlk in /proc/self/status is HEX, else 3
 *   sigpause             exit 3 if any signal is blocked, else wait for one
 *   ids EUID             exit 0 if the effective uid is EUID, else 3
 *   status KEY VALUE...  exit 0 if /proc/self/status says KEY: VALUE for
 *                        each pair (NoNewPrivs 1, Seccomp 2, ...), else 3
 *   affinity HEX         exit 0 if the CPU affinity mask is HEX, else 3
 *   uname NODENAME       exit 0 if uname's nodename is NODENAME, else 3
 *   trymkdir PATH        exit 0 if mkdir(PATH) works, else its errno
 *   pdeath FD            PR_SET_PDEATHSIG SIGUSR1, write "r" to FD, wait
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

/* The value of KEY in /proc/self/status, blanks trimmed ("" if absent). */
static const char *status_of(const char *key)
{
	static char line[256];
	size_t klen = strlen(key);
	FILE *f = fopen("/proc/self/status", "r");
	const char *v = "";

	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, klen) || line[klen] != ':')
			continue;
		v = line + klen + 1;
		while (*v == ' ' || *v == '\t')
			v++;
		line[strcspn(line, "\n")] = 0;
		break;
	}
	if (f)
		fclose(f);
	return v;
}

static unsigned long long sigblk(void)
{
	const char *v = status_of("SigBlk");

	return *v ? strtoull(v, NULL, 16) : ~0ull;
}

static int check(int ok, const char *what, const char *got, const char *want)
{
	if (ok)
		return 0;
	fprintf(stderr, "khelper: %s is %s, want %s\n", what, got, want);
	return 3;
}

/* The names that check something of the process they run in. */
static int inspect(const char *name, int argc, char **argv)
{
	char got[64];

	if (!strcmp(name, "ids") && argc > 1) {
		snprintf(got, sizeof(got), "%u", (unsigned)geteuid());
		return check(!strcmp(got, argv[1]), "euid", got, argv[1]);
	}
	if (!strcmp(name, "status")) {
		for (int i = 1; i + 1 < argc; i += 2) {
			const char *v = status_of(argv[i]);
			if (strcmp(v, argv[i + 1]))
				return check(0, argv[i], v, argv[i + 1]);
		}
		return 0;
	}
	if (!strcmp(name, "affinity") && argc > 1) {
		cpu_set_t set;
		unsigned long long mask = 0;

		CPU_ZERO(&set);
		sched_getaffinity(0, sizeof(set), &set);
		for (int i = 0; i < 64; i++)
			if (CPU_ISSET(i, &set))
				mask |= 1ull << i;
		snprintf(got, sizeof(got), "%llx", mask);
		return check(mask == strtoull(argv[1], NULL, 16), "affinity", got, argv[1]);
	}
	if (!strcmp(name, "uname") && argc > 1) {
		struct utsname u;

		uname(&u);
		return check(!strcmp(u.nodename, argv[1]), "nodename", u.nodename, argv[1]);
	}
	if (!strcmp(name, "trymkdir") && argc > 1)
		return syscall(SYS_mkdir, argv[1], 0755) == 0 ? 0 : errno;
	if (!strcmp(name, "pdeath") && argc > 1) {
		prctl(PR_SET_PDEATHSIG, SIGUSR1);
		if (write(atoi(argv[1]), "r", 1) != 1)
			return 2;
		for (;;)
			pause();
	}
	return -1;
}

int main(int argc, char **argv)
{
	const char *name = basename(argv[0]);

	if (!strcmp(name, "khelper") && argc > 1) {
		argv++;
		argc--;
		name = argv[0];
	}
	if (!strcmp(name, "true"))
		return 0;
	if (!strcmp(name, "false"))
		return 1;
	if (!strcmp(name, "echo")) {
		for (int i = 1; i < argc; i++)
			printf("%s%s", i > 1 ? " " : "", argv[i]);
		printf("\n");
		return fflush(stdout) ? 1 : 0;
	}
	if (!strcmp(name, "touch") && argc > 1) {
		int fd = open(argv[1], O_WRONLY | O_CREAT, 0644);
		return fd < 0 ? 1 : 0;
	}
	if (!strcmp(name, "sigblk") && argc > 1) {
		unsigned long long want = strtoull(argv[1], NULL, 16), got = sigblk();
		if (got != want) {
			fprintf(stderr, "sigblk: %llx, want %llx\n", got, want);
			return 3;
		}
		return 0;
	}
	if (!strcmp(name, "sigpause")) {
		if (sigblk())
			return 3;
		for (;;)
			pause();
	}
	int ret = inspect(name, argc, argv);
	if (ret >= 0)
		return ret;
	fprintf(stderr, "khelper: unknown name '%s'\n", name);
	return 2;
}
