/* SPDX-License-Identifier: MIT */
/*
 * The loop: whenever slots are free, the ready lines go out as one batch
 * (one uspawn_submit); then every event (exits, output, input, tokens,
 * signals) comes from the one ring.
 */
#include <errno.h>
#include <signal.h>
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
	free(j->argv);
	free(j->arena);
	free(j->fa);
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

/* Describe the job in slot i for the batch; 0 or -errno. */
static int job_prepare(struct runner *r, unsigned i, const char *line, struct uspawn_cmd *cmd)
{
	struct rjob *j = r->slots[i];
	int err;

	memset(j, 0, sizeof *j);
	j->used = 1;
	j->out[0].spill = j->out[1].spill = -1;
	j->out[0].at_bol = j->out[1].at_bol = 1;
	j->line = strdup(line);
	if (!j->line)
		return -ENOMEM;
	if ((err = job_cmd(r, i, r->o->via_sh, cmd)) < 0)
		return err;
	j->seq = ++r->seq;
	j->start_ns = mono_ns();
	j->start_wall = wall_now();
	if (r->o->timeout > 0)
		j->deadline_ns = j->start_ns + (uint64_t)(r->o->timeout * 1e9);
	return 0;
}

static void print_dry(struct runner *r, const char *line)
{
	out_write(1, line, strlen(line));
	out_write(1, "\n", 1);
	r->seq++;
	r->done++;
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

/* Spawn every ready line a slot is free for, as batches. */
static void spawn_ready(struct runner *r)
{
	struct uspawn_cmd cmds[BATCH];
	unsigned n = 0;

	while (!r->halting && !r->signal && r->running + n < limit(r)) {
		char *line = input_next(&r->in);
		if (!line)
			break;
		if (r->o->dry_run) {
			print_dry(r, line);
			continue;
		}
		int i = free_slot(r);
		if (i < 0 || job_prepare(r, (unsigned)i, line, &cmds[n]) < 0) {
			if (i >= 0)
				job_clear(r->slots[i]);
			r->halting = 1;
			r->worst = EXIT_CANNOT_RUN;
			break;
		}
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
	unsigned waiting = input_ready(&r->in, cap - r->running);
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

static void failed(struct runner *r)
{
	r->failed++;
	if (r->o->halt == HALT_NEVER || r->failed < r->o->halt_fails || r->halting)
		return;
	r->halting = 1;
	if (r->o->halt == HALT_NOW) {
		uint64_t now = mono_ns();
		kill_all(r, SIGTERM);
		for (unsigned i = 0; i < r->nslots; i++)
			if (r->slots[i]->used) {
				r->slots[i]->killed = 1;
				r->slots[i]->halted = 1;
				r->slots[i]->deadline_ns = now + KILL_GRACE_NS;
			}
	}
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

static void job_exit(struct runner *r, const struct uspawn_event *ev)
{
	unsigned i = (unsigned)ev->user_data;
	struct rjob *j = r->slots[i];
	int status = ev->status;

	j->pid = ev->pid;
#ifdef HAVE_USH
	/* a direct spawn that did not start: sh redoes it, with dash's own words and status */
	if (ev->error && j->how == HOW_DIRECT && ev->stage >= USPAWN_STAGE_CWD &&
	    ev->stage <= USPAWN_STAGE_EXEC && respawn_sh(r, i) == 0)
		return;
#endif
	if (ev->error && j->how == HOW_DIRECT && ev->stage == USPAWN_STAGE_EXEC) {
		char msg[512];
		int code;
		how_exec_error(j, ev->error, msg, sizeof msg, &code);
		status = W_EXITCODE(code, 0);
		if (r->o->out == OUT_UNGROUP)
			out_write(2, msg, strlen(msg));
		else
			out_chunk(r, j, 2, msg, strlen(msg));
	} else if (ev->error && !ev->pid) {
		/* no process at all (fork failed): say so, it is not the command's doing */
		char msg[512];
		int n = snprintf(msg, sizeof msg, "uring-run: cannot run '%s': %s\n", j->line,
				 strerror(ev->error));
		out_chunk(r, j, 2, msg, (size_t)n);
		status = W_EXITCODE(126, 0);
	}
	out_job_done(r, j);
	r->running--;
	r->done++;
	/* jobs we stopped for --halt now are not failures of their own */
	int code = j->halted ? 0 : exit_code(status);
	if (code > r->worst)
		r->worst = code;
	if (r->joblog)
		joblog_add(r->joblog, j, (double)(ev->end_ns - ev->start_ns) / 1e9, status);
	trace_add(&r->trace, i, j, ev->end_ns, status);
	job_clear(j);
	if (code)
		failed(r);
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
			kill(-j->pid, j->killed ? SIGKILL : SIGTERM);
			j->killed++;
			j->deadline_ns = now + KILL_GRACE_NS;
		}
		if (j->killed < 2 && j->deadline_ns < next)
			next = j->deadline_ns;
	}
	if (r->status.on && next > now + 100000000u)
		next = now + 100000000u;
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
		if (!r->running && (r->in.eof || r->halting || r->signal) &&
		    !input_ready(&r->in, 1))
			break;
		if (!r->running && (r->halting || r->signal))
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
				r->in.pending = 0;
			} else if (ev[k].type == USPAWN_EV_READ && ev[k].user_data == TAG_SIGNAL) {
				r->sig_pending = 0;
			}
		}
	}
}
