/* SPDX-License-Identifier: MIT */
/* The GNU make jobserver: MAKEFLAGS, tokens through the ring, the pool (uspawn/jobserver.h). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io/io.h"
#include "uspawn/jobserver.h"

/* ---- MAKEFLAGS ---- */

/* The next blank-separated word of *s into out, '\' escaping a character. */
static int next_word(const char **s, char *out, size_t cap)
{
	const char *p = *s;
	size_t n = 0;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return 0;
	while (*p && *p != ' ' && *p != '\t') {
		if (*p == '\\' && p[1])
			p++;
		if (n + 1 < cap)
			out[n++] = *p;
		p++;
	}
	out[n] = 0;
	*s = p;
	return 1;
}

static int parse_int(const char *s, const char *end, int *out)
{
	char *stop;
	long v;

	errno = 0;
	v = strtol(s, &stop, 10);
	if (stop == s || stop != end || errno || v < INT_MIN || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static int parse_auth_value(const char *v, struct uspawn_js_auth *a)
{
	const char *comma = strchr(v, ',');

	if (!strncmp(v, "fifo:", 5)) {
		if (!v[5] || strlen(v + 5) >= sizeof a->path)
			return -EINVAL;
		strcpy(a->path, v + 5);
		a->style = USPAWN_JS_FIFO;
		return 0;
	}
	if (!comma || parse_int(v, comma, &a->rfd) ||
	    parse_int(comma + 1, comma + strlen(comma), &a->wfd))
		return -EINVAL;
	a->style = USPAWN_JS_PIPE;
	return 0;
}

static int only_letters(const char *w)
{
	for (; *w; w++)
		if (!((*w >= 'a' && *w <= 'z') || (*w >= 'A' && *w <= 'Z')))
			return 0;
	return 1;
}

int uspawn_js_parse(const char *makeflags, struct uspawn_js_auth *auth)
{
	static const char *const keys[] = {"--jobserver-auth=", "--jobserver-fds="};
	char *word, *last = NULL;
	const char *s = makeflags ? makeflags : "";
	int r = 0;

	memset(auth, 0, sizeof *auth);
	auth->rfd = auth->wfd = -1;
	word = malloc(strlen(s) + 1);
	if (!word)
		return -ENOMEM;
	/* a first word without '-' is the single-letter flags ("ikn") */
	if (*s != ' ' && *s != '\t' && *s != '-' && next_word(&s, word, strlen(s) + 1)) {
		if (only_letters(word) && strchr(word, 'n'))
			auth->dry_run = 1;
	}
	while (next_word(&s, word, strlen(s) + 1)) {
		if (!strcmp(word, "--"))
			break; /* variable overrides follow */
		if (word[0] == '-' && word[1] == 'j' && word[2])
			parse_int(word + 2, word + strlen(word), &auth->jobs);
		for (int k = 0; k < 2; k++) {
			size_t kl = strlen(keys[k]);
			if (!strncmp(word, keys[k], kl)) {
				free(last);
				last = strdup(word + kl);
				if (!last)
					r = -ENOMEM;
			}
		}
	}
	if (last && !r)
		r = parse_auth_value(last, auth);
	if (r < 0) {
		auth->style = USPAWN_JS_NONE;
		auth->rfd = auth->wfd = -1;
		auth->path[0] = 0;
	}
	free(last);
	free(word);
	return r;
}

/* ---- client ---- */

static int is_fifo(int fd)
{
	struct stat st;

	return fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode);
}

static int open_mode_ok(int fd, int want_write)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return 0;
	fl &= O_ACCMODE;
	return fl == O_RDWR || fl == (want_write ? O_WRONLY : O_RDONLY);
}

static void js_init(struct uspawn_js *js, uint64_t tag)
{
	memset(js, 0, sizeof *js);
	js->rfd = js->wfd = -1;
	js->tag = tag;
}

int uspawn_js_client(struct uspawn_js *js, const char *makeflags, uint64_t tag)
{
	struct uspawn_js_auth a;

	js_init(js, tag);
	if (uspawn_js_parse(makeflags, &a) < 0)
		return USPAWN_JS_UNAVAILABLE;
	if (a.style == USPAWN_JS_NONE)
		return USPAWN_JS_ABSENT;
	if (a.style == USPAWN_JS_PIPE) {
		/* make closes them for commands it does not know are recursive */
		if (a.rfd < 0 || a.wfd < 0 || !is_fifo(a.rfd) || !is_fifo(a.wfd) ||
		    !open_mode_ok(a.rfd, 0) || !open_mode_ok(a.wfd, 1))
			return USPAWN_JS_UNAVAILABLE;
		js->rfd = a.rfd;
		js->wfd = a.wfd;
	} else {
		/* O_RDWR: the open never waits for a writer, reads never see EOF */
		int fd = open(a.path, O_RDWR | O_CLOEXEC);
		if (fd < 0)
			return USPAWN_JS_UNAVAILABLE;
		if (!is_fifo(fd)) {
			close(fd);
			return USPAWN_JS_UNAVAILABLE;
		}
		js->rfd = js->wfd = fd;
		js->own_fds = 1;
	}
	js->style = a.style;
	return USPAWN_JS_OK;
}

/* A POLL_ADD reported as a READ event: res is the poll mask. Cancelled like a read. */
static int arm_poll(struct uspawn *u, int fd, uint64_t user_data)
{
	int r = ring_ready(u);

	if (r < 0 || (r = read_arm_poll(u, fd, user_data)) < 0)
		return r;
	ring_submit(u);
	return 0;
}

static int arm(struct uspawn_js *js, struct uspawn *u)
{
	int r = js->poll_mode ? arm_poll(u, js->rfd, js->tag)
			      : uspawn_read(u, js->rfd, js->buf, js->want, js->tag);

	if (r == 0)
		js->pending = 1;
	return r;
}

int uspawn_js_request(struct uspawn_js *js, struct uspawn *u, unsigned want)
{
	if (js->pending || !want || js->broken || js->rfd < 0)
		return 0;
	js->want = want < sizeof js->buf ? want : sizeof js->buf;
	return arm(js, u);
}

static int take(struct uspawn_js *js, const unsigned char *b, unsigned n)
{
	if (js->held + n > js->cap) {
		unsigned cap = js->cap ? js->cap * 2 : 64;
		while (cap < js->held + n)
			cap *= 2;
		unsigned char *nb = realloc(js->bytes, cap);
		if (!nb) {
			/* cannot keep them: give them straight back */
			for (unsigned i = 0; i < n; i++)
				while (write(js->wfd, &b[i], 1) < 0 && errno == EINTR)
					;
			return 0;
		}
		js->bytes = nb;
		js->cap = cap;
	}
	memcpy(js->bytes + js->held, b, n);
	js->held += n;
	return (int)n;
}

static int broken(struct uspawn_js *js)
{
	js->broken = 1;
	return -EPIPE;
}

static int poll_done(struct uspawn_js *js, struct uspawn *u, long res)
{
	if (res == -ECANCELED)
		return 0;
	if (res < 0 && res != -EINTR)
		return broken(js);
	ssize_t n = read(js->rfd, js->buf, js->want);
	if (n > 0)
		return take(js, js->buf, (unsigned)n);
	if (n == 0)
		return broken(js);
	if (errno != EAGAIN && errno != EINTR)
		return broken(js);
	/* another client was quicker: wait again */
	arm(js, u);
	return 0;
}

int uspawn_js_event(struct uspawn_js *js, struct uspawn *u, const struct uspawn_event *ev)
{
	long res = ev->res;

	js->pending = 0;
	if (js->poll_mode)
		return poll_done(js, u, res);
	if (res > 0)
		return take(js, js->buf, (unsigned)res);
	if (res == 0)
		return broken(js);
	if (res == -ECANCELED)
		return 0;
	if (res == -EAGAIN) {
		/* make left the pipe O_NONBLOCK: wait for it through the ring */
		js->poll_mode = 1;
		arm(js, u);
		return 0;
	}
	if (res == -EINTR) {
		arm(js, u);
		return 0;
	}
	return broken(js);
}

void uspawn_js_cancel(struct uspawn_js *js, struct uspawn *u)
{
	if (js->pending)
		uspawn_cancel_reads(u, js->rfd);
}

static int write_token(int fd, unsigned char b)
{
	for (;;) {
		ssize_t n = write(fd, &b, 1);
		if (n == 1)
			return 0;
		if (n < 0 && errno == EAGAIN) {
			struct pollfd p = {.fd = fd, .events = POLLOUT};
			poll(&p, 1, 100);
			continue;
		}
		if (n < 0 && errno != EINTR)
			return -errno;
	}
}

int uspawn_js_release(struct uspawn_js *js)
{
	if (!js->held)
		return -ENOENT;
	js->held--;
	return write_token(js->wfd, js->bytes[js->held]);
}

/* ---- server ---- */

static int put_tokens(int fd, unsigned n)
{
	char b[512];

	memset(b, '+', sizeof b);
	while (n) {
		ssize_t w = write(fd, b, n < sizeof b ? n : sizeof b);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? -errno : -EIO;
		n -= (unsigned)w;
	}
	return 0;
}

static int make_fifo(struct uspawn_js *js)
{
	const char *tmp = getenv("TMPDIR");
	char *dir, *path;

	if (!tmp || !*tmp)
		tmp = "/tmp";
	if (asprintf(&dir, "%s/uspawn-js-XXXXXX", tmp) < 0)
		return -ENOMEM;
	if (!mkdtemp(dir)) {
		int err = -errno;
		free(dir);
		return err;
	}
	js->fifo_dir = dir;
	if (asprintf(&path, "%s/fifo", dir) < 0)
		return -ENOMEM;
	js->fifo_path = path;
	if (mkfifo(path, 0600) < 0)
		return -errno;
	int fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	js->rfd = js->wfd = fd;
	return 0;
}

static void remove_fifo(struct uspawn_js *js)
{
	if (js->fifo_path)
		unlink(js->fifo_path);
	if (js->fifo_dir)
		rmdir(js->fifo_dir);
	free(js->fifo_path);
	free(js->fifo_dir);
	js->fifo_path = js->fifo_dir = NULL;
}

static void close_fds(struct uspawn_js *js)
{
	if (js->own_fds) {
		if (js->rfd >= 0)
			close(js->rfd);
		if (js->wfd >= 0 && js->wfd != js->rfd)
			close(js->wfd);
	}
	js->rfd = js->wfd = -1;
}

int uspawn_js_server(struct uspawn_js *js, unsigned jobs, enum uspawn_js_style style, uint64_t tag)
{
	int r;

	js_init(js, tag);
	js->server = js->own_fds = 1;
	js->style = style;
	if (!jobs)
		jobs = 1;
	if (style == USPAWN_JS_FIFO) {
		r = make_fifo(js);
	} else {
		int p[2];
		/* inheritable: every child may be a recursive make */
		r = pipe(p) < 0 ? -errno : 0;
		if (!r) {
			js->rfd = p[0];
			js->wfd = p[1];
		}
	}
	if (!r)
		r = put_tokens(js->wfd, jobs - 1);
	if (!r) {
		js->pool = jobs - 1;
		r = style == USPAWN_JS_FIFO
			    ? asprintf(&js->makeflags, "-j%u --jobserver-auth=fifo:%s", jobs,
				       js->fifo_path)
			    : asprintf(&js->makeflags, "-j%u --jobserver-auth=%d,%d", jobs, js->rfd,
				       js->wfd);
		r = r < 0 ? -ENOMEM : 0;
	}
	if (r) {
		close_fds(js);
		remove_fifo(js);
		js->makeflags = NULL;
	}
	return r;
}

const char *uspawn_js_makeflags(const struct uspawn_js *js)
{
	return js->server ? js->makeflags : NULL;
}

/* Server at exit: take the whole pool back, count it. */
static unsigned drain_pool(struct uspawn_js *js)
{
	unsigned char b[512];
	unsigned n = 0;
	int fl = fcntl(js->rfd, F_GETFL);

	fcntl(js->rfd, F_SETFL, fl | O_NONBLOCK);
	for (;;) {
		ssize_t r = read(js->rfd, b, sizeof b);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (unsigned)r;
	}
	return n;
}

int uspawn_js_close(struct uspawn_js *js)
{
	int missing = 0;

	while (js->held && js->wfd >= 0)
		if (uspawn_js_release(js) < 0)
			break;
	if (js->server && js->rfd >= 0)
		missing = (int)js->pool - (int)drain_pool(js);
	close_fds(js);
	remove_fifo(js);
	free(js->bytes);
	free(js->makeflags);
	js->bytes = NULL;
	js->makeflags = NULL;
	js->held = js->cap = 0;
	return missing;
}
