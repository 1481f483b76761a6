/* SPDX-License-Identifier: MIT */
/* The clock of a job's start_ns and end_ns. */
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/core.h"

/*
 * uring-sh's static build reads the clock with the system call: its first
 * vDSO lookup would touch three pages, ~45 us of faults here, in a process
 * that lives for one line. Everyone else keeps the vDSO (no system call on
 * the spawn path).
 */
uint64_t now_ns(void)
{
	struct timespec ts;

#ifdef USPAWN_CLOCK_SYSCALL
	syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
#else
	clock_gettime(CLOCK_MONOTONIC, &ts);
#endif
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}
