/* SPDX-License-Identifier: MIT */
/*
 * One libuspawn handle per thread (handles are not thread safe), opened on
 * the thread's first spawn and closed when the thread ends. A forked child
 * must not share its parent's ring: it opens its own.
 */
#include <pthread.h>
#include <stdlib.h>

#include "preload.h"

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static unsigned generation; /* bumped in a forked child */
static __thread struct uspawn *handle;
static __thread unsigned handle_gen;
static __thread int failed;

static void close_handle(void *u)
{
	uspawn_close(u);
}

static void after_fork(void)
{
	generation++;
}

static void setup(void)
{
	pthread_key_create(&key, close_handle);
	pthread_atfork(NULL, NULL, after_fork);
}

struct uspawn *lib_handle(void)
{
	pthread_once(&once, setup);
	if (handle && handle_gen == generation)
		return handle;
	if (failed && handle_gen == generation)
		return NULL;
	/* the parent's ring after fork: leave it alone, it is the parent's */
	handle_gen = generation;
	struct uspawn_opts o = {.ring_entries = 8, .registered_files = 1};
	handle = uspawn_open(&o);
	failed = !handle;
	if (handle)
		pthread_setspecific(key, handle);
	return handle;
}
