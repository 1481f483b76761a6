/* SPDX-License-Identifier: MIT */
/*
 * Where io_uring is refused (a container's seccomp profile, the sysctl
 * kernel.io_uring_disabled), the handle still works: the few operations
 * libuspawn puts on the ring are kept on a list here instead and done with
 * poll(2), and their results go through the same dispatch as completions.
 *
 *   read:  wait until fd is readable, then read once (IORING_OP_READ)
 *   poll:  wait until fd is readable, result the poll mask (IORING_OP_POLL_ADD)
 *
 * Reaping uses a pidfd with a poll (as on kernels without IORING_OP_WAITID).
 * A cancelled operation completes with -ECANCELED at the next wait, as on
 * the ring: nothing is dispatched from inside the call that cancels.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "io/io.h"

#ifndef RWF_NOWAIT
#define RWF_NOWAIT 0x00000008
#endif

enum soft_kind { SOFT_READ, SOFT_POLL };

struct soft_op {
	enum soft_kind kind;
	int fd;
	void *buf;
	unsigned len;
	uint64_t data;
	int cancelled;
	int res; /* once done */
	struct soft_op *next;
};

int soft_add(struct uspawn *u, int read, int fd, void *buf, unsigned len, uint64_t data)
{
	struct soft_op *op = malloc(sizeof *op);

	if (!op)
		return -ENOMEM;
	*op = (struct soft_op){.kind = read ? SOFT_READ : SOFT_POLL,
			       .fd = fd,
			       .buf = buf,
			       .len = len,
			       .data = data,
			       .next = u->soft_ops};
	u->soft_ops = op;
	return 0;
}

void soft_cancel(struct uspawn *u, uint64_t data)
{
	for (struct soft_op *op = u->soft_ops; op; op = op->next)
		if (op->data == data)
			op->cancelled = 1;
}

/*
 * One read of a readable fd. Another reader of a shared pipe (a jobserver)
 * may have taken the bytes since poll said so: RWF_NOWAIT keeps that from
 * blocking. -EAGAIN: still nothing there.
 */
static int read_now(struct soft_op *op)
{
	struct iovec iov = {.iov_base = op->buf, .iov_len = op->len};
	/* the system call: musl's headers lack preadv2; offset -1: the stream */
	long r = syscall(SYS_preadv2, op->fd, &iov, 1, -1L, 0L, RWF_NOWAIT);

	if (r < 0 && errno == EOPNOTSUPP)
		r = read(op->fd, op->buf, op->len);
	return r < 0 ? -errno : (int)r;
}

/* 1: op is done with res; 0: it waits on */
static int soft_run(struct soft_op *op, short revents, int *res)
{
	if (revents & POLLNVAL) {
		*res = -EBADF;
		return 1;
	}
	if (op->kind == SOFT_POLL) {
		*res = revents;
		return 1;
	}
	*res = read_now(op);
	return *res != -EAGAIN && *res != -EINTR;
}

/* The poll array, grown as needed and kept in the handle: no allocation per wait. */
static struct pollfd *soft_pollfds(struct uspawn *u, unsigned n)
{
	if (n > u->soft_cap) {
		struct pollfd *p = realloc(u->soft_pfds, n * sizeof *p);
		if (!p)
			return NULL;
		u->soft_pfds = p;
		u->soft_cap = n;
	}
	return u->soft_pfds;
}

/*
 * Wait until an operation is done (or timeout_ms passes) and dispatch
 * what is done. The done ones leave the list before any is dispatched: a
 * dispatch may add operations or cancel others. 0: timed out; <0: -errno;
 * 1: woken (perhaps with nothing done: a read whose bytes another took).
 */
int soft_wait(struct uspawn *u, int timeout_ms)
{
	unsigned n = 0, i = 0, cancelled = 0;

	for (struct soft_op *op = u->soft_ops; op; op = op->next) {
		n++;
		cancelled += op->cancelled;
	}
	struct pollfd *p = soft_pollfds(u, n ? n : 1);
	if (!p)
		return -ENOMEM;
	for (struct soft_op *op = u->soft_ops; op; op = op->next)
		p[i++] = (struct pollfd){.fd = op->fd, .events = POLLIN};
	/* cancelled ones are done now: only look at the others */
	int r = poll(p, n, cancelled ? 0 : timeout_ms);
	if (r < 0 || (r == 0 && !cancelled))
		return r < 0 ? -errno : 0;
	/*
	 * One walk of the list in the order it was polled (nothing has
	 * changed it since): p[i] is the i-th operation, and a done one is
	 * unlinked where it stands.
	 */
	struct soft_op *done = NULL, **q = &u->soft_ops;
	for (i = 0; i < n; i++) {
		struct soft_op *op = *q;
		if (op->cancelled)
			op->res = -ECANCELED;
		else if (!p[i].revents || !soft_run(op, p[i].revents, &op->res)) {
			q = &op->next;
			continue;
		}
		*q = op->next;
		op->next = done;
		done = op;
	}
	/* >0 even when every wake-up was spurious: not a timeout */
	while (done) {
		struct soft_op *op = done;
		done = op->next;
		ring_dispatch(u, op->data, op->res);
		free(op);
	}
	return 1;
}

void soft_fini(struct uspawn *u)
{
	while (u->soft_ops) {
		struct soft_op *op = u->soft_ops;
		u->soft_ops = op->next;
		free(op);
	}
	free(u->soft_pfds);
	u->soft_pfds = NULL;
	u->soft_cap = 0;
}
