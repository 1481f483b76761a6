/* SPDX-License-Identifier: MIT */
/*
 * set (options by letter and -o name, the positional parameters, the
 * variable listing) and shift.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "builtins/shell.h"

static const struct {
	const char *name;
	char letter;
	unsigned opt;
} optnames[] = {
	{"errexit", 'e', OPT_ERREXIT},     {"noglob", 'f', OPT_NOGLOB},
	{"ignoreeof", 'I', OPT_IGNOREEOF}, {"interactive", 'i', 0},
	{"monitor", 'm', OPT_MONITOR},     {"noexec", 'n', OPT_NOEXEC},
	{"stdin", 's', OPT_STDIN},         {"xtrace", 'x', OPT_XTRACE},
	{"verbose", 'v', OPT_VERBOSE},     {"vi", 'V', OPT_VI},
	{"emacs", 'E', OPT_EMACS},         {"noclobber", 'C', OPT_NOCLOBBER},
	{"allexport", 'a', OPT_ALLEXPORT}, {"notify", 'b', OPT_NOTIFY},
	{"nounset", 'u', OPT_NOUNSET},     {"privileged", 'p', OPT_PRIVILEGED},
	{"nolog", 0, OPT_NOLOG},           {"debug", 0, OPT_DEBUG},
};
#define NOPTS (sizeof optnames / sizeof optnames[0])

static int opt_listing(struct shell *sh, int plus)
{
	struct out o = {malloc(2048), 0, 2048};

	if (!o.buf)
		eval_oom(sh);
	if (!plus)
		out_str(&o, "Current option settings\n");
	for (unsigned i = 0; i < NOPTS; i++) {
		int on = optnames[i].opt && (sh->opts & optnames[i].opt);
		if (plus) {
			out_str(&o, on ? "set -o " : "set +o ");
			out_str(&o, optnames[i].name);
		} else {
			out_str(&o, optnames[i].name);
			for (size_t k = strlen(optnames[i].name); k < 16; k++)
				out_str(&o, " ");
			out_str(&o, on ? "on" : "off");
		}
		out_str(&o, "\n");
	}
	eval_out(o.buf, o.n);
	free(o.buf);
	return 0;
}

/* one option by letter or name; -1: dash's "Illegal option" */
static int set_opt(struct shell *sh, char letter, const char *name, int on)
{
	for (unsigned i = 0; i < NOPTS; i++) {
		if (name ? strcmp(name, optnames[i].name) : letter != optnames[i].letter || !letter)
			continue;
		if (on) {
			sh->opts |= optnames[i].opt;
			/* dash's setoption: the letters V and E turn each other off (-o does not) */
			if (!name && (letter == 'V' || letter == 'E'))
				sh->opts &= ~(unsigned)(letter == 'V' ? OPT_EMACS : OPT_VI);
		} else
			sh->opts &= ~optnames[i].opt;
		return 0;
	}
	return -1;
}

static int shell_setopts(struct shell *sh, char **argv, int *i)
{
	for (; argv[*i]; (*i)++) {
		const char *a = argv[*i];
		if ((a[0] != '-' && a[0] != '+') || !a[1]) {
			if (a[0] == '-' && !a[1]) {
				(*i)++; /* "set -": the end of options, -x and -v off */
				sh->opts &= ~(unsigned)(OPT_XTRACE | OPT_VERBOSE);
			}
			return 0;
		}
		if (a[0] == '-' && a[1] == '-' && !a[2]) {
			(*i)++;
			return 1;
		}
		int on = a[0] == '-';
		for (a++; *a; a++) {
			if (*a == 'o') {
				const char *name = argv[*i + 1];
				if (!name)
					return opt_listing(sh, !on) == 0 ? 2 : -1;
				(*i)++;
				if (set_opt(sh, 0, name, on) < 0) {
					bi_fail(sh, "Illegal option -o ", name, NULL);
					return -1;
				}
				continue;
			}
			if (set_opt(sh, *a, NULL, on) < 0) {
				char opt[2] = {*a, 0};
				bi_fail(sh, "Illegal option -", opt, NULL);
				return -1;
			}
		}
	}
	return 0;
}

/* a terminal -m found (dash's jobctl); job control itself is not done here */
static int jobctl;

/*
 * dash's optschanged() after set (and local - put back): -m turned on in
 * the shell itself (not a subshell, where it is only the flag) needs a
 * tty, /dev/tty or else the first of fds 2, 1, 0 that is one, whose
 * foreground group can be read; without one dash warns and turns -m off.
 */
void opts_changed(struct shell *sh)
{
	int on = (sh->opts & OPT_MONITOR) != 0;

	if (on == jobctl || sh->subshell)
		return;
	if (!on) {
		jobctl = 0;
		return;
	}
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC), ok;
	if (fd >= 0) {
		ok = tcgetpgrp(fd) >= 0;
		close(fd);
	} else {
		fd = 2;
		while (fd >= 0 && !isatty(fd))
			fd--;
		ok = fd >= 0 && tcgetpgrp(fd) >= 0;
	}
	if (!ok) {
		shell_msg(sh, "can't access tty; job control turned off", NULL, NULL, NULL);
		sh->opts &= ~(unsigned)OPT_MONITOR;
		return;
	}
	jobctl = 1;
}

static int set_params(struct shell *sh, char **argv)
{
	unsigned n = 0;

	while (argv[n])
		n++;
	char **p = calloc(n + 1, sizeof *p);
	if (!p)
		eval_oom(sh);
	for (unsigned i = 0; i < n; i++)
		if (!(p[i] = strdup(argv[i])))
			eval_oom(sh);
	for (unsigned i = 0; i < sh->nparams; i++)
		free(sh->params[i]);
	free(sh->params);
	sh->params = p;
	sh->nparams = n;
	return 0;
}

int b_set(struct shell *sh, int argc, char **argv)
{
	int i = 1;

	if (argc == 1)
		return bi_list_vars(sh, 0, NULL);
	int r = shell_setopts(sh, argv, &i);
	if (r < 0)
		return 2; /* -m stays unchecked, as in dash (its error skips optschanged) */
	opts_changed(sh);
	if (r == 2)
		return 0;
	if (r == 1 || argv[i] || (i > 1 && !strcmp(argv[i - 1], "-")))
		if (r == 1 || argv[i]) {
			set_params(sh, argv + i);
			/* new parameters: getopts starts over (dash's setparam) */
			sh->optind = 0;
			sh->optoff = 0;
		}
	return 0;
}

int b_shift(struct shell *sh, int argc, char **argv)
{
	int n = 1;

	(void)argc;
	if (argv[1] && bi_number(argv[1], &n) < 0)
		return bi_fail(sh, "Illegal number: ", argv[1], NULL);
	if ((unsigned)n > sh->nparams)
		return bi_fail(sh, "can't shift that many", NULL, NULL);
	for (int k = 0; k < n; k++)
		free(sh->params[k]);
	memmove(sh->params, sh->params + n, (sh->nparams - n + 1) * sizeof *sh->params);
	sh->nparams -= n;
	sh->optind = 0; /* dash's shift restarts getopts, even shift 0 */
	sh->optoff = 0;
	return 0;
}
