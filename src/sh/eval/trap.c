/* SPDX-License-Identifier: MIT */
/*
 * trap, and leaving the shell. A caught signal only marks itself pending;
 * its action runs after the command that was running (as dash's
 * dotrap()), or ends a `wait` at once. The EXIT action runs once, when the
 * shell (or the subshell that set it) exits by any way.
 */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include "eval/eval.h"

/* dash's signal_names: 0 EXIT, 1-64, a signal without a name shown as its number */
#define NSIGS 65

static const char *const sig_names[NSIGS] = {
	"EXIT",     "HUP",      "INT",      "QUIT",     "ILL",      "TRAP",     "ABRT",
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

static char *action[NSIGS]; /* NULL: default; "": ignored */
static volatile sig_atomic_t pending[NSIGS];
volatile sig_atomic_t trap_pending;
static int exiting;

static void on_signal(int sig)
{
	if (sig > 0 && sig < NSIGS) {
		pending[sig] = 1;
		trap_pending = 1;
	}
}

int trap_set(int sig)
{
	return sig > 0 && sig < NSIGS && action[sig] && action[sig][0];
}

int trap_any(struct shell *sh)
{
	(void)sh;
	for (int i = 0; i < NSIGS; i++)
		if (action[i] && action[i][0])
			return 1;
	return 0;
}

int trap_waiting_sig(void)
{
	for (int i = 1; i < NSIGS; i++)
		if (pending[i] && action[i] && action[i][0])
			return i;
	return 0;
}

void trap_run_pending(struct shell *sh)
{
	trap_pending = 0;
	for (int i = 1; i < NSIGS; i++) {
		if (!pending[i])
			continue;
		pending[i] = 0;
		if (!action[i] || !action[i][0])
			continue;
		int saved = sh->status, last = ev.savestatus;
		unsigned lastnest = ev.trap_funcnest;
		char *a = strdup(action[i]);
		if (!a)
			eval_oom(sh);
		if (last < 0)
			ev.savestatus = saved;
		ev.trap_funcnest = ev.funcnest;
		eval_string(sh, a, strlen(a), 1);
		free(a);
		ev.savestatus = last;
		ev.trap_funcnest = lastnest;
		if (!ev.skip) /* a return in the action is the function's status */
			sh->status = saved;
	}
}

/*
 * dash: a signal ignored when a non-interactive shell started stays
 * ignored; trap may name it (and lists it) but never changes it. Learnt
 * the first time the shell would change the signal (no system call at
 * start-up): 1 ordinary, 2 ignored on entry.
 */
static unsigned char entry[NSIGS];

static int ignored_on_entry(int sig)
{
	if (!entry[sig]) {
		struct sigaction old;
		entry[sig] = sigaction(sig, NULL, &old) == 0 && old.sa_handler == SIG_IGN ? 2 : 1;
	}
	return entry[sig] == 2;
}

void trap_ignore(int sig)
{
	if (!ignored_on_entry(sig))
		signal(sig, SIG_IGN);
}

static void disposition(int sig)
{
	struct sigaction sa;

	if (ignored_on_entry(sig))
		return;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	if (!action[sig])
		sa.sa_handler = SIG_DFL;
	else if (!action[sig][0])
		sa.sa_handler = SIG_IGN;
	else
		sa.sa_handler = on_signal; /* no SA_RESTART: a trapped signal ends wait */
	sigaction(sig, &sa, NULL);
}

void trap_child_reset(struct shell *sh)
{
	(void)sh;
	for (int i = 0; i < NSIGS; i++) {
		if (!action[i] || !action[i][0]) {
			continue;
		}
		free(action[i]);
		action[i] = NULL;
		pending[i] = 0;
		if (i)
			disposition(i);
	}
	trap_pending = 0;
}

/* dash's decode_signum(): digits only, below NSIGS; -1 otherwise */
static int decode_signum(const char *s)
{
	if (!*s || strspn(s, "0123456789") != strlen(s))
		return -1;
	long v = strlen(s) > 9 ? NSIGS : strtol(s, NULL, 10);
	return v < NSIGS ? (int)v : -1;
}

/* dash's decode_signal(s, 0): a number, or a name without SIG in any case */
static int decode_signal(const char *s)
{
	int sig = decode_signum(s);
	if (sig >= 0)
		return sig;
	for (int i = 0; i < NSIGS; i++)
		if (sig_names[i] && !strcasecmp(s, sig_names[i]))
			return i;
	return -1;
}

static int trap_list(void)
{
	for (int i = 0; i < NSIGS; i++) {
		if (!action[i])
			continue;
		size_t cap = strlen(action[i]) * 5 + 64;
		struct out o = {malloc(cap), 0, cap};
		if (!o.buf)
			return 2;
		out_str(&o, "trap -- ");
		out_quoted(&o, action[i]);
		out_str(&o, " ");
		if (sig_names[i]) {
			out_str(&o, sig_names[i]);
		} else {
			char num[4] = {'0' + i / 10, '0' + i % 10, 0};
			out_str(&o, num[0] == '0' ? num + 1 : num);
		}
		out_str(&o, "\n");
		eval_out(o.buf, o.n);
		free(o.buf);
	}
	return 0;
}

int trap_builtin(struct shell *sh, int argc, char **argv)
{
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--"))
		i++;
	else if (i < argc && argv[i][0] == '-' && argv[i][1]) {
		char opt[2] = {argv[i][1], 0};
		shell_fail(sh, 2, "Illegal option -", opt, NULL);
	}
	if (i >= argc)
		return trap_list();
	const char *act = argv[i];
	/* dash: the first operand is the action unless it is alone or a number */
	if (i + 1 >= argc || decode_signum(act) >= 0)
		act = NULL;
	else
		i++;
	for (; i < argc; i++) {
		int sig = decode_signal(argv[i]);
		if (sig < 0) { /* dash stops at the first bad one */
			struct out o = {malloc(strlen(argv[i]) + 32), 0, strlen(argv[i]) + 32};
			if (!o.buf)
				eval_oom(sh);
			out_str(&o, "trap: ");
			out_str(&o, argv[i]);
			out_str(&o, ": bad trap\n");
			write_all(2, o.buf, o.n);
			free(o.buf);
			return 1;
		}
		char *a = NULL;
		if (act && !(act[0] == '-' && !act[1])) {
			a = strdup(act);
			if (!a)
				eval_oom(sh);
		}
		free(action[sig]);
		action[sig] = a;
		if (sig)
			disposition(sig);
	}
	return 0;
}

void eval_exit(struct shell *sh, int status)
{
	if (ev.exit_catch) {
		jmp_buf *j = ev.exit_catch;
		ev.exit_catch = NULL;
		longjmp(*j, 1);
	}
	if (ev.error_catch && !ev.leaving) {
		ev.caught = status;
		longjmp(*(jmp_buf *)ev.error_catch, 1);
	}
	ev.error_catch = NULL; /* the EXIT trap's errors end the shell */
	sh->status = status;
	if (!exiting && action[0]) {
		char *a = action[0];
		exiting = 1;
		action[0] = NULL;
		ev.skip = SKIP_NONE;
		if (a[0]) {
			sh->errexit_off = 0;
			ev.savestatus = status; /* an exit in the action: the status it ends with */
			ev.trap_funcnest = ev.funcnest;
			eval_string(sh, a, strlen(a), 1);
		}
	}
	_exit(status & 255);
}
