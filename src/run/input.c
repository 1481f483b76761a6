/* SPDX-License-Identifier: MIT */
/*
 * Command lines, streamed: one buffer, refilled by reads on the ring so a
 * slow producer never stalls the reaping. Memory stays the size of the
 * longest line, whatever the number of lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define INPUT_CHUNK (64 * 1024)

int input_open(struct input *in, const char *file, int nul)
{
	struct stat st;

	memset(in, 0, sizeof *in);
	in->nul = nul;
	in->fd = 0;
	in->name = "standard input";
	if (file && strcmp(file, "-")) {
		in->name = file;
		in->fd = open(file, O_RDONLY | O_CLOEXEC);
		if (in->fd < 0)
			return -errno;
	}
	/* say it now, before anything runs, not at the first read */
	if (fstat(in->fd, &st) == 0 && S_ISDIR(st.st_mode))
		return -EISDIR;
	in->cap = INPUT_CHUNK;
	in->buf = malloc(in->cap + 1);
	return in->buf ? 0 : -ENOMEM;
}

static int blank(const char *s)
{
	for (; *s; s++)
		if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
			return 0;
	return 1;
}

/*
 * A line holding NUL bytes (no -0): each becomes the two characters \0, as
 * GNU parallel does, with one warning for the whole input.
 */
static char *nul_replaced(struct input *in, const char *s, size_t len)
{
	size_t n = 0;
	char *out = realloc(in->fixed, 2 * len + 1);

	if (!out)
		return NULL;
	in->fixed = out;
	for (size_t i = 0; i < len; i++) {
		if (s[i])
			out[n++] = s[i];
		else
			out[n++] = '\\', out[n++] = '0';
	}
	out[n] = 0;
	if (!in->nul_warned) {
		in->nul_warned = 1;
		fprintf(stderr,
			"uring-run: warning: %s: a NUL character in the input was replaced with "
			"\\0 (did you mean -0?)\n",
			in->name);
	}
	return out;
}

/* The next line, NUL-terminated in the buffer (valid until the next call); NULL if none yet. */
char *input_next(struct input *in)
{
	char sep = in->nul ? 0 : '\n';

	for (;;) {
		char *s = in->buf + in->start;
		size_t avail = in->end - in->start;
		char *e = memchr(s, sep, avail);
		if (!e) {
			if (!in->eof || !avail)
				return NULL;
			/* the last line has no terminator */
			e = s + avail;
		}
		*e = 0;
		in->start = (size_t)(e - in->buf) + (e < in->buf + in->end ? 1 : 0);
		if (in->start > in->end)
			in->start = in->end;
		if (in->has_nul && strlen(s) < (size_t)(e - s))
			s = nul_replaced(in, s, (size_t)(e - s));
		if (s && (in->keep_blank || !blank(s)))
			return s;
	}
}

/* Complete lines waiting (counting up to max), blank ones included. */
unsigned input_ready(struct input *in, unsigned max)
{
	char sep = in->nul ? 0 : '\n';
	const char *s = in->buf + in->start, *end = in->buf + in->end;
	unsigned n = 0;

	while (n < max && s < end) {
		const char *e = memchr(s, sep, (size_t)(end - s));
		if (!e) {
			n += in->eof;
			break;
		}
		n++;
		s = e + 1;
	}
	return n;
}

/* Put a read on the ring when no complete line is left. */
void input_arm(struct input *in, struct uspawn *u)
{
	char sep = in->nul ? 0 : '\n';

	if (in->pending || in->eof)
		return;
	if (memchr(in->buf + in->start, sep, in->end - in->start))
		return;
	/* keep the partial line, at the front */
	memmove(in->buf, in->buf + in->start, in->end - in->start);
	in->end -= in->start;
	in->start = 0;
	if (in->cap - in->end < INPUT_CHUNK / 2) {
		char *nb = realloc(in->buf, in->cap * 2 + 1);
		if (!nb) {
			in->error = ENOMEM;
			in->eof = 1;
			return;
		}
		in->buf = nb;
		in->cap *= 2;
	}
	if (uspawn_read(u, in->fd, in->buf + in->end, in->cap - in->end, TAG_INPUT) == 0)
		in->pending = 1;
	else
		in->eof = 1, in->error = ENOMEM;
}

void input_event(struct input *in, const struct uspawn_event *ev)
{
	in->pending = 0;
	if (ev->res > 0) {
		/* one look per read, not per line: NUL bytes are rare */
		if (!in->nul && !in->has_nul && memchr(in->buf + in->end, 0, (size_t)ev->res))
			in->has_nul = 1;
		in->end += (size_t)ev->res;
		return;
	}
	if (ev->res == -EAGAIN) {
		/* an O_NONBLOCK stdin: make it wait in the ring instead */
		int fl = fcntl(in->fd, F_GETFL);
		if (fl >= 0 && (fl & O_NONBLOCK) && fcntl(in->fd, F_SETFL, fl & ~O_NONBLOCK) == 0)
			return; /* armed again by the loop */
	}
	if (ev->res == -EINTR)
		return; /* armed again by the loop */
	if (ev->res == -ECANCELED)
		return; /* we stopped reading; the input did not end */
	if (ev->res < 0)
		in->error = (int)-ev->res;
	in->eof = 1;
}

/*
 * Lines in data (non-blank ones, or all with keep_blank); *inword carries
 * "the current line counts" across calls.
 */
static long count_lines(const struct input *in, const char *s, size_t n, char sep, int *inword)
{
	long lines = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == sep) {
			lines += *inword || in->keep_blank;
			*inword = 0;
		} else if (in->keep_blank ||
			   (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')) {
			*inword = 1;
		}
	}
	return lines;
}

/*
 * Read all of the input now (a total is needed: --halt N%, --bar); returns
 * the number of lines (jobs) it holds, or -errno.
 */
long input_slurp(struct input *in)
{
	char sep = in->nul ? 0 : '\n';
	int inword = 0;

	while (!in->eof) {
		if (in->cap - in->end < INPUT_CHUNK / 2) {
			char *nb = realloc(in->buf, in->cap * 2 + 1);
			if (!nb)
				return -ENOMEM;
			in->buf = nb;
			in->cap *= 2;
		}
		ssize_t n = read(in->fd, in->buf + in->end, in->cap - in->end);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = in->fd, .events = POLLIN};
			poll(&p, 1, -1);
			continue;
		}
		if (n < 0)
			return -errno;
		if (n == 0)
			in->eof = 1;
		else if (!in->nul && memchr(in->buf + in->end, 0, (size_t)n))
			in->has_nul = 1;
		in->end += (size_t)n;
	}
	return count_lines(in, in->buf + in->start, in->end - in->start, sep, &inword) + inword;
}

/*
 * After a stop: how many lines were left unrun, or -1 when that cannot be
 * known without waiting (a pipe whose writer is still there). Reads a
 * regular file to its end, a pipe only as far as it holds data within
 * REST_WAIT_MS in all (a writer about to exit, e.g. `printf ... | uring-run`)
 * and at most REST_PIPE_MAX bytes (a writer that never stops: `yes`).
 */
#define REST_WAIT_MS  250
#define REST_PIPE_MAX (64L << 20)
long input_rest(struct input *in)
{
	char sep = in->nul ? 0 : '\n', b[64 * 1024];
	int inword = 0;
	long n = count_lines(in, in->buf + in->start, in->end - in->start, sep, &inword);
	struct stat st;
	int regular = fstat(in->fd, &st) == 0 && S_ISREG(st.st_mode);
	long piped = 0, left_ms = REST_WAIT_MS;
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!in->eof && !in->error) {
		struct pollfd p = {.fd = in->fd, .events = POLLIN};
		if (!regular) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			left_ms = REST_WAIT_MS - ((t1.tv_sec - t0.tv_sec) * 1000 +
						  (t1.tv_nsec - t0.tv_nsec) / 1000000);
			if (piped > REST_PIPE_MAX || left_ms < 0 || poll(&p, 1, (int)left_ms) != 1)
				return -1;
		}
		ssize_t got = read(in->fd, b, sizeof b);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			in->eof = 1;
		piped += got;
		n += count_lines(in, b, (size_t)got, sep, &inword);
	}
	return n + inword;
}

void input_close(struct input *in)
{
	if (in->fd > 0)
		close(in->fd);
	free(in->buf);
	free(in->fixed);
	in->buf = in->fixed = NULL;
}
