/* SPDX-License-Identifier: MIT */
/*
 * What a child does between clone and exec, prepared by the parent so that
 * the child only makes raw system calls (see sys.h). Shared by the vfork
 * and fork engines.
 */
#ifndef USPAWN_CHILD_H
#define USPAWN_CHILD_H

#include <signal.h>

#include "uspawn.h"

/* A file action after the parent resolved it: only raw dup2/open/close. */
struct child_fa {
	enum uspawn_fa_op op; /* INSTALL is resolved to DUP2 from our registered copy */
	int fd;
	int src;
	const char *path;
	int oflag;
	mode_t mode;
};

struct child_plan {
	const char *file; /* what to exec or look up */
	char *const *argv;
	char *const *envp;
	const char *path_env; /* $PATH of the caller when searching, else NULL */
	const char *cwd;
	const struct child_fa *fa;
	unsigned n_fa;
	unsigned flags; /* USPAWN_* of the cmd */
	pid_t pgroup;
	int clear_handlers; /* the kernel did not do CLONE_CLEAR_SIGHAND */
	int set_mask;       /* set mask before exec (else keep the inherited one) */
	sigset_t mask;      /* the mask the program starts with */
	sigset_t sigdefault;
	int err_fd; /* fork engine: report failure here */
	/* written by the child on failure (the vfork engine reads them back) */
	volatile int err;
	volatile int stage;
	volatile unsigned stage_index;
};

/* Runs in the child: never returns on success; returns 127 after a failure. */
int child_run(void *plan);

#endif
