/* SPDX-License-Identifier: MIT */
/*
 * --trace: Chrome trace JSON ("traceEvents"), one complete event ("X") per
 * job on the row (tid) of the slot it ran in. Perfetto and chrome://tracing
 * open it. Written as jobs end, so memory stays flat.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/wait.h>

#include "run.h"

int trace_open(struct trace *t, const char *path, uint64_t t0)
{
	t->f = fopen(path, "we");
	t->t0 = t0;
	t->rows = 0;
	t->first = 1;
	if (!t->f)
		return -1;
	fputs("{\"displayTimeUnit\":\"ms\",\"traceEvents\":[\n", t->f);
	fprintf(t->f, "{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":"
		      "\"uring-run\"}}");
	t->first = 0;
	return 0;
}

static void json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

/* Returns 0, or the errno of a failed write (the first one only). */
int trace_add(struct trace *t, unsigned slot, const struct rjob *j, uint64_t end_ns, int status)
{
	if (!t->f || t->failed)
		return 0;
	while (t->rows <= slot) {
		fprintf(t->f,
			",\n{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%u,"
			"\"args\":{\"name\":\"slot %u\"}}",
			t->rows + 1, t->rows + 1);
		t->rows++;
	}
	fputs(",\n{\"name\":", t->f);
	json_string(t->f, j->line);
	fprintf(t->f,
		",\"cat\":\"job\",\"ph\":\"X\",\"pid\":1,\"tid\":%u,\"ts\":%.3f,\"dur\":%.3f,"
		"\"args\":{\"seq\":%llu,\"pid\":%d,\"exit\":%d,\"signal\":%d}}",
		slot + 1, (double)(j->start_ns - t->t0) / 1e3, (double)(end_ns - j->start_ns) / 1e3,
		(unsigned long long)j->seq, (int)j->pid,
		WIFEXITED(status) ? WEXITSTATUS(status) : -1,
		WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	if (ferror(t->f)) {
		t->failed = 1;
		return errno ? errno : EIO;
	}
	return 0;
}

/* Returns 0, or the errno of a failed write not yet returned by trace_add(). */
int trace_close(struct trace *t)
{
	int err = 0;

	if (!t->f)
		return 0;
	fputs("\n]}\n", t->f);
	if ((fflush(t->f) == EOF || ferror(t->f)) && !t->failed)
		err = errno ? errno : EIO;
	fclose(t->f);
	t->f = NULL;
	return err;
}
