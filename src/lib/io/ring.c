/* SPDX-License-Identifier: MIT */
/*
 * The ring: setup, the few operations libuspawn puts on it, waiting, and
 * the dispatch of every completion to the handler its tag names
 * (ring_dispatch). Where io_uring is refused, the same calls go to poll.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <unistd.h>

#include "io/io.h"
#include "uspawn/kernel.h"

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

/*
 * io_uring refused (seccomp returns EPERM, kernel.io_uring_disabled EPERM,
 * a kernel without it ENOSYS): the handle runs on poll.c instead, unless
 * the uring engine is what it is for.
 */
static int ring_refused(int r)
{
	return r == -EPERM || r == -ENOSYS || r == -EACCES;
}

static int reg_fds_alloc(struct uspawn *u, unsigned n)
{
	u->reg_fds = malloc((n ? n : 1) * sizeof *u->reg_fds);
	if (!u->reg_fds)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++)
		u->reg_fds[i] = -1;
	return 0;
}

/*
 * Whether the rings of this process show our spawn feature (1) or not (0);
 * -1 before the first. Spares the uring engine's probe a ring of its own.
 */
static int spawn_feature = -1;

int ring_spawn_feature(void)
{
	return __atomic_load_n(&spawn_feature, __ATOMIC_RELAXED);
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
	if (r < 0 && ring_refused(r) && u->engine_id != USPAWN_ENGINE_URING) {
		if ((r = reg_fds_alloc(u, o->registered_files)) < 0)
			return r;
		u->reg_count = o->registered_files;
		u->use_waitid = 0; /* a pidfd, polled */
		u->soft = 1;
		u->ring_up = 1;
		return 0;
	}
	if (r < 0)
		return r;
	if ((r = ring_move_fd(&u->ring, o->min_fd)) < 0) {
		io_uring_queue_exit(&u->ring);
		return r;
	}
	__atomic_store_n(&spawn_feature, !!(p.features & USPAWN_FEAT_SPAWN), __ATOMIC_RELAXED);
	u->use_waitid = !(o->flags & USPAWN_OPEN_NO_WAITID) && ring_has_waitid(&u->ring);
	if ((r = reg_fds_alloc(u, o->registered_files)) < 0) {
		io_uring_queue_exit(&u->ring);
		return r;
	}
	if (io_uring_register_files_sparse(&u->ring, o->registered_files) == 0)
		u->reg_count = o->registered_files;
	u->ring_up = 1;
	return 0;
}

void ring_fini(struct uspawn *u)
{
	if (u->soft)
		soft_fini(u);
	else if (u->ring_up)
		io_uring_queue_exit(&u->ring);
	u->ring_up = 0;
}

/* One read of fd into buf when it is readable (IORING_OP_READ). */
int ring_read(struct uspawn *u, int fd, void *buf, unsigned len, uint64_t data)
{
	if (u->soft)
		return soft_add(u, 1, fd, buf, len, data);
	struct io_uring_sqe *sqe = ring_sqe(u);
	/* offset -1: a pipe has no position; read the stream */
	io_uring_prep_read(sqe, fd, buf, len, (__u64)-1);
	io_uring_sqe_set_data64(sqe, data);
	return 0;
}

/* Completes with the poll mask once fd is readable (IORING_OP_POLL_ADD). */
int ring_poll(struct uspawn *u, int fd, uint64_t data)
{
	if (u->soft)
		return soft_add(u, 0, fd, NULL, 0, data);
	struct io_uring_sqe *sqe = ring_sqe(u);
	io_uring_prep_poll_add(sqe, fd, POLLIN);
	io_uring_sqe_set_data64(sqe, data);
	return 0;
}

/* The read or poll tagged data completes with -ECANCELED (unless done). */
void ring_cancel(struct uspawn *u, uint64_t data)
{
	if (u->soft) {
		soft_cancel(u, data);
		return;
	}
	struct io_uring_sqe *sqe = ring_sqe(u);
	io_uring_prep_cancel64(sqe, data, 0);
	io_uring_sqe_set_data64(sqe, TAG_IGNORE);
}

void ring_submit(struct uspawn *u)
{
	if (u->ring_up && !u->soft)
		io_uring_submit(&u->ring);
}

static unsigned drain_cqes(struct uspawn *u)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	io_uring_for_each_cqe(&u->ring, head, cqe)
	{
		ring_dispatch(u, io_uring_cqe_get_data64(cqe), cqe->res);
		n++;
	}
	io_uring_cq_advance(&u->ring, n);
	return n;
}

/*
 * Dispatch what has completed, else wait for something to (up to
 * timeout_ms, -1: no limit). 0: timed out; <0: -errno; 1: dispatched.
 */
int ring_wait(struct uspawn *u, int timeout_ms)
{
	if (u->soft)
		return soft_wait(u, timeout_ms);
	if (drain_cqes(u))
		return 1;
	struct io_uring_cqe *cqe;
	struct __kernel_timespec ts = {.tv_sec = timeout_ms / 1000,
				       .tv_nsec = (timeout_ms % 1000) * 1000000L};
	int r = io_uring_submit_and_wait_timeout(&u->ring, &cqe, 1, timeout_ms < 0 ? NULL : &ts,
						 NULL);
	if (r == -ETIME)
		return 0;
	if (r < 0 && r != -EAGAIN && r != -EBUSY)
		return r;
	if (timeout_ms == 0 && !io_uring_cq_ready(&u->ring))
		return 0;
	drain_cqes(u);
	return 1;
}
