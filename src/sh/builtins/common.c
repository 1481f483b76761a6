/* SPDX-License-Identifier: MIT */
/* What the standalone builtins share: messages, dash's output buffer, numbers. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "builtins/builtins.h"

static void put_all(int fd, const char *s, size_t n, int *failed)
{
	while (n) {
		ssize_t w = write(fd, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			*failed = 1;
			return;
		}
		s += w;
		n -= w;
	}
}

static size_t append(char *buf, size_t n, const char *s)
{
	size_t l = strlen(s);

	memcpy(buf + n, s, l);
	return n + l;
}

/* v in decimal, NUL-terminated, in buf (16 bytes) */
static void decimal(char *buf, unsigned v)
{
	char d[16];
	int i = sizeof d;

	d[--i] = 0;
	do {
		d[--i] = '0' + v % 10;
		v /= 10;
	} while (v);
	memcpy(buf, d + i, sizeof d - i);
}

/* One write, so that a message is never split by another writer. */
void bi_error(struct bi_ctx *c, const char *name, const char *t1, const char *t2, const char *t3)
{
	const char *piece[] = {c->arg0, ": ", NULL, ": ", name, ": ", t1, t2, t3};
	char line[16], small[1024];
	size_t total = 1, n = 0;
	int failed = 0;

	decimal(line, c->lineno);
	piece[2] = line;
	for (unsigned i = 0; i < sizeof piece / sizeof *piece && piece[i]; i++)
		total += strlen(piece[i]);
	char *msg = total <= sizeof small ? small : malloc(total);
	if (!msg)
		return;
	for (unsigned i = 0; i < sizeof piece / sizeof *piece && piece[i]; i++)
		n = append(msg, n, piece[i]);
	msg[n++] = '\n';
	put_all(2, msg, n, &failed);
	if (msg != small)
		free(msg);
}

void bi_out_init(struct bi_out *o, int fd)
{
	o->fd = fd;
	o->failed = 0;
	o->n = 0;
}

void bi_out_flush(struct bi_out *o)
{
	if (o->n)
		put_all(o->fd, o->buf, o->n, &o->failed);
	o->n = 0;
}

int bi_out_allocated;

void bi_out_put(struct bi_out *o, const char *s, size_t n)
{
	if (!bi_out_allocated && n) {
		/* dash's first output allocates the buffer: no flush, and a piece
		 * of the buffer's size goes out directly */
		bi_out_allocated = 1;
		if (n >= BI_OUTBUF) {
			put_all(o->fd, s, n, &o->failed);
			return;
		}
	}
	if (n > BI_OUTBUF - o->n) {
		bi_out_flush(o);
		if (n >= BI_OUTBUF) {
			put_all(o->fd, s, n, &o->failed);
			return;
		}
	}
	memcpy(o->buf + o->n, s, n);
	o->n += n;
}

int bi_out_end(struct bi_ctx *c, struct bi_out *o, const char *name, int status)
{
	bi_out_flush(o);
	if (!o->failed)
		return status;
	bi_error(c, name, name, ": I/O error", NULL);
	return 1;
}

int bi_strtomax(const char *s, intmax_t *v)
{
	char *end;

	errno = 0;
	*v = strtoimax(s, &end, 10);
	if (end == s || errno)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	return *end ? -1 : 0;
}

int bi_nextopt(struct bi_opts *o)
{
	if (!o->p || !*o->p) {
		const char *w = *o->a;
		if (!w || w[0] != '-' || !w[1])
			return 0;
		o->a++;
		if (w[1] == '-' && !w[2])
			return 0;
		o->p = w + 1;
	}
	return (unsigned char)*o->p++;
}
