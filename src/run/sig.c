/* SPDX-License-Identifier: MIT */
/*
 * SIGINT, SIGTERM, SIGHUP: the handler writes the signal's number into a
 * pipe whose read end is a read on the ring, so the main loop sees a
 * signal as one more event. No flag polled, no race with a blocking wait.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

static int sig_pipe[2] = {-1, -1};
static unsigned char sig_byte;

static void on_signal(int sig)
{
	int saved = errno;
	unsigned char b = (unsigned char)sig;

	if (write(sig_pipe[1], &b, 1) < 0) {
		/* pipe full: a signal is already waiting to be seen */
	}
	errno = saved;
}

int sig_open(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;

	if (pipe2(sig_pipe, O_CLOEXEC) < 0)
		return -errno;
	fcntl(sig_pipe[1], F_SETFL, O_NONBLOCK);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	/* a closed output pipe is an error from write(), not a death */
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

void sig_arm(struct uspawn *u, int *pending)
{
	if (*pending || sig_pipe[0] < 0)
		return;
	if (uspawn_read(u, sig_pipe[0], &sig_byte, 1, TAG_SIGNAL) == 0)
		*pending = 1;
}

/* The signal the last READ event brought. */
int sig_take(void)
{
	return sig_byte;
}

void sig_cancel(struct uspawn *u)
{
	if (sig_pipe[0] >= 0)
		uspawn_cancel_reads(u, sig_pipe[0]);
}

void sig_close(void)
{
	for (int i = 0; i < 2; i++)
		if (sig_pipe[i] >= 0)
			close(sig_pipe[i]);
	sig_pipe[0] = sig_pipe[1] = -1;
}
