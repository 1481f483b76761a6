/* SPDX-License-Identifier: MIT */
/*
 * libuspawn: spawn many processes and reap them through one io_uring.
 *
 * A handle (struct uspawn) owns one ring. Describe jobs with struct
 * uspawn_cmd, hand a batch of them to uspawn_submit() and collect what
 * happens to them (output chunks, exits, failures to start) with
 * uspawn_wait(). Every exit is reaped through the ring (IORING_OP_WAITID,
 * or a pidfd poll where WAITID is missing), so there is no SIGCHLD handler
 * and no waitpid() loop to write.
 *
 * Where io_uring is refused (a container's seccomp profile answers EPERM,
 * as does the sysctl kernel.io_uring_disabled), the handle works all the
 * same: what it would put on the ring (reaping by pidfd, output and
 * uspawn_read() reads, jobserver polls) is done with poll(2), with the same
 * events. Only the uring engine and uspawn_ring_fd() need a real ring.
 *
 * A handle is not thread safe: give every thread its own. Handles never
 * share state, so many threads may spawn at once.
 *
 * SIGCHLD. A job's status can be taken from the handle: the kernel
 * discards it when the caller ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT,
 * and SIG_IGN is inherited across exec), and a caller's wait() or
 * waitpid(-1) (a SIGCHLD handler's, say) reaps the handle's children as
 * its own. Whatever the caller does with SIGCHLD:
 *  - the vfork engine's jobs (and the jobs the uring engine hands it)
 *    report their real status on Linux 6.15 and later: when SIGCHLD is
 *    not SIG_DFL at uspawn_submit(), each takes a pidfd at its clone (an
 *    fd per running job), for which the kernel keeps the status;
 *  - any other job whose status is gone (the posix, fork and uring
 *    engines, an older kernel, a waitpid(-1) under SIG_DFL) reports error
 *    ECHILD at USPAWN_STAGE_WAIT with status -1: never a status the
 *    handle does not have. Its pid may by then be another process's.
 * The children report with SIGCHLD as any child does (exec sets that), so
 * a caller that catches SIGCHLD still sees them exit. A program that wants
 * every status on every kernel resets SIGCHLD to SIG_DFL (as xargs and
 * dash do) and reaps by pid only. USPAWN_NO_REAP jobs are the caller's to
 * reap, under the same rules as its own children.
 */
#ifndef USPAWN_H
#define USPAWN_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * sigset_t is POSIX, not ISO C: <signal.h> declares it unless the program
 * is compiled as strict ISO C (-std=c99, -std=c11) without a feature macro
 * (_POSIX_C_SOURCE, _GNU_SOURCE ...). Such a program gets a type of the
 * same size and alignment in the cmd's two sets, which uspawn_cmd_init()
 * empties; to fill them with sigaddset(), define a feature macro.
 */
#if defined(__cplusplus) || !defined(__STRICT_ANSI__) || defined(_POSIX_C_SOURCE) ||               \
	defined(_POSIX_SOURCE) || defined(_XOPEN_SOURCE) || defined(_GNU_SOURCE) ||                \
	defined(_DEFAULT_SOURCE) || defined(_BSD_SOURCE)
typedef sigset_t uspawn_sigset_t;
#else
typedef struct {
	unsigned long uspawn_bits[128 / sizeof(unsigned long)];
} uspawn_sigset_t;
#endif

#ifdef __cplusplus
extern "C" {
#endif
/* the library is built with hidden symbols: these are what it exports */
#ifdef __GNUC__
#pragma GCC visibility push(default)
#endif

struct uspawn;

/* Engines: how a process is created. AUTO picks the fastest usable one. */
enum uspawn_engine_id {
	USPAWN_ENGINE_AUTO = 0,
	USPAWN_ENGINE_URING, /* IORING_OP_CLONE/EXEC chains (patched kernel only) */
	USPAWN_ENGINE_VFORK, /* clone(CLONE_VM|CLONE_VFORK) on a private stack */
	USPAWN_ENGINE_POSIX, /* posix_spawn(3), reference */
	USPAWN_ENGINE_FORK,  /* fork(2) + execve(2), reference */
	USPAWN_ENGINE_NOWAIT, /* clone(CLONE_VM) on a pool stack: the parent does not wait for exec */
	USPAWN_ENGINE_COUNT,
};

/* uspawn_opts.flags */
#define USPAWN_OPEN_NO_WAITID (1u << 0) /* reap with pidfd + POLL_ADD even if WAITID works */
/*
 * Set the ring up only when something needs it: reaping a job through it,
 * captured output, uspawn_read(), a registered file, uspawn_ring_fd().
 * uspawn_run() of one job while nothing else runs spawns and waits with
 * waitpid(), and a USPAWN_NO_REAP job needs no ring. For a short-lived
 * program that mostly runs one job at a time (a shell): setting a ring up
 * and tearing it down costs more than it saves on one spawn. With engine
 * "auto" the uring engine, which needs the ring, is then not picked.
 */
#define USPAWN_OPEN_LAZY_RING (1u << 1)

struct uspawn_opts {
	/* "auto", "uring", "nowait", "vfork", "posix", "fork"; NULL: $USPAWN_ENGINE, else auto. */
	const char *engine;
	unsigned ring_entries;     /* SQ size; 0 = 256 */
	unsigned registered_files; /* slots for uspawn_register_fd(); 0 = 64 */
	unsigned flags;            /* USPAWN_OPEN_* */
	/*
	 * The ring's fd is put at this number or above (a shell keeps 0-9
	 * free for the redirections its users name); 0: where open() puts it.
	 */
	int min_fd;
};

/*
 * Open a handle. opts may be NULL. Returns NULL with errno set:
 * EINVAL for an unknown engine name, ENOSYS when the named engine cannot
 * run on this kernel (the uring engine where io_uring is refused), or what
 * io_uring_setup() said when it failed for another reason (ENOMEM).
 */
struct uspawn *uspawn_open(const struct uspawn_opts *opts);

/*
 * Close a handle. Jobs still running are not killed; they are reaped
 * (blocking) so that no zombie is left behind.
 */
void uspawn_close(struct uspawn *u);

/* The engine the handle uses, and its name ("vfork", ...). */
enum uspawn_engine_id uspawn_engine(const struct uspawn *u);
const char *uspawn_engine_name(enum uspawn_engine_id id);

/* Whether an engine can run here (the uring engine needs our kernel patch). */
int uspawn_engine_available(enum uspawn_engine_id id);

/*
 * Register a file for redirects: the handle keeps its own duplicate of fd
 * (the caller may close its copy) in a registered-file slot. Jobs install it
 * onto any fd with USPAWN_FA_INSTALL, without an open() per job.
 * Returns the slot number, or -errno.
 */
int uspawn_register_fd(struct uspawn *u, int fd);
int uspawn_unregister_fd(struct uspawn *u, int slot);

/* File actions, run in the child in order, before exec. */
enum uspawn_fa_op {
	USPAWN_FA_OPEN,    /* open(path, oflag, mode) onto fd */
	USPAWN_FA_DUP2,    /* dup2(src, fd); src == fd clears FD_CLOEXEC */
	USPAWN_FA_CLOSE,   /* close(fd); an fd that is not open is no error */
	USPAWN_FA_INSTALL, /* registered slot src onto fd */
};

struct uspawn_fa {
	enum uspawn_fa_op op;
	int fd;           /* the child's fd this action produces or closes */
	int src;          /* DUP2: the source fd; INSTALL: the slot */
	const char *path; /* OPEN */
	int oflag;        /* OPEN */
	mode_t mode;      /* OPEN */
};

/* uspawn_cmd.flags */
#define USPAWN_PATH_SEARCH    (1u << 0) /* look argv[0]/path up in $PATH, as execvp does */
#define USPAWN_SETPGROUP      (1u << 1) /* setpgid(0, pgroup); pgroup 0 = a group of its own */
#define USPAWN_SETSID         (1u << 2) /* setsid() */
#define USPAWN_CAPTURE_STDOUT (1u << 3) /* fd 1 into a pipe read by the ring (OUTPUT events) */
#define USPAWN_CAPTURE_STDERR (1u << 4) /* fd 2 into its own pipe */
#define USPAWN_CAPTURE_MERGE  (1u << 5) /* with CAPTURE_STDOUT: fd 2 into the same pipe */
#define USPAWN_SIGMASK        (1u << 6) /* the child starts with cmd.sigmask blocked */
#define USPAWN_SIGDEFAULT     (1u << 7) /* signals in cmd.sigdefault start at SIG_DFL */
#define USPAWN_NO_SH_FALLBACK (1u << 8) /* ENOEXEC is an error, not a /bin/sh script */
/*
 * The caller reaps the child itself (waitpid), as a posix_spawn(3) caller
 * does: the ring never waits for it, and the EXIT event comes as soon as
 * the process exists, with status 0, or with error/stage set when it could
 * not exec (the child is then still there, exiting 127: reap it).
 */
#define USPAWN_NO_REAP (1u << 9)

struct uspawn_cmd {
	const char *path;  /* file to run; NULL: argv[0] */
	char *const *argv; /* NULL-terminated, argv[0] required */
	char *const *envp; /* NULL: the caller's environ */
	const char *cwd;   /* NULL: inherit */
	const struct uspawn_fa *actions;
	unsigned n_actions;
	unsigned flags;             /* USPAWN_* above */
	pid_t pgroup;               /* with USPAWN_SETPGROUP */
	uspawn_sigset_t sigmask;    /* with USPAWN_SIGMASK: a sigset_t */
	uspawn_sigset_t sigdefault; /* with USPAWN_SIGDEFAULT: a sigset_t */
	uint64_t user_data;         /* echoed in every event of this job */
	/*
	 * If set, receives the pid once the process exists (before
	 * uspawn_submit returns with the fork-like engines); must stay valid
	 * until the job's EXIT event. Lets a caller signal a running job.
	 */
	pid_t *pid_out;
};

/* Where a job that did not run failed (or, STAGE_WAIT, where one that ran lost its status). */
enum uspawn_stage {
	USPAWN_STAGE_NONE = 0,
	USPAWN_STAGE_SPAWN,  /* the process could not be created (EAGAIN, ENOMEM) */
	USPAWN_STAGE_SETUP,  /* pgid, sid, signals, or a pipe for capture */
	USPAWN_STAGE_CWD,    /* chdir(cwd) */
	USPAWN_STAGE_ACTION, /* file action number stage_index */
	USPAWN_STAGE_EXEC,   /* execve: ENOENT, EACCES, E2BIG, ... */
	USPAWN_STAGE_WAIT,   /* it ran, but its status was lost: ECHILD (see SIGCHLD above) */
};

enum uspawn_event_type {
	USPAWN_EV_EXIT = 1, /* the job is over: always the job's last event */
	USPAWN_EV_OUTPUT,   /* a chunk of captured output */
	USPAWN_EV_READ,     /* a uspawn_read() completed */
};

struct uspawn_event {
	enum uspawn_event_type type;
	uint64_t user_data;
	pid_t pid; /* 0 when no process was created */
	/*
	 * EXIT: a wait status (WIFEXITED, WEXITSTATUS, WIFSIGNALED, WTERMSIG).
	 * A job that never ran reports W_EXITCODE(127, 0) with error set; one
	 * whose status was lost (see SIGCHLD above) -1, with error ECHILD at
	 * USPAWN_STAGE_WAIT.
	 */
	int status;
	int error;               /* EXIT: the errno that stopped the job, else 0 */
	enum uspawn_stage stage; /* EXIT: where error happened */
	unsigned stage_index;    /* EXIT, STAGE_ACTION: which file action */
	int stream;              /* OUTPUT: 1 or 2 */
	const char *data;        /* OUTPUT: valid until the next uspawn_wait() */
	size_t len;              /* OUTPUT */
	long res;                /* READ: bytes read or -errno */
	uint64_t start_ns;       /* EXIT: CLOCK_MONOTONIC when spawned */
	uint64_t end_ns;         /* EXIT: CLOCK_MONOTONIC when reaped */
};

/*
 * Spawn n jobs. Every job gets exactly one EXIT event later, whether it ran
 * or not; a job that could not start reports why there (error, stage).
 * The reaping of the whole batch is armed by the io_uring_enter of the next
 * uspawn_wait(), which waits in the same call (at once, here, once the
 * caller has asked for uspawn_ring_fd() to poll it).
 * cmds and what they point to may be freed when this returns.
 * Returns n, or -EINVAL (nothing spawned) if a cmd is malformed.
 */
int uspawn_submit(struct uspawn *u, const struct uspawn_cmd *cmds, unsigned n);

/*
 * Collect up to max events. Waits until at least one is there, at most
 * timeout_ms (-1: no limit, 0: poll). Returns the number of events, 0 on
 * timeout, -EINTR when a signal arrived, or -errno.
 */
int uspawn_wait(struct uspawn *u, struct uspawn_event *ev, unsigned max, int timeout_ms);

/* Jobs submitted whose EXIT event has not been returned yet. */
unsigned uspawn_running(const struct uspawn *u);

/*
 * Read from fd through the ring: one USPAWN_EV_READ event with res when
 * done. buf must stay valid until then. uspawn_cancel_reads() cancels
 * every read still pending on fd (each still reports, with -ECANCELED
 * or its result). Used for jobserver tokens.
 */
int uspawn_read(struct uspawn *u, int fd, void *buf, size_t len, uint64_t user_data);
int uspawn_cancel_reads(struct uspawn *u, int fd);

/*
 * The ring's fd, to poll() it beside other fds (readable = events ready).
 * Sets a lazy ring up; -errno if that fails; -EOPNOTSUPP where io_uring is
 * refused (there is no fd to poll: call uspawn_wait() with a timeout).
 */
int uspawn_ring_fd(struct uspawn *u);

/*
 * Spawn one job and wait for it; returns its EXIT event in *ev (the first
 * EXIT with cmd->user_data). Events of other jobs that come in meanwhile
 * stay queued, in their order, for uspawn_wait(); their captured output is
 * not read further until they are collected. Like uspawn_wait(), it ends
 * the validity of the OUTPUT data handed out before.
 */
int uspawn_run(struct uspawn *u, const struct uspawn_cmd *cmd, struct uspawn_event *ev);

/* A fresh cmd: zero, with empty signal sets. */
void uspawn_cmd_init(struct uspawn_cmd *cmd);

#ifdef __GNUC__
#pragma GCC visibility pop
#endif
#ifdef __cplusplus
}
#endif

#endif /* USPAWN_H */
