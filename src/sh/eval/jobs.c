/* SPDX-License-Identifier: MIT */
/*
 * dash's job table (see jobs.h) and its words for how a job ended.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include "eval/jobs.h"

static struct job *jobtab;
static unsigned njobs;
static unsigned long jobseq;
/* a foreground command ran since the last reap: dash reaps after each one */
static int reap_due;
/* starting a pipeline's members: the pipeline is the job, not each member */
static int in_pipe;

static const char *const signames[] = {
	NULL,
	"Hangup",
	"Interrupt",
	"Quit",
	"Illegal instruction",
	"Trace/breakpoint trap",
	"Aborted",
	"Bus error",
	"Floating point exception",
	"Killed",
	"User defined signal 1",
	"Segmentation fault",
	"User defined signal 2",
	"Broken pipe",
	"Alarm clock",
	"Terminated",
	"Stack fault",
	"Child exited",
	"Continued",
	"Stopped (signal)",
	"Stopped",
	"Stopped (tty input)",
	"Stopped (tty output)",
	"Urgent I/O condition",
	"CPU time limit exceeded",
	"File size limit exceeded",
	"Virtual timer expired",
	"Profiling timer expired",
	"Window changed",
	"I/O possible",
	"Power failure",
	"Bad system call",
};

void jobs_status_text(struct out *o, int ws, int sigonly)
{
	if (WIFEXITED(ws)) {
		if (sigonly)
			return;
		out_str(o, "Done");
		if (WEXITSTATUS(ws)) {
			out_str(o, "(");
			out_uint(o, WEXITSTATUS(ws));
			out_str(o, ")");
		}
		return;
	}
	int sig = WTERMSIG(ws);
	if (sigonly && (sig == SIGINT || sig == SIGPIPE))
		return;
	if (sig > 0 && sig < (int)(sizeof signames / sizeof signames[0])) {
		out_str(o, signames[sig]);
	} else {
		out_str(o, "Signal ");
		out_uint(o, sig);
	}
	if (WCOREDUMP(ws))
		out_str(o, " (core dumped)");
}

/* the line dash prints when the job it waits for is killed */
static void status_report(int ws)
{
	char buf[64];
	struct out o = {buf, 0, sizeof buf};

	jobs_status_text(&o, ws, 1);
	if (!o.n)
		return;
	out_str(&o, "\n");
	write_all(2, buf, o.n);
}

/* $? of a wait status; dash names a signal that killed a job (not INT, PIPE) */
int status_of(int ws)
{
	if (!WIFSIGNALED(ws))
		return WEXITSTATUS(ws);
	status_report(ws);
	return 128 + WTERMSIG(ws);
}

void jobs_free(struct job *j)
{
	free(j->ps);
	*j = (struct job){0};
}

/*
 * dash's slot for a new job: the lowest free one, or the lowest finished
 * and waited-for one (freed now) if that comes first; else a new slot.
 */
static struct job *job_slot(struct shell *sh)
{
	for (unsigned i = 0; i < njobs; i++) {
		struct job *j = &jobtab[i];
		if (j->used && !(j->done && j->waited))
			continue;
		jobs_free(j);
		return j;
	}
	struct job *t = realloc(jobtab, (njobs + 4) * sizeof *t);
	if (!t)
		eval_oom(sh);
	jobtab = t;
	for (unsigned i = njobs; i < njobs + 4; i++)
		jobtab[i] = (struct job){0};
	njobs += 4;
	return &jobtab[njobs - 4];
}

/* a background job of n processes, in the slot dash would give it */
struct job *jobs_new(struct shell *sh, unsigned n)
{
	struct job *j = job_slot(sh);

	j->ps = calloc(n, sizeof *j->ps);
	if (!j->ps)
		eval_oom(sh);
	j->used = 1;
	j->seq = ++jobseq;
	return j;
}

/*
 * A foreground job (a command, pipeline, subshell or $(...)) starts: it
 * holds its slot only while it runs, but taking it frees a waited-for one.
 * With no background job ever started there is none to free (and a recipe
 * line need not allocate a table).
 */
void jobs_foreground(struct shell *sh)
{
	reap_due = 1;
	if (!in_pipe && njobs)
		job_slot(sh);
}

void jobs_add_proc(struct job *j, pid_t pid)
{
	j->ps[j->nprocs++] = (struct jobproc){pid, -1};
}

/* a process of job j has ended with ws */
static void job_proc_done(struct job *j, struct jobproc *p, int ws)
{
	p->status = ws;
	for (unsigned i = 0; i < j->nprocs; i++)
		if (j->ps[i].status == -1)
			return;
	j->done = 1;
}

/* reap what has ended without blocking, as dash does after each command */
void jobs_reap(void)
{
	reap_due = 0;
	for (unsigned i = 0; i < njobs; i++) {
		struct job *j = &jobtab[i];
		for (unsigned k = 0; j->used && !j->done && k < j->nprocs; k++) {
			int ws;
			pid_t r;
			if (j->ps[k].status != -1)
				continue;
			while ((r = waitpid(j->ps[k].pid, &ws, WNOHANG)) < 0 && errno == EINTR)
				;
			if (r == j->ps[k].pid)
				job_proc_done(j, &j->ps[k], ws);
			else if (r < 0) /* reaped elsewhere: gone */
				job_proc_done(j, &j->ps[k], 127 << 8);
		}
	}
}

/*
 * dash's reap after each builtin, function or assignment (when a SIGCHLD
 * came): the background jobs that have ended are collected, so a loop of
 * builtins sees a finished job's pid gone
 */
void jobs_reap_bg(void)
{
	for (unsigned i = 0; i < njobs; i++)
		if (jobtab[i].used && !jobtab[i].done) {
			jobs_reap();
			return;
		}
}

/* reaping dash did after a foreground command uring-sh could not see end */
void jobs_reap_due(void)
{
	if (reap_due)
		jobs_reap();
}

/* in a forked child: dash starts a subshell with an empty job table */
void jobs_clear(void)
{
	for (unsigned i = 0; i < njobs; i++)
		jobs_free(&jobtab[i]);
	reap_due = 0;
	in_pipe = 0;
}

/* the used job created last before seq: the current job for ULONG_MAX */
struct job *jobs_before(unsigned long seq)
{
	struct job *best = NULL;

	for (unsigned i = 0; i < njobs; i++)
		if (jobtab[i].used && jobtab[i].seq < seq && (!best || jobtab[i].seq > best->seq))
			best = &jobtab[i];
	return best;
}

int jobs_all_digits(const char *p)
{
	if (!*p)
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/*
 * dash's job names: %N; %%, %+ and % (the current job); %- (the previous
 * one); %name and %?name, matched against a command text that is empty
 * without job control, so only %? can match. NULL names the current job.
 * ctl (fg, bg): no job qualifies, none was started under job control.
 * NULL after dash's message.
 */
struct job *jobs_find(struct shell *sh, const char *name, int ctl)
{
	struct job *j = jobs_before(ULONG_MAX);
	const char *p = name ? name + 1 : "";

	if (name && *name != '%')
		goto nosuch;
	if (!*p || (!p[1] && (*p == '%' || *p == '+'))) {
		if (!j) {
			shell_msg(sh, "No current job", NULL, NULL, NULL);
			return NULL;
		}
	} else if (!strcmp(p, "-")) {
		j = j ? jobs_before(j->seq) : NULL;
		if (!j) {
			shell_msg(sh, "No previous job", NULL, NULL, NULL);
			return NULL;
		}
	} else if (jobs_all_digits(p) && strlen(p) < 10 && atoi(p) > 0 &&
		   (unsigned)atoi(p) <= njobs) {
		j = &jobtab[atoi(p) - 1];
		if (!j->used)
			goto nosuch;
	} else if (!strcmp(p, "?")) {
		/* "" contains "": every job matches */
		if (!j)
			goto nosuch;
		if (jobs_before(j->seq)) {
			shell_msg(sh, name, ": ambiguous", NULL, NULL);
			return NULL;
		}
	} else {
		goto nosuch;
	}
	if (ctl) {
		shell_msg(sh, "job ", name ? name : "(null)", " not created under job control",
			  NULL);
		return NULL;
	}
	return j;
nosuch:
	shell_msg(sh, "No such job: ", name, NULL, NULL);
	return NULL;
}

/* the job whose last process is pid (dash's `wait PID`) */
struct job *jobs_by_pid(pid_t pid)
{
	for (unsigned i = 0; i < njobs; i++)
		if (jobtab[i].used && jobtab[i].ps[jobtab[i].nprocs - 1].pid == pid)
			return &jobtab[i];
	return NULL;
}

/* $? of a finished job: its last process's */
int jobs_status(const struct job *j)
{
	int ws = j->ps[j->nprocs - 1].status;

	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

/*
 * Wait for job j to end. A trapped signal interrupts: its number, else 0.
 * report: dash names the signal that kills a process of the job it waits
 * for (`wait %1`, `wait PID`), not of one a bare wait collects.
 */
int jobs_wait_for(struct job *j, int report)
{
	for (unsigned k = 0; k < j->nprocs; k++) {
		struct jobproc *p = &j->ps[k];
		while (p->status == -1) {
			int ws;
			if (waitpid(p->pid, &ws, 0) == p->pid) {
				if (report)
					status_report(ws);
				job_proc_done(j, p, ws);
			} else if (errno != EINTR) {
				job_proc_done(j, p, 127 << 8);
			} else {
				int sig = trap_waiting_sig();
				if (sig)
					return sig;
			}
		}
	}
	/* dash's wait collects every other child that has ended meanwhile */
	jobs_reap();
	return 0;
}

/* a bare wait: every job ends up waited for, not freed (`jobs` still shows it) */
int jobs_wait_all(void)
{
	for (;;) {
		struct job *run = NULL;
		for (unsigned i = 0; i < njobs; i++) {
			if (jobtab[i].used && jobtab[i].done)
				jobtab[i].waited = 1;
			else if (jobtab[i].used && !run)
				run = &jobtab[i];
		}
		if (!run)
			return 0;
		int sig = jobs_wait_for(run, 0);
		if (sig)
			return 128 + sig;
	}
}

unsigned jobs_number(const struct job *j)
{
	return (unsigned)(j - jobtab) + 1;
}

void jobs_pipe(int delta)
{
	in_pipe += delta;
}
