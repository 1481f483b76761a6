/* SPDX-License-Identifier: MIT */
/*
 * The one table every engine fills. Adding an engine is one file and one
 * entry in engines[] (api.c), as io_uring's opdef does for its ops.
 */
#ifndef USPAWN_ENGINE_H
#define USPAWN_ENGINE_H

#include "internal.h"

struct uspawn_engine {
	const char *name;
	/* 0 when the engine can run on this kernel, else -errno. */
	int (*probe)(void);
	/* Per-handle state, may be NULL. */
	int (*init)(struct uspawn *u);
	void (*fini)(struct uspawn *u);
	/*
	 * Start n jobs. For each job call job_started() or job_failed(); either
	 * may queue ring entries (the reaping), which the caller submits with
	 * one io_uring_enter after this returns.
	 */
	void (*spawn)(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds,
		      unsigned n);
	/* A completion tagged TAG_ENGINE; may be NULL. */
	void (*complete)(struct uspawn *u, struct io_uring_cqe *cqe);
};

extern const struct uspawn_engine engine_uring;
/*
 * The features a ring of this process reported: without our feature bit the
 * uring engine is known to be unusable, and its probe (a ring of its own)
 * is skipped.
 */
void engine_uring_ring_features(unsigned features);
extern const struct uspawn_engine engine_vfork;
extern const struct uspawn_engine engine_posix;
extern const struct uspawn_engine engine_fork;

#endif
