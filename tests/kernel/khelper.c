/* SPDX-License-Identifier: MIT */
/*
 * The programs the VM tests exec, one static binary behind several names
 * (/bin/true, /bin/echo, ...; the initramfs links them here).
 *   true | false         exit 0 | 1
 *   echo ARG...          print the args, space separated
 *   touch FILE           create FILE
 *   sigblk HEX           exit 0 if SigBlk in /proc/self/status is HEX, else 3
 *   sigpause             exit 3 if any signal is blocked, else wait for one
 */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static unsigned long long sigblk(void)
{
	char line[256];
	unsigned long long v = ~0ull;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return v;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "SigBlk:", 7))
			v = strtoull(line + 7, NULL, 16);
	fclose(f);
	return v;
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
	fprintf(stderr, "khelper: unknown name '%s'\n", name);
	return 2;
}
