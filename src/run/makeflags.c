/* SPDX-License-Identifier: MIT */
/*
 * MAKEFLAGS as make 4.3 reads it (decode_env_switches in its main.c): the
 * value is split at blanks ('\' escapes one character), a first word with
 * no '-' and no '=' gets a '-' (make writes its single-letter flags as
 * "kn"), and the words go through getopt_long with make's own option
 * table, so that "-I n" is an include directory and not -n, "--dry" is
 * --dry-run, and "--" ends the options. make's -j takes a number in the
 * next word; -l likewise.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

/* make 4.3's switches: flags, then options with an argument (:) or an optional one (::) */
static const char make_short[] = "-bBdeE:hiI:j::kl::LmnO::pqrRsStvwC:f:o:W:";

enum { MK_DEBUG = 256, MK_AUTH, MK_OTHER };

static const struct option make_long[] = {
	{"always-make", no_argument, 0, 'B'},
	{"environment-overrides", no_argument, 0, 'e'},
	{"eval", required_argument, 0, 'E'},
	{"help", no_argument, 0, 'h'},
	{"ignore-errors", no_argument, 0, 'i'},
	{"keep-going", no_argument, 0, 'k'},
	{"check-symlink-times", no_argument, 0, 'L'},
	{"just-print", no_argument, 0, 'n'},
	{"print-data-base", no_argument, 0, 'p'},
	{"question", no_argument, 0, 'q'},
	{"no-builtin-rules", no_argument, 0, 'r'},
	{"no-builtin-variables", no_argument, 0, 'R'},
	{"silent", no_argument, 0, 's'},
	{"no-keep-going", no_argument, 0, 'S'},
	{"touch", no_argument, 0, 't'},
	{"version", no_argument, 0, 'v'},
	{"print-directory", no_argument, 0, 'w'},
	{"directory", required_argument, 0, 'C'},
	{"file", required_argument, 0, 'f'},
	{"include-dir", required_argument, 0, 'I'},
	{"jobs", optional_argument, 0, 'j'},
	{"load-average", optional_argument, 0, 'l'},
	{"old-file", required_argument, 0, 'o'},
	{"output-sync", optional_argument, 0, 'O'},
	{"what-if", required_argument, 0, 'W'},
	{"debug", optional_argument, 0, MK_DEBUG},
	{"jobserver-auth", required_argument, 0, MK_AUTH},
	{"trace", no_argument, 0, MK_OTHER},
	{"no-print-directory", no_argument, 0, MK_OTHER},
	{"warn-undefined-variables", no_argument, 0, MK_OTHER},
	{"sync-mutex", required_argument, 0, MK_OTHER},
	{"no-silent", no_argument, 0, MK_OTHER},
	{"jobserver-fds", required_argument, 0, MK_AUTH},
	/* make's aliases */
	{"quiet", no_argument, 0, 's'},
	{"stop", no_argument, 0, 'S'},
	{"new-file", required_argument, 0, 'W'},
	{"assume-new", required_argument, 0, 'W'},
	{"assume-old", required_argument, 0, 'o'},
	{"max-load", optional_argument, 0, 'l'},
	{"dry-run", no_argument, 0, 'n'},
	{"recon", no_argument, 0, 'n'},
	{"makefile", required_argument, 0, 'f'},
	{0, 0, 0, 0},
};

static int all_digits(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

/* Split value into argv (argv[0] a spacer, as make has it) in buf; returns argc. */
static int split(const char *v, char *buf, char **argv)
{
	char *p = buf + 1;
	int argc = 1;

	buf[0] = '-'; /* prepended to the first word if it needs one */
	while (*v == ' ' || *v == '\t')
		v++;
	if (!*v)
		return 1;
	argv[argc] = p;
	while (*v) {
		if (*v == '\\' && v[1]) {
			v++;
		} else if (*v == ' ' || *v == '\t') {
			*p++ = 0;
			while (*v == ' ' || *v == '\t')
				v++;
			if (*v)
				argv[++argc] = p;
			continue;
		}
		*p++ = *v++;
	}
	*p = 0;
	argc++;
	if (argv[1][0] != '-' && !strchr(argv[1], '='))
		argv[1] = buf;
	argv[argc] = NULL;
	return argc;
}

void makeflags_parse(const char *value, struct make_flags *mf)
{
	memset(mf, 0, sizeof *mf);
	if (!value)
		return;
	mf->under_make = 1;
	size_t len = strlen(value);
	char *buf = malloc(len + 2);
	char **argv = malloc((len + 3) * sizeof *argv);
	if (!buf || !argv) {
		free(buf);
		free(argv);
		return;
	}
	argv[0] = "make";
	int argc = split(value, buf, argv), c;
	opterr = 0;
	optind = 0; /* glibc: start afresh */
	while (argc > 1 && (c = getopt_long(argc, argv, make_short, make_long, NULL)) != -1) {
		const char *arg = optarg;
		switch (c) {
		case 'n':
			mf->dry_run = 1;
			break;
		case 'j':
			/* -j 4: make takes an all-digit next word as the number */
			if (!arg && optind < argc && all_digits(argv[optind]))
				arg = argv[optind++];
			if (!arg)
				mf->jobs = -1;
			else if (all_digits(arg) && atoi(arg) > 0)
				mf->jobs = atoi(arg);
			break;
		case 'l':
			if (!arg && optind < argc &&
			    ((argv[optind][0] >= '0' && argv[optind][0] <= '9') ||
			     argv[optind][0] == '.'))
				optind++;
			break;
		case MK_AUTH:
			mf->jobserver = 1;
			break;
		}
	}
	optind = 0;
	free(argv);
	free(buf);
}
