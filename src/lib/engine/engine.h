/* SPDX-License-Identifier: MIT */
/*
 * The engine layer: how a process is created. The one table every engine
 * fills; adding an engine is one file and one entry in engines[] (api.c),
 * as io_uring's opdef does for its ops. Engines call io/ and core/ (and
 * the uring engine hands jobs its chains cannot express to the vfork
 * engine); nothing below calls an engine but through this table.
 */
#ifndef USPAWN_ENGINE_H
#define USPAWN_ENGINE_H

#include "io/io.h"

struct uspawn_engine {
	const char *name;
	/* 0 when the engine can run on this kernel, else -errno. */
	int (*probe)(void);
	/* Per-handle state, may be NULL. */
	int (*init)(struct uspawn *u);
	void (*fini)(struct uspawn *u);
	/*
	 * Start n jobs. For each job call job_started() or job_failed(); either
	 * may queue ring entries (the reaping), which go in with the enter of
	 * the caller's next uspawn_wait(). An engine whose entries are the
	 * spawns themselves (uring) submits them before it returns.
	 */
	void (*spawn)(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds,
		      unsigned n);
	/* A completion tagged TAG_ENGINE (p: its user_data untagged); may be NULL. */
	ring_done_fn complete;
	/* The job's child has exited: its verdict from job->engine_hold (handle.h); may be NULL. */
	void (*settle)(struct uspawn *u, struct job *job);
};

extern const struct uspawn_engine engine_uring;
extern const struct uspawn_engine engine_vfork;
extern const struct uspawn_engine engine_posix;
extern const struct uspawn_engine engine_fork;
extern const struct uspawn_engine engine_nowait;

/*
 * One job through the vfork engine, inside a batch of another engine's
 * (plan_spawn); u->take_pidfds set for the batch. The nowait engine's
 * jobs that its pool cannot hold go there.
 */
void vfork_spawn_job(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
		     const sigset_t *parent_mask);

#endif
