/* SPDX-License-Identifier: MIT */
/* uring-run: run command lines in parallel through one io_uring. */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

static unsigned cpus(void)
{
	cpu_set_t set;

	if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
		return (unsigned)CPU_COUNT(&set);
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)n : 1;
}

/* Client of make's jobserver, its server, or neither. Returns 0 or -1 (message printed). */
/*
 * A closed 0, 1 or 2 would be taken by the next open(): the signal pipe
 * read as input, the joblog written as stderr. Put /dev/null there first,
 * as make and xargs do.
 */
static void std_fds_open(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			_exit(EXIT_USAGE);
}

static int jobserver_setup(struct runner *r)
{
	struct opts *o = r->o;
	const char *mf = getenv("MAKEFLAGS");

	if (o->server) {
		unsigned jobs = o->jobs ? o->jobs : cpus();
		int e = uspawn_js_server(&r->js, jobs, o->server, TAG_TOKEN);
		if (e < 0) {
			fprintf(stderr, "uring-run: cannot create the jobserver: %s\n",
				strerror(-e));
			return -1;
		}
		setenv("MAKEFLAGS", uspawn_js_makeflags(&r->js), 1);
		o->jobs = jobs;
		r->js_on = 1;
		return 0;
	}
	switch (uspawn_js_client(&r->js, mf, TAG_TOKEN)) {
	case USPAWN_JS_OK:
		r->js_on = 1;
		break;
	case USPAWN_JS_UNAVAILABLE:
		fprintf(stderr, "uring-run: warning: jobserver unavailable: using -j1.  Add '+' to "
				"parent make rule.\n");
		o->jobs = 1;
		break;
	default:
		/* a recipe of make without a jobserver: a sub-make would run one job at a
		   time, or as make's -j says (MAKELEVEL: make ran us, not a shell's export) */
		if (!o->jobs && r->make.under_make && getenv("MAKELEVEL"))
			o->jobs = r->make.jobs > 0   ? (unsigned)r->make.jobs
				  : r->make.jobs < 0 ? cpus()
						     : 1;
		if (!o->jobs)
			o->jobs = cpus();
	}
	return 0;
}

static int open_records(struct runner *r)
{
	struct timespec ts;

	if (r->o->resume && !r->o->joblog) {
		fprintf(stderr, "uring-run: --resume and --resume-failed need --joblog FILE\n");
		return -1;
	}
	if (r->o->resume && joblog_resume(r->o->joblog, r->o->resume == 2, &r->done_set) < 0)
		return -1;
	if (r->o->joblog && !(r->joblog = joblog_open(r->o->joblog, r->o->resume))) {
		fprintf(stderr, "uring-run: %s: %s\n", r->o->joblog, strerror(errno));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (r->o->trace &&
	    trace_open(&r->trace, r->o->trace,
		       (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) < 0) {
		fprintf(stderr, "uring-run: %s: %s\n", r->o->trace, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_ring(struct runner *r)
{
	struct uspawn_opts uo = {.engine = r->o->engine};

	r->u = uspawn_open(&uo);
	if (!r->u) {
		const char *name = r->o->engine ? r->o->engine : getenv("USPAWN_ENGINE");
		fprintf(stderr, "uring-run: cannot open engine '%s': %s\n",
			name && *name ? name : "auto", strerror(errno));
		return -1;
	}
	/* lines or arguments come from stdin: the jobs must not eat them */
	if (r->in.fd == 0 || r->gen.stdin_taken) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			r->null_slot = uspawn_register_fd(r->u, fd);
			close(fd);
		}
	}
	return 0;
}

static int finish(struct runner *r)
{
	int code = r->worst, e;

	sched_drain(r);
	order_finish(r);
	if (r->js_on) {
		int missing = uspawn_js_close(&r->js);
		if (missing)
			fprintf(stderr,
				"uring-run: warning: jobserver: %d of %u tokens did not come "
				"back\n",
				missing, r->js.pool);
	}
	uspawn_close(r->u);
	if (r->joblog && fclose(r->joblog) == EOF)
		run_write_error(r, r->o->joblog, errno);
	if ((e = trace_close(&r->trace)))
		run_write_error(r, r->o->trace, e);
	sig_close();
	report_stop(r);
	if (r->in.error) {
		fprintf(stderr, "uring-run: %s: %s\n", r->in.name, strerror(r->in.error));
		if (code < EXIT_USAGE)
			code = EXIT_USAGE;
	}
	input_close(&r->in);
	gen_close(&r->gen);
	order_free(&r->order);
	free(r->done_set.bits);
	opts_free(r->o);
	for (unsigned i = 0; i < r->nslots; i++)
		free(r->slots[i]);
	free(r->slots);
	if (r->halted_by == 1 + HALT_SUCCESS)
		code = 0; /* --halt success=N reached: a success, as in parallel */
	if (r->out_failed && code < EXIT_WRITE)
		code = EXIT_WRITE;
	if (r->stdout_closed)
		code = EXIT_CLOSED;
	return r->signal ? 128 + r->signal : code;
}

/* The command lines, or the template's sources. 0, or -1 (message printed). */
static int open_input(struct runner *r)
{
	const char *name = NULL;
	int e;

	if (r->o->tmpl_mode)
		e = gen_open(&r->gen, r->o, &r->in, &name);
	else
		e = input_open(&r->in, r->o->file, r->o->nul), name = r->in.name;
	if (e >= 0)
		return 0;
	fprintf(stderr, "uring-run: %s: %s\n", name, strerror(-e));
	return -1;
}

/* The number of jobs, read ahead when the input is a stream (--halt N%). 0 or -1 (said). */
static int count_jobs(struct runner *r)
{
	long n;

	if (r->gen.on && !r->gen.stream) {
		r->total = r->gen.total;
		return 0;
	}
	if ((n = input_slurp(&r->in)) < 0) {
		fprintf(stderr, "uring-run: %s: %s\n", r->in.name, strerror((int)-n));
		return -1;
	}
	r->total = (uint64_t)n;
	return 0;
}

static void cleanup(struct runner *r)
{
	if (r->js_on)
		uspawn_js_close(&r->js);
	if (r->joblog)
		fclose(r->joblog);
	trace_close(&r->trace);
	input_close(&r->in);
	gen_close(&r->gen);
	free(r->done_set.bits);
	opts_free(r->o);
}

int main(int argc, char **argv)
{
	struct opts o;
	struct runner r;
	int e;

	std_fds_open();
	/* as xargs: a SIGCHLD ignored by our caller would lose the jobs' statuses */
	signal(SIGCHLD, SIG_DFL);
	e = opts_parse(&o, argc, argv);
	if (e) {
		opts_free(&o);
		return e > 0 ? 0 : EXIT_USAGE;
	}
	memset(&r, 0, sizeof r);
	r.o = &o;
	r.null_slot = -1;
	r.js.rfd = r.js.wfd = -1;
	/* make -n runs recursive commands: print, do not run, as a sub-make would */
	makeflags_parse(getenv("MAKEFLAGS"), &r.make);
	if (r.make.dry_run)
		o.dry_run = 1;
	r.results_rs = o.results && tmpl_has_rs(o.results);
	status_init(&r.status, o.status, o.bar, o.eta);
	if (open_input(&r) < 0 ||
	    ((o.halt_pct > 0 || r.status.bar || r.status.eta) && count_jobs(&r) < 0) ||
	    (!o.dry_run && jobserver_setup(&r) < 0)) {
		cleanup(&r);
		return EXIT_USAGE;
	}
	if (!o.jobs && !r.js_on)
		o.jobs = 1;
	if (open_records(&r) < 0 || sig_open() < 0 || open_ring(&r) < 0) {
		cleanup(&r);
		return EXIT_USAGE;
	}
	sched_run(&r);
	return finish(&r);
}
