/* SPDX-License-Identifier: MIT */
/*
 * A script read from a file or stdin, as dash reads it: a top-level list
 * at a time, each run before the next is read. Input comes in dash's
 * 8 KiB reads, only when the parser needs more (so `cmd | sh` runs each
 * line as it comes, and commands that read the same stdin see what dash
 * leaves them); memory is bounded by the largest list, not the script.
 *
 * A list is parsed from the text buffered so far; when it reaches the end
 * of that text without its newline (syntax_stream_tell's cut), more is
 * read and the list parsed again. Trees go into an arena that is reused
 * from the mark after the last function definition: a list that defines
 * a function keeps its nodes there; a list the arena cannot hold gets a
 * new one twice as large.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "eval/eval.h"

#define INPUT_READ 8192 /* dash's IBUFSIZ - 1 */

struct input {
	int fd;
	char *buf;
	size_t start, n, cap; /* the unread text is buf[start, n) */
	int eof;
	unsigned line;
};

/* dash drops NUL bytes from its input */
static size_t drop_nuls(char *p, size_t n)
{
	char *w = memchr(p, 0, n);

	if (!w)
		return n;
	for (char *r = w; r < p + n; r++)
		if (*r)
			*w++ = *r;
	return (size_t)(w - p);
}

/* Read once more after the unread text; 0 at the end of the input. */
static int input_more(struct shell *sh, struct input *in)
{
	if (in->start) {
		memmove(in->buf, in->buf + in->start, in->n - in->start);
		in->n -= in->start;
		in->start = 0;
	}
	if (in->cap - in->n < INPUT_READ) {
		size_t cap = in->cap ? in->cap * 2 : 4 * INPUT_READ;
		char *nb = realloc(in->buf, cap + 1);
		if (!nb)
			eval_oom(sh);
		in->buf = nb;
		in->cap = cap;
	}
	for (;;) {
		ssize_t r = read(in->fd, in->buf + in->n, INPUT_READ);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) { /* dash takes a read error (EISDIR) for the end */
			in->eof = 1;
			return 0;
		}
		size_t k = drop_nuls(in->buf + in->n, (size_t)r);
		in->n += k;
		if (k)
			return 1;
	}
}

/* -v: the lines the parser read for this list, as dash echoes them */
static void input_verbose(struct shell *sh, const char *p, size_t n)
{
	if (sh->opts & OPT_VERBOSE)
		write_all(2, p, n);
}

static int new_arena(struct ush_arena *a, size_t cap)
{
	a->buf = malloc(cap);
	a->cap = a->buf ? cap : 0;
	a->used = 0;
	return a->buf != NULL;
}

/* the parser over the unread text, from the start of the next list */
struct reader {
	struct input in;
	struct ush_arena sa; /* the stream's own state */
	struct syn_stream *st;
};

static void reader_restart(struct shell *sh, struct reader *rd, struct ush_arena *a)
{
	if (rd->st)
		syntax_stream_end(rd->st);
	rd->sa.used = 0;
	rd->st = syntax_stream(&rd->sa, rd->in.buf + rd->in.start, rd->in.n - rd->in.start,
			       rd->in.line, &alias_ops);
	if (!rd->st)
		eval_oom(sh);
	syntax_stream_arena(rd->st, a);
}

/*
 * The next list, parsed into a (from its mark): 1 with *tree (NULL for an
 * empty line), 0 at the end, -1 on a syntax error (after the -v echo of
 * what was read). The stream parses on from where the last list ended; it
 * starts again from the list's start after a read or in a larger arena.
 */
static int input_list(struct shell *sh, struct reader *rd, struct ush_arena *a, struct node **tree,
		      const char **err, unsigned *errline)
{
	struct input *in = &rd->in;
	size_t mark = a->used;

	for (;;) {
		const char *reason;
		int cut, inalias, r;
		unsigned line;
		const char *rest;

		if (!rd->st)
			reader_restart(sh, rd, a);
		a->used = mark;
		r = syntax_next(rd->st, tree, err, errline, &reason);
		size_t left = syntax_stream_tell(rd->st, &line, &cut, &inalias, &rest);
		if (cut && !in->eof) {
			syntax_stream_end(rd->st);
			rd->st = NULL;
			input_more(sh, in);
			continue;
		}
		if (r < 0 && *err == SYNTAX_UNSUPPORTED && !strcmp(reason, "out of memory")) {
			/* the arena is too small for this list: a larger one, parsed again */
			size_t avail = in->n - in->start;
			size_t cap =
				mark ? 1 << 20 : a->cap * 2; /* a fresh one, or twice as large */
			if (cap < avail * 64)
				cap = avail * 64;
			if (!mark) /* else functions defined before live in the old one */
				free(a->buf);
			if (!new_arena(a, cap))
				eval_oom(sh);
			mark = 0;
			syntax_stream_end(rd->st);
			rd->st = NULL;
			continue;
		}
		if (r < 0 && *err == SYNTAX_UNSUPPORTED) {
			sh->lineno = *errline;
			shell_fail(sh, 2, "uring-sh: unsupported: ", reason ? reason : "?", NULL);
		}
		in->line = line;
		if (inalias) {
			/*
			 * An alias's value had a newline: the next list starts in
			 * it. The unread text (in the parser's own buffer) is what
			 * a parse after a read starts from.
			 */
			if (in->cap < left && !(in->buf = realloc(in->buf, (in->cap = left) + 1)))
				eval_oom(sh);
			memcpy(in->buf, rest, left);
			in->start = 0;
			in->n = left;
			return r;
		}
		size_t used = in->n - left - in->start;
		if (r < 0) {
			/* dash echoes the line it was reading when it failed */
			const char *nl = memchr(rest, '\n', left);
			input_verbose(sh, in->buf + in->start,
				      nl ? used + (size_t)(nl - rest) + 1 : in->n - in->start);
		} else {
			input_verbose(sh, in->buf + in->start, used);
		}
		in->start += used;
		return r;
	}
}

/* Run the script on fd, list by list, to its end (or until the shell exits). */
void eval_input(struct shell *sh, int fd, int exec_last)
{
	static struct reader rd;
	struct ush_arena a;
	const char *err;
	unsigned errline;
	struct node *tree;
	int r;

	rd.in = (struct input){.fd = fd, .line = 1};
	if (!new_arena(&a, 1 << 20) || !new_arena(&rd.sa, 4096))
		eval_oom(sh);
	sh->status = 0;
	for (;;) {
		size_t mark = a.used;
		char *buf = a.buf;
		if ((r = input_list(sh, &rd, &a, &tree, &err, &errline)) <= 0)
			break;
		if (!tree)
			continue;
		/* the last list of the script: its last command may be exec'd */
		if (exec_last && rd.in.eof && rd.in.start == rd.in.n)
			eval_mark_last(tree);
		ev.eof_held = syntax_stream_eof(rd.st);
		ev.parse_line = rd.in.line;
		eval_node(sh, tree);
		if (ev.skip)
			break;
		/* a list that defined functions keeps its nodes: the next starts after them */
		if (!eval_defines_function(tree))
			a.used = a.buf == buf ? mark : 0;
	}
	if (r < 0) {
		sh->lineno = errline;
		shell_fail(sh, 2, err, NULL, NULL);
	}
}
