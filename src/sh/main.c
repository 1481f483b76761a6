/* SPDX-License-Identifier: MIT */
/*
 * uring-sh: a SHELL for make. `uring-sh -c LINE [arg0 [args]]` and
 * `uring-sh FILE [args]` parse the whole text first and run it here with
 * dash's semantics; what it does not take (commands on stdin, -i -s -v -n,
 * an unreadable script, nesting over 1000 levels) hands the unchanged argv
 * to /bin/sh before anything has run.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "eval/eval.h"

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

static void delegate(char **argv, char **envp, const char *reason)
{
	stats(envp, "delegated", reason);
	execv("/bin/sh", argv);
	write_all(2, "uring-sh: cannot exec /bin/sh\n", 30);
	_exit(127);
}

/*
 * dash's command line: option letters after - or + (c only with -),
 * "-o name", "--". Returns the index of the command text (-c) or of the
 * script file (*file set), or -1 to delegate (commands from stdin, or an
 * option that is not the shell's business here).
 */
int sh_options(int argc, char **argv, unsigned *opts, int *file)
{
	static const char letters[] = "eufxaC";
	static const unsigned bits[] = {OPT_ERREXIT, OPT_NOUNSET,   OPT_NOGLOB,
					OPT_XTRACE,  OPT_ALLEXPORT, OPT_NOCLOBBER};
	static const char *const names[] = {"errexit", "nounset",   "noglob",
					    "xtrace",  "allexport", "noclobber"};
	int i, cflag = 0;

	for (i = 1; i < argc && (argv[i][0] == '-' || argv[i][0] == '+'); i++) {
		const char *a = argv[i];
		int on = a[0] == '-';
		if (!a[1])
			return -1;
		if (on && a[1] == '-' && !a[2]) {
			i++;
			break;
		}
		for (int j = 1; a[j]; j++) {
			if (a[j] == 'c' && on) {
				cflag = 1;
				continue;
			}
			if (a[j] == 'o') {
				const char *name = argv[++i];
				unsigned k = 0;
				if (!name)
					return -1;
				while (k < 6 && strcmp(names[k], name))
					k++;
				if (k == 6)
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
	*file = !cflag && i < argc;
	return i < argc ? i : -1;
}

/*
 * `sh FILE ARGS`: the script's whole text (dash reads it a command at a
 * time, which differs only after a syntax error, and those are delegated).
 * NULL (delegated) when it cannot be read, has NUL bytes or is too long:
 * dash then says so in its own words.
 */
static char *read_script(const char *path, size_t max, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	char *buf = fd < 0 ? NULL : malloc(max + 1);
	size_t n = 0;
	ssize_t r = 0;

	while (buf && n <= max && (r = read(fd, buf + n, max + 1 - n)) != 0) {
		if (r < 0 && errno != EINTR)
			break;
		if (r > 0)
			n += (size_t)r;
	}
	if (fd >= 0)
		close(fd);
	if (!buf || r != 0 || n > max || memchr(buf, 0, n)) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/*
 * Mark the commands after which the shell has nothing left to do (dash's
 * EV_EXIT positions): the right of ; && ||, the branches of if and case, the
 * end of a plain { }. Such a command is exec'd in place of the shell, as the
 * issue asks and as bash and upstream dash do; loops, ! and pipelines are
 * never tails. The one visible difference from Debian's dash, which forks
 * even there: a last command killed by a signal kills the shell's process
 * itself, instead of dash's message and status 128+n. USPAWN_SH_EXEC_LAST=0
 * turns it off.
 */
static void mark_last(struct node *n)
{
	while (n) {
		switch (n->type) {
		case N_SIMPLE:
			n->last = 1;
			return;
		case N_SEQ:
		case N_AND:
		case N_OR:
			n = n->u.bin.right;
			break;
		case N_GROUP:
			if (n->redirs)
				return;
			n = n->u.sub.body;
			break;
		case N_IF:
			if (n->redirs)
				return;
			mark_last(n->u.ctl.body);
			n = n->u.ctl.other;
			break;
		case N_CASE:
			if (n->redirs)
				return;
			for (unsigned i = 0; i + 1 < n->u.cas.n; i++)
				mark_last(n->u.cas.items[i].body);
			n = n->u.cas.n ? n->u.cas.items[n->u.cas.n - 1].body : NULL;
			break;
		default:
			return;
		}
	}
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
	int file = 0;
	int i = sh_options(argc, argv, &opts, &file);

	if (i < 0)
		delegate(argv, envp, "option");
	const char *text = argv[i];
	/* the arena must never run out mid-run: that would be a difference */
	size_t len, max = sizeof arena_buf / 32;
	if (file && !(text = read_script(argv[i], max, &len)))
		delegate(argv, envp, "script unreadable, too long or binary");
	if (!file && (len = strlen(text)) > max)
		delegate(argv, envp, "line too long");
	const char *err = NULL, *reason = NULL;
	unsigned errline = 0;
	struct toplists tl;
	syntax_parse_lists(&a, text, len, 1, &err, &errline, &reason, &tl);
	if (err == SYNTAX_UNSUPPORTED)
		delegate(argv, envp, reason);
	int aliases = alias_mentioned(text, len);
	stats(envp, "native", err ? "syntax error" : NULL);
	sh.a = &a;
	sh.ops = &eval_ops;
	/* -c LINE [NAME [ARG...]], or FILE [ARG...] */
	int name = file ? i : i + 1;
	sh.arg0 = name < argc ? argv[name] : argv[0];
	sh.opts = opts;
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
	/*
	 * A text that names alias runs a list at a time, as dash runs every
	 * text: an alias defined by one line applies from the next. Its
	 * commands fork and wait as dash's (no exec of the last).
	 */
	if (aliases) {
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
	const char *el = env_get(envp, "USPAWN_SH_EXEC_LAST", 19);
	if (!err && tl.n && (!el || strcmp(el, "0")))
		mark_last(tl.v[tl.n - 1].n);
	if (eval_lists(&sh, text, len, 1, &tl, err != NULL) == LISTS_RAN && err) {
		sh.lineno = errline;
		shell_fail(&sh, 2, err, NULL, NULL);
	}
	shell_exit(&sh, sh.status);
}
