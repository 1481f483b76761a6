/* SPDX-License-Identifier: MIT */
/* A job's life: started or failed, reaped, output drained, then one EXIT event. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

struct job *job_new(const struct uspawn_cmd *cmd)
{
	struct job *job;

	/* 16-byte alignment leaves the low bits of the pointer for the tag */
	if (posix_memalign((void **)&job, 16, sizeof *job))
		return NULL;
	memset(job, 0, sizeof *job);
	job->user_data = cmd->user_data;
	job->pid_out = cmd->pid_out;
	job->no_reap = !!(cmd->flags & USPAWN_NO_REAP);
	job->pidfd = -1;
	job->cap[0].fd = job->cap[1].fd = -1;
	job->start_ns = now_ns();
	return job;
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

static void capture_close(struct job *job)
{
	for (int i = 0; i < 2; i++) {
		if (job->cap[i].fd >= 0)
			close(job->cap[i].fd);
		job->cap[i].fd = -1;
	}
}

void job_started(struct uspawn *u, struct job *job, pid_t pid)
{
	job->pid = pid;
	if (job->pid_out)
		*job->pid_out = pid;
	if (!job->no_reap) {
		job->wait |= JOB_WAIT_REAP;
		reap_arm(u, job);
	}
	for (int i = 0; i < 2; i++) {
		if (job->cap[i].fd < 0)
			continue;
		job->wait |= i ? JOB_WAIT_ERR : JOB_WAIT_OUT;
		output_arm(u, job, i + 1);
	}
	job_finish_if_done(u, job);
}

/* The child ran but could not exec: it exits 127 and is still reaped. */
void job_exec_failed(struct job *job, enum uspawn_stage stage, unsigned index, int err)
{
	job->error = err;
	job->stage = stage;
	job->stage_index = index;
}

/* No process: the EXIT event goes out now. */
void job_failed(struct uspawn *u, struct job *job, enum uspawn_stage stage, unsigned index, int err)
{
	capture_close(job);
	job_exec_failed(job, stage, index, err);
	job->pid = 0;
	job->status = W_EXITCODE(127, 0);
	job->wait = 0;
	job_finish_if_done(u, job);
}

void job_finish_if_done(struct uspawn *u, struct job *job)
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
	capture_close(job);
	events_push(u, &ev, NULL);
	/* buffers of OUTPUT events before it may still be read by the caller */
	job->next = u->free_list;
	u->free_list = job;
}
