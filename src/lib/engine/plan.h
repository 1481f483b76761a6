/* SPDX-License-Identifier: MIT */
#ifndef USPAWN_PLAN_H
#define USPAWN_PLAN_H

#include "engine/child.h"
#include "io/io.h"

int plan_build(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
	       struct child_plan *plan, struct child_fa *fa, int child_fds[2]);
const char *plan_search_path(const struct uspawn_cmd *cmd, const char *file);
/*
 * A deep copy of plan in buf (argv, envp, paths, file actions): the child
 * of an engine that does not wait for its exec reads only this, which the
 * caller cannot change or free under it. NULL when it does not fit; *used:
 * the bytes it took.
 */
struct child_plan *plan_pack(const struct child_plan *plan, void *buf, size_t size, size_t *used);
unsigned plan_action_index(const struct child_plan *plan, const int child_fds[2], unsigned i);

/*
 * Spawn one job. parent_mask: the caller's signal mask while all signals
 * are blocked around the clone; NULL when they are not (the child then
 * keeps the mask it inherits).
 */
typedef void (*plan_spawn_fn)(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
			      const sigset_t *parent_mask);

/*
 * Run fn for every job; with block, all signals blocked around the batch
 * (one mask change for all of it): no handler of the parent may run in a
 * child that shares its memory, or before the child has reset them. A
 * child made with CLONE_CLEAR_SIGHAND has none to run: no need to block.
 */
void plan_spawn(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds, unsigned n,
		plan_spawn_fn fn, int block);

/* The mask the child sets before exec: the job's, else the caller's if blocked, else none. */
void plan_mask(struct child_plan *plan, const struct uspawn_cmd *cmd, const sigset_t *parent_mask);

#endif
