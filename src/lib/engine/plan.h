/* SPDX-License-Identifier: MIT */
#ifndef USPAWN_PLAN_H
#define USPAWN_PLAN_H

#include "engine/child.h"
#include "io/io.h"

int plan_build(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
	       struct child_plan *plan, struct child_fa *fa, int child_fds[2]);
const char *plan_search_path(const struct uspawn_cmd *cmd, const char *file);
unsigned plan_action_index(const struct child_plan *plan, const int child_fds[2], unsigned i);

/* Spawn one job; parent_mask is the caller's signal mask before blocking. */
typedef void (*plan_spawn_fn)(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
			      const sigset_t *parent_mask);

/*
 * Run fn for every job with all signals blocked: no handler of the parent
 * may run in a child that shares its memory, or before the child has reset
 * the handlers (one mask change for the whole batch).
 */
void plan_spawn_blocked(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds,
			unsigned n, plan_spawn_fn fn);

#endif
