/* SPDX-License-Identifier: MIT */
/* The ring: setup, SQE allocation, and dispatch of every completion. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "engine.h"
#include "uspawn/kernel.h"

/*
 * uring-sh's static build reads the clock with the system call: its first
 * vDSO lookup would touch three pages, ~45 us of faults here, in a process
 * that lives for one line. Everyone else keeps the vDSO (no system call on
 * the spawn path).
 */
uint64_t now_ns(void)
{
	struct timespec ts;

#ifdef USPAWN_CLOCK_SYSCALL
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
#else
	clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
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
	/* on the stack: a malloc'd probe costs a small program an mmap and a fault */
	union {
		struct io_uring_probe p;
		char bytes[sizeof(struct io_uring_probe) + 256 * sizeof(struct io_uring_probe_op)];
	} buf = {0};

	return io_uring_register_probe(ring, &buf.p, 256) == 0 &&
	       io_uring_opcode_supported(&buf.p, USPAWN_OP_WAITID);
}

/* the ring's fd moved to min_fd or above (the mmaps stay valid) */
static int ring_move_fd(struct io_uring *ring, int min_fd)
{
	if (min_fd <= 0 || ring->ring_fd >= min_fd)
		return 0;
	int fd = fcntl(ring->ring_fd, F_DUPFD_CLOEXEC, min_fd);
	if (fd < 0)
		return -errno;
	close(ring->ring_fd);
	if (ring->enter_ring_fd == ring->ring_fd)
		ring->enter_ring_fd = fd;
	ring->ring_fd = fd;
	return 0;
}

/* Set the ring up, unless it is already; u->ring_opts says how. */
int ring_ready(struct uspawn *u)
{
	const struct uspawn_opts *o = &u->ring_opts;
	struct io_uring_params p = {0};
	int r;

	if (u->ring_up)
		return 0;

	/* SUBMIT_ALL: one bad SQE must not stop the rest of a batch */
	p.flags = IORING_SETUP_SUBMIT_ALL;
	r = io_uring_queue_init_params(o->ring_entries, &u->ring, &p);
	if (r == -EINVAL) {
		p = (struct io_uring_params){0};
		r = io_uring_queue_init_params(o->ring_entries, &u->ring, &p);
	}
	if (r < 0)
		return r;
	if ((r = ring_move_fd(&u->ring, o->min_fd)) < 0) {
		io_uring_queue_exit(&u->ring);
		return r;
	}
	engine_uring_ring_features(p.features);
	u->use_waitid = !(o->flags & USPAWN_OPEN_NO_WAITID) && ring_has_waitid(&u->ring);
	u->reg_fds = malloc(o->registered_files * sizeof *u->reg_fds);
	if (!u->reg_fds) {
		io_uring_queue_exit(&u->ring);
		return -ENOMEM;
	}
	for (unsigned i = 0; i < o->registered_files; i++)
		u->reg_fds[i] = -1;
	if (io_uring_register_files_sparse(&u->ring, o->registered_files) == 0)
		u->reg_count = o->registered_files;
	u->ring_up = 1;
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
