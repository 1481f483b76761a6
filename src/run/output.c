/* SPDX-License-Identifier: MIT */
/*
 * Job output: grouped (whole, when the job ends), line-buffered (whole
 * lines as they come) or ungrouped (not captured at all). --tag puts the
 * job's command line and a TAB before every line. A grouped job's output
 * beyond SPILL_AT bytes goes to an unlinked temporary file, so a 100 MB
 * job costs no 100 MB of memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"

#define SPILL_AT (1024 * 1024)

static int stdout_error; /* the first failed write on fd 1 (errno) */

/* Write it all; a failed write on stdout is kept for out_check(), on stderr dropped. */
void out_write(int fd, const char *data, size_t len)
{
	if (fd == 1 && stdout_error)
		return; /* the rest is lost too: say it once */
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (fd == 1)
				stdout_error = n < 0 ? errno : EIO;
			return;
		}
		data += n;
		len -= (size_t)n;
	}
}

/* A job killed by SIGPIPE (--ungroup): was it our stdout's reader that went away? */
void out_check_pipe(void)
{
	struct pollfd p = {.fd = 1, .events = 0};

	if (!stdout_error && poll(&p, 1, 0) == 1 && (p.revents & POLLERR))
		stdout_error = EPIPE;
}

/* After writing: a closed stdout stops the run, other errors fail it; once. */
void out_check(struct runner *r)
{
	if (!stdout_error || r->out_failed)
		return;
	if (stdout_error == EPIPE)
		run_stop_closed(r);
	else
		run_write_error(r, "standard output", stdout_error);
}

/* What --tag puts before the job's lines. */
const char *out_tag(const struct rjob *j)
{
	return j->tag ? j->tag : j->line;
}

/* Write data to fd, the tag before every line start; ob->at_bol carries across calls. */
static void sink(struct runner *r, const char *tag, struct obuf *ob, int fd, const char *data,
		 size_t len)
{
	if (!r->o->tag) {
		out_write(fd, data, len);
		return;
	}
	while (len) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;
		if (ob->at_bol) {
			out_write(fd, tag, strlen(tag));
			out_write(fd, "\t", 1);
		}
		out_write(fd, data, n);
		ob->at_bol = nl != NULL;
		data += n;
		len -= n;
	}
}

static int spill_open(void)
{
	const char *tmp = getenv("TMPDIR");
	int fd;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	fd = open(tmp, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		char path[4096];
		snprintf(path, sizeof path, "%s/uring-run-XXXXXX", tmp);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	return fd;
}

static void buffer(struct obuf *ob, const char *data, size_t len)
{
	if (ob->len + len > SPILL_AT && ob->spill < 0)
		ob->spill = spill_open();
	if (ob->spill >= 0 && ob->len + len > SPILL_AT) {
		out_write(ob->spill, ob->data, ob->len);
		out_write(ob->spill, data, len);
		ob->len = 0;
		return;
	}
	if (ob->len + len > ob->cap) {
		size_t cap = ob->cap ? ob->cap : 4096;
		while (cap < ob->len + len)
			cap *= 2;
		char *nd = realloc(ob->data, cap);
		if (!nd)
			return; /* out of memory: this chunk is lost, the rest is not */
		ob->data = nd;
		ob->cap = cap;
	}
	memcpy(ob->data + ob->len, data, len);
	ob->len += len;
}

/* Line-buffer mode: write every complete line now, keep the rest. */
static void lines_now(struct runner *r, struct rjob *j, struct obuf *ob, int fd)
{
	char *last = ob->len ? memrchr(ob->data, '\n', ob->len) : NULL;

	if (!last)
		return;
	size_t n = (size_t)(last - ob->data) + 1;
	sink(r, out_tag(j), ob, fd, ob->data, n);
	memmove(ob->data, ob->data + n, ob->len - n);
	ob->len -= n;
}

void out_chunk(struct runner *r, struct rjob *j, int stream, const char *data, size_t len)
{
	struct obuf *ob = &j->out[stream - 1];

	if (stream == 1)
		j->received += len; /* the joblog's Receive: stdout, as GNU parallel counts */
	if (r->o->out == OUT_LINE && ob->spill < 0) {
		buffer(ob, data, len);
		if (r->status.shown)
			status_clear(&r->status);
		lines_now(r, j, ob, stream);
		return;
	}
	buffer(ob, data, len);
}

/* Write a stream's output (memory and spill file) to fd and free it. */
void out_flush(struct runner *r, const char *tag, struct obuf *ob, int fd)
{
	if (ob->spill >= 0) {
		char b[64 * 1024];
		ssize_t n;
		lseek(ob->spill, 0, SEEK_SET);
		while ((n = read(ob->spill, b, sizeof b)) > 0 || (n < 0 && errno == EINTR))
			if (n > 0)
				sink(r, tag, ob, fd, b, (size_t)n);
		close(ob->spill);
		ob->spill = -1;
	}
	sink(r, tag, ob, fd, ob->data, ob->len);
	free(ob->data);
	ob->data = NULL;
	ob->len = ob->cap = 0;
}

/* A finished job's output, stdout then stderr, then its failure message (freed). */
void out_print(struct runner *r, const char *tag, struct obuf out[2], char *msg)
{
	if (r->status.shown &&
	    (out[0].len || out[1].len || out[0].spill >= 0 || out[1].spill >= 0 || msg))
		status_clear(&r->status);
	out_flush(r, tag, &out[0], 1);
	out_flush(r, tag, &out[1], 2);
	if (msg)
		out_write(2, msg, strlen(msg));
	free(msg);
}

/* The job is over: its output now, or in its turn (--keep-order). msg: its failure, or NULL. */
void out_job_done(struct runner *r, struct rjob *j, char *msg)
{
	if (r->o->results) {
		results_write(r, j); /* into files, not printed (as parallel) */
		out_print(r, "", j->out, msg);
	} else if (r->o->keep_order && r->o->out == OUT_GROUP)
		order_done(r, j, msg);
	else
		out_print(r, out_tag(j), j->out, msg);
}
