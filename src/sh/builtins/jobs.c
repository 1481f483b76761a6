/* SPDX-License-Identifier: MIT */
/*
 * jobs, fg, bg and wait: dash's job table (eval/jobs.h) as a
 * non-interactive dash shows it and waits for it.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "builtins/builtins.h" /* bi_nextopt */
#include "builtins/shell.h"
#include "eval/jobs.h"

/*
 * dash's nextopt of letters from ok: the index of the first operand, or -1
 * after the message. *mode: the last of l (1) or p (2) given.
 */
static int job_opts(struct shell *sh, char **argv, const char *ok, int *mode)
{
	struct bi_opts o = {argv + 1, NULL};
	int opt;

	while ((opt = bi_nextopt(&o))) {
		if (!strchr(ok, opt)) {
			char letter[2] = {(char)opt, 0};
			shell_msg(sh, "Illegal option -", letter, NULL, NULL);
			return -1;
		}
		*mode = opt == 'l' ? 1 : 2;
	}
	return (int)(o.a - argv);
}

/* dash's wait: pids and job names; 127 for a pid that is no job of ours */
int b_wait(struct shell *sh, int argc, char **argv)
{
	int mode = 0, status = 127;
	int i = job_opts(sh, argv, "", &mode);

	if (i < 0)
		return 2;
	jobs_reap_due();
	if (i >= argc)
		return jobs_wait_all();
	for (; i < argc; i++) {
		struct job *j;
		if (argv[i][0] == '%') {
			j = jobs_find(sh, argv[i], 0);
			if (!j)
				return 2;
		} else {
			if (!jobs_all_digits(argv[i]) || strtol(argv[i], NULL, 10) > INT32_MAX ||
			    strlen(argv[i]) > 10) {
				shell_msg(sh, "Illegal number: ", argv[i], NULL, NULL);
				return 2;
			}
			j = jobs_by_pid((pid_t)strtol(argv[i], NULL, 10));
			if (!j)
				continue;
		}
		int sig = jobs_wait_for(j, 1);
		if (sig)
			return 128 + sig;
		j->waited = 1;
		status = jobs_status(j);
	}
	return status;
}

/* pad as dash's "%*c" does: to column 33, at least one space */
static void out_pad(struct out *o, size_t col)
{
	size_t n = col < 33 ? 33 - col : 1;

	while (n--)
		out_str(o, " ");
}

/*
 * One job as dash's `jobs` shows it (mode 1: -l, every pid; 2: -p, the
 * first pid only). The command text is empty without job control. A
 * finished job is forgotten once shown (not by -p).
 */
static void job_show(struct job *j, int mode)
{
	struct out o = {malloc(80 + 48 * j->nprocs), 0, 80 + 48 * j->nprocs};
	struct job *cur = jobs_before(ULONG_MAX);

	if (!o.buf)
		return;
	if (mode == 2) {
		out_uint(&o, (unsigned long)j->ps[0].pid);
		out_str(&o, "\n");
		eval_out(o.buf, o.n);
		free(o.buf);
		return;
	}
	out_str(&o, "[");
	out_uint(&o, jobs_number(j));
	out_str(&o, "] ");
	out_str(&o, j == cur ? "+" : cur && j == jobs_before(cur->seq) ? "-" : " ");
	out_str(&o, " ");
	size_t indent = o.n;
	if (mode == 1) {
		out_uint(&o, (unsigned long)j->ps[0].pid);
		out_str(&o, " ");
	}
	if (j->done)
		jobs_status_text(&o, j->ps[j->nprocs - 1].status, 0);
	else
		out_str(&o, "Running");
	out_pad(&o, o.n);
	for (unsigned k = 1; k < j->nprocs; k++) {
		if (mode != 1) {
			out_str(&o, " | ");
			continue;
		}
		out_str(&o, " |\n");
		size_t start = o.n;
		for (size_t c = 0; c < indent; c++)
			out_str(&o, " ");
		out_uint(&o, (unsigned long)j->ps[k].pid);
		out_str(&o, " ");
		out_pad(&o, o.n - start);
	}
	out_str(&o, "\n");
	eval_out(o.buf, o.n);
	free(o.buf);
	if (j->done)
		jobs_free(j);
}

int b_jobs(struct shell *sh, int argc, char **argv)
{
	int mode = 0;
	int i = job_opts(sh, argv, "lp", &mode);

	if (i < 0)
		return 2;
	jobs_reap_due();
	if (i < argc) {
		for (; i < argc; i++) {
			struct job *j = jobs_find(sh, argv[i], 0);
			if (!j)
				return 2;
			job_show(j, mode);
		}
		return 0;
	}
	/* dash collects what has ended first, then lists newest first */
	jobs_reap();
	for (struct job *j = jobs_before(ULONG_MAX); j;) {
		struct job *next = jobs_before(j->seq);
		job_show(j, mode);
		j = next;
	}
	return 0;
}

/* without job control no job can be resumed: only dash's messages */
int b_fg(struct shell *sh, int argc, char **argv)
{
	int mode = 0;
	int i = job_opts(sh, argv, "", &mode);

	if (i >= 0)
		jobs_find(sh, i < argc ? argv[i] : NULL, 1);
	return 2;
}

int b_bg(struct shell *sh, int argc, char **argv)
{
	return b_fg(sh, argc, argv);
}
