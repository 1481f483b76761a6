/* SPDX-License-Identifier: MIT */
/*
 * sigign PROGRAM [ARG...]: runs PROGRAM with SIGCHLD ignored, as a daemon,
 * a CI agent or a Python program (signal(SIGCHLD, SIG_IGN), then exec)
 * starts its children: the disposition survives exec.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: sigign PROGRAM [ARG...]\n");
		return 2;
	}
	signal(SIGCHLD, SIG_IGN);
	execvp(argv[1], argv + 1);
	fprintf(stderr, "sigign: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
