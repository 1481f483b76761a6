/* SPDX-License-Identifier: MIT */
/* --joblog: GNU parallel's TSV columns, one line per job as it ends. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>

#include "run.h"

FILE *joblog_open(const char *path)
{
	FILE *f = fopen(path, "we");

	if (f)
		fputs("Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n",
		      f);
	return f;
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
