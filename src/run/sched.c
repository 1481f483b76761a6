/* SPDX-License-Identifier: MIT */
/*
 * The loop: whenever slots are free, the ready lines go out as one batch
 * (one uspawn_submit); then every event (exits, output, input, tokens,
 * signals) comes from the one ring.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

#define BATCH         64
#define KILL_GRACE_NS 1000000000ull

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* How many jobs may run now. */
static unsigned limit(const struct runner *r)
{
	if (!r->js_on)
		return r->o->jobs;
	unsigned n = 1 + r->js.held; /* the implicit token and the ones we hold */
	return r->o->jobs && r->o->jobs < n ? r->o->jobs : n;
}

static int free_slot(struct runner *r)
{
	unsigned old = r->nslots;

	for (unsigned i = 0; i < r->nslots; i++)
		if (!r->slots[i]->used)
			return (int)i;
	/* jobs stay where they are: the ring writes their pid (pid_out) */
	unsigned n = old ? old * 2 : 8;
	struct rjob **s = realloc(r->slots, n * sizeof *s);
	if (!s)
		return -1;
	r->slots = s;
	for (; r->nslots < n; r->nslots++)
		if (!(s[r->nslots] = calloc(1, sizeof **s)))
			return r->nslots > old ? (int)old : -1;
	return (int)old;
}

static void job_clear(struct rjob *j)
{
	free(j->line);
	free(j->args);
	free(j->tag);
	free(j->argv);
	free(j->arena);
	free(j->fa);
	free(j->why);
	free(j->out[0].data);
	free(j->out[1].data);
	memset(j, 0, sizeof *j);
}

/* The cmd that runs slot i's line (through /bin/sh if via_sh). */
static int job_cmd(struct runner *r, unsigned i, int via_sh, struct uspawn_cmd *cmd)
{
	struct rjob *j = r->slots[i];
	struct uspawn_fa null_in = {.op = USPAWN_FA_INSTALL, .fd = 0, .src = r->null_slot};
	int err;

	uspawn_cmd_init(cmd);
	if ((err = how_prepare(j, via_sh, cmd, &null_in, r->null_slot >= 0)) < 0)
		return err;
	cmd->user_data = i;
	cmd->pid_out = &j->pid;
	cmd->flags |= USPAWN_SETPGROUP | USPAWN_SIGMASK | USPAWN_SIGDEFAULT;
	/* we ignore SIGPIPE; the job must not inherit that */
	sigaddset(&cmd->sigdefault, SIGPIPE);
	if (r->o->out != OUT_UNGROUP)
		cmd->flags |= USPAWN_CAPTURE_STDOUT | USPAWN_CAPTURE_STDERR;
	return 0;
}

/* Template mode: the command for args, and the tag --tag puts before its lines. */
static int job_expand(struct runner *r, struct rjob *j, unsigned slot)
{
	j->line = tmpl_expand(r->gen.tmpl, !r->gen.has_rs, j->args, j->seq, slot, 1);
	if (r->o->tag && r->gen.tmpl && !(j->tag = tmpl_joined(j->args)))
		return -ENOMEM;
	return j->line ? 0 : -ENOMEM;
}

/* Describe the job in slot i for the batch (line, or args in template mode); 0 or -errno. */
static int job_prepare(struct runner *r, unsigned i, const char *line, struct jargs *args,
		       struct uspawn_cmd *cmd)
{
	struct rjob *j = r->slots[i];
	int err;

	memset(j, 0, sizeof *j);
	j->used = 1;
	j->out[0].spill = j->out[1].spill = -1;
	j->out[0].at_bol = j->out[1].at_bol = 1;
	j->seq = ++r->seq;
	j->slot = i + 1;
	j->args = args;
	if (args ? job_expand(r, j, i + 1) < 0 : !(j->line = strdup(line)))
		return -ENOMEM;
	if ((err = job_cmd(r, i, r->o->via_sh, cmd)) < 0)
		return err;
	j->start_ns = mono_ns();
	j->start_wall = wall_now();
	if (r->o->timeout > 0)
		j->deadline_ns = j->start_ns + (uint64_t)(r->o->timeout * 1e9);
	return 0;
}

static void print_dry(struct runner *r, const char *line, struct jargs *args)
{
	char *cmd = NULL;

	r->seq++;
	if (args) /* {%}: no slot is taken; say 1 */
		line = cmd = tmpl_expand(r->gen.tmpl, !r->gen.has_rs, args, r->seq, 1, 1);
	if (line) {
		out_write(1, line, strlen(line));
		out_write(1, "\n", 1);
	}
	out_check(r);
	free(cmd);
	free(args);
	r->done++;
}

/* The next job: its line (valid until the next call), or its arguments in template mode. */
static int next_job(struct runner *r, char **line, struct jargs **args)
{
	if (r->gen.on)
		return gen_next(&r->gen, &r->in, args) > 0;
	return (*line = input_next(&r->in)) != NULL;
}

/* Whether jobs are still to come (ready or not). */
static int jobs_left(struct runner *r)
{
	return r->gen.on ? gen_left(&r->gen, &r->in) : !r->in.eof || input_ready(&r->in, 1);
}

static void submit(struct runner *r, struct uspawn_cmd *cmds, unsigned n)
{
	if (!n)
		return;
	if (uspawn_submit(r->u, cmds, n) < 0) {
		/* cannot happen with what job_prepare builds; do not hang on it */
		for (unsigned i = 0; i < n; i++)
			job_clear(r->slots[cmds[i].user_data]);
		r->worst = EXIT_CANNOT_RUN;
		r->halting = 1;
		return;
	}
	r->running += n;
}

/* --delay: one start per batch, and not before the previous start + delay. */
static int delay_waits(struct runner *r, unsigned batched)
{
	return batched || mono_ns() < r->next_start_ns;
}

/* The next start is timed from this one's start time (the joblog's Starttime), not from
 * before the job was prepared: a slow preparation must not bring the starts closer. */
static void delay_started(struct runner *r, uint64_t started_ns)
{
	r->next_start_ns = started_ns + (uint64_t)(r->o->delay * 1e9);
}

/* Spawn every ready line a slot is free for, as batches. */
static void spawn_ready(struct runner *r)
{
	struct uspawn_cmd cmds[BATCH];
	unsigned n = 0;

	while (!r->halting && !r->signal && r->running + n < limit(r)) {
		if (r->o->delay > 0 && delay_waits(r, n))
			break;
		char *line = NULL;
		struct jargs *args = NULL;
		if (!next_job(r, &line, &args))
			break;
		if (r->o->resume && done_has(&r->done_set, r->seq + 1)) {
			r->seq++; /* --resume: done in an earlier run */
			r->done++;
			order_skip(r, r->seq);
			free(args);
			continue;
		}
		if (r->o->dry_run) {
			if (r->o->delay > 0)
				delay_started(r, mono_ns());
			print_dry(r, line, args);
			continue;
		}
		int i = free_slot(r);
		if (i < 0 || job_prepare(r, (unsigned)i, line, args, &cmds[n]) < 0) {
			if (i >= 0)
				job_clear(r->slots[i]);
			else
				free(args);
			r->halting = 1;
			r->worst = EXIT_CANNOT_RUN;
			break;
		}
		if (r->o->delay > 0)
			delay_started(r, r->slots[i]->start_ns);
		if (++n == BATCH) {
			submit(r, cmds, n);
			n = 0;
		}
	}
	submit(r, cmds, n);
}

/* Hold exactly the tokens the running jobs need; ask for more when lines wait. */
static void balance_tokens(struct runner *r)
{
	if (!r->js_on)
		return;
	unsigned need = r->running ? r->running - 1 : 0;
	while (r->js.held > need)
		uspawn_js_release(&r->js);
	if (r->halting || r->signal || r->o->dry_run)
		return;
	unsigned cap = r->o->jobs ? r->o->jobs : 64;
	if (r->running < limit(r) || r->running >= cap)
		return;
	unsigned waiting = r->gen.on ? gen_ready(&r->gen, &r->in, cap - r->running)
				     : input_ready(&r->in, cap - r->running);
	uspawn_js_request(&r->js, r->u, waiting);
}

static int exit_code(int status)
{
	if (WIFSIGNALED(status))
		return EXIT_JOB_SIGNAL;
	int s = WEXITSTATUS(status);
	if (s == 0)
		return 0;
	if (s == 255)
		return EXIT_JOB_255;
	if (s == 126)
		return EXIT_CANNOT_RUN;
	if (s == 127)
		return EXIT_NOT_FOUND;
	return EXIT_JOB_FAILED;
}

static void kill_all(struct runner *r, int sig)
{
	for (unsigned i = 0; i < r->nslots; i++)
		if (r->slots[i]->used && r->slots[i]->pid > 0)
			kill(-r->slots[i]->pid, sig);
}

/* SIGTERM to every running job, SIGKILL a grace period later; returns how many. */
static uint64_t stop_running(struct runner *r)
{
	uint64_t now = mono_ns(), n = 0;

	kill_all(r, SIGTERM);
	for (unsigned i = 0; i < r->nslots; i++) {
		struct rjob *j = r->slots[i];
		if (!j->used || j->halted)
			continue;
		n++;
		j->killed = 1;
		j->halted = 1;
		j->deadline_ns = now + KILL_GRACE_NS;
	}
	return n;
}

/*
 * --halt, after each job, as parallel counts: failures when one failed,
 * successes when one succeeded, both for done; against N, or N% of all.
 */
static void halt_check(struct runner *r, int code)
{
	const struct opts *o = r->o;
	uint64_t n;

	if (code)
		r->failed++;
	else
		r->succeeded++;
	if (o->halt == HALT_NEVER || r->halting)
		return;
	if (o->halt_what == HALT_DONE)
		n = r->failed + r->succeeded;
	else if ((o->halt_what == HALT_FAIL) == !!code)
		n = code ? r->failed : r->succeeded;
	else
		return;
	if (o->halt_pct ? (double)n < (double)r->total * o->halt_pct / 100 : n < o->halt_fails)
		return;
	r->halting = 1;
	r->halted_by = 1 + (int)o->halt_what;
	r->halted_at = n;
	if (o->halt == HALT_NOW)
		r->terminated += stop_running(r);
}

/* Nobody reads our stdout any more (| head): stop everything, as a SIGPIPE would. */
void run_stop_closed(struct runner *r)
{
	r->stdout_closed = 1;
	r->out_failed = 1;
	r->halting = 1;
	stop_running(r);
}

/* Our own output cannot be written: say so once, start no new job. */
void run_write_error(struct runner *r, const char *what, int err)
{
	if (r->out_failed)
		return;
	r->out_failed = 1;
	r->halting = 1;
	status_clear(&r->status);
	fprintf(stderr, "uring-run: %s: %s\n", what, strerror(err));
}

#ifdef HAVE_USH
static int respawn_sh(struct runner *r, unsigned i)
{
	struct rjob *j = r->slots[i];
	struct uspawn_cmd cmd;

	free(j->argv);
	free(j->fa);
	j->argv = NULL;
	j->fa = NULL;
	if (job_cmd(r, i, 1, &cmd) < 0)
		return -1;
	return uspawn_submit(r->u, &cmd, 1) == 1 ? 0 : -1;
}
#endif

/* The job's wait status, exec errors turned into what sh would have said and exited with. */
static int job_status(struct runner *r, struct rjob *j, const struct uspawn_event *ev)
{
	char msg[512];
	int code;

	if (!ev->error)
		return ev->status;
	if (j->how != HOW_DIRECT && ev->stage == USPAWN_STAGE_EXEC) {
		/* the shell itself could not start: dash's words for it, the job named */
		const char *sh = j->argv && j->argv[0] ? j->argv[0] : "/bin/sh";
		if (asprintf(&j->why, "%s: %s", sh, strerror(ev->error)) < 0)
			j->why = NULL;
		return W_EXITCODE(ev->error == ENOENT ? 127 : 126, 0);
	}
	if (j->how == HOW_DIRECT && ev->stage == USPAWN_STAGE_EXEC) {
		how_exec_error(j, ev->error, msg, sizeof msg, &code);
		if (r->o->out == OUT_UNGROUP)
			out_write(2, msg, strlen(msg));
		else
			out_chunk(r, j, 2, msg, strlen(msg));
		return W_EXITCODE(code, 0);
	}
	if (!ev->pid) {
		/* no process at all (fork failed): say so, it is not the command's doing */
		int n = snprintf(msg, sizeof msg, "uring-run: cannot run '%s': %s\n", j->line,
				 strerror(ev->error));
		out_chunk(r, j, 2, msg, (size_t)n);
		return W_EXITCODE(126, 0);
	}
	return ev->status;
}

/* Start the job in slot i again from scratch (--retries): same seq, slot and line. */
static int retry(struct runner *r, unsigned i)
{
	struct rjob *j = r->slots[i];
	struct uspawn_cmd cmd;

	for (int k = 0; k < 2; k++) {
		free(j->out[k].data);
		if (j->out[k].spill >= 0)
			close(j->out[k].spill);
		j->out[k] = (struct obuf){.spill = -1, .at_bol = 1};
	}
	free(j->argv);
	free(j->fa);
	free(j->arena);
	free(j->why);
	j->argv = NULL, j->fa = NULL, j->arena = NULL, j->why = NULL;
	j->acts = NULL, j->nacts = 0;
	j->pid = 0, j->received = 0, j->killed = 0, j->timed_out = 0;
	j->start_ns = mono_ns();
	j->start_wall = wall_now();
	if (r->o->timeout > 0)
		j->deadline_ns = j->start_ns + (uint64_t)(r->o->timeout * 1e9);
	if (job_cmd(r, i, r->o->via_sh, &cmd) < 0)
		return -1;
	return uspawn_submit(r->u, &cmd, 1) == 1 ? 0 : -1;
}

/* --retries N: a failed job runs again until it has run N times (0: no limit), as parallel. */
static int should_retry(struct runner *r, struct rjob *j, int code)
{
	if (!code || !r->o->retries_set || j->halted || r->halting || r->signal)
		return 0;
	j->tries++;
	return !r->o->retries || j->tries < r->o->retries;
}

static void job_exit(struct runner *r, const struct uspawn_event *ev)
{
	unsigned i = (unsigned)ev->user_data;
	struct rjob *j = r->slots[i];
	int status, err;

	j->pid = ev->pid;
#ifdef HAVE_USH
	/* a direct spawn that did not start: sh redoes it, with dash's own words and status
	   (not for a line too long for exec: sh -c LINE would be longer still) */
	if (ev->error && j->how == HOW_DIRECT && ev->stage >= USPAWN_STAGE_CWD &&
	    ev->stage <= USPAWN_STAGE_EXEC && ev->error != E2BIG && respawn_sh(r, i) == 0)
		return;
#endif
	status = job_status(r, j, ev);
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGPIPE) {
		out_check_pipe(); /* --ungroup: the job wrote to our stdout's closed pipe */
		out_check(r);
	}
	/* jobs we stopped (--halt now, a closed stdout) are not failures of their own */
	int code = j->halted ? 0 : exit_code(status);
	if (should_retry(r, j, code) && retry(r, i) == 0)
		return;
	char *msg = code && !r->signal && !r->stdout_closed ? report_failure(r, j, status) : NULL;
	out_job_done(r, j, msg);
	out_check(r);
	r->running--;
	r->done++;
	if (code > r->worst)
		r->worst = code;
	/* jobs we stopped did not finish: not logged (--resume runs them again), as parallel */
	if (r->joblog && !j->halted &&
	    (err = joblog_add(r->joblog, j, (double)(ev->end_ns - ev->start_ns) / 1e9, status)))
		run_write_error(r, r->o->joblog, err);
	if ((err = trace_add(&r->trace, i, j, ev->end_ns, status)))
		run_write_error(r, r->o->trace, err);
	job_clear(j);
	halt_check(r, code);
}

static void on_signal(struct runner *r, int sig)
{
	if (r->signal) {
		kill_all(r, SIGKILL); /* asked twice */
		return;
	}
	r->signal = sig;
	r->halting = 1;
	kill_all(r, sig);
}

static void on_event(struct runner *r, const struct uspawn_event *ev)
{
	switch (ev->type) {
	case USPAWN_EV_EXIT:
		job_exit(r, ev);
		break;
	case USPAWN_EV_OUTPUT:
		out_chunk(r, r->slots[ev->user_data], ev->stream, ev->data, ev->len);
		out_check(r);
		break;
	case USPAWN_EV_READ:
		if (ev->user_data == TAG_INPUT) {
			input_event(&r->in, ev);
		} else if (ev->user_data == TAG_TOKEN) {
			if (uspawn_js_event(&r->js, r->u, ev) == -EPIPE && !r->js.held)
				fprintf(stderr, "uring-run: warning: the jobserver went away: "
						"running one job at a time\n");
		} else if (ev->user_data == TAG_SIGNAL) {
			r->sig_pending = 0;
			if (ev->res == 1)
				on_signal(r, sig_take());
		}
		break;
	}
}

/* --timeout and halt now: TERM at the deadline, KILL a grace period later. */
static int timeouts(struct runner *r)
{
	uint64_t now = mono_ns(), next = UINT64_MAX;

	for (unsigned i = 0; i < r->nslots; i++) {
		struct rjob *j = r->slots[i];
		if (!j->used || !j->deadline_ns || j->killed >= 2 || j->pid <= 0)
			continue;
		if (now >= j->deadline_ns) {
			if (!j->killed && !j->halted)
				j->timed_out = 1;
			kill(-j->pid, j->killed ? SIGKILL : SIGTERM);
			j->killed++;
			j->deadline_ns = now + KILL_GRACE_NS;
		}
		if (j->killed < 2 && j->deadline_ns < next)
			next = j->deadline_ns;
	}
	if (r->status.on && next > now + 100000000u)
		next = now + 100000000u;
	/* --delay: wake up for the next start when a slot waits for it */
	if (r->o->delay > 0 && !r->halting && r->running < limit(r) && jobs_left(r) &&
	    r->next_start_ns < next)
		next = r->next_start_ns > now ? r->next_start_ns : now;
	if (next == UINT64_MAX)
		return -1;
	return next <= now ? 0 : (int)((next - now + 999999) / 1000000);
}

int sched_run(struct runner *r)
{
	struct uspawn_event ev[64];

	for (;;) {
		spawn_ready(r);
		balance_tokens(r);
		status_show(r, 0);
		if (!r->halting && !r->signal)
			input_arm(&r->in, r->u);
		sig_arm(r->u, &r->sig_pending);
		if (!r->running && (r->halting || r->signal || !jobs_left(r)))
			break;
		int n = uspawn_wait(r->u, ev, 64, timeouts(r));
		if (n < 0 && n != -EINTR) {
			fprintf(stderr, "uring-run: waiting on the ring: %s\n", strerror(-n));
			kill_all(r, SIGKILL);
			return -1;
		}
		for (int k = 0; k < n; k++)
			on_event(r, &ev[k]);
	}
	status_show(r, 1);
	status_clear(&r->status);
	return 0;
}

/* Take back every read still on the ring, so that no token is lost in flight. */
void sched_drain(struct runner *r)
{
	struct uspawn_event ev[16];

	for (int round = 0; round < 1000; round++) {
		if (r->in.pending)
			uspawn_cancel_reads(r->u, r->in.fd);
		if (r->js.pending)
			uspawn_js_cancel(&r->js, r->u);
		if (r->sig_pending)
			sig_cancel(r->u);
		if (!r->in.pending && !r->js.pending && !r->sig_pending)
			return;
		int n = uspawn_wait(r->u, ev, 16, 1000);
		for (int k = 0; k < n; k++) {
			if (ev[k].type == USPAWN_EV_READ && ev[k].user_data == TAG_TOKEN) {
				/* tokens it brings are held, and returned by uspawn_js_close();
				   a re-armed poll is cancelled on the next round */
				uspawn_js_event(&r->js, r->u, &ev[k]);
			} else if (ev[k].type == USPAWN_EV_READ && ev[k].user_data == TAG_INPUT) {
				input_event(&r->in, &ev[k]); /* what it read still counts */
			} else if (ev[k].type == USPAWN_EV_READ && ev[k].user_data == TAG_SIGNAL) {
				r->sig_pending = 0;
			}
		}
	}
}
