/* SPDX-License-Identifier: MIT */
/*
 * Reaping: IORING_OP_WAITID (Linux 6.7+), or where that is missing (or
 * io_uring is refused: poll.c) a poll of the job's pidfd, followed by a
 * non-blocking waitid; uspawn_run() without a ring waits at once
 * (reap_block).
 *
 * A status can be taken from us. The kernel discards it when the caller
 * ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT: its children are reaped as
 * they exit), and a caller's wait() or waitpid(-1) reaps our children as
 * its own; exit_signal 0 would not hide them, as exec sets it back to
 * SIGCHLD. A job with a pidfd from its clone (the vfork engine) still has
 * its status then: the kernel keeps it for the pidfd (PIDFD_INFO_EXIT,
 * Linux 6.15). Any other job whose status is gone reports ECHILD at
 * USPAWN_STAGE_WAIT with status -1: never a status we do not have.
 */
#include <errno.h>
#include <poll.h>
#include <sched.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/io.h"
#include "uspawn/kernel.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

/* <linux/pidfd.h> of Linux 6.15; Debian 12's headers predate it */
struct pidfd_info_v0 {
	uint64_t mask;
	uint64_t cgroupid;
	uint32_t ids[11];  /* pid, tgid, ppid, ruid, rgid, euid, egid, suid, sgid, fsuid, fsgid */
	int32_t exit_code; /* a wait status */
};
#define PIDFD_GET_INFO_V0  _IOWR(0xFF, 11, struct pidfd_info_v0)
#define PIDFD_INFO_EXIT_V0 (1ull << 3)

static int status_from_info(const siginfo_t *si)
{
	switch (si->si_code) {
	case CLD_EXITED:
		return W_EXITCODE(si->si_status, 0);
	case CLD_DUMPED:
		return si->si_status | WCOREFLAG;
	default:
		return si->si_status & 0x7f;
	}
}

/*
 * The status the kernel kept for the pidfd of a child someone else reaped.
 * It is stored as the child is released, a moment after its parent was
 * woken: while the child is still there, yield to it.
 */
static int pidfd_exit_status(int pidfd, int *status)
{
	for (int tries = 0; tries < 10000; tries++) {
		struct pidfd_info_v0 in = {.mask = PIDFD_INFO_EXIT_V0};
		if (ioctl(pidfd, PIDFD_GET_INFO_V0, &in) == 0 && (in.mask & PIDFD_INFO_EXIT_V0)) {
			*status = in.exit_code;
			return 0;
		}
		/* released, and nothing kept: a kernel before 6.15 */
		if (syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) < 0)
			return -1;
		sched_yield();
	}
	return -1;
}

/* What the job's EXIT event says, now that waiting is over (err: -errno of the wait). */
static void verdict(struct uspawn *u, struct job *job, int err)
{
	int status;

	if (job->engine_hold && u->settle)
		u->settle(u, job); /* the child is gone: its exec's errno, if any, is in */
	if (!err && job->info.si_pid == job->pid)
		job->status = status_from_info(&job->info);
	else if (job->pidfd >= 0 && pidfd_exit_status(job->pidfd, &status) == 0)
		job->status = status;
	else if (job->error)
		job->status = W_EXITCODE(127, 0); /* it could not exec: our child exits 127 */
	else {
		job->error = err ? -err : ECHILD;
		job->stage = USPAWN_STAGE_WAIT;
		job->status = -1;
	}
	if (job->pidfd >= 0)
		close(job->pidfd);
	job->pidfd = -1;
	job->wait &= ~JOB_WAIT_REAP;
	job_finish_if_done(&u->events, job);
}

/* Wait for the job's exit here and now: 0 or -errno. */
static int wait_now(struct job *job)
{
	idtype_t type = job->pidfd >= 0 ? (idtype_t)P_PIDFD : P_PID;
	id_t id = job->pidfd >= 0 ? (id_t)job->pidfd : (id_t)job->pid;
	int r;

	job->info.si_pid = 0;
	while ((r = waitid(type, id, &job->info, WEXITED)) < 0 && errno == EINTR)
		;
	return r < 0 ? -errno : 0;
}

void reap_block(struct uspawn *u, struct job *job)
{
	verdict(u, job, wait_now(job));
}

void reap_arm(struct uspawn *u, struct job *job)
{
	job->info.si_pid = 0;
	if (u->use_waitid) {
		struct io_uring_sqe *sqe = ring_sqe(u);
		if (job->pidfd >= 0)
			uspawn_prep_waitid(sqe, P_PIDFD, (id_t)job->pidfd, &job->info, WEXITED, 0);
		else
			uspawn_prep_waitid(sqe, P_PID, (id_t)job->pid, &job->info, WEXITED, 0);
		io_uring_sqe_set_data64(sqe, tag_pack(job, TAG_REAP));
		return;
	}
	if (job->pidfd < 0)
		job->pidfd = (int)syscall(SYS_pidfd_open, job->pid, 0);
	if (job->pidfd >= 0 && ring_poll(u, job->pidfd, tag_pack(job, TAG_REAP)) == 0)
		return;
	/* no pidfd (the child is already gone) or no memory to poll: never leave a zombie */
	reap_block(u, job);
}

void reap_done(struct uspawn *u, void *p, int res)
{
	struct job *job = p;

	if (!u->use_waitid) {
		/* the pidfd polled readable: the child has exited */
		int r = waitid((idtype_t)P_PIDFD, (id_t)job->pidfd, &job->info, WEXITED | WNOHANG);
		if (r == 0 && job->info.si_pid == 0 && res >= 0 &&
		    ring_poll(u, job->pidfd, tag_pack(job, TAG_REAP)) == 0)
			return; /* woken too early: poll again */
		res = r < 0 ? -errno : 0;
	}
	if (res == -ECHILD || (res == 0 && job->info.si_pid == job->pid)) {
		verdict(u, job, res);
		return;
	}
	/* WAITID was interrupted, or completed without a verdict: wait by hand */
	verdict(u, job, wait_now(job));
}
