/* SPDX-License-Identifier: MIT */
/*
 * Failures are said once, on stderr: each failing job by its line (under
 * --tag by its number, the message tagged like the job's own lines) with
 * its exit status, signal or timeout; and when the run stops because of
 * them, what was not run.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "run.h"

#define SHOWN_MAX 120 /* a longer line is cut in messages */

/* The line as one short message line: blanks for tabs and newlines, cut with "...". */
static void shown_line(const char *line, char *out, size_t cap)
{
	size_t n = 0;

	for (; *line && n + 4 < cap && n < SHOWN_MAX; line++)
		out[n++] = *line == '\t' || *line == '\n' ? ' ' : *line;
	if (*line)
		memcpy(out + n, "...", 3), n += 3;
	out[n] = 0;
}

static void why(const struct runner *r, const struct rjob *j, int status, char *out, size_t cap)
{
	if (j->why)
		snprintf(out, cap, "%s", j->why);
	else if (j->timed_out)
		snprintf(out, cap, "timed out after %g s", r->o->timeout);
	else if (WIFSIGNALED(status))
		snprintf(out, cap, "%s%s", strsignal(WTERMSIG(status)),
			 WCOREDUMP(status) ? " (core dumped)" : "");
	else
		snprintf(out, cap, "exit status %d", WEXITSTATUS(status));
}

/* The line that names a failed job (with its tag under --tag), to print after its output. */
char *report_failure(struct runner *r, const struct rjob *j, int status)
{
	char because[256], shown[SHOWN_MAX + 8];
	char *msg;
	int n;

	why(r, j, status, because, sizeof because);
	if (r->o->tag) {
		n = asprintf(&msg, "%s\turing-run: job %llu: %s\n", out_tag(j),
			     (unsigned long long)j->seq, because);
	} else {
		shown_line(j->line, shown, sizeof shown);
		n = asprintf(&msg, "uring-run: job %llu (%s): %s\n", (unsigned long long)j->seq,
			     shown, because);
	}
	return n < 0 ? NULL : msg;
}

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}
/* After the run: what the failures kept from running. */
void report_stop(struct runner *r)
{
	char msg[512];
	size_t n;
	long rest;

	static const char *const what[] = {"failure", "success", "finished job"};
	static const char *const whats[] = {"failures", "successes", "finished jobs"};

	if (!r->halted_by || r->signal || r->out_failed)
		return;
	rest = r->gen.on ? gen_rest(&r->gen, &r->in) : input_rest(&r->in);
	/* --resume: lines the joblog says are done would not have run anyway */
	for (long i = 1, all = rest; r->o->resume && i <= all; i++)
		rest -= done_has(&r->done_set, r->seq + (uint64_t)i) != 0;
	if (!rest && !r->terminated)
		return;
	int k = r->halted_by - 1;
	uint64_t count = r->halted_at;
	n = (size_t)snprintf(msg, sizeof msg,
			     "uring-run: stopped after %llu %s: ", (unsigned long long)count,
			     count == 1 ? what[k] : whats[k]);
	if (r->terminated)
		n += (size_t)snprintf(msg + n, sizeof msg - n, "%llu running job%s terminated%s",
				      (unsigned long long)r->terminated, plural(r->terminated),
				      rest ? ", " : "");
	if (rest > 0)
		n += (size_t)snprintf(msg + n, sizeof msg - n, "%ld job%s not started", rest,
				      plural((uint64_t)rest));
	else if (rest < 0)
		n += (size_t)snprintf(msg + n, sizeof msg - n, "the rest of the input not read");
	n += (size_t)snprintf(msg + n, sizeof msg - n, "%s\n",
			      k == HALT_FAIL ? " (-k runs every line)" : "");
	out_write(2, msg, n < sizeof msg ? n : sizeof msg - 1);
}
