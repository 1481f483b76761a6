/* SPDX-License-Identifier: MIT */
/* libuspawn internals shared by the ring, the reaper and the engines. */
#ifndef USPAWN_INTERNAL_H
#define USPAWN_INTERNAL_H

#include <liburing.h>
#include <signal.h>
#include <stdint.h>
#include <sys/wait.h>

#include "core/core.h"
#include "uspawn.h"

/* What a ring entry's user_data points to: low 3 bits of an aligned pointer. */
enum tag {
	TAG_REAP = 0,   /* struct job: WAITID done, or its pidfd became readable */
	TAG_OUT = 1,    /* struct job: read on the stdout capture pipe */
	TAG_ERR = 2,    /* struct job: read on the stderr capture pipe */
	TAG_READ = 3,   /* struct read_req: uspawn_read() */
	TAG_ENGINE = 4, /* the engine's own entries (uring: CLONE/EXEC chains) */
	TAG_IGNORE = 5, /* completions nobody waits for (cancels) */
};
#define TAG_MASK 7ul

static inline uint64_t tag_pack(void *p, enum tag t)
{
	return (uint64_t)(uintptr_t)p | t;
}

static inline void *tag_ptr(uint64_t data)
{
	return (void *)(uintptr_t)(data & ~TAG_MASK);
}

static inline enum tag tag_of(uint64_t data)
{
	return (enum tag)(data & TAG_MASK);
}

struct read_req {
	int fd;
	uint64_t user_data;
	struct read_req *next, *prev;
};

struct soft_op;

struct uspawn {
	struct io_uring ring;
	int ring_up; /* 0: put off (USPAWN_OPEN_LAZY_RING) until ring_ready() */
	int soft;    /* io_uring refused: ring_up, but the ring's work is poll.c's */
	struct soft_op *soft_ops;
	struct uspawn_opts ring_opts;
	const struct uspawn_engine *engine;
	enum uspawn_engine_id engine_id;
	int use_waitid;
	unsigned running;
	struct events events;
	struct job *rearm_list; /* jobs whose capture read goes again at the next wait */
	struct read_req *reads;
	int *reg_fds; /* our duplicate of every registered file, -1 = free */
	unsigned reg_count;
	char *stack; /* the vfork engine's child stack */
	size_t stack_size;
};

/* ring.c: the ring's operations, done by poll.c where io_uring is refused */
int ring_ready(struct uspawn *u);
void ring_complete(struct uspawn *u, uint64_t data, int res);
struct io_uring_sqe *ring_sqe(struct uspawn *u);
int ring_read(struct uspawn *u, int fd, void *buf, unsigned len, uint64_t data);
int ring_poll(struct uspawn *u, int fd, uint64_t data);
void ring_cancel(struct uspawn *u, uint64_t data);
void ring_submit(struct uspawn *u);
int ring_wait(struct uspawn *u, int timeout_ms);
void ring_fini(struct uspawn *u);

/* poll.c */
int soft_add(struct uspawn *u, int read, int fd, void *buf, unsigned len, uint64_t data);
void soft_cancel(struct uspawn *u, uint64_t data);
int soft_wait(struct uspawn *u, int timeout_ms);
void soft_fini(struct uspawn *u);

/* watch.c: the process of a job exists; arm what its EXIT waits for. */
void job_started(struct uspawn *u, struct job *job, pid_t pid);

/* api.c */
struct read_req *read_req_new(struct uspawn *u, int fd, uint64_t user_data);
void read_complete(struct uspawn *u, struct read_req *req, int res);
void read_req_drop(struct uspawn *u, struct read_req *req);

/* reap.c */
void reap_arm(struct uspawn *u, struct job *job);
void reap_complete(struct uspawn *u, struct job *job, int res);

/* output.c */
void output_arm(struct uspawn *u, struct job *job, int stream);
void output_complete(struct uspawn *u, struct job *job, int stream, int res);

#endif
