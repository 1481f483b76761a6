/* SPDX-License-Identifier: MIT */
/* glibc's own spawn functions, behind ours (dlsym RTLD_NEXT). */
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "preload.h"

static struct real_fns fns;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void *next(const char *name, int required)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (!f && required) {
		/* without the real function nothing can work: say so and stop */
		dprintf(2, "libuspawn-preload: %s not found in libc\n", name);
		abort();
	}
	return f;
}

static void load(void)
{
	fns.spawn = next("posix_spawn", 1);
	fns.spawnp = next("posix_spawnp", 1);
	fns.fa_init = next("posix_spawn_file_actions_init", 1);
	fns.fa_destroy = next("posix_spawn_file_actions_destroy", 1);
	fns.fa_open = next("posix_spawn_file_actions_addopen", 1);
	fns.fa_close = next("posix_spawn_file_actions_addclose", 1);
	fns.fa_dup2 = next("posix_spawn_file_actions_adddup2", 1);
	/* newer than the others: may be missing in an older glibc */
	fns.fa_chdir = next("posix_spawn_file_actions_addchdir_np", 0);
	fns.fa_fchdir = next("posix_spawn_file_actions_addfchdir_np", 0);
	fns.fa_closefrom = next("posix_spawn_file_actions_addclosefrom_np", 0);
	fns.fa_tcsetpgrp = next("posix_spawn_file_actions_addtcsetpgrp_np", 0);
	fns.at_init = next("posix_spawnattr_init", 1);
	fns.at_destroy = next("posix_spawnattr_destroy", 1);
	fns.at_setflags = next("posix_spawnattr_setflags", 1);
	fns.at_setpgroup = next("posix_spawnattr_setpgroup", 1);
	fns.at_setsigmask = next("posix_spawnattr_setsigmask", 1);
	fns.at_setsigdefault = next("posix_spawnattr_setsigdefault", 1);
	fns.at_setschedparam = next("posix_spawnattr_setschedparam", 1);
	fns.at_setschedpolicy = next("posix_spawnattr_setschedpolicy", 1);
	fns.at_setcgroup = next("posix_spawnattr_setcgroup_np", 0);
}

const struct real_fns *real(void)
{
	pthread_once(&once, load);
	return &fns;
}
