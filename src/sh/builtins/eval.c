/* SPDX-License-Identifier: MIT */
/*
 * eval and . : a text parsed and run by the shell itself (eval/eval.c's
 * eval_string), . searching $PATH for its file as dash does.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "builtins/shell.h"

int b_eval(struct shell *sh, int argc, char **argv)
{
	size_t len = 0;

	if (argc < 2)
		return 0;
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *text = malloc(len + 1), *p = text;
	if (!text)
		eval_oom(sh);
	for (int i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);
		memcpy(p, argv[i], n);
		p += n;
		*p++ = i + 1 < argc ? ' ' : 0;
	}
	/* $? in the text is the one before the eval (an empty text gives 0: eval_string) */
	int status = eval_string(sh, text, strlen(text), 1); /* dash numbers its lines from 1 */
	free(text);
	return status;
}

static char *read_file(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		if (n == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

int b_dot(struct shell *sh, int argc, char **argv)
{
	char path[PATH_MAX];
	char seen[256];
	const char *file;
	int i;

	(void)argc;
	/* dash's nextopt(""): no options, -- skipped */
	if (bi_options(sh, argv, &i, "", seen) < 0)
		return 2;
	argv += i - 1;
	if (!argv[1])
		return 0;
	file = argv[1];
	if (!strchr(file, '/')) {
		/* dash searches $PATH for a readable regular file */
		const char *pv = eval_pathvar(sh);
		file = NULL;
		for (int idx = 0; path_entry(pv, idx, argv[1], path, sizeof path) != -1; idx++) {
			struct stat st;
			if (!stat(path, &st) && S_ISREG(st.st_mode)) {
				file = path;
				break;
			}
		}
		if (!file)
			return bi_fail(sh, argv[1], ": not found", NULL);
	}
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		shell_msg(sh, "cannot open ", argv[1], ": ", ush_errmsg(errno, USH_E_OPEN));
		return bi_failed(sh);
	}
	size_t len;
	char *text = read_file(fd, &len);
	close(fd);
	if (!text)
		eval_oom(sh);
	const char *saved_cmd = ev.cmdname;
	ev.cmdname = file; /* dash names the file in messages from it */
	ev.dotnest++;
	/* $? in the file is the one before the . (an empty file gives 0: eval_string) */
	int status = eval_string(sh, text, len, 1);
	ev.dotnest--;
	ev.cmdname = saved_cmd;
	if (ev.skip == SKIP_FUNC) /* return ends the file, in a function too */
		ev.skip = SKIP_NONE;
	free(text);
	return status;
}
