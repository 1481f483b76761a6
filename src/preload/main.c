/* SPDX-License-Identifier: MIT */
/*
 * uring-ninja [--jobserver[=fifo|pipe]] [ninja args]: the system ninja with
 * libuspawn-preload.so in LD_PRELOAD. Under a make jobserver (MAKEFLAGS)
 * ninja's spawns take tokens; with --jobserver at the top level it serves
 * a pool of -j tokens to the sub-makes it runs.
 * Exit status: ninja's; 127 when ninja or the preload cannot be found.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ninja.h"

const char *prog = "uring-ninja";

static const char usage[] =
	"usage: uring-ninja [--jobserver[=fifo|pipe]] [ninja options] [targets...]\n"
	"Runs ninja ($URING_NINJA_NINJA, else ninja on PATH) with libuspawn-preload.so in\n"
	"LD_PRELOAD: its commands are spawned through libuspawn. Under a make jobserver\n"
	"(MAKEFLAGS) every command takes a token.\n"
	"\n"
	"uring-ninja's options (the others go to ninja):\n"
	"  --jobserver[=fifo|pipe]  serve a pool of -j tokens (style fifo by default) to\n"
	"                           the sub-makes and nested tools ninja runs\n"
	"  --version                uring-ninja's version on stderr, ninja's on stdout\n"
	"  -h, --help               this text, then ninja's\n"
	"\n";

struct opts {
	int help, version;
	int serve;
	enum uspawn_js_style style;
	int jobs; /* -jN given to ninja, 0 if none */
};

/* ninja's default parallelism (GuessParallelism in ninja 1.11). */
static unsigned ninja_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n <= 1 ? 2 : n == 2 ? 3 : (unsigned)n + 2;
}

/* Take our options out of argv (in place); note ninja's -j. */
static int parse(int argc, char **argv, struct opts *o)
{
	int out = 1;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--jobserver") || !strcmp(a, "--jobserver=fifo")) {
			o->serve = 1;
			o->style = USPAWN_JS_FIFO;
			continue;
		}
		if (!strcmp(a, "--jobserver=pipe")) {
			o->serve = 1;
			o->style = USPAWN_JS_PIPE;
			continue;
		}
		if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			o->help = 1;
		if (!strcmp(a, "--version"))
			o->version = 1;
		if (!strncmp(a, "--jobserver=", 12)) {
			fprintf(stderr, "%s: %s: expected fifo or pipe\n", prog, a);
			return -1;
		}
		if (!strcmp(a, "-j") && i + 1 < argc)
			o->jobs = atoi(argv[i + 1]);
		else if (!strncmp(a, "-j", 2) && a[2])
			o->jobs = atoi(a + 2);
		argv[out++] = argv[i];
		if (!strcmp(a, "--"))
			while (++i < argc)
				argv[out++] = argv[i];
	}
	argv[out] = NULL;
	return out;
}

/* --help: ours, then ninja's (which it prints on stderr, status 1) on stdout, status 0. */
static int help(char **argv)
{
	char *nv[] = {argv[0], "-h", NULL};
	pid_t pid;
	int st;

	fputs(usage, stdout);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		dup2(1, 2);
		execvp(nv[0], nv);
		fprintf(stderr, "%s: %s: %s\n", prog, nv[0], strerror(errno));
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return 2;
	return WIFEXITED(st) && WEXITSTATUS(st) == 127 ? 127 : 0;
}

static int prepend_preload(const char *so)
{
	const char *old = getenv("LD_PRELOAD");
	char *v;

	if (old && *old && strstr(old, so))
		return 0;
	if (asprintf(&v, old && *old ? "%s:%s" : "%s", so, old) < 0)
		return -1;
	int r = setenv("LD_PRELOAD", v, 1);
	free(v);
	return r;
}

/* Under a make jobserver: check it is usable; ninja's -j follows make's. */
static int check_client(struct opts *o, char ***argv, int *argc)
{
	struct uspawn_js js;
	struct uspawn_js_auth auth;
	const char *mf = getenv("MAKEFLAGS");
	int r = uspawn_js_client(&js, mf, 0);

	if (r == USPAWN_JS_ABSENT)
		return 0;
	if (r == USPAWN_JS_UNAVAILABLE) {
		fprintf(stderr,
			"%s: warning: jobserver unavailable (use '+' in the rule): ninja runs its "
			"own -j\n",
			prog);
		return 0;
	}
	uspawn_js_close(&js);
	uspawn_js_parse(mf, &auth);
	if (!o->jobs && auth.jobs > 0) {
		/* the tokens decide; ninja must not be the tighter limit */
		char **nv = malloc((size_t)(*argc + 3) * sizeof *nv);
		if (!nv)
			return -1;
		nv[0] = (*argv)[0];
		if (asprintf(&nv[1], "-j%d", auth.jobs) < 0)
			return -1;
		memcpy(nv + 2, *argv + 1, (size_t)*argc * sizeof *nv);
		*argv = nv;
		(*argc)++;
	}
	return 1;
}

/* ninja would open .ninja_log on a closed 0-2 and write its status into it */
static void std_fds_open(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) != fd)
			_exit(2);
}

int main(int argc, char **argv)
{
	struct opts o = {0};
	char so[PATH_MAX], ush[PATH_MAX], pidbuf[32];
	const char *ninja = getenv("URING_NINJA_NINJA");

	std_fds_open();
	if ((argc = parse(argc, argv, &o)) < 0)
		return 2;
	argv[0] = (char *)(ninja && *ninja ? ninja : "ninja");
	if (o.help)
		return help(argv);
	if (o.version)
		fprintf(stderr, "%s (uspawn) %s\n", prog, USPAWN_VERSION);
	if (find_preload(so, sizeof so) < 0) {
		fprintf(stderr, "%s: %s: libuspawn-preload.so not found\n", prog, so);
		return 127;
	}
	if (prepend_preload(so) < 0 ||
	    (!getenv("URING_SH") && find_uring_sh(ush, sizeof ush) == 0 &&
	     setenv("URING_SH", ush, 1) < 0)) {
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return 2;
	}
	int client = check_client(&o, &argv, &argc);
	if (client < 0) {
		fprintf(stderr, "%s: %s\n", prog, strerror(errno));
		return 2;
	}
	if (o.serve && !client) {
		unsigned jobs = o.jobs > 0 ? (unsigned)o.jobs : ninja_default_jobs();
		int st = serve(argv, jobs, o.style);
		if (WIFSIGNALED(st)) {
			signal(WTERMSIG(st), SIG_DFL);
			raise(WTERMSIG(st));
		}
		return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	}
	if (client) {
		snprintf(pidbuf, sizeof pidbuf, "%ld", (long)getpid());
		setenv("URING_NINJA_PID", pidbuf, 1);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "%s: %s: %s\n", prog, argv[0], strerror(errno));
	return 127;
}
