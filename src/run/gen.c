/* SPDX-License-Identifier: MIT */
/*
 * Where a template's arguments come from (GNU parallel's input sources):
 * ::: values, :::: files and -a files, one argument per line (-0: per
 * NUL), or standard input. One source that is a file or stdin is streamed
 * through the ring like command lines are (memory stays flat); several
 * sources are read whole and combined as parallel does: every combination,
 * the first source varying slowest. Empty lines are arguments too.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

/* One job's arguments in one allocation. */
static struct jargs *jargs_new(const char *const *v, unsigned n)
{
	size_t bytes = 0;

	for (unsigned i = 0; i < n; i++)
		bytes += strlen(v[i]) + 1;
	struct jargs *a = malloc(sizeof *a + n * sizeof a->v[0] + bytes);
	if (!a)
		return NULL;
	char *p = (char *)(a->v + n);
	a->n = n;
	for (unsigned i = 0; i < n; i++) {
		size_t l = strlen(v[i]) + 1;
		a->v[i] = memcpy(p, v[i], l);
		p += l;
	}
	return a;
}

static int push(struct gen_src *s, const char *v, size_t len)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **nv = realloc(s->own, cap * sizeof *nv);
		if (!nv)
			return -ENOMEM;
		s->own = nv;
		s->cap = cap;
	}
	if (!(s->own[s->n] = strndup(v, len)))
		return -ENOMEM;
	s->n++;
	s->v = s->own;
	return 0;
}

/* A whole file (or stdin) as one source, read now. 0 or -errno. */
static int read_source(struct gen_src *s, const char *path, int nul, const char **name)
{
	struct input in;
	int e = input_open(&in, path, nul);

	*name = in.name;
	in.keep_blank = 1;
	while (!e) {
		if (in.cap - in.end < 4096) {
			char *nb = realloc(in.buf, in.cap * 2 + 1);
			if (!nb) {
				e = -ENOMEM;
				break;
			}
			in.buf = nb;
			in.cap *= 2;
		}
		ssize_t n = read(in.fd, in.buf + in.end, in.cap - in.end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			e = -errno;
		if (n <= 0)
			break;
		in.end += (size_t)n;
		if (!nul && memchr(in.buf + in.end - n, 0, (size_t)n))
			in.has_nul = 1;
	}
	in.eof = 1;
	for (char *l; !e && (l = input_next(&in));)
		e = push(s, l, strlen(l));
	input_close(&in);
	return e;
}

/*
 * ::: values. parallel reads them as lines: a value holding a newline is
 * several values ("a\n" is "a" and ""), unless -0.
 */
static int list_source(struct gen_src *s, char **vals, unsigned n, int nul)
{
	int split = 0;

	for (unsigned i = 0; i < n && !nul; i++)
		split |= strchr(vals[i], '\n') != NULL;
	if (!split) {
		s->v = vals;
		s->n = n;
		return 0;
	}
	for (unsigned i = 0; i < n; i++) {
		const char *p = vals[i], *nl;
		while ((nl = strchr(p, '\n'))) {
			if (push(s, p, (size_t)(nl - p)) < 0)
				return -ENOMEM;
			p = nl + 1;
		}
		if (push(s, p, strlen(p)) < 0)
			return -ENOMEM;
	}
	return 0;
}

static int is_stdin(const char *f)
{
	return !strcmp(f, "-");
}

/*
 * Set up the sources; one file or stdin alone is opened as in (streamed).
 * Returns 0, or -errno with *bad naming what could not be read.
 */
int gen_open(struct gen *g, const struct opts *o, struct input *in, const char **bad)
{
	memset(g, 0, sizeof *g);
	g->on = 1;
	g->tmpl = o->tmpl;
	g->has_rs = o->tmpl && tmpl_has_rs(o->tmpl);
	if (o->nsrcs == 0 || (o->nsrcs == 1 && o->srcs[0].file)) {
		const char *f = o->nsrcs ? o->srcs[0].file : "-";
		int e = input_open(in, is_stdin(f) ? NULL : f, o->nul);
		*bad = in->name;
		in->keep_blank = 1;
		g->stream = 1;
		g->stdin_taken = in->fd == 0;
		return e;
	}
	/* several sources: all in memory; in stays empty and at its end */
	input_open(in, NULL, o->nul);
	in->fd = -1;
	in->eof = 1;
	g->src = calloc(o->nsrcs, sizeof *g->src);
	g->idx = calloc(o->nsrcs, sizeof *g->idx);
	g->cur = calloc(o->nsrcs, sizeof *g->cur);
	if (!g->src || !g->idx || !g->cur)
		return -ENOMEM;
	g->nsrc = o->nsrcs;
	g->total = 1;
	for (unsigned i = 0; i < o->nsrcs; i++) {
		const struct src_spec *sp = &o->srcs[i];
		if (sp->file) {
			int e = read_source(&g->src[i], is_stdin(sp->file) ? NULL : sp->file,
					    o->nul, bad);
			if (e < 0)
				return e;
			g->stdin_taken |= is_stdin(sp->file);
		} else if (list_source(&g->src[i], sp->vals, sp->n, o->nul) < 0) {
			*bad = ":::";
			return -ENOMEM;
		}
		g->total *= g->src[i].n;
	}
	g->done = g->total == 0;
	return 0;
}

/* The next job's arguments: 1 (in *out), 0 when none is ready yet, -1 at the end. */
int gen_next(struct gen *g, struct input *in, struct jargs **out)
{
	if (g->stream) {
		const char *line = input_next(in);
		if (!line)
			return in->eof && !input_ready(in, 1) ? -1 : 0;
		*out = jargs_new(&line, 1);
		g->made++;
		return *out ? 1 : -1;
	}
	if (g->done)
		return -1;
	for (unsigned i = 0; i < g->nsrc; i++)
		g->cur[i] = g->src[i].v[g->idx[i]];
	*out = jargs_new(g->cur, g->nsrc);
	g->made++;
	/* an odometer: the last source turns fastest */
	unsigned i = g->nsrc;
	while (i-- > 0) {
		if (++g->idx[i] < g->src[i].n)
			break;
		g->idx[i] = 0;
	}
	if (i == (unsigned)-1)
		g->done = 1;
	return *out ? 1 : -1;
}

/* Jobs not made yet, up to max (in memory exactly; streamed: the complete lines read). */
unsigned gen_ready(struct gen *g, struct input *in, unsigned max)
{
	if (g->stream)
		return input_ready(in, max);
	uint64_t left = g->total - g->made;
	return left < max ? (unsigned)left : max;
}

/* Whether any job is still to come. */
int gen_left(struct gen *g, struct input *in)
{
	if (g->stream)
		return !in->eof || input_ready(in, 1);
	return !g->done;
}

/* After a stop: the jobs not made, -1 if unknown (see input_rest). */
long gen_rest(struct gen *g, struct input *in)
{
	return g->stream ? input_rest(in) : (long)(g->total - g->made);
}

void gen_close(struct gen *g)
{
	for (unsigned i = 0; g->src && i < g->nsrc; i++) {
		for (size_t k = 0; k < g->src[i].n && g->src[i].own; k++)
			free(g->src[i].own[k]);
		free(g->src[i].own);
	}
	free(g->src);
	free(g->idx);
	free(g->cur);
	memset(g, 0, sizeof *g);
}
