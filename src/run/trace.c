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

/* Length of the valid UTF-8 sequence at s (RFC 3629: no overlongs, no surrogates), or 0. */
static int utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;
	int n;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef)
		n = 3, lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
	else if (c >= 0xf0 && c <= 0xf4)
		n = 4, lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
	else
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	for (int i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * A JSON string that is valid UTF-8 whatever the command's bytes: valid
 * UTF-8 is kept, any other byte is read as Latin-1 (\u00XX).
 */
static void json_string(FILE *f, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;

	fputc('"', f);
	while (*s) {
		int n;
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s++);
		else if (*s < 0x20 || *s == 0x7f)
			fprintf(f, "\\u%04x", *s++);
		else if (*s < 0x80)
			fputc(*s++, f);
		else if ((n = utf8_len(s)) > 0)
			fwrite(s, 1, (size_t)n, f), s += n;
		else
			fprintf(f, "\\u%04x", *s++);
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
