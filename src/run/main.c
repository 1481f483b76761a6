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
		if (!o->jobs)
			o->jobs = cpus();
	}
	return 0;
}

static int open_records(struct runner *r)
{
	struct timespec ts;

	if (r->o->joblog && !(r->joblog = joblog_open(r->o->joblog))) {
		fprintf(stderr, "uring-run: cannot write the joblog '%s': %s\n", r->o->joblog,
			strerror(errno));
		return -1;
	}
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (r->o->trace &&
	    trace_open(&r->trace, r->o->trace,
		       (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec) < 0) {
		fprintf(stderr, "uring-run: cannot write the trace '%s': %s\n", r->o->trace,
			strerror(errno));
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
	/* lines come from stdin: the jobs must not eat them */
	if (r->in.fd == 0) {
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
	int code = r->worst;

	sched_drain(r);
	if (r->js_on) {
		int missing = uspawn_js_close(&r->js);
		if (missing)
			fprintf(stderr,
				"uring-run: warning: jobserver: %d of %u tokens did not come "
				"back\n",
				missing, r->js.pool);
	}
	uspawn_close(r->u);
	if (r->joblog)
		fclose(r->joblog);
	trace_close(&r->trace);
	sig_close();
	if (r->in.error) {
		fprintf(stderr, "uring-run: reading the command lines: %s\n",
			strerror(r->in.error));
		if (code < EXIT_USAGE)
			code = EXIT_USAGE;
	}
	input_close(&r->in);
	for (unsigned i = 0; i < r->nslots; i++)
		free(r->slots[i]);
	free(r->slots);
	return r->signal ? 128 + r->signal : code;
}

int main(int argc, char **argv)
{
	struct opts o;
	struct runner r;
	struct uspawn_js_auth auth;
	int e = opts_parse(&o, argc, argv);

	/* as xargs: a SIGCHLD ignored by our caller would lose the jobs' statuses */
	signal(SIGCHLD, SIG_DFL);
	if (e)
		return e > 0 ? 0 : EXIT_USAGE;
	memset(&r, 0, sizeof r);
	r.o = &o;
	r.null_slot = -1;
	r.js.rfd = r.js.wfd = -1;
	/* make -n runs recursive commands: print, do not run, as a sub-make would */
	if (uspawn_js_parse(getenv("MAKEFLAGS"), &auth) == 0 && auth.dry_run)
		o.dry_run = 1;
	if ((e = input_open(&r.in, o.file, o.nul)) < 0) {
		fprintf(stderr, "uring-run: cannot read '%s': %s\n", o.file, strerror(-e));
		return EXIT_USAGE;
	}
	if (!o.dry_run && jobserver_setup(&r) < 0) {
		input_close(&r.in);
		return EXIT_USAGE;
	}
	if (!o.jobs && !r.js_on)
		o.jobs = 1;
	status_init(&r.status, o.status);
	if (open_records(&r) < 0 || sig_open() < 0 || open_ring(&r) < 0) {
		if (r.js_on)
			uspawn_js_close(&r.js);
		if (r.joblog)
			fclose(r.joblog);
		trace_close(&r.trace);
		input_close(&r.in);
		return EXIT_USAGE;
	}
	sched_run(&r);
	return finish(&r);
}
