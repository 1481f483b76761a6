/* SPDX-License-Identifier: MIT */
/*
 * dash's job table (eval/jobs.c): filled by the child processes the shell
 * starts (eval/child.c), shown and waited for by jobs, fg, bg and wait
 * (builtins/jobs.c). Without job control it shows no command text, but it
 * numbers jobs, marks the current and previous one, and keeps a finished
 * job until `jobs` shows it (or, once waited for, until a new job takes its
 * slot). Foreground jobs take a slot only while they run.
 */
#ifndef USH_JOBS_H
#define USH_JOBS_H

#include "eval/eval.h"

struct jobproc {
	pid_t pid;
	int status; /* wait status; -1 while it runs */
};
struct job {
	struct jobproc *ps;
	unsigned nprocs;
	unsigned long seq; /* creation order: the newest is the current job (+) */
	char used, done, waited;
};

/* dash's words for a wait status: Done, Done(N) or the signal's name;
 * sigonly: only a signal worth a message (not INT or PIPE), else nothing */
void jobs_status_text(struct out *o, int ws, int sigonly);

/* a background job of n processes, in the slot dash would give it */
struct job *jobs_new(struct shell *sh, unsigned n);
void jobs_add_proc(struct job *j, pid_t pid);
void jobs_free(struct job *j);
/* a foreground job (command, pipeline, subshell, $(...)) starts */
void jobs_foreground(struct shell *sh);
/* a pipeline's members start (delta 1) or have started (-1): the pipeline is the job */
void jobs_pipe(int delta);
/* reap what has ended without blocking, as dash does after each command */
void jobs_reap(void);
/* the same, when a foreground command ran since the last reap */
void jobs_reap_due(void);
/* after a builtin, function or assignment: collect ended background jobs */
void jobs_reap_bg(void);
/* in a forked child: dash starts a subshell with an empty job table */
void jobs_clear(void);

/* the job's number, as %N names it */
unsigned jobs_number(const struct job *j);
/* the used job created last before seq: the current job for ULONG_MAX */
struct job *jobs_before(unsigned long seq);
/* a job name (%N, %%, %+, %-, %?...); NULL after dash's message */
struct job *jobs_find(struct shell *sh, const char *name, int ctl);
/* the job whose last process is pid (dash's `wait PID`) */
struct job *jobs_by_pid(pid_t pid);
/* $? of a finished job: its last process's */
int jobs_status(const struct job *j);
/* wait for j to end; a trapped signal that interrupted: its number, else 0 */
int jobs_wait_for(struct job *j, int report);
/* a bare wait: every job ends up waited for; 128 + a trapped signal, else 0 */
int jobs_wait_all(void);
/* decimal digits only, at least one */
int jobs_all_digits(const char *p);

#endif
