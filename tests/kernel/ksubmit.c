/* SPDX-License-Identifier: MIT */
/*
 * ksubmit [N]: the submit count of the liburing that kernel/liburing-vm.sh
 * builds liburing's tests with. N times one NOP on an SQPOLL ring whose SQ
 * thread stays awake: each io_uring_submit() must return 1, the SQE it
 * handed over, as those tests expect (read-write.t wants 32 of 32,
 * single-issuer.t and socket.t more than 0). Exit 0 when all did, 1 with
 * a count of those that did not, 77 when SQPOLL is refused. Run on the
 * host: the count is the library's, whatever the kernel.
 */
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct io_uring_params p;
	struct io_uring ring;
	struct io_uring_cqe *cqe;
	int n = argc > 1 ? atoi(argv[1]) : 100000, other = 0, ret, i;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	/* an SQ thread busy on the other CPU is the one that races the count */
	p.sq_thread_idle = 1000;
	ret = io_uring_queue_init_params(8, &ring, &p);
	if (ret) {
		fprintf(stderr, "ksubmit: SQPOLL ring: %s\n", strerror(-ret));
		return 77;
	}
	for (i = 0; i < n; i++) {
		io_uring_prep_nop(io_uring_get_sqe(&ring));
		if (io_uring_submit(&ring) != 1)
			other++;
		ret = io_uring_wait_cqe(&ring, &cqe);
		if (ret) {
			fprintf(stderr, "ksubmit: wait_cqe: %s\n", strerror(-ret));
			return 1;
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	if (other) {
		fprintf(stderr, "ksubmit: %d of %d submits of one SQE returned other than 1\n",
			other, n);
		return 1;
	}
	return 0;
}
