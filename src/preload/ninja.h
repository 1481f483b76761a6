/* SPDX-License-Identifier: MIT */
/* uring-ninja: the system ninja with libuspawn-preload.so. */
#ifndef URING_NINJA_H
#define URING_NINJA_H

#include <stddef.h>

#include "uspawn/jobserver.h"

/* find.c: 0 with out set, or -1 */
int find_preload(char *out, size_t n);
int find_uring_sh(char *out, size_t n);

/* serve.c: run ninja (argv) under a jobserver of jobs tokens we own; returns the exit status. */
int serve(char **argv, unsigned jobs, enum uspawn_js_style style);

/* main.c */
extern const char *prog;

#endif
