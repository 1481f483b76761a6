/* SPDX-License-Identifier: MIT */
/* A job's process exists: arm what its EXIT event waits for (reaping, output). */
#include "io/io.h"

void job_started(struct uspawn *u, struct job *job, pid_t pid)
{
	job->pid = pid;
	if (job->pid_out)
		*job->pid_out = pid;
	if (!job->no_reap) {
		job->wait |= JOB_WAIT_REAP;
		if (!job->reap_direct)
			reap_arm(u, job);
	}
	for (int i = 0; i < 2; i++) {
		if (job->cap[i].fd < 0)
			continue;
		job->wait |= i ? JOB_WAIT_ERR : JOB_WAIT_OUT;
		output_arm(u, job, i + 1);
	}
	job_finish_if_done(&u->events, job);
}
