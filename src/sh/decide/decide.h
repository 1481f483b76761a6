/* SPDX-License-Identifier: MIT */
/*
 * decide/: whether `sh -c LINE` is one external command to spawn directly,
 * and with what (decide.c: ush_decide() of ush.h, for uring-run and the
 * preload); what uring-sh's evaluator shares of it (pure.c).
 */
#ifndef USH_DECIDE_H
#define USH_DECIDE_H

#include "shell.h"

/* pure.c: expanding it has no effect but its value (safe to expand elsewhere, or twice) */
int word_pure(const struct word *w);
int simple_pure(const struct node *n, unsigned opts);

/* env.c: the environment dash gives a command (the view's assignments included) */
char **env_child(struct ush_arena *a, char *const *envp, const struct shvar_view *v);
/* dash's $PWD at start (NULL: none); *canonical 0 for an inherited one that is not */
const char *pwd_at_start(struct ush_arena *a, char *const *envp, int *canonical);

#endif
