/* SPDX-License-Identifier: MIT */
/* Captured output: IORING_OP_READ on the pipe, one OUTPUT event per chunk. */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "io/io.h"

static void output_done(struct uspawn *u, struct job *job, int stream, int res);

void output_arm(struct uspawn *u, struct job *job, int stream)
{
	struct capture *c = &job->cap[stream - 1];

	if (!c->buf && !(c->buf = malloc(CAPTURE_BUF))) {
		output_done(u, job, stream, -ENOMEM);
		return;
	}
	int r = ring_read(u, c->fd, c->buf, CAPTURE_BUF,
			  tag_pack(job, stream == 1 ? TAG_OUT : TAG_ERR));
	if (r < 0)
		output_done(u, job, stream, r); /* ends the stream: never a hang */
}

static void output_done(struct uspawn *u, struct job *job, int stream, int res)
{
	struct capture *c = &job->cap[stream - 1];

	if (res == -EINTR || res == -EAGAIN) {
		output_arm(u, job, stream);
		return;
	}
	if (res <= 0) {
		/* EOF, or an error that ends the stream the same way */
		close(c->fd);
		c->fd = -1;
		job->wait &= ~(stream == 1 ? JOB_WAIT_OUT : JOB_WAIT_ERR);
		job_finish_if_done(&u->events, job);
		return;
	}
	struct uspawn_event ev = {
		.type = USPAWN_EV_OUTPUT,
		.user_data = job->user_data,
		.pid = job->pid,
		.stream = stream,
		.data = c->buf,
		.len = (size_t)res,
	};
	/* re-armed only once the caller has had this chunk (see api.c) */
	events_push(&u->events, &ev, job);
}

void output_done_stdout(struct uspawn *u, void *job, int res)
{
	output_done(u, job, 1, res);
}

void output_done_stderr(struct uspawn *u, void *job, int res)
{
	output_done(u, job, 2, res);
}
