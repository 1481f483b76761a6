/* SPDX-License-Identifier: MIT */
/*
 * A job's record: created, failed or exec-failed, and once nothing is left
 * to wait for (its reaping, its output: the io layer clears those bits)
 * one EXIT event.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/core.h"

/* Spare records kept at most: a batch of thousands is not kept for ever. */
#define SPARE_MAX 64

void job_seed(struct events *e, struct job *records, unsigned n)
{
	while (n--) {
		records[n].resident = 1;
		records[n].next = e->spare;
		e->spare = &records[n];
		e->n_spare++;
	}
}

struct job *job_new(struct events *e, const struct uspawn_cmd *cmd)
{
	struct job *job = e->spare;
	int resident = 0;

	if (job) {
		e->spare = job->next;
		e->n_spare--;
		resident = job->resident;
	} else if (posix_memalign((void **)&job, 16, sizeof *job)) {
		/* 16-byte alignment leaves the low bits of the pointer for the tag */
		return NULL;
	}
	memset(job, 0, sizeof *job);
	job->resident = resident;
	job->user_data = cmd->user_data;
	job->pid_out = cmd->pid_out;
	job->no_reap = !!(cmd->flags & USPAWN_NO_REAP);
	job->pidfd = -1;
	job->cap[0].fd = job->cap[1].fd = -1;
	job->start_ns = now_ns();
	return job;
}

void job_free(struct events *e, struct job *job)
{
	if (job->pidfd >= 0)
		close(job->pidfd);
	free(job->cap[0].buf);
	free(job->cap[1].buf);
	if (!job->resident && e->n_spare >= SPARE_MAX) {
		free(job);
		return;
	}
	job->next = e->spare;
	e->spare = job;
	e->n_spare++;
}

/*
 * Create the capture pipes. child_fds[0] and [1] get the write ends the
 * child will dup onto fds 1 and 2 (-1 when not captured); the read ends
 * stay with the job. All are close-on-exec, so no other child sees them.
 */
int job_capture_open(struct job *job, const struct uspawn_cmd *cmd, int child_fds[2])
{
	int p[2];

	child_fds[0] = child_fds[1] = -1;
	if (cmd->flags & USPAWN_CAPTURE_STDOUT) {
		if (pipe2(p, O_CLOEXEC))
			return -errno;
		job->cap[0].fd = p[0];
		child_fds[0] = p[1];
		if (cmd->flags & USPAWN_CAPTURE_MERGE)
			child_fds[1] = p[1];
	}
	if ((cmd->flags & USPAWN_CAPTURE_STDERR) && child_fds[1] < 0) {
		if (pipe2(p, O_CLOEXEC)) {
			int err = -errno;
			job_capture_close_child(child_fds);
			return err;
		}
		job->cap[1].fd = p[0];
		child_fds[1] = p[1];
	}
	return 0;
}

void job_capture_close_child(int child_fds[2])
{
	if (child_fds[0] >= 0)
		close(child_fds[0]);
	if (child_fds[1] >= 0 && child_fds[1] != child_fds[0])
		close(child_fds[1]);
	child_fds[0] = child_fds[1] = -1;
}

void job_capture_close(struct job *job)
{
	for (int i = 0; i < 2; i++) {
		if (job->cap[i].fd >= 0)
			close(job->cap[i].fd);
		job->cap[i].fd = -1;
	}
}

void job_exec_failed(struct job *job, enum uspawn_stage stage, unsigned index, int err)
{
	job->error = err;
	job->stage = stage;
	job->stage_index = index;
}

void job_failed(struct events *e, struct job *job, enum uspawn_stage stage, unsigned index, int err)
{
	job_capture_close(job);
	job_exec_failed(job, stage, index, err);
	job->pid = 0;
	job->status = W_EXITCODE(127, 0);
	job->wait = 0;
	job_finish_if_done(e, job);
}

void job_finish_if_done(struct events *e, struct job *job)
{
	if (job->wait)
		return;
	struct uspawn_event ev = {
		.type = USPAWN_EV_EXIT,
		.user_data = job->user_data,
		.pid = job->pid,
		.status = job->status,
		.error = job->error,
		.stage = job->stage,
		.stage_index = job->stage_index,
		.start_ns = job->start_ns,
		.end_ns = now_ns(),
	};
	job_capture_close(job);
	events_push(e, &ev, NULL);
	/* buffers of OUTPUT events before it may still be read by the caller */
	job->next = e->done;
	e->done = job;
}

void job_free_done(struct events *e)
{
	while (e->done) {
		struct job *job = e->done;
		e->done = job->next;
		job_free(e, job);
	}
}
