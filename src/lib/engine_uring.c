/* SPDX-License-Identifier: MIT */
/*
 * The io_uring_spawn engine: every job is one linked chain
 * CLONE -> redirects -> EXEC..., all chains of a batch in one enter.
 * It needs the kernel series in kernel/patches and is chosen only when
 * the kernel proves it carries that series (uspawn_uring_detect).
 *
 * This file holds the detection; the chains come with the kernel work.
 * Until then spawn hands every job to the vfork engine.
 */
#include <errno.h>
#include <string.h>

#include "engine.h"
#include "uspawn/kernel.h"

/*
 * Opcodes 58/59 exist on stock 6.15+ with other meanings, and a probe
 * would report them. Trust only (a) our feature bit and (b) the CLONE
 * probe handshake, which answers a magic value and creates no process.
 */
int uspawn_uring_detect(void)
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
		if (io_uring_submit_and_wait(&ring, 1) >= 0 && io_uring_peek_cqe(&ring, &cqe) == 0) {
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
		s = uspawn_uring_detect() ? 1 : -1;
		__atomic_store_n(&uring_state, s, __ATOMIC_RELAXED);
	}
	return s > 0 ? 0 : -ENOSYS;
}

static void uring_spawn(struct uspawn *u, struct job **jobs, const struct uspawn_cmd *cmds,
			unsigned n)
{
	engine_vfork.spawn(u, jobs, cmds, n);
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
};
