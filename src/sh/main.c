/* SPDX-License-Identifier: MIT */
/*
 * uring-sh: a SHELL for make, and a /bin/sh. `uring-sh -c LINE [arg0
 * [args]]` parses the whole text first and runs it here with dash's
 * semantics; `uring-sh FILE [args]` and commands on stdin (`-s`) are read
 * and run a list at a time, as dash reads them (eval/input.c). What it
 * does not take (-i and the other options dash alone has, nesting over
 * 1000 levels) hands the unchanged argv to a real dash before anything
 * has run, never to itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "eval/eval.h"

#ifndef USPAWN_SH_DASH_PATH
#define USPAWN_SH_DASH_PATH "/bin/dash"
#endif

/*
 * In .lbss, which the linker puts after .bss: libc's variables then share
 * the pages the data segment touches anyway instead of a page 4 MiB away.
 * Page-aligned, so that a line's parse starts at a page, not near its end.
 */
static char arena_buf[4 << 20] __attribute__((section(".lbss"), aligned(4096)));

static void stats(char **envp, const char *what, const char *reason)
{
	const char *file = env_get(envp, "USPAWN_SH_STATS", 15);
	char buf[256];
	struct out o = {buf, 0, sizeof buf - 1};

	if (!file || !*file)
		return;
	int fd = open(file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0)
		return;
	out_str(&o, what);
	if (reason) {
		out_str(&o, " ");
		out_str(&o, reason);
	}
	out_str(&o, "\n");
	write_all(fd, buf, o.n);
	close(fd);
}

/* the same file as this program (a bind mount of uring-sh on /bin/sh, or dash) */
static int is_self(const char *path)
{
	struct stat a, b;

	return stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

/*
 * What is not run here goes to a real dash: $USPAWN_SH_DASH, the dash
 * found when uring-sh was built, or /bin/sh, the first that exists and is
 * not uring-sh itself. Where uring-sh is /bin/sh and no dash is left, a
 * one-line error and status 2: never an exec of itself (it would loop).
 */
static void delegate(char **argv, char **envp, const char *reason)
{
	const char *cand[] = {env_get(envp, "USPAWN_SH_DASH", 14), USPAWN_SH_DASH_PATH, "/bin/sh"};

	stats(envp, "delegated", reason);
	for (unsigned k = 0; k < 3; k++) {
		if (!cand[k] || !*cand[k] || access(cand[k], X_OK) || is_self(cand[k]))
			continue;
		execv(cand[k], argv);
	}
	char buf[256];
	struct out o = {buf, 0, sizeof buf - 1};
	out_str(&o, "uring-sh: no dash to run this (");
	out_str(&o, reason);
	out_str(&o, "): /bin/sh is uring-sh; set USPAWN_SH_DASH\n");
	write_all(2, buf, o.n);
	_exit(2);
}

/*
 * dash's command line: option letters after - or + (c and s only with -),
 * "-o name", "--" or "-" to end them. Returns the index of the first
 * operand (the command text for -c, else the script file, or argc) with
 * *mode saying which, or -1 to delegate (-i, an option uring-sh does not
 * take).
 */
int sh_options(int argc, char **argv, unsigned *opts, int *mode)
{
	static const char letters[] = "eufxaCvn";
	static const unsigned bits[] = {OPT_ERREXIT,   OPT_NOUNSET,   OPT_NOGLOB,  OPT_XTRACE,
					OPT_ALLEXPORT, OPT_NOCLOBBER, OPT_VERBOSE, OPT_NOEXEC};
	static const char *const names[] = {"errexit",   "nounset",   "noglob",  "xtrace",
					    "allexport", "noclobber", "verbose", "noexec"};
	enum { NOPTS = sizeof bits / sizeof bits[0] };
	int i, cflag = 0, sflag = 0;

	for (i = 1; i < argc && (argv[i][0] == '-' || argv[i][0] == '+'); i++) {
		const char *a = argv[i];
		int on = a[0] == '-';
		if (!a[1] || (on && a[1] == '-' && !a[2])) {
			if (!a[1] && !on)
				return -1;
			i++;
			break;
		}
		for (int j = 1; a[j]; j++) {
			if ((a[j] == 'c' || a[j] == 's') && on) {
				*(a[j] == 'c' ? &cflag : &sflag) = 1;
				continue;
			}
			if (a[j] == 'o') {
				const char *name = argv[++i];
				unsigned k = 0;
				if (!name)
					return -1;
				while (k < NOPTS && strcmp(names[k], name))
					k++;
				if (k == NOPTS)
					return -1;
				*opts = on ? *opts | bits[k] : *opts & ~bits[k];
				continue;
			}
			const char *l = strchr(letters, a[j]);
			if (!l)
				return -1;
			unsigned bit = bits[l - letters];
			*opts = on ? *opts | bit : *opts & ~bit;
		}
	}
	*mode = cflag ? SH_MODE_C : sflag || i >= argc ? SH_MODE_STDIN : SH_MODE_FILE;
	return i;
}

/* `sh FILE`: its fd, above the ones scripts redirect (as dash's), close-on-exec */
static int open_script(struct shell *sh, const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		sh->lineno = 0;
		shell_msg(sh, "cannot open ", path, ": ", ush_errmsg(errno, USH_E_OPEN));
		shell_exit(sh, 2);
	}
	int hi = fcntl(fd, F_DUPFD_CLOEXEC, 10);
	if (hi >= 0) {
		close(fd);
		fd = hi;
	}
	return fd;
}

int main(int argc, char **argv, char **envp)
{
	struct ush_arena a = {arena_buf, sizeof arena_buf, 0};
	static struct shell sh;
	unsigned opts = 0;

	if (argc > 1 && !strcmp(argv[1], "--uspawn-gate"))
		return gate_main(argc, argv);
	/* as dash, which catches it: never ignored here, SIG_DFL in our commands */
	signal(SIGCHLD, SIG_DFL);
	sh.ops = &eval_ops;
	int mode = SH_MODE_C;
	int i = sh_options(argc, argv, &opts, &mode);

	if (i < 0)
		delegate(argv, envp, "option");
	if (mode == SH_MODE_C && i >= argc) {
		sh.arg0 = argv[0];
		shell_msg(&sh, "-c requires an argument", NULL, NULL, NULL);
		_exit(2);
	}
	const char *text = mode == SH_MODE_C ? argv[i] : NULL;
	/* the arena must never run out mid-run: that would be a difference */
	size_t len = text ? strlen(text) : 0, max = sizeof arena_buf / 32;
	if (len > max)
		delegate(argv, envp, "line too long");
	const char *err = NULL, *reason = NULL;
	unsigned errline = 0;
	struct toplists tl = {0};
	if (text) {
		syntax_parse_lists(&a, text, len, 1, &err, &errline, &reason, &tl);
		if (err == SYNTAX_UNSUPPORTED)
			delegate(argv, envp, reason);
	}
	stats(envp, "native", err ? "syntax error" : NULL);
	sh.a = &a;
	/* -c LINE [NAME [ARG...]], FILE [ARG...], or [-s] [ARG...] */
	int name = mode == SH_MODE_C ? i + 1 : mode == SH_MODE_FILE ? i : i - 1;
	sh.arg0 = mode != SH_MODE_STDIN && name < argc ? argv[name] : argv[0];
	sh.opts = opts | (mode == SH_MODE_STDIN ? OPT_STDIN : 0);
	sh.environ = envp;
	sh.rootpid = getpid();
	if (name + 1 < argc) {
		sh.nparams = (unsigned)(argc - name - 1);
		sh.params = calloc(sh.nparams + 1, sizeof *sh.params);
		if (!sh.params)
			eval_oom(&sh);
		for (unsigned k = 0; k < sh.nparams; k++)
			if (!(sh.params[k] = strdup(argv[name + 1 + k])))
				eval_oom(&sh);
	} else {
		sh.params = calloc(1, sizeof *sh.params);
	}
	standin_init(envp);
	const char *el = env_get(envp, "USPAWN_SH_EXEC_LAST", 19);
	int exec_last = !el || strcmp(el, "0");
	/* a script, from a file or stdin: read and run a list at a time, as dash */
	if (!text) {
		int fd = 0;
		if (mode ==
		    SH_MODE_FILE) { /* dash names the script in its messages once it is open */
			sh.arg0 = argv[0];
			fd = open_script(&sh, argv[i]);
			sh.arg0 = argv[i];
		}
		eval_input(&sh, fd, exec_last);
		shell_exit(&sh, sh.status);
	}
	/*
	 * A text that names alias runs a list at a time, as dash runs every
	 * text: an alias defined by one line applies from the next. Its
	 * commands fork and wait as dash's (no exec of the last).
	 */
	if (alias_mentioned(text, len)) {
		int keep;
		a.used = 0; /* the tree parsed at once is not used */
		eval_stream(&sh, &a, text, len, 1, &keep);
		shell_exit(&sh, sh.status);
	}
	/*
	 * The lists one after the other (eval_lists: once an alias is defined,
	 * the rest is parsed afresh). A syntax error: as in dash, the lists
	 * before it run, then its message and status 2.
	 */
	if (!err && tl.n && exec_last)
		eval_mark_last(tl.v[tl.n - 1].n);
	if (eval_lists(&sh, text, len, 1, &tl, err != NULL) == LISTS_RAN && err) {
		sh.lineno = errline;
		shell_fail(&sh, 2, err, NULL, NULL);
	}
	shell_exit(&sh, sh.status);
}
