/* SPDX-License-Identifier: MIT */
/*
 * The bottom layer of libuspawn: what a job is, and the queue of events
 * the caller collects. It calls nothing else in the library; the layers
 * above (io, engine, api) report every job's fate through it.
 */
#ifndef USPAWN_CORE_H
#define USPAWN_CORE_H

#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

#include "uspawn.h"

/* glibc names; musl (uring-sh's static build) lacks them */
#ifndef W_EXITCODE
#define W_EXITCODE(ret, sig) ((ret) << 8 | (sig))
#endif
#ifndef WCOREFLAG
#define WCOREFLAG 0x80
#endif

/* CLOCK_MONOTONIC in ns: a job's start_ns and end_ns. */
uint64_t now_ns(void);

/* Job is waiting for these before its EXIT event can go out. */
#define JOB_WAIT_REAP (1u << 0)
#define JOB_WAIT_OUT  (1u << 1)
#define JOB_WAIT_ERR  (1u << 2)
/* the engine has not said yet whether the child exec'd (nowait, USPAWN_NO_REAP) */
#define JOB_WAIT_EXEC (1u << 3)

#define CAPTURE_BUF (64 * 1024)

struct capture {
	int fd; /* read end in the parent, -1 when closed */
	char *buf;
};

struct job {
	uint64_t user_data;
	pid_t pid;
	int pidfd;     /* from the clone (vfork engine) or for the poll fallback, else -1 */
	unsigned wait; /* JOB_WAIT_* still outstanding */
	int error;
	enum uspawn_stage stage;
	unsigned stage_index;
	int status;
	siginfo_t info; /* filled by IORING_OP_WAITID */
	struct capture cap[2];
	uint64_t start_ns;
	struct job *next; /* on the handle's rearm list or the queue's done list */
	unsigned rearm;   /* capture streams whose read must be re-armed (bit 1 and 2) */
	pid_t *pid_out;   /* uspawn_cmd.pid_out */
	int no_reap;      /* USPAWN_NO_REAP: the caller waits for the child */
	int reap_direct;  /* reaped by reap_block (uspawn_run without a ring), not the ring */
	int resident;     /* one of the records job_seed gave: never freed */
	/*
	 * The engine still holds what the child will say of its exec (the
	 * nowait engine: its pool slot); the handle's settle takes it before
	 * the EXIT event. NULL once taken.
	 */
	void *engine_hold;
};

struct queued {
	struct uspawn_event ev;
	struct job *rearm; /* OUTPUT: the job whose read goes again after delivery */
};

/* Events not collected yet, oldest first. */
struct events {
	struct queued *q;
	unsigned head, len, cap;
	/*
	 * The first buffer, events_seed's (the handle's own, on its page):
	 * kept for good, q only leaves it when more are queued than it holds.
	 * No write to the allocator's pages per job (see spare).
	 */
	struct queued *seed;
	/* jobs whose EXIT is queued; the caller may still read their OUTPUT buffers */
	struct job *done;
	/*
	 * Records for the next jobs, the last freed first: those job_seed
	 * gave, then the jobs that are over. No allocation per job, so no
	 * write to the allocator's pages, which a fork of the caller's makes
	 * cost a fault each on the next spawn.
	 */
	struct job *spare;
	unsigned n_spare;
};

/* The queue's first buffer (n entries, the caller's memory, kept until events_fini). */
void events_seed(struct events *e, struct queued *buf, unsigned n);
/*
 * Queue an event. rearm: the job whose capture read goes again once the
 * caller has had this OUTPUT chunk (events_pop hands it back), else NULL.
 */
void events_push(struct events *e, const struct uspawn_event *ev, struct job *rearm);
/* The oldest event into *ev and its rearm job; 0 when there is none. */
int events_pop(struct events *e, struct uspawn_event *ev, struct job **rearm);
/*
 * The first queued EXIT of user_data into *ev, taken out of the queue
 * wherever it is (uspawn_run); 0 when none is queued.
 */
int events_take_exit(struct events *e, uint64_t user_data, struct uspawn_event *ev);
/* The queue's memory and the spare job records (its done jobs are job_free_done's). */
void events_fini(struct events *e);

/* Records to use before any allocation (the handle's own, on its page), kept for good. */
void job_seed(struct events *e, struct job *records, unsigned n);
struct job *job_new(struct events *e, const struct uspawn_cmd *cmd);
/* The record back to the spares (or freed); its pidfd and capture buffers are released. */
void job_free(struct events *e, struct job *job);
int job_capture_open(struct job *job, const struct uspawn_cmd *cmd, int child_fds[2]);
void job_capture_close_child(int child_fds[2]);
/* The job's read ends (the engine hands the job to another, which opens its own). */
void job_capture_close(struct job *job);
/* The child ran but could not exec: it exits 127 and is still reaped. */
void job_exec_failed(struct job *job, enum uspawn_stage stage, unsigned index, int err);
/* No process: the EXIT event goes out now. */
void job_failed(struct events *e, struct job *job, enum uspawn_stage stage, unsigned index,
		int err);
/* Nothing left to wait for: queue the EXIT event, put the job on the done list. */
void job_finish_if_done(struct events *e, struct job *job);
/* Free the done jobs: the caller is past every event that pointed into them. */
void job_free_done(struct events *e);

#endif
