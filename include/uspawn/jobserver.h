/* SPDX-License-Identifier: MIT */
/*
 * The GNU make jobserver, both sides, with tokens taken through the ring.
 *
 * A jobserver is a pool of one-byte tokens in a pipe (make <= 4.3:
 * "--jobserver-auth=R,W", inherited fds) or a named fifo (make 4.4 and
 * ninja >= 1.13: "--jobserver-auth=fifo:PATH"). Every client owns one
 * implicit token: it may always run one job. Each further job needs a
 * byte read from the pool, and that same byte goes back when the job ends.
 *
 * Client: uspawn_js_client() reads MAKEFLAGS; uspawn_js_request() puts a
 * read for tokens on the ring (cancellable, so there is no pselect race);
 * hand every USPAWN_EV_READ event whose user_data is the tag you chose to
 * uspawn_js_event(). uspawn_js_release() gives one token back.
 * Server: uspawn_js_server() creates a pool of jobs - 1 tokens, is a client
 * of it, and gives the MAKEFLAGS value children must see.
 * uspawn_js_close() returns every held token; a server also checks that
 * the whole pool came back.
 */
#ifndef USPAWN_JOBSERVER_H
#define USPAWN_JOBSERVER_H

#include <stdint.h>

#include <uspawn.h>

#ifdef __cplusplus
extern "C" {
#endif
#ifdef __GNUC__
#pragma GCC visibility push(default)
#endif

enum uspawn_js_style {
	USPAWN_JS_NONE = 0,
	USPAWN_JS_PIPE, /* R,W: inherited pipe fds */
	USPAWN_JS_FIFO, /* fifo:PATH */
};

#define USPAWN_JS_PATH_MAX 4096

/* What MAKEFLAGS says. */
struct uspawn_js_auth {
	enum uspawn_js_style style;
	int rfd, wfd;                  /* PIPE (negative: make disabled it) */
	char path[USPAWN_JS_PATH_MAX]; /* FIFO */
	int dry_run;                   /* 'n' in the first word */
	int jobs;                      /* the last -jN, 0 if none */
};

/*
 * Parse a MAKEFLAGS value as make does: options end at " -- ", words may
 * escape blanks with '\', the last --jobserver-auth= (or the older
 * --jobserver-fds=) wins. Returns 0, or -EINVAL when that last value is
 * malformed (auth->style is then NONE). makeflags may be NULL.
 */
int uspawn_js_parse(const char *makeflags, struct uspawn_js_auth *auth);

struct uspawn_js {
	enum uspawn_js_style style;
	int rfd, wfd;         /* -1 when closed */
	int own_fds;          /* we opened rfd/wfd (fifo, server) */
	int server;           /* we created the pool */
	unsigned pool;        /* server: tokens put into it */
	int broken;           /* the pool went away (EOF, error) */
	int poll_mode;        /* the fd is O_NONBLOCK: POLL_ADD on the ring, then read(2) */
	int pending;          /* a read or poll is on the ring */
	unsigned want;        /* tokens the pending request asked for */
	unsigned held;        /* tokens taken and not yet given back */
	unsigned char *bytes; /* the bytes of the held tokens, as read */
	unsigned cap;
	unsigned char buf[64]; /* target of the pending read */
	uint64_t tag;          /* user_data of our ring reads */
	char *fifo_path;       /* server, fifo style: removed at close */
	char *fifo_dir;
	char *makeflags; /* server: the MAKEFLAGS value children get */
};

/* uspawn_js_client() results */
#define USPAWN_JS_ABSENT      0  /* MAKEFLAGS names no jobserver */
#define USPAWN_JS_OK          1  /* a client now */
#define USPAWN_JS_UNAVAILABLE -1 /* named, but closed or invalid: run one job at a time */

/* Become a client of the jobserver makeflags names. tag: user_data of our reads. */
int uspawn_js_client(struct uspawn_js *js, const char *makeflags, uint64_t tag);

/* Create a pool of jobs - 1 tokens. Returns 0 or -errno. */
int uspawn_js_server(struct uspawn_js *js, unsigned jobs, enum uspawn_js_style style, uint64_t tag);

/* The value of MAKEFLAGS for children (server only, else NULL). */
const char *uspawn_js_makeflags(const struct uspawn_js *js);

/* Ask the ring for up to want more tokens (no-op while a request is pending). */
int uspawn_js_request(struct uspawn_js *js, struct uspawn *u, unsigned want);

/*
 * A USPAWN_EV_READ event with our tag. Returns the number of tokens it
 * brought (now held), 0 if none (the request may have been re-armed), or
 * -EPIPE once the pool is gone.
 */
int uspawn_js_event(struct uspawn_js *js, struct uspawn *u, const struct uspawn_event *ev);

/* Cancel the pending request; its event still comes (and may bring tokens). */
void uspawn_js_cancel(struct uspawn_js *js, struct uspawn *u);

/* Give one held token back. Returns 0, or -errno if none is held or the write failed. */
int uspawn_js_release(struct uspawn_js *js);

/*
 * Give every held token back and close. No request may be pending (cancel
 * it and take its event first). A server counts its pool: returns how many
 * tokens are missing (negative: too many), else 0.
 */
int uspawn_js_close(struct uspawn_js *js);

#ifdef __GNUC__
#pragma GCC visibility pop
#endif
#ifdef __cplusplus
}
#endif

#endif
