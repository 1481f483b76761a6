/* SPDX-License-Identifier: MIT */
/* Where uring-ninja finds the preload, uring-sh and ninja. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ninja.h"

/* The directory uring-ninja lives in. */
static int self_dir(char *dir, size_t n)
{
	ssize_t len = readlink("/proc/self/exe", dir, n - 1);

	if (len <= 0)
		return -1;
	dir[len] = 0;
	char *slash = strrchr(dir, '/');
	if (!slash)
		return -1;
	*slash = 0;
	return 0;
}

/* The first of env, dir/rel[i] and fixed[i] that is accessible with mode. */
static int pick(char *out, size_t n, const char *env, const char *const *rel, const char *fixed,
		int mode)
{
	char dir[PATH_MAX - 64];
	const char *e = getenv(env);

	if (e && *e) {
		snprintf(out, n, "%s", e);
		return access(out, mode);
	}
	if (self_dir(dir, sizeof dir) == 0)
		for (; *rel; rel++) {
			snprintf(out, n, "%s/%s", dir, *rel);
			if (!access(out, mode))
				return 0;
		}
	snprintf(out, n, "%s", fixed);
	return access(out, mode);
}

int find_preload(char *out, size_t n)
{
	static const char *const rel[] = {"libuspawn-preload.so", "../lib/libuspawn-preload.so",
					  "../" LIBDIR_REL "/libuspawn-preload.so", NULL};

	return pick(out, n, "URING_NINJA_PRELOAD", rel, LIBDIR_FULL "/libuspawn-preload.so", R_OK);
}

int find_uring_sh(char *out, size_t n)
{
	static const char *const rel[] = {"uring-sh", "../sh/uring-sh", NULL};

	return pick(out, n, "URING_SH", rel, BINDIR_FULL "/uring-sh", X_OK);
}
