/* SPDX-License-Identifier: MIT */
/*
 * The side table: what callers asked of their posix_spawn_file_actions_t
 * and posix_spawnattr_t, keyed by the struct's address. Every setter calls
 * glibc's first and records only what glibc accepted, so a spawn we cannot
 * honour still works through the real posix_spawn.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "preload.h"

enum kind { K_ACTIONS = 1, K_ATTR };

struct slot {
	const void *key;
	enum kind kind;
	struct rec_actions a;
	struct rec_attr t;
};

/* Few structs are alive at once (ninja and make keep one each on the stack). */
#define SLOTS_MAX 4096

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot *slots;
static unsigned nslots, capslots;

static struct slot *find(const void *key, enum kind kind)
{
	for (unsigned i = nslots; i-- > 0;)
		if (slots[i].key == key && slots[i].kind == kind)
			return &slots[i];
	return NULL;
}

static void actions_clear(struct rec_actions *r)
{
	for (unsigned i = 0; i < r->n; i++)
		free((char *)r->fa[i].path);
	free(r->fa);
	free(r->cwd);
	memset(r, 0, sizeof *r);
}

static void drop(const void *key, enum kind kind)
{
	struct slot *s = find(key, kind);

	if (!s)
		return;
	actions_clear(&s->a);
	*s = slots[--nslots];
}

/* A fresh slot for key (an old one at the same address is forgotten). */
static struct slot *fresh(const void *key, enum kind kind)
{
	drop(key, kind);
	if (nslots == capslots) {
		unsigned cap = capslots ? capslots * 2 : 16;
		struct slot *n = cap <= SLOTS_MAX ? realloc(slots, cap * sizeof *n) : NULL;
		if (!n)
			return NULL; /* unrecorded: its spawns fall through */
		slots = n;
		capslots = cap;
	}
	struct slot *s = &slots[nslots++];
	memset(s, 0, sizeof *s);
	s->key = key;
	s->kind = kind;
	sigemptyset(&s->t.sigmask);
	sigemptyset(&s->t.sigdefault);
	return s;
}

/* ---- file actions ---- */

static void add_action(const posix_spawn_file_actions_t *fa, const struct uspawn_fa *act,
		       int unsupported)
{
	pthread_mutex_lock(&lock);
	struct slot *s = find(fa, K_ACTIONS);
	if (!s)
		goto out;
	struct rec_actions *r = &s->a;
	r->calls++;
	if (unsupported || !act) {
		r->unsupported |= unsupported;
		goto out;
	}
	if (r->n == r->cap) {
		unsigned cap = r->cap ? r->cap * 2 : 8;
		struct uspawn_fa *n = realloc(r->fa, cap * sizeof *n);
		if (!n) {
			r->unsupported = 1;
			goto out;
		}
		r->fa = n;
		r->cap = cap;
	}
	r->fa[r->n] = *act;
	if (act->path && !(r->fa[r->n].path = strdup(act->path)))
		r->unsupported = 1;
	else
		r->n++;
out:
	pthread_mutex_unlock(&lock);
}

int posix_spawn_file_actions_init(posix_spawn_file_actions_t *fa)
{
	int r = real()->fa_init(fa);

	if (r == 0) {
		pthread_mutex_lock(&lock);
		fresh(fa, K_ACTIONS);
		pthread_mutex_unlock(&lock);
	}
	return r;
}

int posix_spawn_file_actions_destroy(posix_spawn_file_actions_t *fa)
{
	pthread_mutex_lock(&lock);
	drop(fa, K_ACTIONS);
	pthread_mutex_unlock(&lock);
	return real()->fa_destroy(fa);
}

int posix_spawn_file_actions_addopen(posix_spawn_file_actions_t *fa, int fd, const char *path,
				     int oflag, mode_t mode)
{
	int r = real()->fa_open(fa, fd, path, oflag, mode);
	struct uspawn_fa a = {
		.op = USPAWN_FA_OPEN, .fd = fd, .path = path, .oflag = oflag, .mode = mode};

	if (r == 0)
		add_action(fa, &a, 0);
	return r;
}

int posix_spawn_file_actions_addclose(posix_spawn_file_actions_t *fa, int fd)
{
	int r = real()->fa_close(fa, fd);
	struct uspawn_fa a = {.op = USPAWN_FA_CLOSE, .fd = fd};

	if (r == 0)
		add_action(fa, &a, 0);
	return r;
}

int posix_spawn_file_actions_adddup2(posix_spawn_file_actions_t *fa, int fd, int newfd)
{
	int r = real()->fa_dup2(fa, fd, newfd);
	struct uspawn_fa a = {.op = USPAWN_FA_DUP2, .fd = newfd, .src = fd};

	if (r == 0)
		add_action(fa, &a, 0);
	return r;
}

/* libuspawn changes directory before the actions: exact only when it comes first. */
int posix_spawn_file_actions_addchdir_np(posix_spawn_file_actions_t *fa, const char *path)
{
	int r = real()->fa_chdir ? real()->fa_chdir(fa, path) : ENOSYS;

	if (r)
		return r;
	pthread_mutex_lock(&lock);
	struct slot *s = find(fa, K_ACTIONS);
	if (s) {
		struct rec_actions *ra = &s->a;
		ra->calls++;
		/* a relative chdir after another chdir would need both */
		if (ra->n || (ra->cwd && path[0] != '/'))
			ra->unsupported = 1;
		else {
			free(ra->cwd);
			if (!(ra->cwd = strdup(path)))
				ra->unsupported = 1;
		}
	}
	pthread_mutex_unlock(&lock);
	return 0;
}

int posix_spawn_file_actions_addfchdir_np(posix_spawn_file_actions_t *fa, int fd)
{
	int r = real()->fa_fchdir ? real()->fa_fchdir(fa, fd) : ENOSYS;

	if (r == 0)
		add_action(fa, NULL, 1);
	return r;
}

int posix_spawn_file_actions_addclosefrom_np(posix_spawn_file_actions_t *fa, int from)
{
	int r = real()->fa_closefrom ? real()->fa_closefrom(fa, from) : ENOSYS;

	if (r == 0)
		add_action(fa, NULL, 1);
	return r;
}

int posix_spawn_file_actions_addtcsetpgrp_np(posix_spawn_file_actions_t *fa, int tcfd)
{
	int r = real()->fa_tcsetpgrp ? real()->fa_tcsetpgrp(fa, tcfd) : ENOSYS;

	if (r == 0)
		add_action(fa, NULL, 1);
	return r;
}

int rec_actions_get(const posix_spawn_file_actions_t *fa, struct rec_actions *out)
{
	memset(out, 0, sizeof *out);
	if (!fa)
		return 0;
	pthread_mutex_lock(&lock);
	struct slot *s = find(fa, K_ACTIONS);
	int r = -1;
	/* glibc's count must agree: else something changed it behind our back */
	if (!s || s->a.unsupported || s->a.calls != (unsigned)fa->__used)
		goto out;
	out->n = s->a.n;
	out->fa = malloc((s->a.n + 1) * sizeof *out->fa);
	out->cwd = s->a.cwd ? strdup(s->a.cwd) : NULL;
	if (!out->fa || (s->a.cwd && !out->cwd))
		goto out;
	/* the paths stay ours: the caller may destroy fa while we spawn */
	for (unsigned i = 0; i < out->n; i++) {
		out->fa[i] = s->a.fa[i];
		if (s->a.fa[i].path && !(out->fa[i].path = strdup(s->a.fa[i].path))) {
			out->n = i;
			goto out;
		}
	}
	r = 0;
out:
	pthread_mutex_unlock(&lock);
	if (r)
		rec_actions_free(out);
	return r;
}

void rec_actions_free(struct rec_actions *r)
{
	actions_clear(r);
}

/* ---- attributes ---- */

int posix_spawnattr_init(posix_spawnattr_t *at)
{
	int r = real()->at_init(at);

	if (r == 0) {
		pthread_mutex_lock(&lock);
		fresh(at, K_ATTR);
		pthread_mutex_unlock(&lock);
	}
	return r;
}

int posix_spawnattr_destroy(posix_spawnattr_t *at)
{
	pthread_mutex_lock(&lock);
	drop(at, K_ATTR);
	pthread_mutex_unlock(&lock);
	return real()->at_destroy(at);
}

/* Run set on the record of at, if there is one. */
#define WITH_ATTR(at, stmt)                                                                        \
	do {                                                                                       \
		pthread_mutex_lock(&lock);                                                         \
		struct slot *s_ = find((at), K_ATTR);                                              \
		if (s_) {                                                                          \
			struct rec_attr *t = &s_->t;                                               \
			stmt;                                                                      \
		}                                                                                  \
		pthread_mutex_unlock(&lock);                                                       \
	} while (0)

int posix_spawnattr_setflags(posix_spawnattr_t *at, short flags)
{
	int r = real()->at_setflags(at, flags);

	if (r == 0)
		WITH_ATTR(at, t->flags = flags);
	return r;
}

int posix_spawnattr_setpgroup(posix_spawnattr_t *at, pid_t pgroup)
{
	int r = real()->at_setpgroup(at, pgroup);

	if (r == 0)
		WITH_ATTR(at, t->pgroup = pgroup);
	return r;
}

int posix_spawnattr_setsigmask(posix_spawnattr_t *at, const sigset_t *set)
{
	int r = real()->at_setsigmask(at, set);

	if (r == 0)
		WITH_ATTR(at, t->sigmask = *set);
	return r;
}

int posix_spawnattr_setsigdefault(posix_spawnattr_t *at, const sigset_t *set)
{
	int r = real()->at_setsigdefault(at, set);

	if (r == 0)
		WITH_ATTR(at, t->sigdefault = *set);
	return r;
}

/* Scheduling only matters with its flags, but we do not model it at all. */
int posix_spawnattr_setschedparam(posix_spawnattr_t *at, const struct sched_param *p)
{
	int r = real()->at_setschedparam(at, p);

	if (r == 0)
		WITH_ATTR(at, t->unsupported = 1);
	return r;
}

int posix_spawnattr_setschedpolicy(posix_spawnattr_t *at, int policy)
{
	int r = real()->at_setschedpolicy(at, policy);

	if (r == 0)
		WITH_ATTR(at, t->unsupported = 1);
	return r;
}

int posix_spawnattr_setcgroup_np(posix_spawnattr_t *at, int cgroup)
{
	int r = real()->at_setcgroup ? real()->at_setcgroup(at, cgroup) : ENOSYS;

	if (r == 0)
		WITH_ATTR(at, t->unsupported = 1);
	return r;
}

int rec_attr_get(const posix_spawnattr_t *at, struct rec_attr *out)
{
	memset(out, 0, sizeof *out);
	sigemptyset(&out->sigmask);
	sigemptyset(&out->sigdefault);
	if (!at)
		return 0;
	pthread_mutex_lock(&lock);
	struct slot *s = find(at, K_ATTR);
	int ok = s && !s->t.unsupported && s->t.flags == at->__flags;
	if (ok)
		*out = s->t;
	pthread_mutex_unlock(&lock);
	return ok ? 0 : -1;
}
