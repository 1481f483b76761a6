/* SPDX-License-Identifier: MIT */
/*
 * Reaping through the ring: IORING_OP_WAITID (Linux 6.7+), or where that is
 * missing (or io_uring is refused: poll.c) a pidfd whose POLL_ADD completes
 * when the child exits, followed by a non-blocking waitid.
 */
#include <errno.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "io/io.h"
#include "uspawn/kernel.h"

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

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

void reap_arm(struct uspawn *u, struct job *job)
{
	job->info.si_pid = 0;
	if (!u->use_waitid) {
		job->pidfd = (int)syscall(SYS_pidfd_open, job->pid, 0);
		if (job->pidfd >= 0 && ring_poll(u, job->pidfd, tag_pack(job, TAG_REAP)) == 0)
			return;
		/* no pidfd (cannot happen for our own unreaped child) or no
		 * memory to wait for it: wait now, never leave a zombie */
		if (job->pidfd >= 0)
			close(job->pidfd);
		job->pidfd = -1;
		waitid(P_PID, (id_t)job->pid, &job->info, WEXITED);
		reap_done(u, job, 0);
		return;
	}
	struct io_uring_sqe *sqe = ring_sqe(u);
	uspawn_prep_waitid(sqe, P_PID, job->pid, &job->info, WEXITED, 0);
	io_uring_sqe_set_data64(sqe, tag_pack(job, TAG_REAP));
}

void reap_done(struct uspawn *u, void *p, int res)
{
	struct job *job = p;

	if (job->pidfd >= 0) {
		int r = waitid((idtype_t)P_PIDFD, (id_t)job->pidfd, &job->info, WEXITED | WNOHANG);
		if (r == 0 && job->info.si_pid == 0) {
			/* woken too early: poll again */
			if (ring_poll(u, job->pidfd, tag_pack(job, TAG_REAP)) == 0)
				return;
			errno = ENOMEM; /* reap by hand, below */
			r = -1;
		}
		close(job->pidfd);
		job->pidfd = -1;
		res = r ? -errno : 0;
	}
	if (res < 0 || job->info.si_pid != job->pid) {
		/*
		 * WAITID was interrupted, or completed without a verdict: reap
		 * by hand rather than report a status we do not have.
		 */
		int r;
		while ((r = waitid(P_PID, (id_t)job->pid, &job->info, WEXITED)) != 0 &&
		       errno == EINTR)
			;
		if (r != 0)
			job->info.si_code = CLD_EXITED, job->info.si_status = 127;
	}
	job->status = status_from_info(&job->info);
	job->wait &= ~JOB_WAIT_REAP;
	job_finish_if_done(&u->events, job);
}
