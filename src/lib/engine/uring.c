/* SPDX-License-Identifier: MIT */
/*
 * The io_uring_spawn engine: every job is one linked chain
 *   CLONE -> redirects -> EXEC [-> EXEC ...]
 * and all chains of a batch go in with one io_uring_enter as the batch
 * ends (uring_spawn). It needs the kernel series in kernel/patches and
 * is chosen only when the kernel proves it carries that series
 * (uspawn_uring_detect).
 *
 * Redirects: CLOSE(fd) hard-linked (a closed fd is no error), then OPENAT
 * or FIXED_FD_INSTALL(NO_CLOEXEC), which land on the lowest free fd: fd
 * itself, as long as every lower fd is open. PATH search is one EXEC per
 * PATH directory, hard-linked so that a failed one falls through.
 *
 * The chain's CQEs all arrive before the child runs user code: the CLONE's
 * (the pid) first, the EXEC's once the new image is in place. The job
 * counts as started when the chain is over (job_started arms the WAITID
 * reaping); a chain that ended without an exec has killed its child, which
 * is reaped here and reported like the other engines do: exit 127 with the
 * error and the stage. argv, envp and paths are copied per job, since the
 * child reads them through the shared mm until its EXEC completes.
 *
 * Jobs a chain cannot express (cwd, process groups, sessions, signal
 * masks and defaults, capture, dup2, fds a redirect cannot reach) go to
 * the vfork engine.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/plan.h"
#include "uspawn/kernel.h"

extern char **environ;

/*
 * Opcodes 58/59 exist on stock 6.15+ with other meanings, and a probe
 * would report them. Trust only (a) our feature bit and (b) the CLONE
 * probe handshake, which answers a magic value and creates no process.
 */
static int uspawn_uring_detect(void)
{
	struct io_uring_params p = {0};
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int ok = 0;

	if (io_uring_queue_init_params(4, &ring, &p) < 0)
		return 0;
	if (p.features & USPAWN_FEAT_SPAWN) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(&ring);
		uspawn_prep_clone(sqe);
		sqe->rw_flags = USPAWN_CLONE_PROBE;
		if (io_uring_submit_and_wait(&ring, 1) >= 0 &&
		    io_uring_peek_cqe(&ring, &cqe) == 0) {
			ok = cqe->res == USPAWN_SPAWN_MAGIC;
			io_uring_cqe_seen(&ring, cqe);
		}
	}
	io_uring_queue_exit(&ring);
	return ok;
}

static int uring_state; /* 0 unknown, 1 yes, -1 no */

static int uring_probe(void)
{
	int s = __atomic_load_n(&uring_state, __ATOMIC_RELAXED);

	if (!s) {
		/* a ring without our feature bit says no without a ring of our own */
		s = ring_spawn_feature() != 0 && uspawn_uring_detect() ? 1 : -1;
		__atomic_store_n(&uring_state, s, __ATOMIC_RELAXED);
	}
	return s > 0 ? 0 : -ENOSYS;
}

enum slot_kind { SLOT_CLONE, SLOT_CLOSE, SLOT_REDIRECT, SLOT_EXEC };

struct chain;

/* One per SQE; its address, 16-byte aligned, is the SQE's user_data. */
struct slot {
	struct chain *chain;
	unsigned kind;
	unsigned action; /* SLOT_REDIRECT: the cmd's file action index */
};

struct chain {
	struct job *job; /* NULL once the job has been reported */
	pid_t pid;
	unsigned pending; /* CQEs still to come */
	int exec_ok;
	int err; /* first error that stopped the chain, positive errno */
	enum uspawn_stage stage;
	unsigned stage_index;
	int eacces;
	/* the job again, on our copies: a script without #! goes to vfork */
	struct uspawn_cmd cmd;
	struct slot slot[] __attribute__((aligned(16)));
	/* then the file actions, argv and envp copies, then the strings */
};

#define MAX_FD_CHECK 64

/* Redirect SQEs the cmd needs, or -1 if a chain cannot express it. */
static int redirect_sqes(const struct uspawn_cmd *cmd)
{
	uint64_t known = 0, open = 0; /* fds below MAX_FD_CHECK */
	int n = 0;

	for (unsigned i = 0; i < cmd->n_actions; i++) {
		const struct uspawn_fa *a = &cmd->actions[i];

		if (a->fd >= MAX_FD_CHECK)
			return -1;
		switch (a->op) {
		case USPAWN_FA_CLOSE:
			n++;
			break;
		case USPAWN_FA_OPEN:
		case USPAWN_FA_INSTALL:
			/* the new fd is the lowest free one: all below must be open */
			for (int fd = 0; fd < a->fd; fd++) {
				uint64_t bit = 1ull << fd;
				if (!(known & bit)) {
					known |= bit;
					if (fcntl(fd, F_GETFD) >= 0)
						open |= bit;
				}
				if (!(open & bit))
					return -1;
			}
			n += 2;
			break;
		default:
			return -1; /* DUP2 has no ring op */
		}
		known |= 1ull << a->fd;
		if (a->op == USPAWN_FA_CLOSE)
			open &= ~(1ull << a->fd);
		else
			open |= 1ull << a->fd;
	}
	return n;
}

static const unsigned vfork_only = USPAWN_SETPGROUP | USPAWN_SETSID | USPAWN_CAPTURE_STDOUT |
				   USPAWN_CAPTURE_STDERR | USPAWN_CAPTURE_MERGE | USPAWN_SIGMASK |
				   USPAWN_SIGDEFAULT;

static unsigned count_dirs(const char *path)
{
	unsigned n = 1;

	for (; *path; path++)
		n += *path == ':';
	return n;
}

static size_t vec_bytes(char *const *v, size_t *count)
{
	size_t bytes = 0, n = 0;

	for (; v[n]; n++)
		bytes += strlen(v[n]) + 1;
	*count = n;
	return bytes;
}

static char *copy_vec(char **dst, char *const *src, size_t n, char *pool)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(src[i]) + 1;
		dst[i] = memcpy(pool, src[i], len);
		pool += len;
	}
	dst[n] = NULL;
	return pool;
}

static struct io_uring_sqe *chain_sqe(struct uspawn *u, struct chain *c, unsigned i, unsigned kind,
				      unsigned action)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring); /* room was made */

	c->slot[i] = (struct slot){c, kind, action};
	c->pending++;
	io_uring_sqe_set_data64(sqe, tag_pack(&c->slot[i], TAG_ENGINE));
	return sqe;
}

/* Queue the chain of one job; returns 0, or -1 if it must go to vfork. */
static int queue_chain(struct uspawn *u, struct job *job, const struct uspawn_cmd *cmd)
{
	const char *file = cmd->path ? cmd->path : cmd->argv[0];
	const char *path = plan_search_path(cmd, file);
	char *const *envp = cmd->envp ? cmd->envp : environ;
	int nredir = redirect_sqes(cmd);
	unsigned nexec = path ? count_dirs(path) : 1;
	size_t argc, envc, flen = strlen(file) + 1;

	if ((cmd->flags & vfork_only) || cmd->cwd || nredir < 0)
		return -1;
	unsigned nsqe = 1 + (unsigned)nredir + nexec;
	if (nsqe > *u->ring.sq.kring_entries)
		return -1;

	size_t bytes = vec_bytes(cmd->argv, &argc) + vec_bytes(envp, &envc) + flen;
	bytes += path ? strlen(path) + nexec * (flen + 2) : 0;
	for (unsigned a = 0; a < cmd->n_actions; a++)
		if (cmd->actions[a].op == USPAWN_FA_OPEN)
			bytes += strlen(cmd->actions[a].path) + 1;
	size_t head = sizeof(struct chain) + nsqe * sizeof(struct slot);
	size_t fa_bytes = cmd->n_actions * sizeof(struct uspawn_fa);
	struct chain *c;
	if (posix_memalign((void **)&c, 16,
			   head + fa_bytes + (argc + envc + 2) * sizeof(char *) + bytes))
		return -1;
	memset(c, 0, sizeof *c);
	c->job = job;
	struct uspawn_fa *fas = (struct uspawn_fa *)((char *)c + head);
	char **argv = (char **)((char *)fas + fa_bytes), **envv = argv + argc + 1;
	char *pool = (char *)(envv + envc + 1);
	pool = copy_vec(argv, cmd->argv, argc, pool);
	pool = copy_vec(envv, envp, envc, pool);
	c->cmd = *cmd;
	c->cmd.path = memcpy(pool, file, flen);
	pool += flen;
	c->cmd.argv = argv;
	c->cmd.envp = envv;
	c->cmd.actions = fas;
	if (cmd->n_actions)
		memcpy(fas, cmd->actions, fa_bytes);

	/* a chain must go in with one enter: make room for all of it */
	if (io_uring_sq_space_left(&u->ring) < nsqe) {
		io_uring_submit(&u->ring);
		if (io_uring_sq_space_left(&u->ring) < nsqe) { /* CQ overflowing */
			free(c);
			return -1;
		}
	}

	unsigned i = 0;
	struct io_uring_sqe *sqe = chain_sqe(u, c, i++, SLOT_CLONE, 0);
	uint64_t data = sqe->user_data;
	uspawn_prep_clone(sqe);
	sqe->user_data = data;
	sqe->flags = IOSQE_IO_LINK;

	for (unsigned a = 0; a < cmd->n_actions; a++) {
		const struct uspawn_fa *fa = &cmd->actions[a];

		sqe = chain_sqe(u, c, i++, SLOT_CLOSE, a);
		data = sqe->user_data;
		io_uring_prep_close(sqe, fa->fd);
		sqe->user_data = data;
		sqe->flags = IOSQE_IO_HARDLINK;
		if (fa->op == USPAWN_FA_CLOSE)
			continue;
		sqe = chain_sqe(u, c, i++, SLOT_REDIRECT, a);
		data = sqe->user_data;
		if (fa->op == USPAWN_FA_OPEN) {
			size_t len = strlen(fa->path) + 1;
			char *p = memcpy(pool, fa->path, len);
			pool += len;
			fas[a].path = p;
			io_uring_prep_openat(sqe, AT_FDCWD, p, fa->oflag & ~O_CLOEXEC, fa->mode);
			sqe->user_data = data;
			sqe->flags = IOSQE_IO_LINK;
		} else {
			uspawn_prep_fixed_fd_install(sqe, fa->src, USPAWN_FIXED_FD_NO_CLOEXEC);
			sqe->user_data = data;
			sqe->flags |= IOSQE_IO_LINK;
		}
	}

	const char *dir = path;
	for (unsigned e = 0; e < nexec; e++) {
		const char *exe = file;
		if (path) {
			const char *end = strchr(dir, ':');
			size_t dlen = end ? (size_t)(end - dir) : strlen(dir);
			char *p = pool;
			if (dlen) {
				memcpy(p, dir, dlen);
				p[dlen] = '/';
				memcpy(p + dlen + 1, file, flen);
				pool += dlen + 1 + flen;
			} else { /* an empty PATH entry is the current directory */
				memcpy(p, file, flen);
				pool += flen;
			}
			exe = p;
			dir = end ? end + 1 : dir + dlen;
		}
		sqe = chain_sqe(u, c, i++, SLOT_EXEC, 0);
		data = sqe->user_data;
		uspawn_prep_execveat(sqe, AT_FDCWD, exe, argv, envv, 0);
		sqe->user_data = data;
		sqe->flags = e + 1 < nexec ? IOSQE_IO_HARDLINK : 0;
	}
	return 0;
}

static void chain_fail(struct chain *c, enum uspawn_stage stage, unsigned index, int err)
{
	if (c->err)
		return;
	c->err = err;
	c->stage = stage;
	c->stage_index = index;
}

/* Every CQE of the chain is in: report the job, free the chain. */
static void chain_done(struct uspawn *u, struct chain *c)
{
	struct job *job = c->job;

	if (job && c->exec_ok) {
		job_started(u, job, c->pid);
	} else if (job) {
		/* the chain killed its child: reap it, report the exec failure */
		siginfo_t si;
		while (waitid(P_PID, (id_t)c->pid, &si, WEXITED) < 0 && errno == EINTR)
			;
		if (c->stage == USPAWN_STAGE_EXEC && c->err == ENOEXEC &&
		    !(c->cmd.flags & USPAWN_NO_SH_FALLBACK)) {
			/* a script without #!: the vfork engine runs it with /bin/sh */
			engine_vfork.spawn(u, &job, &c->cmd, 1);
			free(c);
			return;
		}
		job->pid = c->pid;
		job->status = W_EXITCODE(127, 0);
		if (c->eacces && c->stage == USPAWN_STAGE_EXEC)
			c->err = EACCES; /* as execvp: EACCES beats a later ENOENT */
		job_exec_failed(job, c->stage ? c->stage : USPAWN_STAGE_EXEC, c->stage_index,
				c->err ? c->err : ENOEXEC);
		job->wait = 0;
		job_finish_if_done(&u->events, job);
	}
	free(c);
}

static void uring_complete(struct uspawn *u, void *p, int res)
{
	struct slot *s = p;
	struct chain *c = s->chain;

	switch (s->kind) {
	case SLOT_CLONE:
		if (res > 0) {
			c->pid = res;
			/* known before the chain is over: let the caller signal it */
			if (c->job && c->job->pid_out)
				*c->job->pid_out = res;
		} else if (c->job) {
			job_failed(&u->events, c->job, USPAWN_STAGE_SPAWN, 0,
				   res < 0 ? -res : EINVAL);
			c->job = NULL;
		}
		break;
	case SLOT_CLOSE:
		break; /* closing a closed fd is no error */
	case SLOT_REDIRECT:
		if (res < 0 && res != -ECANCELED)
			chain_fail(c, USPAWN_STAGE_ACTION, s->action, -res);
		break;
	case SLOT_EXEC:
		if (res == 0)
			c->exec_ok = 1;
		else if (res == -EACCES)
			c->eacces = 1;
		/* the last EXEC error wins: the PATH search went on past earlier ones */
		if (res < 0 && res != -ECANCELED && c->stage != USPAWN_STAGE_ACTION) {
			c->err = -res;
			c->stage = USPAWN_STAGE_EXEC;
			c->stage_index = 0;
		}
		break;
	}
	if (--c->pending == 0)
		chain_done(u, c);
}

static void uring_spawn(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds,
			unsigned n)
{
	struct job **vjobs = NULL;
	struct uspawn_cmd *vcmds = NULL;
	unsigned nv = 0;

	for (unsigned i = 0; i < n; i++) {
		if (queue_chain(u, jobs[i], &cmds[i]) == 0)
			continue;
		if (!vjobs) {
			vjobs = malloc(n * sizeof *vjobs);
			vcmds = malloc(n * sizeof *vcmds);
			if (!vjobs || !vcmds) {
				free(vjobs);
				free(vcmds);
				for (; i < n; i++)
					job_failed(&u->events, jobs[i], USPAWN_STAGE_SETUP, 0,
						   ENOMEM);
				ring_submit(u);
				return;
			}
		}
		vjobs[nv] = jobs[i];
		vcmds[nv++] = cmds[i];
	}
	if (nv)
		engine_vfork.spawn(u, vjobs, vcmds, nv);
	free(vjobs);
	free(vcmds);
	/* the chains are the spawns: they go in now, the batch's reaping with them */
	ring_submit(u);
}

static void uring_fini(struct uspawn *u)
{
	engine_vfork.fini(u); /* jobs the chains cannot express went through it */
}

const struct uspawn_engine engine_uring = {
	.name = "uring",
	.probe = uring_probe,
	.fini = uring_fini,
	.spawn = uring_spawn,
	.complete = uring_complete,
};
