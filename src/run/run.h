/* SPDX-License-Identifier: MIT */
/* uring-run: what its files share. */
#ifndef URING_RUN_H
#define URING_RUN_H

#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "uspawn.h"
#include "uspawn/jobserver.h"

/* user_data of the runner's own READ events (jobs use their slot number) */
#define TAG_INPUT  1
#define TAG_TOKEN  2
#define TAG_SIGNAL 3

/* Exit statuses (documented in --help and docs/uring-run.md). */
#define EXIT_JOB_FAILED 123 /* a job exited 1-125 or 128-254 */
#define EXIT_JOB_255    124 /* a job exited 255 */
#define EXIT_JOB_SIGNAL 125 /* a job was killed by a signal (--timeout too) */
#define EXIT_CANNOT_RUN 126 /* a command was found but could not run */
#define EXIT_NOT_FOUND  127 /* a command was not found */
#define EXIT_USAGE      2   /* bad options, unreadable input */
#define EXIT_WRITE      1   /* our own output (stdout, joblog, trace) could not be written */
#define EXIT_CLOSED     141 /* our stdout's reader went away (128 + SIGPIPE) */

enum out_mode { OUT_GROUP, OUT_LINE, OUT_UNGROUP };
enum halt_when { HALT_NEVER, HALT_SOON, HALT_NOW };
enum halt_what { HALT_FAIL, HALT_SUCCESS, HALT_DONE }; /* what --halt counts */
enum status_mode { STATUS_AUTO, STATUS_ON, STATUS_OFF };

/* An input source of a template: ::: values, or a :::: / -a file ("-": stdin). */
struct src_spec {
	const char *file;
	char **vals;
	unsigned n;
};

struct opts {
	unsigned jobs; /* -j; 0: not given */
	char *tmpl;    /* the command template (words joined), NULL: none */
	int tmpl_mode; /* arguments from sources, put into tmpl */
	struct src_spec *srcs;
	unsigned nsrcs;
	int nul; /* -0 */
	enum out_mode out;
	int tag;
	enum halt_when halt;
	enum halt_what halt_what;
	unsigned halt_fails; /* --halt ...=N: N jobs (when halt_pct is 0) */
	double halt_pct;     /* --halt ...=N%: N % of all jobs */
	double delay;        /* --delay: seconds between starts */
	int bar, eta;        /* --bar, --eta */
	const char *joblog;
	const char *trace;
	const char *file; /* NULL or "-": stdin */
	double timeout;   /* seconds, 0 = none */
	enum uspawn_js_style server;
	enum status_mode status;
	int dry_run;
	int via_sh; /* --shell: every line through /bin/sh -c */
	int keep_order;
	const char *results; /* --results DIR or NAME */
	int resume;          /* 1: --resume, 2: --resume-failed */
	unsigned retries;    /* --retries: runs in all, 0 without limit */
	int retries_set;
	const char *engine;
};

int opts_parse(struct opts *o, int argc, char **argv);
void opts_free(struct opts *o);

/* makeflags.c: what MAKEFLAGS says, read as make 4.3 reads it */
struct make_flags {
	int under_make; /* MAKEFLAGS is set (make exports it, empty without flags) */
	int dry_run;    /* -n, --just-print, --dry-run, --recon */
	int jobs;       /* -jN: N; -j alone: -1 (no limit); 0: not given */
	int jobserver;  /* --jobserver-auth or --jobserver-fds given */
};
void makeflags_parse(const char *value, struct make_flags *mf);

/* input.c: command lines, streamed through the ring */
struct input {
	const char *name; /* for messages: the file, or "standard input" */
	int fd;
	int nul;
	int eof;
	int pending;
	int error;               /* errno of a failed read */
	int has_nul, nul_warned; /* NUL bytes read without -0 */
	int keep_blank;          /* blank lines are lines (template arguments) */
	char *fixed;             /* the last line with its NULs replaced */
	char *buf;
	size_t start, end, cap, scan;
};
int input_open(struct input *in, const char *file, int nul);
char *input_next(struct input *in);
unsigned input_ready(struct input *in, unsigned max);
void input_arm(struct input *in, struct uspawn *u);
void input_event(struct input *in, const struct uspawn_event *ev);
void input_close(struct input *in);
long input_rest(struct input *in);
long input_slurp(struct input *in);

/* One job's template arguments (one per input source), in one allocation. */
struct jargs {
	unsigned n;
	char *v[];
};

/* tmpl.c: GNU parallel's replacement strings */
int tmpl_has_rs(const char *t);
char *tmpl_expand(const char *t, int append, const struct jargs *a, uint64_t seq, unsigned slot,
		  int quote);
char *tmpl_joined(const struct jargs *a);

/* gen.c: the template's input sources */
struct gen_src {
	char **v; /* the values */
	size_t n;
	char **own; /* read from a file: ours to free */
	size_t cap;
};
struct gen {
	int on; /* template mode */
	const char *tmpl;
	int has_rs;
	int stream;      /* one file or stdin, streamed through the runner's input */
	int stdin_taken; /* stdin is a source: jobs get /dev/null */
	struct gen_src *src;
	unsigned nsrc;
	size_t *idx;
	const char **cur;
	int done;
	uint64_t total, made;
};
int gen_open(struct gen *g, const struct opts *o, struct input *in, const char **bad);
int gen_next(struct gen *g, struct input *in, struct jargs **out);
unsigned gen_ready(struct gen *g, struct input *in, unsigned max);
int gen_left(struct gen *g, struct input *in);
long gen_rest(struct gen *g, struct input *in);
void gen_close(struct gen *g);

/* A job's captured stream: memory, spilled to an unlinked file when large. */
struct obuf {
	char *data;
	size_t len, cap;
	int spill;  /* -1 until used */
	int at_bol; /* line-buffer mode: next byte starts a line */
};

struct rjob {
	int used;
	char *line;
	struct jargs *args; /* template mode: its arguments */
	char *tag;          /* template mode with --tag: the arguments, blank-separated */
	char **argv;        /* direct spawn: the words of line */
	uint64_t seq;
	unsigned slot; /* {%}: 1.. */
	pid_t pid;
	uint64_t start_ns;
	double start_wall;
	uint64_t received;
	uint64_t deadline_ns;         /* --timeout: TERM at this time, then KILL */
	int killed;                   /* signals sent by us: 1 TERM, 2 KILL */
	int halted;                   /* stopped by --halt now */
	int timed_out;                /* stopped by --timeout */
	unsigned tries;               /* failed runs so far (--retries) */
	char *why;                    /* why it could not run (exec error), for the report */
	int how;                      /* enum how */
	void *arena;                  /* ush's memory for a direct spawn */
	const struct uspawn_fa *acts; /* the line's redirections (in arena) */
	unsigned nacts;
	struct uspawn_fa *fa; /* what the job was spawned with */
	struct obuf out[2];
};

/* how.c: how a line is run */
enum how { HOW_DIRECT, HOW_URING_SH, HOW_SH };
int how_prepare(struct rjob *j, int via_sh, struct uspawn_cmd *cmd, const struct uspawn_fa *pre,
		unsigned npre);
void how_exec_error(struct rjob *j, int err, char *msg, size_t cap, int *status);

/* output.c */
struct runner;
void out_chunk(struct runner *r, struct rjob *j, int stream, const char *data, size_t len);
void out_job_done(struct runner *r, struct rjob *j, char *msg);
void out_print(struct runner *r, const char *tag, struct obuf out[2], char *msg);
void out_flush(struct runner *r, const char *tag, struct obuf *ob, int fd);
void out_write(int fd, const char *data, size_t len);
void out_check(struct runner *r);
void out_check_pipe(void);
const char *out_tag(const struct rjob *j);

/* report.c: failures, once, on stderr */
char *report_failure(struct runner *r, const struct rjob *j, int status);
void report_stop(struct runner *r);

/* results.c: --results */
void results_write(struct runner *r, struct rjob *j);

/* order.c: --keep-order, outputs in input order */
struct held {
	int used;
	struct obuf out[2];
	char *tag; /* --tag */
	char *msg; /* its failure, to follow its output */
};
struct order {
	uint64_t next; /* the seq whose output comes next */
	uint64_t last; /* the highest seq held */
	struct held *ring;
	size_t cap; /* a power of two, > last - next */
};
void order_done(struct runner *r, struct rjob *j, char *msg);
void order_skip(struct runner *r, uint64_t seq);
void order_finish(struct runner *r);
void order_free(struct order *o);

/* joblog.c */
struct done_set { /* --resume: sequence numbers not to run again */
	uint64_t *bits;
	size_t words;
};
FILE *joblog_open(const char *path, int append);
int joblog_resume(const char *path, int only_ok, struct done_set *d);
int done_has(const struct done_set *d, uint64_t seq);
int joblog_add(FILE *f, const struct rjob *j, double runtime, int status);

/* trace.c */
struct trace {
	FILE *f;
	uint64_t t0;
	unsigned rows; /* slot rows named so far */
	int first;
	int failed; /* a write failed (said once) */
};
int trace_open(struct trace *t, const char *path, uint64_t t0);
int trace_add(struct trace *t, unsigned slot, const struct rjob *j, uint64_t end_ns, int status);
int trace_close(struct trace *t);

/* status.c */
struct status {
	int on;
	int bar, eta; /* --bar, --eta (on a terminal) */
	int shown;
	uint64_t last_ns;
	uint64_t t0;
};
void status_init(struct status *s, enum status_mode mode, int bar, int eta);
void status_show(struct runner *r, int force);
void status_clear(struct status *s);

/* sig.c: signals as READ events of a self-pipe */
int sig_open(void);
void sig_arm(struct uspawn *u, int *pending);
int sig_take(void);
void sig_cancel(struct uspawn *u);
void sig_close(void);

struct runner {
	struct opts *o;
	struct make_flags make;
	struct uspawn *u;
	struct input in;
	struct gen gen;
	struct order order;
	int results_rs; /* --results NAME holds replacement strings */
	struct done_set done_set;
	struct uspawn_js js;
	int js_on;
	struct rjob **slots; /* each job stays put: the ring writes its pid */
	unsigned nslots;
	unsigned running;
	uint64_t seq, done, failed, succeeded;
	uint64_t total;         /* all jobs, when known (--halt N%, --bar) */
	int halted_by;          /* 1 + the halt_what that stopped the run, 0 if none */
	uint64_t halted_at;     /* the count that reached --halt's N (later jobs not in it) */
	uint64_t next_start_ns; /* --delay: no job starts before */
	uint64_t terminated;    /* running jobs stopped by --halt now */
	int worst;
	int halting;
	int signal;
	int stdout_closed; /* the reader of our stdout went away: stop, exit 141 */
	int out_failed;    /* a write error on stdout or a record: stop, exit 1 */
	int sig_pending;
	int null_slot; /* registered /dev/null for the jobs' stdin, or -1 */
	FILE *joblog;
	struct trace trace;
	struct status status;
};

/* sched.c */
int sched_run(struct runner *r);
void run_stop_closed(struct runner *r);
void run_write_error(struct runner *r, const char *what, int err);
void sched_drain(struct runner *r);

#endif
