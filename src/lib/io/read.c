/* SPDX-License-Identifier: MIT */
/*
 * uspawn_read()'s reads and the jobserver's polls: one ring operation
 * each, listed by fd so that uspawn_cancel_reads() finds them, reported
 * as one USPAWN_EV_READ event.
 */
#include <errno.h>
#include <stdlib.h>

#include "io/io.h"

static void read_unlist(struct uspawn *u, struct read_req *req)
{
	if (req->prev)
		req->prev->next = req->next;
	else
		u->reads = req->next;
	if (req->next)
		req->next->prev = req->prev;
	free(req);
}

/* poll: wait for readable, the result is the poll mask; else read into buf */
static int arm(struct uspawn *u, int fd, int poll, void *buf, unsigned len, uint64_t user_data)
{
	struct read_req *req;
	int r;

	/* 16-byte alignment leaves the low bits of the pointer for the tag */
	if (posix_memalign((void **)&req, 16, sizeof *req))
		return -ENOMEM;
	req->fd = fd;
	req->user_data = user_data;
	req->prev = NULL;
	req->next = u->reads;
	if (u->reads)
		u->reads->prev = req;
	u->reads = req;
	r = poll ? ring_poll(u, fd, tag_pack(req, TAG_READ))
		 : ring_read(u, fd, buf, len, tag_pack(req, TAG_READ));
	if (r < 0)
		read_unlist(u, req);
	return r;
}

int read_arm(struct uspawn *u, int fd, void *buf, unsigned len, uint64_t user_data)
{
	return arm(u, fd, 0, buf, len, user_data);
}

int read_arm_poll(struct uspawn *u, int fd, uint64_t user_data)
{
	return arm(u, fd, 1, NULL, 0, user_data);
}

void read_done(struct uspawn *u, void *p, int res)
{
	struct read_req *req = p;
	struct uspawn_event ev = {.type = USPAWN_EV_READ, .user_data = req->user_data, .res = res};

	read_unlist(u, req);
	events_push(&u->events, &ev, NULL);
}
