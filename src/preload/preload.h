/* SPDX-License-Identifier: MIT */
/*
 * libuspawn-preload.so: posix_spawn(3) through libuspawn, and `/bin/sh -c
 * LINE` without the shell when uring-sh's parser says that is the same.
 *
 * glibc's spawn structs are private, so every posix_spawn_file_actions_*
 * and posix_spawnattr_* call is recorded (record.c) besides being passed on
 * to glibc: a call we cannot honour exactly still works through the real
 * posix_spawn (real.c). The caller reaps its children itself: libuspawn
 * only creates them (USPAWN_NO_REAP).
 */
#ifndef PRELOAD_H
#define PRELOAD_H

#include <signal.h>
#include <spawn.h>
#include <uspawn.h>

/* The functions of the next object (glibc), found with dlsym(RTLD_NEXT). */
struct real_fns {
	int (*spawn)(pid_t *, const char *, const posix_spawn_file_actions_t *,
		     const posix_spawnattr_t *, char *const[], char *const[]);
	int (*spawnp)(pid_t *, const char *, const posix_spawn_file_actions_t *,
		      const posix_spawnattr_t *, char *const[], char *const[]);
	int (*fa_init)(posix_spawn_file_actions_t *);
	int (*fa_destroy)(posix_spawn_file_actions_t *);
	int (*fa_open)(posix_spawn_file_actions_t *, int, const char *, int, mode_t);
	int (*fa_close)(posix_spawn_file_actions_t *, int);
	int (*fa_dup2)(posix_spawn_file_actions_t *, int, int);
	int (*fa_chdir)(posix_spawn_file_actions_t *, const char *);
	int (*fa_fchdir)(posix_spawn_file_actions_t *, int);
	int (*fa_closefrom)(posix_spawn_file_actions_t *, int);
	int (*fa_tcsetpgrp)(posix_spawn_file_actions_t *, int);
	int (*at_init)(posix_spawnattr_t *);
	int (*at_destroy)(posix_spawnattr_t *);
	int (*at_setflags)(posix_spawnattr_t *, short);
	int (*at_setpgroup)(posix_spawnattr_t *, pid_t);
	int (*at_setsigmask)(posix_spawnattr_t *, const sigset_t *);
	int (*at_setsigdefault)(posix_spawnattr_t *, const sigset_t *);
	int (*at_setschedparam)(posix_spawnattr_t *, const struct sched_param *);
	int (*at_setschedpolicy)(posix_spawnattr_t *, int);
	int (*at_setcgroup)(posix_spawnattr_t *, int);
};
const struct real_fns *real(void);

/* What the caller asked of one posix_spawn_file_actions_t. */
struct rec_actions {
	struct uspawn_fa *fa; /* paths are our copies */
	unsigned n, cap;
	unsigned calls;  /* successful add calls, for glibc's own count */
	char *cwd;       /* addchdir_np before any other action */
	int unsupported; /* an action libuspawn cannot do the same way */
};

/* What the caller asked of one posix_spawnattr_t. */
struct rec_attr {
	short flags;
	pid_t pgroup;
	sigset_t sigmask;
	sigset_t sigdefault;
	int unsupported; /* a setter we do not model (scheduling, cgroup) */
};

/*
 * Copy the record of fa (NULL: none) into *out (the caller frees it with
 * rec_actions_free). Returns 0, or -1 when it is unknown or inexact.
 */
int rec_actions_get(const posix_spawn_file_actions_t *fa, struct rec_actions *out);
void rec_actions_free(struct rec_actions *r);
int rec_attr_get(const posix_spawnattr_t *at, struct rec_attr *out);

/* line.c: how `sh -c LINE` runs. */
enum line_how { LINE_SH, LINE_DIRECT, LINE_URING_SH };
struct line_plan {
	enum line_how how;
	const char *path;           /* DIRECT: resolved command; URING_SH: the binary */
	char **argv;                /* DIRECT */
	char **envp;                /* DIRECT */
	const struct uspawn_fa *fa; /* DIRECT: the line's redirections */
	unsigned n_fa;
	const char *reason; /* SH: why (for the trace) */
};
/* The line of argv when it is exactly {sh, -c, LINE}, else NULL. */
const char *line_of(const char *path, char *const argv[], int search);
/* Classify line in envp ($0 is arg0); memory comes from a per-thread arena. */
void line_classify(const char *line, const char *arg0, char *const envp[], struct line_plan *plan);
/* uring-sh's path, or NULL when there is none */
const char *line_uring_sh(void);

/* lib.c: the calling thread's handle (NULL when libuspawn cannot open one). */
struct uspawn *lib_handle(void);

/* gate.c: jobserver tokens for the spawns of uring-ninja's ninja. */
#define GATE_NONE_FREE (-2)
int gate_active(void);
int gate_try(void);                   /* a token free now, -1: run ungated, or GATE_NONE_FREE */
int gate_acquire(void);               /* a token id (>= 0, blocking), or -1: run ungated */
void gate_attach(int tok, pid_t pid); /* the child holding tok; released when it exits */
void gate_release(int tok);           /* spawn failed: give tok back now */
/* pid waits in `uring-sh --uspawn-gate` for a byte on fd (ours now): a token */
void gate_defer(pid_t pid, int fd);

#endif
