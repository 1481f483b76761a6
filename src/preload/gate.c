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
 *
 * posix_spawn itself never waits for a token when uring-sh is there: a
 * spawn with no token free starts `uring-sh --uspawn-gate` (a deferred
 * start, src/sh/gate.c), which waits for one byte on a socket, and the
 * helper thread hands it a token (a child's, or a byte it reads from the
 * pool) by writing that byte. ninja meanwhile goes on reading its
 * children's output: with the wait inside posix_spawn, children blocked on
 * full output pipes while holding every token hung the build, and a
 * Ctrl-C waited for a token.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
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

/* a deferred start: the socket its token goes down (FIFO order) */
struct waiter {
	pid_t pid;
	int fd;
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
static struct waiter *waiters;
static unsigned nwaiters, capwaiters;
static int closed;
static int acquiring; /* gate_acquire owns the ring's pool read */

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

static int grow(void);

/*
 * Under mu: tok (-1: none, the pool is gone) to the first deferred start.
 * Returns 0 when nobody waits.
 */
static int hand(int tok)
{
	while (nwaiters) {
		struct waiter w = waiters[0];
		memmove(waiters, waiters + 1, --nwaiters * sizeof *waiters);
		int pidfd = tok < 0 ? -1 : (int)syscall(SYS_pidfd_open, w.pid, 0);
		if (tok >= 0 && (pidfd < 0 || grow() < 0)) {
			/* cannot watch it: it runs ungated rather than hangs */
			if (pidfd >= 0)
				close(pidfd);
			pidfd = -1;
		}
		ssize_t n = send(w.fd, "t", 1, MSG_NOSIGNAL);
		close(w.fd);
		if (pidfd >= 0 && n == 1) {
			holders[nholders++] = (struct holder){w.pid, pidfd, tok};
			return 1;
		}
		if (pidfd >= 0)
			close(pidfd); /* it died waiting: the next one gets the token */
	}
	return 0;
}

/* Under mu: tok is free again; a deferred start gets it first. */
static void tok_free(int tok)
{
	if (hand(tok))
		return;
	if (tok == TOK_IMPLICIT)
		implicit_free = 1;
	else if (!closed)
		uspawn_js_release(&js);
	kick(wake_fd);
}

/* Under mu: the token of holder i is free again. */
static void give_back(unsigned i)
{
	int tok = holders[i].tok;

	close(holders[i].pidfd);
	holders[i] = holders[--nholders];
	tok_free(tok);
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

/*
 * Under mu, in the helper: bytes read from the pool go to deferred starts;
 * a read stays armed only while one waits, and the rest goes back.
 */
static void pool_for_waiters(void)
{
	if (acquiring)
		return; /* gate_acquire has the ring; what it reads it hands on */
	if (js.pending)
		collect(0);
	while (spare && nwaiters)
		if (hand(TOK_BYTE))
			spare--;
	if (js.broken)
		while (nwaiters)
			hand(-1);
	if (nwaiters && !js.pending && uspawn_js_request(&js, ring, 1) < 0)
		while (nwaiters)
			hand(-1);
	if (!nwaiters && js.pending) {
		uspawn_js_cancel(&js, ring);
		while (js.pending)
			collect(-1);
	}
	if (!nwaiters)
		for (; spare; spare--)
			uspawn_js_release(&js);
}

static void *helper(void *arg)
{
	struct pollfd *p = NULL;
	unsigned cap = 0;

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&mu);
		pool_for_waiters();
		if (nholders + 2 > cap) {
			cap = (nholders + 2) * 2;
			p = realloc(p, cap * sizeof *p);
			if (!p)
				abort(); /* tokens would leak: better loud */
		}
		unsigned n = 0;
		p[n++] = (struct pollfd){.fd = ctl_fd, .events = POLLIN};
		/* the pool's read, armed only for deferred starts */
		p[n++] = (struct pollfd){.fd = js.pending ? uspawn_ring_fd(ring) : -1,
					 .events = POLLIN};
		for (unsigned i = 0; i < nholders; i++)
			p[n++] = (struct pollfd){.fd = holders[i].pidfd, .events = POLLIN};
		pthread_mutex_unlock(&mu);
		if (poll(p, n, -1) < 0)
			continue;
		if (p[0].revents)
			drain(ctl_fd);
		pthread_mutex_lock(&mu);
		for (unsigned k = 2; k < n; k++) {
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
	/* deferred starts still waiting see end of file: they exit unrun */
	while (nwaiters)
		close(waiters[--nwaiters].fd);
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
	const char *why = NULL;
	if (!ring || wake_fd < 0 || ctl_fd < 0)
		goto fail;
	/* the helper polls the ring's fd; where io_uring is refused there is none */
	if (uspawn_ring_fd(ring) < 0) {
		why = "io_uring is refused here";
		goto fail;
	}
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
	dprintf(2, "uring-ninja: warning: cannot take jobserver tokens: %s\n",
		why ? why : strerror(errno));
	/* inactive: nothing uses these again */
	uspawn_close(ring);
	ring = NULL;
	if (wake_fd >= 0)
		close(wake_fd);
	if (ctl_fd >= 0)
		close(ctl_fd);
	wake_fd = ctl_fd = -1;
	uspawn_js_close(&js);
}

int gate_active(void)
{
	pthread_once(&once, setup);
	return active;
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

int gate_try(void)
{
	pthread_mutex_lock(&mu);
	int tok = take_free();
	pthread_mutex_unlock(&mu);
	return tok == -2 ? GATE_NONE_FREE : tok;
}

void gate_defer(pid_t pid, int fd)
{
	pthread_mutex_lock(&mu);
	if (nwaiters == capwaiters) {
		unsigned c = capwaiters ? capwaiters * 2 : 16;
		struct waiter *w = realloc(waiters, c * sizeof *w);
		if (!w) {
			/* cannot queue it: it runs ungated rather than hangs */
			pthread_mutex_unlock(&mu);
			send(fd, "t", 1, MSG_NOSIGNAL);
			close(fd);
			return;
		}
		waiters = w;
		capwaiters = c;
	}
	waiters[nwaiters++] = (struct waiter){pid, fd};
	pthread_mutex_unlock(&mu);
	kick(ctl_fd);
}

int gate_acquire(void)
{
	int tok;

	pthread_mutex_lock(&acq);
	pthread_mutex_lock(&mu);
	acquiring = 1;
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
	while (spare && hand(TOK_BYTE))
		spare--;
	for (; spare; spare--)
		uspawn_js_release(&js);
	acquiring = 0;
	pthread_mutex_unlock(&mu);
	pthread_mutex_unlock(&acq);
	kick(ctl_fd); /* the helper may read the pool for deferred starts again */
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
	tok_free(tok);
	pthread_mutex_unlock(&mu);
}
