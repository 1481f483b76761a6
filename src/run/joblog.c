/* SPDX-License-Identifier: MIT */
/* --joblog: GNU parallel's TSV columns, one line per job as it ends. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "run.h"

/* A new joblog, or (--resume) the old one to append to; the header when it is empty. */
FILE *joblog_open(const char *path, int append)
{
	FILE *f = fopen(path, append ? "ae" : "we");
	struct stat st;

	if (f && (!append || (fstat(fileno(f), &st) == 0 && st.st_size == 0)))
		fputs("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n",
		      f);
	return f;
}

/* The fields of a joblog line (the first nine; the command may hold tabs). */
static int fields(char *line, char **f)
{
	int n = 0;

	for (char *p = line; n < 9; p++) {
		f[n++] = p;
		if (!(p = strchr(p, '\t')))
			break;
		if (n < 9)
			*p = 0;
	}
	return n;
}

static int is_num(const char *s, const char *extra)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || strchr(extra, *s)))
			return 0;
	return 1;
}

/* Seq Host Starttime JobRuntime Send Receive Exitval Signal Command */
static int line_ok(char **f, int n)
{
	return n == 9 && is_num(f[0], "") && is_num(f[2], ".-") && is_num(f[3], ". -") &&
	       is_num(f[4], "") && is_num(f[5], "") && is_num(f[6], "-") && is_num(f[7], "");
}

static int done_add(struct done_set *d, uint64_t seq)
{
	if (seq >= (uint64_t)d->words * 64) {
		size_t words = d->words ? d->words : 16;
		while (seq >= (uint64_t)words * 64)
			words *= 2;
		uint64_t *nb = realloc(d->bits, words * sizeof *nb);
		if (!nb)
			return -1;
		memset(nb + d->words, 0, (words - d->words) * sizeof *nb);
		d->bits = nb;
		d->words = words;
	}
	d->bits[seq / 64] |= 1ull << (seq % 64);
	return 0;
}

int done_has(const struct done_set *d, uint64_t seq)
{
	return seq < (uint64_t)d->words * 64 && (d->bits[seq / 64] >> (seq % 64)) & 1;
}

/*
 * --resume: the jobs the joblog at path lists are done; --resume-failed
 * (only_ok): those that exited 0 without a signal. The first line is the
 * header. A missing joblog is an empty one. Returns 0, or -1 (said).
 */
int joblog_resume(const char *path, int only_ok, struct done_set *d)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, *fl[9];
	size_t cap = 0;
	ssize_t len;
	unsigned long no = 0;
	int r = 0;

	if (!f) {
		if (errno == ENOENT)
			return 0;
		fprintf(stderr, "uring-run: %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (!r && (len = getline(&line, &cap, f)) > 0) {
		if (++no == 1)
			continue;
		if (line[len - 1] == '\n')
			line[len - 1] = 0;
		if (!line_ok(fl, fields(line, fl))) {
			fprintf(stderr, "uring-run: %s: line %lu: not a joblog line\n", path, no);
			r = -1;
		} else if ((!only_ok || (!strcmp(fl[6], "0") && !strcmp(fl[7], "0"))) &&
			   done_add(d, strtoull(fl[0], NULL, 10)) < 0) {
			fprintf(stderr, "uring-run: %s: %s\n", path, strerror(ENOMEM));
			r = -1;
		}
	}
	free(line);
	fclose(f);
	return r;
}

/* Returns 0, or the errno of a failed write: the line is flushed, --resume reads it. */
int joblog_add(FILE *f, const struct rjob *j, double runtime, int status)
{
	/* as GNU parallel: -1 for a job we killed (--timeout), 0 for one a signal killed */
	int exitval = j->timed_out ? -1 : WIFEXITED(status) ? WEXITSTATUS(status) : 0;
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;

	/* the command is one field: tabs and newlines in it would break the columns */
	fprintf(f, "%llu\t:\t%.3f\t%10.3f\t0\t%llu\t%d\t%d\t", (unsigned long long)j->seq,
		j->start_wall, runtime, (unsigned long long)j->received, exitval, sig);
	for (const char *s = j->line; *s; s++)
		fputc(*s == '\t' || *s == '\n' ? ' ' : *s, f);
	fputc('\n', f);
	return fflush(f) == EOF || ferror(f) ? (errno ? errno : EIO) : 0;
}
