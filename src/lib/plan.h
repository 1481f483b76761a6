/* SPDX-License-Identifier: MIT */
#ifndef USPAWN_PLAN_H
#define USPAWN_PLAN_H

#include "child.h"
#include "internal.h"

int plan_build(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd,
	       struct child_plan *plan, struct child_fa *fa, int child_fds[2]);
unsigned plan_action_index(const struct child_plan *plan, const int child_fds[2], unsigned i);

#endif
