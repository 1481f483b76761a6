/* SPDX-License-Identifier: MIT */
/*
 * The io layer: the ring (or poll(2) where io_uring is refused) and what
 * libuspawn puts on it for a job (its reaping, its output reads) or for
 * the caller (uspawn_read). It calls core/ only. A completion goes to the
 * handler its tag names in the handle's table (ring_dispatch, handle.h),
 * which the api fills: the ring calls nothing above it.
 */
#ifndef USPAWN_IO_H
#define USPAWN_IO_H

#include <liburing.h>
#include <stdint.h>

#include "core/core.h"
#include "handle.h"

/* ring.c: the ring's operations, done by poll.c where io_uring is refused */
int ring_ready(struct uspawn *u);
struct io_uring_sqe *ring_sqe(struct uspawn *u);
int ring_read(struct uspawn *u, int fd, void *buf, unsigned len, uint64_t data);
int ring_poll(struct uspawn *u, int fd, uint64_t data);
void ring_cancel(struct uspawn *u, uint64_t data);
void ring_submit(struct uspawn *u);
int ring_wait(struct uspawn *u, int timeout_ms);
void ring_fini(struct uspawn *u);
/* Whether a ring of this process showed our spawn feature: 1, 0 (no), -1 (no ring yet). */
int ring_spawn_feature(void);

/* poll.c */
int soft_add(struct uspawn *u, int read, int fd, void *buf, unsigned len, uint64_t data);
void soft_cancel(struct uspawn *u, uint64_t data);
int soft_wait(struct uspawn *u, int timeout_ms);
void soft_fini(struct uspawn *u);

/* reap.c: through the ring, or reap_block: here and now (uspawn_run without a ring) */
void reap_arm(struct uspawn *u, struct job *job);
void reap_block(struct uspawn *u, struct job *job);
void reap_done(struct uspawn *u, void *job, int res);

/* output.c: stream 1 or 2 */
void output_arm(struct uspawn *u, struct job *job, int stream);
void output_done_stdout(struct uspawn *u, void *job, int res);
void output_done_stderr(struct uspawn *u, void *job, int res);

/* read.c */
struct read_req {
	int fd;
	uint64_t user_data;
	struct read_req *next, *prev;
};
int read_arm(struct uspawn *u, int fd, void *buf, unsigned len, uint64_t user_data);
int read_arm_poll(struct uspawn *u, int fd, uint64_t user_data);
void read_done(struct uspawn *u, void *req, int res);

/* watch.c: the process of a job exists; arm what its EXIT waits for. */
void job_started(struct uspawn *u, struct job *job, pid_t pid);

#endif
