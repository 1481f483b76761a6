/* SPDX-License-Identifier: MIT */
/* uring-run's command line. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "run.h"

static const char usage[] =
	"Usage: uring-run [OPTION]... [FILE]\n"
	"       uring-run [OPTION]... COMMAND [ARG]... [::: VALUE... | :::: ARGFILE...]...\n"
	"Run the command lines of FILE (or standard input, also for FILE \"-\") in parallel,\n"
	"each exactly as `/bin/sh -c LINE` would. Spawns go out in batches through one\n"
	"io_uring, which also reaps the jobs, reads their output and takes jobserver tokens.\n"
	"Empty and blank lines are skipped. Jobs get /dev/null as stdin when the lines\n"
	"come from stdin. Every job runs in a process group of its own.\n"
	"With a COMMAND (GNU parallel's form), each job is COMMAND with its arguments put\n"
	"in: from ::: values, :::: or -a files, or else standard input's lines, one per\n"
	"job (several sources: every combination). Replacement strings: {} {.} {/} {//}\n"
	"{/.} (the argument; without extension; basename; dirname; basename without\n"
	"extension), {#} (job number), {%} (job slot), {N} {N.} ... (source N). Values\n"
	"are quoted for the shell; without a replacement string \" {}\" is appended. A\n"
	"lone operand is a FILE unless it has a replacement string or names a command on\n"
	"PATH and no file.\n"
	"\n"
	"Parallelism:\n"
	"  -j, --jobs=N           run at most N jobs at once (default: the number of CPUs;\n"
	"                         under a make jobserver the tokens decide, and -j, when\n"
	"                         given, is an extra cap; under make without a jobserver\n"
	"                         one, or make's -jN)\n"
	"      --jobserver[=STYLE]  be a jobserver for the jobs: a pool of N-1 tokens that\n"
	"                         $(MAKE), ninja >= 1.13 and nested uring-runs share. STYLE:\n"
	"                         pipe (default; make 4.3 understands only this) or fifo\n"
	"                         (make >= 4.4, ninja >= 1.13). Missing tokens at exit are\n"
	"                         reported.\n"
	"      --delay=SECONDS    start jobs at least SECONDS apart\n"
	"Input:\n"
	"  -0, --null             lines (and arguments) end with NUL, not newline\n"
	"  -a, --arg-file=FILE    an input source of arguments, one per line (repeatable)\n"
	"  -n, --dry-run          print the commands, run nothing (also when MAKEFLAGS says\n"
	"                         -n, read as make reads it)\n"
	"      --shell            run every line through /bin/sh -c (default: one external\n"
	"                         command is spawned directly, lines uring-sh runs natively\n"
	"                         go to uring-sh, the rest to /bin/sh -c)\n"
	"Output:\n"
	"      --group            a job's output is printed whole when it ends: its stdout to\n"
	"                         our stdout, then its stderr to our stderr (default)\n"
	"      --line-buffer      print complete lines as they come; lines never mix\n"
	"  -u, --ungroup          jobs write straight to our stdout and stderr\n"
	"      --keep-order       print outputs in input order (GNU parallel's -k; here -k\n"
	"                         is make's --keep-going)\n"
	"      --tag              prefix every output line with the job's command line (with\n"
	"                         a COMMAND: its arguments) and a TAB (not with --ungroup)\n"
	"      --results=DIR      each job's stdout, stderr and number in files, as GNU\n"
	"                         parallel lays them out (DIR/1/ARG/stdout...; a name with\n"
	"                         replacement strings: NAME, NAME.err, NAME.seq); not printed\n"
	"      --status, --no-status  the one-line status `[done/total] running, failed` on\n"
	"                         stderr (default: when stderr is a terminal)\n"
	"      --bar              a progress bar with the ETA on stderr (a terminal only)\n"
	"      --eta              the ETA, jobs left and time per job (a terminal only)\n"
	"Failure:\n"
	"  -k, --keep-going       run every line whatever fails (= --halt never)\n"
	"      --halt=WHEN        when to stop: never, or now|soon,fail|success|done=N|N%:\n"
	"                         after N (or N% of all) failed, succeeded or finished jobs,\n"
	"                         start no new job (soon) or also terminate the running ones\n"
	"                         (now); 0 1 2 -1 -2 N% as in parallel. Default: soon,fail=1,\n"
	"                         as make without -k.\n"
	"      --retries=N        run a failing job again, up to N runs in all (0: no limit)\n"
	"      --timeout=SECONDS  a job running longer gets SIGTERM on its process group,\n"
	"                         then SIGKILL one second later; it counts as killed\n"
	"Records:\n"
	"      --joblog=FILE      one TSV line per job, GNU parallel's columns: Seq Host\n"
	"                         Starttime JobRuntime Send Receive Exitval Signal Command\n"
	"      --resume           skip the jobs FILE of --joblog lists; append to it\n"
	"      --resume-failed    skip the jobs it lists as succeeded; run the others again\n"
	"      --trace=FILE       Chrome trace JSON, one row per job slot (open in Perfetto\n"
	"                         or chrome://tracing)\n"
	"Other:\n"
	"      --engine=NAME      libuspawn engine: auto, uring, vfork, posix, fork\n"
	"  -h, --help             this text\n"
	"      --version          print the version\n"
	"\n"
	"Every failing job is named on stderr (its status, signal or timeout), and what a\n"
	"stop left unrun. Signals: SIGINT, SIGTERM and SIGHUP are forwarded to every job's\n"
	"process group; uring-run waits for the jobs, returns its jobserver tokens and exits\n"
	"130, 143 or 129. A second signal sends SIGKILL.\n"
	"\n"
	"Exit status (as xargs; the highest that applies):\n"
	"  0    every job exited 0 (or --halt success=N was reached)\n"
	"  1    our own output could not be written (stdout, joblog, trace, results)\n"
	"  2    bad options or unreadable input (nothing run)\n"
	"  123  a job exited with a status other than 0, 126, 127 and 255\n"
	"  124  a job exited 255\n"
	"  125  a job was killed by a signal (or by --timeout)\n"
	"  126  a command was found but could not be run\n"
	"  127  a command was not found\n"
	"  141  our stdout was closed (| head): the jobs were stopped\n"
	"  128+N  uring-run itself was stopped by signal N\n";

enum {
	OPT_HALT = 256,
	OPT_JOBLOG,
	OPT_TRACE,
	OPT_TIMEOUT,
	OPT_JOBSERVER,
	OPT_GROUP,
	OPT_LINE,
	OPT_TAG,
	OPT_STATUS,
	OPT_NO_STATUS,
	OPT_SHELL,
	OPT_ENGINE,
	OPT_VERSION,
	OPT_KEEP_ORDER,
	OPT_RETRIES,
	OPT_RESULTS,
	OPT_RESUME,
	OPT_RESUME_FAILED,
	OPT_DELAY,
	OPT_BAR,
	OPT_ETA,
};

static const struct option longopts[] = {
	{"arg-file", required_argument, 0, 'a'},
	{"jobs", required_argument, 0, 'j'},
	{"null", no_argument, 0, '0'},
	{"dry-run", no_argument, 0, 'n'},
	{"keep-going", no_argument, 0, 'k'},
	{"ungroup", no_argument, 0, 'u'},
	{"help", no_argument, 0, 'h'},
	{"halt", required_argument, 0, OPT_HALT},
	{"joblog", required_argument, 0, OPT_JOBLOG},
	{"trace", required_argument, 0, OPT_TRACE},
	{"timeout", required_argument, 0, OPT_TIMEOUT},
	{"jobserver", optional_argument, 0, OPT_JOBSERVER},
	{"group", no_argument, 0, OPT_GROUP},
	{"line-buffer", no_argument, 0, OPT_LINE},
	{"tag", no_argument, 0, OPT_TAG},
	{"status", no_argument, 0, OPT_STATUS},
	{"no-status", no_argument, 0, OPT_NO_STATUS},
	{"shell", no_argument, 0, OPT_SHELL},
	{"engine", required_argument, 0, OPT_ENGINE},
	{"version", no_argument, 0, OPT_VERSION},
	{"keep-order", no_argument, 0, OPT_KEEP_ORDER},
	{"retries", required_argument, 0, OPT_RETRIES},
	{"results", required_argument, 0, OPT_RESULTS},
	{"resume", no_argument, 0, OPT_RESUME},
	{"resume-failed", no_argument, 0, OPT_RESUME_FAILED},
	{"delay", required_argument, 0, OPT_DELAY},
	{"bar", no_argument, 0, OPT_BAR},
	{"eta", no_argument, 0, OPT_ETA},
	{0, 0, 0, 0},
};

static int bad(const char *what, const char *val, const char *why)
{
	fprintf(stderr, "uring-run: invalid %s '%s': %s\n", what, val, why);
	return -1;
}

static int parse_uint(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v > 1000000)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* --halt's count after '=' (or the old N%): a whole number > 0, or a percentage up to 100. */
static int parse_halt_count(struct opts *o, const char *v, const char *p)
{
	char *end;

	errno = 0;
	double n = strtod(p, &end);
	if (end == p || errno || !(n > 0))
		return bad("--halt", v, "expected a number > 0, or a percentage, after '='");
	if (!strcmp(end, "%") && n <= 100)
		o->halt_pct = n;
	else if (!*end && n == (unsigned)n && n <= 1e9)
		o->halt_fails = (unsigned)n;
	else
		return bad("--halt", v, "expected a whole number, or a percentage up to 100%");
	return 0;
}

/*
 * --halt: never | now|soon,fail|success|done=N|N%, or parallel's old forms:
 * 0 never, 1 soon,fail=1, 2 now,fail=1, -1 soon,success=1, -2 now,success=1,
 * 1-99% soon,fail=N%.
 */
static int parse_halt(struct opts *o, const char *v)
{
	static const char *const what[] = {"fail=", "success=", "done="};
	static const char *const old[] = {"0", "1", "2", "-1", "-2"};
	const char *p;
	unsigned k;

	o->halt_pct = 0;
	o->halt_fails = 1;
	o->halt_what = HALT_FAIL;
	for (k = 0; k < 5 && strcmp(v, old[k]); k++)
		;
	if (k < 5) {
		o->halt = k == 0 ? HALT_NEVER : k % 2 ? HALT_SOON : HALT_NOW;
		o->halt_what = k >= 3 ? HALT_SUCCESS : HALT_FAIL;
		return 0;
	}
	if (!strcmp(v, "never")) {
		o->halt = HALT_NEVER;
		return 0;
	}
	size_t len = strlen(v);
	if (len > 1 && v[len - 1] == '%' && v[0] >= '1' && v[0] <= '9' &&
	    strspn(v, "0123456789.") == len - 1) {
		o->halt = HALT_SOON;
		return parse_halt_count(o, v, v);
	}
	if (!strncmp(v, "now,", 4))
		o->halt = HALT_NOW, p = v + 4;
	else if (!strncmp(v, "soon,", 5))
		o->halt = HALT_SOON, p = v + 5;
	else
		return bad("--halt", v, "expected never, now,WHAT=N or soon,WHAT=N");
	for (k = 0; k < 3 && strncmp(p, what[k], strlen(what[k])); k++)
		;
	if (k == 3)
		return bad("--halt", v, "expected fail=, success= or done= after the comma");
	o->halt_what = (enum halt_what)k;
	return parse_halt_count(o, v, p + strlen(what[k]));
}

/* Seconds (fractions allowed) for --timeout (> 0) and --delay (0 allowed too). */
static int parse_seconds(const char *opt, const char *v, int zero_ok, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (!*v || *end || errno || !(*out > 0 || (zero_ok && *out == 0)) || *out > 1e7)
		return bad(opt, v,
			   zero_ok ? "expected a number of seconds >= 0"
				   : "expected a number of seconds > 0");
	return 0;
}

static int parse_jobserver(struct opts *o, const char *v)
{
	if (!v || !strcmp(v, "pipe"))
		o->server = USPAWN_JS_PIPE;
	else if (!strcmp(v, "fifo"))
		o->server = USPAWN_JS_FIFO;
	else
		return bad("--jobserver style", v, "expected pipe or fifo");
	return 0;
}

static int unknown(int argc, char **argv)
{
	const char *arg = optind - 1 < argc ? argv[optind - 1] : "?";

	if (optopt && optopt != '?' && optopt < 256) {
		if (strchr("ja", optopt))
			fprintf(stderr,
				"uring-run: option '-%c' needs a value (see uring-run --help)\n",
				optopt);
		else
			fprintf(stderr, "uring-run: unknown option '-%c' (see uring-run --help)\n",
				optopt);
	} else if (strchr(arg, '=') || !strncmp(arg, "--", 2)) {
		fprintf(stderr,
			"uring-run: unknown option or missing value: '%s' (see uring-run --help)\n",
			arg);
	} else {
		fprintf(stderr, "uring-run: unknown option '%s' (see uring-run --help)\n", arg);
	}
	return -1;
}

static int add_source(struct opts *o, const char *file, char **vals, unsigned n)
{
	struct src_spec *ns = realloc(o->srcs, (o->nsrcs + 1) * sizeof *ns);

	if (!ns) {
		fprintf(stderr, "uring-run: %s\n", strerror(ENOMEM));
		return -1;
	}
	o->srcs = ns;
	o->srcs[o->nsrcs++] = (struct src_spec){.file = file, .vals = vals, .n = n};
	return 0;
}

static int is_sep(const char *w)
{
	return !strcmp(w, ":::") || !strcmp(w, "::::");
}

/* The command words joined by blanks, as parallel joins them. */
static char *joined(char **w, int n)
{
	size_t len = 1;

	for (int i = 0; i < n; i++)
		len += strlen(w[i]) + 1;
	char *t = malloc(len), *p = t;
	if (!t)
		return NULL;
	for (int i = 0; i < n; i++)
		p += sprintf(p, "%s%s", i ? " " : "", w[i]);
	*p = 0;
	return t;
}

/* An executable regular file named w in $PATH (w without '/'). */
static int on_path(const char *w)
{
	const char *path = getenv("PATH");
	char buf[4096];
	struct stat st;

	if (strchr(w, '/') || !*w)
		return 0;
	for (const char *p = path ? path : "/usr/bin:/bin"; *p;) {
		size_t n = strcspn(p, ":");
		snprintf(buf, sizeof buf, "%.*s%s%s", (int)n, p, n ? "/" : "", w);
		if (stat(buf, &st) == 0 && S_ISREG(st.st_mode) && access(buf, X_OK) == 0)
			return 1;
		p += n + (p[n] == ':');
	}
	return 0;
}

/*
 * A lone operand is a command (run over stdin's lines, as parallel does)
 * when it holds a replacement string, or when it is no file but a command
 * on PATH (uring-run gzip < list); else it is a FILE of command lines.
 */
static int one_command(const char *w)
{
	struct stat st;

	if (tmpl_has_rs(w))
		return 1;
	if (!strcmp(w, "-") || stat(w, &st) == 0)
		return 0;
	return on_path(w);
}

/*
 * The operands: FILE (one word without a replacement string, no source), or
 * COMMAND... followed by sources: ::: VALUES... and :::: FILES... (each
 * file a source). Without a source, a template takes its arguments from
 * stdin.
 */
static int operands(struct opts *o, int argc, char **argv)
{
	int i = optind, cmd_end = optind;

	while (cmd_end < argc && !is_sep(argv[cmd_end]))
		cmd_end++;
	for (i = cmd_end; i < argc;) {
		int files = !strcmp(argv[i], "::::"), start = ++i;
		while (i < argc && !is_sep(argv[i]))
			i++;
		if (!files && add_source(o, NULL, argv + start, (unsigned)(i - start)) < 0)
			return -1;
		for (int k = start; files && k < i; k++)
			if (add_source(o, argv[k], NULL, 0) < 0)
				return -1;
	}
	for (i = optind; i < argc; i++)
		if (!strncmp(argv[i], ":::", 3) && strspn(argv[i], ":") == strlen(argv[i]) - 1 &&
		    argv[i][strlen(argv[i]) - 1] == '+') {
			fprintf(stderr, "uring-run: '%s' (linked sources) is not supported\n",
				argv[i]);
			return -1;
		}
	int ncmd = cmd_end - optind;
	if (!o->nsrcs && ncmd <= 1 && !(ncmd == 1 && one_command(argv[optind]))) {
		o->file = ncmd ? argv[optind] : NULL; /* command lines, uring-run's own form */
		return 0;
	}
	o->tmpl_mode = 1;
	if (ncmd && !(o->tmpl = joined(argv + optind, ncmd))) {
		fprintf(stderr, "uring-run: %s\n", strerror(ENOMEM));
		return -1;
	}
	return 0;
}

void opts_free(struct opts *o)
{
	free(o->tmpl);
	free(o->srcs);
	o->tmpl = NULL;
	o->srcs = NULL;
}

static int one(struct opts *o, int c, const char *arg)
{
	switch (c) {
	case 'j':
		if (parse_uint(arg, &o->jobs) || !o->jobs)
			return bad("-j", arg, "expected a number of jobs >= 1");
		return 0;
	case '0':
		o->nul = 1;
		return 0;
	case 'a':
		return add_source(o, arg, NULL, 0);
	case 'n':
		o->dry_run = 1;
		return 0;
	case 'k':
		o->halt = HALT_NEVER;
		return 0;
	case 'u':
		o->out = OUT_UNGROUP;
		return 0;
	case OPT_GROUP:
		o->out = OUT_GROUP;
		return 0;
	case OPT_LINE:
		o->out = OUT_LINE;
		return 0;
	case OPT_TAG:
		o->tag = 1;
		return 0;
	case OPT_HALT:
		return parse_halt(o, arg);
	case OPT_JOBLOG:
		o->joblog = arg;
		return 0;
	case OPT_TRACE:
		o->trace = arg;
		return 0;
	case OPT_TIMEOUT:
		return parse_seconds("--timeout", arg, 0, &o->timeout);
	case OPT_JOBSERVER:
		return parse_jobserver(o, arg);
	case OPT_STATUS:
		o->status = STATUS_ON;
		return 0;
	case OPT_NO_STATUS:
		o->status = STATUS_OFF;
		return 0;
	case OPT_SHELL:
		o->via_sh = 1;
		return 0;
	case OPT_KEEP_ORDER:
		o->keep_order = 1;
		return 0;
	case OPT_RESULTS:
		if (!*arg)
			return bad("--results", arg, "expected a directory or a file name");
		o->results = arg;
		return 0;
	case OPT_BAR:
		o->bar = 1;
		return 0;
	case OPT_ETA:
		o->eta = 1;
		return 0;
	case OPT_DELAY:
		return parse_seconds("--delay", arg, 1, &o->delay);
	case OPT_RESUME:
		o->resume = 1;
		return 0;
	case OPT_RESUME_FAILED:
		o->resume = 2;
		return 0;
	case OPT_RETRIES:
		o->retries_set = 1;
		if (parse_uint(arg, &o->retries))
			return bad("--retries", arg, "expected a number of runs (0: no limit)");
		return 0;
	case OPT_ENGINE:
		o->engine = arg;
		return 0;
	}
	return -1;
}

/* Returns 0, 1 when --help or --version was printed, -1 on a bad option (message printed). */
int opts_parse(struct opts *o, int argc, char **argv)
{
	int c;

	memset(o, 0, sizeof *o);
	o->halt = HALT_SOON;
	o->halt_fails = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+j:0nkuha:", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(usage, stdout);
			return 1;
		}
		if (c == OPT_VERSION) {
			printf("uring-run (uspawn) %s\n", USPAWN_VERSION);
			return 1;
		}
		if (c == '?' || c == ':')
			return unknown(argc, argv);
		if (one(o, c, optarg) < 0)
			return -1;
	}
	if (operands(o, argc, argv) < 0)
		return -1;
	/* --keep-order holds whole outputs: grouped (not with --ungroup, where it does nothing) */
	if (o->keep_order && o->out == OUT_LINE)
		o->out = OUT_GROUP;
	/* --results keeps every output whole, for its files */
	if (o->results)
		o->out = OUT_GROUP;
	if (o->tag && o->out == OUT_UNGROUP) {
		fprintf(stderr, "uring-run: --tag cannot be used with --ungroup\n");
		return -1;
	}
	return 0;
}
