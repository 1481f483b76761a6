/* SPDX-License-Identifier: MIT */
/*
 * struct uspawn, the handle: one part per layer, and the tags of its ring
 * entries, by which a completion finds its handler. Data only; what each
 * layer may call is in docs/CONTRIBUTING.md and follows from the headers
 * it includes (core/core.h, io/io.h, engine/engine.h).
 */
#ifndef USPAWN_HANDLE_H
#define USPAWN_HANDLE_H

#include <liburing.h>

#include "core/core.h"
#include "uspawn.h"

struct uspawn;
struct read_req;
struct soft_op;
struct uspawn_engine;

/* What a ring entry's user_data points to: low 3 bits of an aligned pointer. */
enum tag {
	TAG_REAP = 0,   /* struct job: WAITID done, or its pidfd became readable */
	TAG_OUT = 1,    /* struct job: read on the stdout capture pipe */
	TAG_ERR = 2,    /* struct job: read on the stderr capture pipe */
	TAG_READ = 3,   /* struct read_req: uspawn_read() */
	TAG_ENGINE = 4, /* the engine's own entries (uring: CLONE/EXEC chains) */
	TAG_IGNORE = 5, /* completions nobody waits for (cancels) */
	TAG_COUNT = 8,
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

/* The handler of a completion: p is its user_data without the tag. */
typedef void (*ring_done_fn)(struct uspawn *u, void *p, int res);

/*
 * Job records and queued events inside the handle, on its page: enough for
 * eight jobs in flight (a -j8 build) and their EXIT events.
 */
#define HANDLE_RECORDS 8
#define HANDLE_EVENTS  16
/* The handle's alignment: its size or more, so that it lies on one page. */
#define HANDLE_ALIGN 4096

struct uspawn {
	/* core: what the caller has not collected */
	struct events events;
	unsigned running; /* submitted jobs whose EXIT the caller has not had */

	/* io */
	struct io_uring ring;
	int ring_up; /* 0: put off (USPAWN_OPEN_LAZY_RING) until ring_ready() */
	int soft;    /* io_uring refused: ring_up, but the ring's work is poll.c's */
	struct soft_op *soft_ops;
	struct pollfd *soft_pfds; /* soft_wait()'s poll array, kept across waits */
	unsigned soft_cap;
	struct uspawn_opts ring_opts;
	int use_waitid;
	int polled; /* uspawn_ring_fd() was called: submit at once, not at the next wait */
	ring_done_fn done[TAG_COUNT]; /* by tag; filled by the api (api.c) */
	struct job *rearm_list;       /* jobs whose capture read goes again at the next wait */
	struct read_req *reads;
	int *reg_fds; /* our duplicate of every registered file, -1 = free */
	unsigned reg_count;

	/* engine */
	const struct uspawn_engine *engine;
	enum uspawn_engine_id engine_id;
	char *stack; /* the vfork engine's child stack, above a guard page */
	size_t stack_size, stack_guard;
	int take_pidfds; /* the vfork engine's batch: SIGCHLD is not only ours (vfork.c) */
	/* the nowait engine's pool of child stacks (nowait.c): slots made, the next to look at */
	char *pool;
	unsigned pool_slots, pool_next;
	/*
	 * The engine's, filled by the api: a job's child has exited, take
	 * what it said of its exec (job->engine_hold) into the job before its
	 * EXIT event goes out (reap.c). NULL when the engine holds nothing.
	 */
	void (*settle)(struct uspawn *u, struct job *job);

	/*
	 * Job records and the event queue's first buffer on the handle's
	 * page: a spawn writes this page anyway, and after a fork of the
	 * caller's each page it writes costs a copy-on-write fault (issue 17:
	 * the queue on a heap page of its own cost one more per spawn).
	 */
	struct job records[HANDLE_RECORDS];
	struct queued queue[HANDLE_EVENTS];
};

/* A completion, to the handler of its tag (TAG_IGNORE has none). */
static inline void ring_dispatch(struct uspawn *u, uint64_t data, int res)
{
	ring_done_fn fn = u->done[tag_of(data)];

	if (fn)
		fn(u, tag_ptr(data), res);
}

#endif
