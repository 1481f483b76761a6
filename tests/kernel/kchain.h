/* SPDX-License-Identifier: MIT */
/*
 * Building CLONE chains on a liburing ring and collecting their CQEs, for
 * the programs that run inside the test VM (kspawn, ksecurity, kstress).
 */
#ifndef KCHAIN_H
#define KCHAIN_H

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <liburing.h>

#include "uspawn/kernel.h"

#define NOT_SEEN 0x7fffffff
#define MAXQ     64

static char *envp0[] __attribute__((unused)) = {NULL};

struct chain {
	struct io_uring *ring;
	int n;
	int res[MAXQ];
	int order[MAXQ];
};

static inline struct io_uring_sqe *sqe_at(struct chain *c)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(c->ring);

	if (!sqe) {
		fprintf(stderr, "kspawn: SQ full\n");
		exit(2);
	}
	sqe->user_data = (unsigned)c->n++;
	return sqe;
}

static inline void add_clone(struct chain *c, unsigned flags)
{
	struct io_uring_sqe *sqe = sqe_at(c);
	uint64_t ud = sqe->user_data;

	uspawn_prep_clone(sqe);
	sqe->user_data = ud;
	sqe->flags |= flags;
}

static inline void add_exec(struct chain *c, const char *path, char *const *argv, unsigned flags)
{
	struct io_uring_sqe *sqe = sqe_at(c);
	uint64_t ud = sqe->user_data;

	uspawn_prep_execveat(sqe, AT_FDCWD, path, argv, envp0, 0);
	sqe->user_data = ud;
	sqe->flags |= flags;
}

static inline void add_nop(struct chain *c, int inject, unsigned flags)
{
	struct io_uring_sqe *sqe = sqe_at(c);
	uint64_t ud = sqe->user_data;

	io_uring_prep_nop(sqe);
	sqe->user_data = ud;
	if (inject) {
		sqe->rw_flags = 1; /* IORING_NOP_INJECT_RESULT */
		sqe->len = (unsigned)inject;
	}
	sqe->flags |= flags;
}

/* io_uring_wait_cqe_timeout, retried when a signal (SIGCHLD) interrupts it. */
static inline int wait_cqe(struct io_uring *r, struct io_uring_cqe **cqe, long secs)
{
	struct __kernel_timespec ts = {.tv_sec = secs};
	int ret;

	do
		ret = io_uring_wait_cqe_timeout(r, cqe, &ts);
	while (ret == -EINTR);
	return ret;
}

/* Submit what was queued and collect one CQE per SQE (10 s at most). */
static inline int run(struct chain *c)
{
	int got = 0;

	for (int i = 0; i < MAXQ; i++)
		c->res[i] = NOT_SEEN;
	int ret = io_uring_submit(c->ring);
	if (ret < 0) {
		fprintf(stderr, "kspawn: submit: %s\n", strerror(-ret));
		return ret;
	}
	while (got < c->n) {
		struct io_uring_cqe *cqe;

		if (wait_cqe(c->ring, &cqe, 10) < 0)
			break;
		if (cqe->user_data < MAXQ) {
			c->res[cqe->user_data] = cqe->res;
			c->order[got] = (int)cqe->user_data;
		}
		got++;
		io_uring_cqe_seen(c->ring, cqe);
	}
	return got;
}

static inline void chain_init(struct chain *c, struct io_uring *ring)
{
	memset(c, 0, sizeof(*c));
	c->ring = ring;
}

static inline bool res_is(struct chain *c, const int *want, int n)
{
	bool ok = c->n == n;

	for (int i = 0; i < n && ok; i++)
		ok = c->res[i] == want[i] || (i == 0 && want[0] == 1 && c->res[0] > 0);
	if (!ok) {
		fprintf(stderr, "#   got:");
		for (int i = 0; i < c->n; i++)
			fprintf(stderr, " %d", c->res[i]);
		fprintf(stderr, "   want:");
		for (int i = 0; i < n; i++)
			fprintf(stderr, " %d", want[i]);
		fprintf(stderr, " (1 = a pid)\n");
	}
	return ok;
}

/* Wait for pid (10 s at most); returns the wait status or -1. */
static inline int wait_pid(pid_t pid)
{
	int st;

	/* a bound against a hung test, generous for TCG on a loaded host (60 s) */
	for (int i = 0; i < 6000; i++) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid)
			return st;
		if (r < 0)
			return -1;
		usleep(10000);
	}
	return -1;
}

static inline long env_long(const char *name, long def)
{
	const char *v = getenv(name);
	return v ? atol(v) : def;
}

static inline bool killed(int st)
{
	return st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
}

static inline bool exited0(int st)
{
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static inline bool no_children(void)
{
	int st;
	return waitpid(-1, &st, WNOHANG) < 0 && errno == ECHILD;
}

/* One SQE of an op liburing can prep, with its user_data and link flags. */
static inline struct io_uring_sqe *add_op(struct chain *c, unsigned flags)
{
	struct io_uring_sqe *sqe = sqe_at(c);
	uint64_t ud = sqe->user_data;

	io_uring_prep_nop(sqe);
	sqe->user_data = ud;
	sqe->flags |= flags;
	return sqe;
}

/* liburing's prep helpers clear the SQE: keep user_data and flags */
#define PREP(sqe, call)                                                                            \
	do {                                                                                       \
		uint64_t ud_ = (sqe)->user_data;                                                   \
		uint8_t fl_ = (sqe)->flags;                                                        \
		call;                                                                              \
		(sqe)->user_data = ud_;                                                            \
		(sqe)->flags = fl_;                                                                \
	} while (0)

static char *argv_true[] __attribute__((unused)) = {"true", NULL};

#endif
