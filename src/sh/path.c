/* SPDX-License-Identifier: MIT */
/*
 * dash's command search: stat() each $PATH entry, take the first regular
 * file (execute permission is the exec's business). Not found reports
 * ENOENT, or the last other stat error, or EACCES when something that is
 * not a regular file was seen.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "sh.h"

int path_entry(const char *pathvar, int idx, const char *name, char *buf, size_t n)
{
	const char *p = pathvar;

	for (int i = 0; i < idx; i++) {
		p = strchr(p, ':');
		if (!p)
			return -1;
		p++;
	}
	const char *end = strchrnul(p, ':');
	size_t dl = end - p, nl = strlen(name);
	if (dl + nl + 2 > n)
		return -2;
	/* an empty entry is the current directory: the bare name, as dash's padvance */
	if (dl) {
		memcpy(buf, p, dl);
		buf[dl++] = '/';
	}
	memcpy(buf + dl, name, nl + 1);
	return 0;
}

void lookup_command(const char *name, const char *pathvar, struct lookup *lk)
{
	struct stat st;
	int e = ENOENT;

	lk->error = 0;
	if (strchr(name, '/')) {
		lk->idx = -1;
		size_t n = strlen(name);
		if (n >= sizeof lk->path)
			n = sizeof lk->path - 1;
		memcpy(lk->path, name, n);
		lk->path[n] = 0;
		return;
	}
	for (int i = 0;; i++) {
		int r = path_entry(pathvar, i, name, lk->path, sizeof lk->path);
		if (r == -1)
			break;
		if (r < 0 || stat(lk->path, &st) < 0) {
			if (r == 0 && errno != ENOENT && errno != ENOTDIR)
				e = errno;
			continue;
		}
		if (!S_ISREG(st.st_mode)) {
			e = EACCES;
			continue;
		}
		lk->idx = i;
		return;
	}
	lk->error = e;
}
