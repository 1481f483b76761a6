/* SPDX-License-Identifier: MIT */
/*
 * io_uring uapi that Debian's liburing 2.3 lacks: the opcodes and SQE fields
 * of newer stock kernels (WAITID, FIXED_FD_INSTALL, PIPE) and of our
 * IORING_OP_CLONE / IORING_OP_EXEC patch series (kernel/patches). The one
 * compat header of the project; include it after <liburing.h>.
 */
#ifndef USPAWN_KERNEL_H
#define USPAWN_KERNEL_H

#include <liburing.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

/* Stock opcodes after liburing 2.3's IORING_OP_SENDMSG_ZC (47). */
#define USPAWN_OP_WAITID           50 /* Linux 6.7 */
#define USPAWN_OP_FIXED_FD_INSTALL 54 /* Linux 6.8 */
#define USPAWN_OP_PIPE             62 /* Linux 6.16 */

/* FIXED_FD_INSTALL: the installed fd survives exec (sqe->install_fd_flags). */
#define USPAWN_FIXED_FD_NO_CLOEXEC (1u << 0)

/*
 * Our series (kernel/patches): CLONE heads a link whose members run in the
 * new task, EXEC ends it. The numbers follow 6.12's IORING_OP_LAST; upstream
 * 6.15+ uses them for other ops, so never trust the opcode alone: require
 * the feature bit and the probe handshake (uspawn_uring_detect()).
 */
#define USPAWN_OP_CLONE 58
#define USPAWN_OP_EXEC  59

/* io_uring_params.features bit set by a kernel carrying our series. */
#define USPAWN_FEAT_SPAWN (1u << 31)

/* CLONE sqe->rw_flags: answer USPAWN_SPAWN_MAGIC and create nothing. */
#define USPAWN_CLONE_PROBE (1u << 0)
#define USPAWN_SPAWN_MAGIC 0x5350574E /* "SPWN" */

static inline void uspawn_prep_waitid(struct io_uring_sqe *sqe, idtype_t idtype, id_t id,
				      siginfo_t *infop, int options, unsigned flags)
{
	io_uring_prep_rw(USPAWN_OP_WAITID, sqe, (int)id, NULL, (unsigned)idtype, 0);
	sqe->rw_flags = flags;
	sqe->file_index = (unsigned)options;
	sqe->addr2 = (unsigned long)infop;
}

static inline void uspawn_prep_fixed_fd_install(struct io_uring_sqe *sqe, int slot, unsigned flags)
{
	io_uring_prep_rw(USPAWN_OP_FIXED_FD_INSTALL, sqe, slot, NULL, 0, 0);
	sqe->flags = IOSQE_FIXED_FILE;
	sqe->rw_flags = flags;
}

static inline void uspawn_prep_clone(struct io_uring_sqe *sqe)
{
	io_uring_prep_rw(USPAWN_OP_CLONE, sqe, 0, NULL, 0, 0);
}

static inline void uspawn_prep_execveat(struct io_uring_sqe *sqe, int dfd, const char *path,
					char *const *argv, char *const *envp, unsigned flags)
{
	io_uring_prep_rw(USPAWN_OP_EXEC, sqe, dfd, path, 0, 0);
	sqe->addr2 = (unsigned long)argv;
	sqe->addr3 = (unsigned long)envp;
	sqe->rw_flags = flags;
}

#endif
