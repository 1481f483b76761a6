/* SPDX-License-Identifier: MIT */
/*
 * --results: each job's stdout, stderr and sequence number in files, laid
 * out as GNU parallel lays them out, and not printed:
 *   DIR              DIR/1/ARG1/2/ARG2/{stdout,stderr,seq} (in ARG, \ / TAB
 *                    are written \\ \_ \t)
 *   NAME with {..}   NAME expanded (unquoted): NAME, NAME.err, NAME.seq;
 *                    when it ends in '/': the directory of the three files
 * The files are written when the job ends, from what was captured.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"

#define NAME_MAX_BYTES 255 /* one path component */

/* mkdir -p of path's directories (up to its last '/'). */
static int make_dirs(char *path)
{
	for (char *p = path + 1; (p = strchr(p, '/')); p++) {
		*p = 0;
		int e = mkdir(path, 0777) < 0 && errno != EEXIST ? errno : 0;
		*p = '/';
		if (e)
			return e;
	}
	return 0;
}

/* An argument as a directory name: \ / TAB as parallel writes them, cut to a name's length. */
static void put_value(FILE *f, const char *v)
{
	size_t n = 0;

	for (; *v && n < NAME_MAX_BYTES - 1; v++, n++) {
		if (*v == '\\')
			fputs("\\\\", f), n++;
		else if (*v == '/')
			fputs("\\_", f), n++;
		else if (*v == '\t')
			fputs("\\t", f), n++;
		else
			fputc(*v, f);
	}
}

/* The file prefix: DIR/1/ARG1/.../ (ends in '/') or NAME (then .err, .seq). */
static char *prefix(struct runner *r, const struct rjob *j, const struct jargs *a, int *dir)
{
	const char *name = r->o->results;
	char *out = NULL;
	size_t len = 0;

	if (r->results_rs) {
		out = tmpl_expand(name, 0, a, j->seq, j->slot, 0);
		*dir = out && *out && out[strlen(out) - 1] == '/';
		return out;
	}
	FILE *f = open_memstream(&out, &len);
	if (!f)
		return NULL;
	fputs(name, f);
	for (unsigned i = 0; i < a->n; i++) {
		fprintf(f, "/%u/", i + 1);
		put_value(f, a->v[i]);
	}
	fputc('/', f);
	fclose(f);
	*dir = 1;
	return out;
}

static int write_all(int fd, const char *s, size_t n)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		s += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Write a captured stream (memory and spill file, or text) into path; the stream is freed. */
static int save(const char *path, struct obuf *ob, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666), e = 0;
	char b[64 * 1024];
	ssize_t n;

	if (fd < 0)
		return errno;
	if (text) {
		e = write_all(fd, text, strlen(text));
	} else {
		if (ob->spill >= 0) {
			lseek(ob->spill, 0, SEEK_SET);
			while (!e && ((n = read(ob->spill, b, sizeof b)) > 0 ||
				      (n < 0 && errno == EINTR)))
				if (n > 0)
					e = write_all(fd, b, (size_t)n);
			close(ob->spill);
			ob->spill = -1;
		}
		if (!e && ob->len)
			e = write_all(fd, ob->data, ob->len);
		free(ob->data);
		ob->data = NULL;
		ob->len = ob->cap = 0;
	}
	if (close(fd) < 0 && !e)
		e = errno;
	return e;
}

/* The job's files; a failure is a write error of the run (named, once). */
void results_write(struct runner *r, struct rjob *j)
{
	static const char *const names[3][2] = {
		{"stdout", ""}, {"stderr", ".err"}, {"seq", ".seq"}};
	struct jargs *one = NULL;
	const struct jargs *a = j->args;
	int dir = 1, e = ENOMEM;
	char *pre = NULL, *path = NULL, seq[32];

	if (!a && (one = malloc(sizeof *one + sizeof one->v[0]))) {
		one->n = 1; /* command lines: the line is the argument, as parallel's {} */
		one->v[0] = j->line;
	}
	if (!a)
		a = one;
	snprintf(seq, sizeof seq, "%llu", (unsigned long long)j->seq);
	if (a && (pre = prefix(r, j, a, &dir)) && (path = malloc(strlen(pre) + 8))) {
		strcpy(path, pre);
		e = make_dirs(path);
		for (int k = 0; k < 3 && !e; k++) {
			sprintf(path, "%s%s", pre, names[k][!dir]);
			e = save(path, &j->out[k < 2 ? k : 0], k == 2 ? seq : NULL);
		}
	}
	if (e)
		run_write_error(r, path ? path : r->o->results, e);
	free(path);
	free(pre);
	free(one);
}
