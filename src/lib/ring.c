/* SPDX-License-Identifier: MIT */
/* The ring: setup, SQE allocation, and dispatch of every completion. */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "engine.h"
#include "uspawn/kernel.h"

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A free SQE; when the SQ is full, what is queued goes in first. */
struct io_uring_sqe *ring_sqe(struct uspawn *u)
{
	struct io_uring_sqe *sqe;

	while (!(sqe = io_uring_get_sqe(&u->ring))) {
		int r = io_uring_submit(&u->ring);
		if (r < 0 && r != -EINTR && r != -EAGAIN && r != -EBUSY)
			abort(); /* the ring is broken: nothing sane is left to do */
		if (r <= 0) {
			/* the CQ is overflowing: make room by taking completions in */
			struct io_uring_cqe *cqe;
			io_uring_peek_cqe(&u->ring, &cqe);
		}
	}
	return sqe;
}

static int ring_has_waitid(struct io_uring *ring)
{
	struct io_uring_probe *p = io_uring_get_probe_ring(ring);
	int ok = p && io_uring_opcode_supported(p, USPAWN_OP_WAITID);

	io_uring_free_probe(p);
	return ok;
}

int ring_init(struct uspawn *u, unsigned entries, unsigned files, unsigned flags)
{
	struct io_uring_params p = {0};
	int r;

	/* SUBMIT_ALL: one bad SQE must not stop the rest of a batch */
	p.flags = IORING_SETUP_SUBMIT_ALL;
	r = io_uring_queue_init_params(entries, &u->ring, &p);
	if (r == -EINVAL) {
		p = (struct io_uring_params){0};
		r = io_uring_queue_init_params(entries, &u->ring, &p);
	}
	if (r < 0)
		return r;
	engine_uring_ring_features(p.features);
	u->use_waitid = !(flags & USPAWN_OPEN_NO_WAITID) && ring_has_waitid(&u->ring);
	if (files && io_uring_register_files_sparse(&u->ring, files) == 0)
		u->reg_count = files;
	return 0;
}

void ring_dispatch(struct uspawn *u, struct io_uring_cqe *cqe)
{
	uint64_t data = io_uring_cqe_get_data64(cqe);
	void *p = tag_ptr(data);

	switch (tag_of(data)) {
	case TAG_REAP:
		reap_complete(u, p, cqe->res);
		break;
	case TAG_OUT:
		output_complete(u, p, 1, cqe->res);
		break;
	case TAG_ERR:
		output_complete(u, p, 2, cqe->res);
		break;
	case TAG_READ:
		read_complete(u, p, cqe->res);
		break;
	case TAG_ENGINE:
		if (u->engine->complete)
			u->engine->complete(u, cqe);
		break;
	default:
		break;
	}
}
