/* SPDX-License-Identifier: MIT */
/*
 * dash's kill: -s NAME, -NAME, -NUMBER, -l [status]; pids and process
 * groups (-pid). Jobs (%n) exist only in the interpreter's job table (the
 * context's job()): dash signals the job's process group, -(its first
 * pid), which without job control does not exist. With no table, the
 * messages are dash's for an empty one.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include "builtins/builtins.h"
#include "ush.h"

enum { NSIGNALS = 65 };

static const char *const names[NSIGNALS] = {
	NULL,       "HUP",      "INT",      "QUIT",     "ILL",      "TRAP",     "ABRT",
	"BUS",      "FPE",      "KILL",     "USR1",     "SEGV",     "USR2",     "PIPE",
	"ALRM",     "TERM",     NULL,       "CHLD",     "CONT",     "STOP",     "TSTP",
	"TTIN",     "TTOU",     "URG",      "XCPU",     "XFSZ",     "VTALRM",   "PROF",
	"WINCH",    "IO",       "PWR",      "SYS",      NULL,       NULL,       "RTMIN",
	"RTMIN+1",  "RTMIN+2",  "RTMIN+3",  "RTMIN+4",  "RTMIN+5",  "RTMIN+6",  "RTMIN+7",
	"RTMIN+8",  "RTMIN+9",  "RTMIN+10", "RTMIN+11", "RTMIN+12", "RTMIN+13", "RTMIN+14",
	"RTMIN+15", "RTMAX-14", "RTMAX-13", "RTMAX-12", "RTMAX-11", "RTMAX-10", "RTMAX-9",
	"RTMAX-8",  "RTMAX-7",  "RTMAX-6",  "RTMAX-5",  "RTMAX-4",  "RTMAX-3",  "RTMAX-2",
	"RTMAX-1",  "RTMAX",
};

static const char usage[] = "Usage: kill [-s sigspec | -signum | -sigspec] [pid | job]... or\n"
			    "kill -l [exitstatus]";

/* digits only (a number below 65), or a name without SIG in any case; -1: none */
static int decode_signal(const char *s)
{
	if (*s && strspn(s, "0123456789") == strlen(s)) {
		int n = 0;
		for (; *s && n < NSIGNALS; s++)
			n = n * 10 + (*s - '0');
		return n < NSIGNALS ? n : -1;
	}
	for (int i = 1; i < NSIGNALS; i++)
		if (names[i] && !strcasecmp(s, names[i]))
			return i;
	return -1;
}

static void put_signal_name(struct bi_out *o, int n)
{
	char num[16];
	const char *s = names[n];

	if (!s) {
		int i = sizeof num;
		num[--i] = 0;
		do {
			num[--i] = '0' + n % 10;
			n /= 10;
		} while (n);
		s = num + i;
	}
	bi_out_put(o, s, strlen(s));
	bi_out_put(o, "\n", 1);
}

/* kill -l [status]: every signal, or the one an exit status names */
static int list(struct bi_ctx *c, const char *arg)
{
	struct bi_out o;
	intmax_t n;

	bi_out_init(&o, 1);
	if (!arg) {
		bi_out_put(&o, "0\n", 2);
		for (int i = 1; i < NSIGNALS; i++)
			put_signal_name(&o, i);
		return bi_out_end(c, &o, "kill", 0);
	}
	if (bi_strtomax(arg, &n) < 0 || n < 0 || n > INT32_MAX) {
		bi_error(c, "kill", "Illegal number: ", arg, NULL);
		return 2;
	}
	if (n > 128)
		n -= 128;
	if (n <= 0 || n >= NSIGNALS) {
		bi_error(c, "kill", "invalid signal number or exit status: ", arg, NULL);
		return 2;
	}
	put_signal_name(&o, (int)n);
	return bi_out_end(c, &o, "kill", 0);
}

/* dash's nextopt("ls:"); -1 after a message */
static int options(struct bi_ctx *c, char ***argv, int *listing, int *signo)
{
	char **a = *argv;

	for (; *a && a[0][0] == '-' && a[0][1]; a++) {
		if (!strcmp(*a, "--")) {
			a++;
			break;
		}
		for (const char *o = *a + 1; *o; o++) {
			if (*o == 'l') {
				*listing = 1;
				continue;
			}
			if (*o != 's') {
				char opt[2] = {*o, 0};
				bi_error(c, "kill", "Illegal option -", opt, NULL);
				return -1;
			}
			const char *name = o[1] ? o + 1 : *++a;
			if (!name) {
				bi_error(c, "kill", "No arg for -s option", NULL, NULL);
				return -1;
			}
			*signo = decode_signal(name);
			if (*signo < 0) {
				bi_error(c, "kill", "invalid signal number or name: ", name, NULL);
				return -1;
			}
			break;
		}
	}
	*argv = a;
	return 0;
}

/* glibc's texts (dash's), whatever C library uring-sh is built with */
static const char *kill_error(int err)
{
	switch (err) {
	case ESRCH:
		return "No such process";
	case EPERM:
		return "Operation not permitted";
	case EINVAL:
		return "Invalid argument";
	}
	return ush_strerror(err);
}

static int job_error(struct bi_ctx *c, const char *arg)
{
	if (!strcmp(arg, "%") || !strcmp(arg, "%%") || !strcmp(arg, "%+"))
		bi_error(c, "kill", "No current job", NULL, NULL);
	else if (!strcmp(arg, "%-"))
		bi_error(c, "kill", "No previous job", NULL, NULL);
	else
		bi_error(c, "kill", "No such job: ", arg, NULL);
	return 2;
}

int bi_kill(struct bi_ctx *c, int argc, char **argv)
{
	int listing = 0, signo = -1, status = 0;

	(void)argc;
	argv++;
	if (*argv && argv[0][0] == '-' && (signo = decode_signal(argv[0] + 1)) >= 0)
		argv++;
	else if (options(c, &argv, &listing, &signo) < 0)
		return 2;
	if (!listing && signo < 0)
		signo = SIGTERM;
	if ((signo < 0 || !*argv) ^ listing) {
		bi_error(c, "kill", usage, NULL, NULL);
		return 2;
	}
	if (listing)
		return list(c, *argv);
	for (; *argv; argv++) {
		const char *arg = *argv, *digits = arg[0] == '-' ? arg + 1 : arg;
		intmax_t pid;
		if (arg[0] == '%') {
			if (!c->job)
				return job_error(c, arg);
			long first = c->job(c->ctx, arg);
			if (!first)
				return 2;
			pid = -first;
		} else if (bi_strtomax(digits, &pid) < 0 || pid < 0 || pid > INT32_MAX) {
			bi_error(c, "kill", "Illegal number: ", digits, NULL);
			return 2;
		} else if (arg[0] == '-') {
			pid = -pid;
		}
		if (kill((pid_t)pid, signo) < 0) {
			bi_error(c, "kill", kill_error(errno), "\n", NULL);
			status = 1;
		}
	}
	return status;
}
