/* SPDX-License-Identifier: MIT */
/*
 * Tilde expansion: ~ is $HOME, ~user the user's home directory read from
 * /etc/passwd (uring-sh is static: glibc's NSS would need dlopen). The
 * result is quoted (never split or globbed), without quote marks: an empty
 * $HOME leaves no field, as in dash. An unknown user or an unset HOME
 * leaves the text as it was.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "expand/words.h"

/* the home directory of user in /etc/passwd (malloc'd), NULL if none */
static char *passwd_home(const char *user, size_t n)
{
	int fd = open("/etc/passwd", O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 8192;
	char *buf = malloc(cap + 1), *home = NULL;

	if (fd < 0 || !buf) {
		if (fd >= 0)
			close(fd);
		free(buf);
		return NULL;
	}
	for (;;) {
		if (len == cap) {
			char *nb = realloc(buf, (cap *= 2) + 1);
			if (!nb)
				break;
			buf = nb;
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r <= 0)
			break;
		len += r;
	}
	close(fd);
	buf[len] = 0;
	for (char *line = buf; line < buf + len;) {
		char *end = strchr(line, '\n');
		if (!end)
			end = buf + len;
		*end = 0;
		if (!strncmp(line, user, n) && line[n] == ':') {
			/* name:passwd:uid:gid:gecos:home:shell */
			char *f = line;
			for (int i = 0; i < 5 && f; i++)
				f = strchr(f, ':') ? strchr(f, ':') + 1 : NULL;
			if (f) {
				char *e = strchr(f, ':');
				if (e)
					*e = 0;
				home = strdup(f);
			}
			break;
		}
		line = end + 1;
	}
	free(buf);
	return home;
}

void xp_tilde(struct xp *x, const struct wpart *p)
{
	if (!p->decl || x->decl) {
		if (!p->n) {
			const char *home = shvar_get(x->sh, "HOME", 4);
			if (home) {
				xp_add(x, home, strlen(home), A_QUOTED);
				return;
			}
		} else {
			/* decide/'s shell reads no files (dash would ask NSS) */
			if (x->sh->view)
				shell_fail(x->sh, 2, "~user", NULL, NULL);
			char *home = passwd_home(p->s, p->n);
			if (home) {
				xp_add(x, home, strlen(home), A_QUOTED);
				free(home);
				return;
			}
		}
	}
	xp_add(x, "~", 1, 0);
	xp_add(x, p->s, p->n, 0);
}

int decl_command(const struct strvec *out, unsigned first)
{
	unsigned i = first;

	while (i < out->n && !strcmp(out->v[i], "command"))
		i++;
	if (i >= out->n)
		return 0;
	const char *c = out->v[i];
	return !strcmp(c, "export") || !strcmp(c, "readonly") || !strcmp(c, "local") ||
	       !strcmp(c, "alias");
}
