/* SPDX-License-Identifier: MIT */
/* The public entry points of libuspawn (include/uspawn.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "uspawn/kernel.h"

static const struct uspawn_engine *const engines[USPAWN_ENGINE_COUNT] = {
	[USPAWN_ENGINE_URING] = &engine_uring,   [USPAWN_ENGINE_VFORK] = &engine_vfork,
	[USPAWN_ENGINE_POSIX] = &engine_posix,   [USPAWN_ENGINE_FORK] = &engine_fork,
	[USPAWN_ENGINE_NOWAIT] = &engine_nowait,
};

/*
 * What auto tries, best first. nowait before vfork: the same child on a
 * stock kernel, without the parent waiting for its exec; where clone3 or
 * CLONE_CLEAR_SIGHAND is missing its jobs go to the vfork engine anyway.
 */
static const enum uspawn_engine_id auto_order[] = {USPAWN_ENGINE_URING, USPAWN_ENGINE_NOWAIT,
						   USPAWN_ENGINE_VFORK, USPAWN_ENGINE_POSIX};

static const char *const engine_names[USPAWN_ENGINE_COUNT] = {
	[USPAWN_ENGINE_AUTO] = "auto",   [USPAWN_ENGINE_URING] = "uring",
	[USPAWN_ENGINE_VFORK] = "vfork", [USPAWN_ENGINE_POSIX] = "posix",
	[USPAWN_ENGINE_FORK] = "fork",   [USPAWN_ENGINE_NOWAIT] = "nowait",
};

const char *uspawn_engine_name(enum uspawn_engine_id id)
{
	return (unsigned)id < USPAWN_ENGINE_COUNT ? engine_names[id] : "?";
}

int uspawn_engine_available(enum uspawn_engine_id id)
{
	if (id == USPAWN_ENGINE_AUTO)
		return 1;
	if ((unsigned)id >= USPAWN_ENGINE_COUNT)
		return 0;
	return engines[id]->probe() == 0;
}

static int engine_by_name(const char *name)
{
	for (int i = 0; i < USPAWN_ENGINE_COUNT; i++)
		if (!strcmp(name, engine_names[i]))
			return i;
	if (!strcmp(name, "posix_spawn"))
		return USPAWN_ENGINE_POSIX;
	return -1;
}

/* lazy: the ring may never be set up, so auto passes over the uring engine */
static int pick_engine(const char *name, int lazy)
{
	if (!name || !*name)
		name = getenv("USPAWN_ENGINE");
	if (!name || !*name)
		name = "auto";
	int id = engine_by_name(name);
	if (id < 0)
		return -EINVAL;
	if (id != USPAWN_ENGINE_AUTO)
		return engines[id]->probe() == 0 ? id : -ENOSYS;
	for (size_t i = 0; i < sizeof auto_order / sizeof auto_order[0]; i++)
		if (!(lazy && auto_order[i] == USPAWN_ENGINE_URING) &&
		    engines[auto_order[i]]->probe() == 0)
			return auto_order[i];
	return -ENOSYS;
}

static struct uspawn *open_fail(struct uspawn *u, int err)
{
	ring_fini(u);
	free(u->reg_fds);
	free(u);
	errno = err;
	return NULL;
}

struct uspawn *uspawn_open(const struct uspawn_opts *opts)
{
	struct uspawn_opts o = opts ? *opts : (struct uspawn_opts){0};
	struct uspawn *u;
	int lazy = !!(o.flags & USPAWN_OPEN_LAZY_RING);
	int r;

	/* the handle and its job records on one page (handle.h) */
	_Static_assert(sizeof *u <= HANDLE_ALIGN, "the handle fits its alignment");
	if (posix_memalign((void **)&u, HANDLE_ALIGN, sizeof *u))
		return NULL;
	memset(u, 0, sizeof *u);
	job_seed(&u->events, u->records, HANDLE_RECORDS);
	events_seed(&u->events, u->queue, HANDLE_EVENTS);
	if (!o.ring_entries)
		o.ring_entries = 256;
	if (!o.registered_files)
		o.registered_files = 64;
	u->ring_opts = o;
	/* the ring first: its features spare the uring engine's probe a ring */
	if (!lazy && (r = ring_ready(u)) < 0)
		return open_fail(u, -r);
	int id = pick_engine(o.engine, lazy);
	if (id < 0)
		return open_fail(u, -id);
	u->engine_id = (enum uspawn_engine_id)id;
	u->engine = engines[id];
	/* where each completion goes: the layers below never call up */
	u->done[TAG_REAP] = reap_done;
	u->done[TAG_OUT] = output_done_stdout;
	u->done[TAG_ERR] = output_done_stderr;
	u->done[TAG_READ] = read_done;
	u->done[TAG_ENGINE] = u->engine->complete;
	u->settle = u->engine->settle;
	if (id == USPAWN_ENGINE_URING && (r = ring_ready(u)) < 0)
		return open_fail(u, -r);
	if (u->engine->init && (r = u->engine->init(u)) < 0)
		return open_fail(u, -r);
	return u;
}

enum uspawn_engine_id uspawn_engine(const struct uspawn *u)
{
	return u->engine_id;
}

int uspawn_ring_fd(struct uspawn *u)
{
	int r = ring_ready(u);

	if (r < 0)
		return r;
	u->polled = 1; /* from now on, what is queued goes in at once (uspawn_submit) */
	return u->soft ? -EOPNOTSUPP : u->ring.ring_fd;
}

unsigned uspawn_running(const struct uspawn *u)
{
	return u->running;
}

void uspawn_cmd_init(struct uspawn_cmd *cmd)
{
	memset(cmd, 0, sizeof *cmd);
	sigemptyset(&cmd->sigmask);
	sigemptyset(&cmd->sigdefault);
}

/* ---- events ---- */

static unsigned events_take(struct uspawn *u, struct uspawn_event *out, unsigned max)
{
	unsigned n = 0;
	struct job *job;

	while (n < max && events_pop(&u->events, &out[n], &job)) {
		if (out[n].type == USPAWN_EV_EXIT)
			u->running--; /* counted until the caller has the EXIT */
		if (job) {
			if (!job->rearm) {
				job->next = u->rearm_list;
				u->rearm_list = job;
			}
			job->rearm |= 1u << out[n].stream;
		}
		n++;
	}
	return n;
}

/* What the caller was handed last time is done with now. */
static void release_delivered(struct uspawn *u)
{
	while (u->rearm_list) {
		struct job *job = u->rearm_list;
		u->rearm_list = job->next;
		for (int s = 1; s <= 2; s++)
			if (job->rearm & (1u << s))
				output_arm(u, job, s);
		job->rearm = 0;
	}
	job_free_done(&u->events);
}

int uspawn_wait(struct uspawn *u, struct uspawn_event *ev, unsigned max, int timeout_ms)
{
	release_delivered(u);
	if (!u->ring_up) /* nothing in flight: every event there is, is queued */
		return (int)events_take(u, ev, max);
	while (!u->events.len) {
		int r = ring_wait(u, timeout_ms);
		if (r <= 0)
			return r;
		if (timeout_ms == 0)
			break;
	}
	/* what the completions queued (a chain's reaping) is in before the caller polls again */
	if (u->polled)
		ring_submit(u);
	return (int)events_take(u, ev, max);
}

/* ---- spawning ---- */

static int cmd_valid(const struct uspawn_cmd *c, const struct uspawn *u)
{
	if (!c->argv || !c->argv[0])
		return 0;
	for (unsigned i = 0; i < c->n_actions; i++) {
		const struct uspawn_fa *a = &c->actions[i];
		if (a->fd < 0)
			return 0;
		if (a->op == USPAWN_FA_OPEN && !a->path)
			return 0;
		if (a->op == USPAWN_FA_INSTALL &&
		    ((unsigned)a->src >= u->reg_count || u->reg_fds[a->src] < 0))
			return 0;
		if ((unsigned)a->op > USPAWN_FA_INSTALL)
			return 0;
	}
	return 1;
}

static int cmd_uses_ring_output(const struct uspawn_cmd *c)
{
	return !!(c->flags & (USPAWN_CAPTURE_STDOUT | USPAWN_CAPTURE_STDERR));
}

/* Whether a job reports through the ring: its exit or its output. */
static int cmd_uses_ring(const struct uspawn_cmd *c)
{
	return !(c->flags & USPAWN_NO_REAP) || cmd_uses_ring_output(c);
}

/* direct: the one job is reaped by run_direct (reap_block), not the ring; its job is put there */
static int submit(struct uspawn *u, const struct uspawn_cmd *cmds, unsigned n, struct job **direct)
{
	/* 16, not more: after a fork of the caller's every stack page the spawn reaches faults */
	struct job *stack_jobs[16];
	int need_ring = 0, r;

	for (unsigned i = 0; i < n; i++) {
		if (!cmd_valid(&cmds[i], u))
			return -EINVAL;
		need_ring |= cmd_uses_ring(&cmds[i]);
	}
	if (!direct && need_ring && (r = ring_ready(u)) < 0)
		return r;
	struct job **jobs = n <= 16 ? stack_jobs : malloc(n * sizeof *jobs);
	if (!jobs)
		return -ENOMEM;
	for (unsigned i = 0; i < n; i++) {
		jobs[i] = job_new(&u->events, &cmds[i]);
		if (!jobs[i]) {
			while (i--)
				job_free(&u->events, jobs[i]);
			if (jobs != stack_jobs)
				free(jobs);
			return -ENOMEM;
		}
	}
	if (direct)
		(*direct = jobs[0])->reap_direct = 1;
	u->running += n;
	u->engine->spawn(u, jobs, cmds, n);
	/*
	 * The reaping and output reads of the whole batch go in with the
	 * enter of the next uspawn_wait, which waits in the same system call:
	 * none right after the clone, when the child is about to run its
	 * program. A caller that polls the ring's fd itself needs them in now.
	 */
	if (u->polled)
		ring_submit(u);
	if (jobs != stack_jobs)
		free(jobs);
	return (int)n;
}

int uspawn_submit(struct uspawn *u, const struct uspawn_cmd *cmds, unsigned n)
{
	return submit(u, cmds, n, NULL);
}

/*
 * One job while nothing else runs, and no ring yet: spawned, then waited
 * for here (reap_block) rather than through the ring, which stays down.
 */
static int run_direct(struct uspawn *u, const struct uspawn_cmd *cmd, struct uspawn_event *out)
{
	struct job *job;
	int r;

	if ((r = submit(u, cmd, 1, &job)) < 0)
		return r;
	/* the job stays valid until the next uspawn_wait, which takes its EXIT */
	if (job->wait & JOB_WAIT_REAP)
		reap_block(u, job);
	if (uspawn_wait(u, out, 1, 0) != 1)
		return -EIO; /* cannot happen: the job is over */
	return 0;
}

int uspawn_run(struct uspawn *u, const struct uspawn_cmd *cmd, struct uspawn_event *out)
{
	if (!u->ring_up && !u->running && !(cmd->flags & USPAWN_NO_REAP) &&
	    !cmd_uses_ring_output(cmd))
		return run_direct(u, cmd, out);
	int r = uspawn_submit(u, cmd, 1);

	if (r < 0)
		return r;
	release_delivered(u);
	/* the other jobs' events stay queued, in their order, for uspawn_wait */
	while (!events_take_exit(&u->events, cmd->user_data, out)) {
		if (!u->ring_up)
			return -EIO; /* cannot happen: with no ring, every event is queued */
		r = ring_wait(u, -1);
		if (r < 0 && r != -EINTR)
			return r;
	}
	u->running--;
	if (u->polled)
		ring_submit(u);
	return 0;
}

/* ---- registered files ---- */

int uspawn_register_fd(struct uspawn *u, int fd)
{
	int r = ring_ready(u);

	if (r < 0)
		return r;
	for (unsigned slot = 0; slot < u->reg_count; slot++) {
		if (u->reg_fds[slot] >= 0)
			continue;
		int copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
		if (copy < 0)
			return -errno;
		r = u->soft ? 0 : io_uring_register_files_update(&u->ring, slot, &copy, 1);
		if (r < 0) {
			close(copy);
			return r;
		}
		u->reg_fds[slot] = copy;
		return (int)slot;
	}
	return -ENFILE;
}

int uspawn_unregister_fd(struct uspawn *u, int slot)
{
	if ((unsigned)slot >= u->reg_count || u->reg_fds[slot] < 0)
		return -EBADF;
	int none = -1;
	if (!u->soft)
		io_uring_register_files_update(&u->ring, (unsigned)slot, &none, 1);
	close(u->reg_fds[slot]);
	u->reg_fds[slot] = -1;
	return 0;
}

/* ---- plain reads through the ring ---- */

int uspawn_read(struct uspawn *u, int fd, void *buf, size_t len, uint64_t user_data)
{
	int r = ring_ready(u);

	if (r < 0 || (r = read_arm(u, fd, buf, (unsigned)len, user_data)) < 0)
		return r;
	ring_submit(u);
	return 0;
}

int uspawn_cancel_reads(struct uspawn *u, int fd)
{
	int n = 0;

	/* the cancelled reads complete (-ECANCELED) at the next wait, as on the ring */
	for (struct read_req *r = u->reads; r; r = r->next) {
		if (r->fd != fd)
			continue;
		ring_cancel(u, tag_pack(r, TAG_READ));
		n++;
	}
	if (n)
		ring_submit(u);
	return n;
}

void uspawn_close(struct uspawn *u)
{
	struct uspawn_event ev[64];

	if (!u)
		return;
	/* pending reads may never complete on their own (a jobserver pipe) */
	for (struct read_req *r = u->reads; r; r = r->next)
		uspawn_cancel_reads(u, r->fd);
	/* reap everything: no zombie outlives the handle */
	while (u->running || u->reads) {
		int r = uspawn_wait(u, ev, 64, -1);
		if ((r < 0 && r != -EINTR) || (r == 0 && !u->ring_up))
			break;
	}
	release_delivered(u);
	if (u->engine->fini)
		u->engine->fini(u);
	for (unsigned i = 0; i < u->reg_count; i++)
		if (u->reg_fds[i] >= 0)
			close(u->reg_fds[i]);
	free(u->reg_fds);
	events_fini(&u->events);
	ring_fini(u);
	free(u);
}
