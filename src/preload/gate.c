/* SPDX-License-Identifier: MIT */
/*
 * Jobserver tokens for the spawns of the ninja that uring-ninja started
 * ($URING_NINJA_PID is its pid: ninja's children, sub-makes included, are
 * clients of their own).
 *
 * Every spawn takes a token first: the implicit one if it is free, else a
 * byte read from the pool through a libuspawn ring (a cancellable read, so
 * no pselect race). The token goes back when the child exits, not when
 * ninja reaps it: ninja 1.11 knows nothing of tokens and may sit in
 * posix_spawn waiting for one while its finished children are unreaped, so
 * a release tied to waitpid could deadlock. A helper thread polls one
 * pidfd per running child (a pidfd is readable once the process is a
 * zombie) and gives the token back right then.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "preload.h"
#include "uspawn/jobserver.h"

#define TAG 0x746f6b656e000000ull

enum { TOK_IMPLICIT = 0, TOK_BYTE = 1 };

struct holder {
	pid_t pid;
	int pidfd;
	int tok;
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static int active;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;  /* everything below */
static pthread_mutex_t acq = PTHREAD_MUTEX_INITIALIZER; /* one acquirer at a time */
static struct uspawn_js js;
static struct uspawn *ring; /* token reads only; used by the acquirer */
static int implicit_free = 1;
static unsigned spare; /* bytes held by no child */
static int wake_fd;    /* helper -> acquirer: a token came back */
static int ctl_fd;     /* acquirer -> helper: a new holder */
static struct holder *holders;
static unsigned nholders, capholders;
static int closed;

static void kick(int fd)
{
	uint64_t one = 1;

	while (write(fd, &one, sizeof one) < 0 && errno == EINTR)
		;
}

static void drain(int fd)
{
	uint64_t v;

	while (read(fd, &v, sizeof v) < 0 && errno == EINTR)
		;
}

/* Under mu: the token of holder i is free again. */
static void give_back(unsigned i)
{
	if (holders[i].tok == TOK_IMPLICIT)
		implicit_free = 1;
	else if (!closed)
		uspawn_js_release(&js);
	close(holders[i].pidfd);
	holders[i] = holders[--nholders];
	kick(wake_fd);
}

static void *helper(void *arg)
{
	struct pollfd *p = NULL;
	unsigned cap = 0;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&mu);
		if (nholders + 1 > cap) {
			cap = (nholders + 1) * 2;
			p = realloc(p, cap * sizeof *p);
			if (!p)
				abort(); /* tokens would leak: better loud */
		}
		unsigned n = 0;
		p[n++] = (struct pollfd){.fd = ctl_fd, .events = POLLIN};
		for (unsigned i = 0; i < nholders; i++)
			p[n++] = (struct pollfd){.fd = holders[i].pidfd, .events = POLLIN};
		pthread_mutex_unlock(&mu);
		if (poll(p, n, -1) < 0)
			continue;
		if (p[0].revents)
			drain(ctl_fd);
		pthread_mutex_lock(&mu);
		for (unsigned k = 1; k < n; k++) {
			if (!p[k].revents)
				continue;
			for (unsigned i = 0; i < nholders; i++)
				if (holders[i].pidfd == p[k].fd) {
					give_back(i);
					break;
				}
		}
		pthread_mutex_unlock(&mu);
	}
	return NULL;
}

/* At exit: every token we hold goes back to the pool. */
__attribute__((destructor)) static void gate_fini(void)
{
	if (!active)
		return;
	pthread_mutex_lock(&mu);
	closed = 1;
	while (js.held)
		if (uspawn_js_release(&js) < 0)
			break;
	pthread_mutex_unlock(&mu);
}

static void setup(void)
{
	const char *owner = getenv("URING_NINJA_PID");
	sigset_t all, old;
	pthread_t t;

	if (!owner || atol(owner) != (long)getpid())
		return;
	if (uspawn_js_client(&js, getenv("MAKEFLAGS"), TAG) != USPAWN_JS_OK)
		return; /* uring-ninja said so already */
	struct uspawn_opts o = {.ring_entries = 8, .registered_files = 1};
	ring = uspawn_open(&o);
	wake_fd = eventfd(0, EFD_CLOEXEC);
	ctl_fd = eventfd(0, EFD_CLOEXEC);
	if (!ring || wake_fd < 0 || ctl_fd < 0)
		goto fail;
	/* the helper takes no signal of ninja's */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int r = pthread_create(&t, NULL, helper, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r)
		goto fail;
	pthread_detach(t);
	active = 1;
	return;
fail:
	dprintf(2, "uring-ninja: warning: cannot take jobserver tokens: %s\n", strerror(errno));
	uspawn_js_close(&js);
}

int gate_active(void)
{
	pthread_once(&once, setup);
	return active;
}

/* Under mu: collect the ring's events; tokens read become spare. */
static void collect(int timeout)
{
	struct uspawn_event ev[8];
	int n = uspawn_wait(ring, ev, 8, timeout);

	for (int i = 0; i < n; i++) {
		if (ev[i].type != USPAWN_EV_READ || ev[i].user_data != TAG)
			continue;
		int got = uspawn_js_event(&js, ring, &ev[i]);
		if (got > 0)
			spare += (unsigned)got;
	}
}

/* Under mu: a token free now, or -2. */
static int take_free(void)
{
	if (implicit_free) {
		implicit_free = 0;
		return TOK_IMPLICIT;
	}
	if (spare) {
		spare--;
		return TOK_BYTE;
	}
	return js.broken ? -1 : -2; /* a pool that went away gates nothing */
}

int gate_acquire(void)
{
	int tok;

	pthread_mutex_lock(&acq);
	pthread_mutex_lock(&mu);
	while ((tok = take_free()) == -2) {
		if (uspawn_js_request(&js, ring, 1) < 0) {
			tok = -1;
			break;
		}
		pthread_mutex_unlock(&mu);
		struct pollfd p[2] = {{.fd = uspawn_ring_fd(ring), .events = POLLIN},
				      {.fd = wake_fd, .events = POLLIN}};
		poll(p, 2, -1);
		if (p[1].revents)
			drain(wake_fd);
		pthread_mutex_lock(&mu);
		collect(0);
	}
	/* no read stays armed while nobody waits: the pool keeps its bytes */
	if (js.pending) {
		uspawn_js_cancel(&js, ring);
		while (js.pending)
			collect(-1);
	}
	for (; spare; spare--)
		uspawn_js_release(&js);
	pthread_mutex_unlock(&mu);
	pthread_mutex_unlock(&acq);
	return tok;
}

/* Under mu: room for one more holder. */
static int grow(void)
{
	if (nholders < capholders)
		return 0;
	unsigned cap = capholders ? capholders * 2 : 16;
	struct holder *h = realloc(holders, cap * sizeof *h);
	if (!h)
		return -1;
	holders = h;
	capholders = cap;
	return 0;
}

void gate_attach(int tok, pid_t pid)
{
	int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);

	pthread_mutex_lock(&mu);
	if (pidfd < 0 || grow() < 0) {
		/* cannot watch it: give the token back rather than leak it */
		if (pidfd >= 0)
			close(pidfd);
		pthread_mutex_unlock(&mu);
		gate_release(tok);
		return;
	}
	holders[nholders++] = (struct holder){pid, pidfd, tok};
	pthread_mutex_unlock(&mu);
	kick(ctl_fd);
}

void gate_release(int tok)
{
	pthread_mutex_lock(&mu);
	if (tok == TOK_IMPLICIT)
		implicit_free = 1;
	else
		uspawn_js_release(&js);
	pthread_mutex_unlock(&mu);
}
