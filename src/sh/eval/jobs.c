/* SPDX-License-Identifier: MIT */
/*
 * Child processes: subshells, pipelines and background jobs as dash runs
 * them (a forked copy of the shell per member), except that a pipeline
 * member that is plainly an external command is spawned through
 * libuspawn instead of forking the whole shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "builtins/builtins.h" /* bi_nextopt */
#include "eval/eval.h"

/*
 * dash's job table. Without job control it shows no command text, but it
 * numbers jobs, marks the current and previous one, and keeps a finished
 * job until `jobs` shows it (or, once waited for, until a new job takes its
 * slot). Foreground jobs take a slot only while they run.
 */
struct jobproc {
	pid_t pid;
	int status; /* wait status; -1 while it runs */
};
struct job {
	struct jobproc *ps;
	unsigned nprocs;
	unsigned long seq; /* creation order: the newest is the current job (+) */
	char used, done, waited;
};
static struct job *jobtab;
static unsigned njobs;
static unsigned long jobseq;
/* a foreground command ran since the last reap: dash reaps after each one */
static int reap_due;
/* starting a pipeline's members: the pipeline is the job, not each member */
static int in_pipe;

static const char *const signames[] = {
	NULL,
	"Hangup",
	"Interrupt",
	"Quit",
	"Illegal instruction",
	"Trace/breakpoint trap",
	"Aborted",
	"Bus error",
	"Floating point exception",
	"Killed",
	"User defined signal 1",
	"Segmentation fault",
	"User defined signal 2",
	"Broken pipe",
	"Alarm clock",
	"Terminated",
	"Stack fault",
	"Child exited",
	"Continued",
	"Stopped (signal)",
	"Stopped",
	"Stopped (tty input)",
	"Stopped (tty output)",
	"Urgent I/O condition",
	"CPU time limit exceeded",
	"File size limit exceeded",
	"Virtual timer expired",
	"Profiling timer expired",
	"Window changed",
	"I/O possible",
	"Power failure",
	"Bad system call",
};

/*
 * dash's words for a wait status: Done, Done(N) or the signal's name.
 * sigonly: only a signal worth a message (not INT or PIPE), else nothing.
 */
static void status_text(struct out *o, int ws, int sigonly)
{
	if (WIFEXITED(ws)) {
		if (sigonly)
			return;
		out_str(o, "Done");
		if (WEXITSTATUS(ws)) {
			out_str(o, "(");
			out_uint(o, WEXITSTATUS(ws));
			out_str(o, ")");
		}
		return;
	}
	int sig = WTERMSIG(ws);
	if (sigonly && (sig == SIGINT || sig == SIGPIPE))
		return;
	if (sig > 0 && sig < (int)(sizeof signames / sizeof signames[0])) {
		out_str(o, signames[sig]);
	} else {
		out_str(o, "Signal ");
		out_uint(o, sig);
	}
	if (WCOREDUMP(ws))
		out_str(o, " (core dumped)");
}

/* the line dash prints when the job it waits for is killed */
static void status_report(int ws)
{
	char buf[64];
	struct out o = {buf, 0, sizeof buf};

	status_text(&o, ws, 1);
	if (!o.n)
		return;
	out_str(&o, "\n");
	write_all(2, buf, o.n);
}

/* $? of a wait status; dash names a signal that killed a job (not INT, PIPE) */
int status_of(int ws)
{
	if (!WIFSIGNALED(ws))
		return WEXITSTATUS(ws);
	status_report(ws);
	return 128 + WTERMSIG(ws);
}

static void job_free(struct job *j)
{
	free(j->ps);
	*j = (struct job){0};
}

/*
 * dash's slot for a new job: the lowest free one, or the lowest finished
 * and waited-for one (freed now) if that comes first; else a new slot.
 */
static struct job *job_slot(struct shell *sh)
{
	for (unsigned i = 0; i < njobs; i++) {
		struct job *j = &jobtab[i];
		if (j->used && !(j->done && j->waited))
			continue;
		job_free(j);
		return j;
	}
	struct job *t = realloc(jobtab, (njobs + 4) * sizeof *t);
	if (!t)
		eval_oom(sh);
	jobtab = t;
	for (unsigned i = njobs; i < njobs + 4; i++)
		jobtab[i] = (struct job){0};
	njobs += 4;
	return &jobtab[njobs - 4];
}

/* a background job of n processes, in the slot dash would give it */
static struct job *job_new(struct shell *sh, unsigned n)
{
	struct job *j = job_slot(sh);

	j->ps = calloc(n, sizeof *j->ps);
	if (!j->ps)
		eval_oom(sh);
	j->used = 1;
	j->seq = ++jobseq;
	return j;
}

/*
 * A foreground job (a command, pipeline, subshell or $(...)) starts: it
 * holds its slot only while it runs, but taking it frees a waited-for one.
 * With no background job ever started there is none to free (and a recipe
 * line need not allocate a table).
 */
static void job_foreground(struct shell *sh)
{
	reap_due = 1;
	if (!in_pipe && njobs)
		job_slot(sh);
}

static void job_proc_add(struct job *j, pid_t pid)
{
	j->ps[j->nprocs++] = (struct jobproc){pid, -1};
}

/* a process of job j has ended with ws */
static void job_proc_done(struct job *j, struct jobproc *p, int ws)
{
	p->status = ws;
	for (unsigned i = 0; i < j->nprocs; i++)
		if (j->ps[i].status == -1)
			return;
	j->done = 1;
}

/* reap what has ended without blocking, as dash does after each command */
static void jobs_reap(void)
{
	reap_due = 0;
	for (unsigned i = 0; i < njobs; i++) {
		struct job *j = &jobtab[i];
		for (unsigned k = 0; j->used && !j->done && k < j->nprocs; k++) {
			int ws;
			pid_t r;
			if (j->ps[k].status != -1)
				continue;
			while ((r = waitpid(j->ps[k].pid, &ws, WNOHANG)) < 0 && errno == EINTR)
				;
			if (r == j->ps[k].pid)
				job_proc_done(j, &j->ps[k], ws);
			else if (r < 0) /* reaped elsewhere: gone */
				job_proc_done(j, &j->ps[k], 127 << 8);
		}
	}
}

/* reaping dash did after a foreground command uring-sh could not see end */
static void jobs_reap_due(void)
{
	if (reap_due)
		jobs_reap();
}

/* in a forked child: dash starts a subshell with an empty job table */
static void jobs_clear(void)
{
	for (unsigned i = 0; i < njobs; i++)
		job_free(&jobtab[i]);
	reap_due = 0;
	in_pipe = 0;
}

struct uspawn *jobs_spawner(struct shell *sh)
{
	/* every spawn is (a member of) a foreground job */
	jobs_reap_due();
	job_foreground(sh);
	if (!sh->u) {
		/*
		 * Lazy: no ring is set up (~0.2 ms here, more than the spawn
		 * it would serve). Commands, pipeline members and $(cmd)
		 * captures are spawned as USPAWN_NO_REAP jobs and waited for
		 * with waitpid, so uring-sh runs where io_uring is refused.
		 * Should anything ever set the ring up: a small one (every
		 * page costs a fault), its fd clear of the 0-9 redirections
		 * name.
		 */
		struct uspawn_opts o = {.ring_entries = 8,
					.registered_files = 1,
					.flags = USPAWN_OPEN_LAZY_RING,
					.min_fd = 10};
		sh->u = uspawn_open(&o);
		if (!sh->u)
			shell_fail(sh, 2, "Cannot fork", NULL, NULL);
	}
	return sh->u;
}

static pid_t fork_raw(struct shell *sh)
{
	pid_t pid = fork();

	if (pid < 0)
		shell_fail(sh, 2, "Cannot fork", NULL, NULL);
	if (pid == 0) {
		sh->subshell++;
		sh->u = NULL; /* the parent's ring stays the parent's */
		jobs_clear();
		trap_child_reset(sh);
	}
	return pid;
}

/* a foreground subshell, $(...) or pipeline member */
pid_t fork_sub(struct shell *sh)
{
	jobs_reap_due();
	job_foreground(sh);
	return fork_raw(sh);
}

int wait_child(struct shell *sh, pid_t pid)
{
	int ws;

	(void)sh;
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return 127;
	/* dash's wait for a foreground job reaps every child that has ended */
	jobs_reap();
	return status_of(ws);
}

void eval_in_child(struct shell *sh, struct node *n)
{
	ev.skip = SKIP_NONE;
	ev.loopnest = 0;
	ev.funcnest = 0;
	if (n && n->type == N_SIMPLE)
		ev.exec_node = n;
	eval_node(sh, n);
	shell_exit(sh, sh->status);
}

int eval_subshell(struct shell *sh, struct node *n)
{
	sh->lineno = n->lineno;
	pid_t pid = fork_sub(sh);

	if (pid == 0) {
		if (redirect_apply(sh, n->redirs, NULL) < 0)
			shell_exit(sh, 2);
		eval_in_child(sh, n->u.sub.body);
	}
	return wait_child(sh, pid);
}

/* no job control: a background job ignores INT and QUIT; its first process reads nothing */
static void bg_child(struct shell *sh, int devnull)
{
	if (!trap_set(SIGINT))
		signal(SIGINT, SIG_IGN);
	if (!trap_set(SIGQUIT))
		signal(SIGQUIT, SIG_IGN);
	if (devnull) {
		close(0);
		if (open("/dev/null", O_RDONLY) > 0)
			shell_exit(sh, 2);
	}
}

/*
 * drop[3]: fds of the shell's the member must not hold (-1: none);
 * bg: it is a member of a background pipeline
 */
static void member_fork(struct shell *sh, struct member *m, struct node *c, int in, int out,
			const int drop[3], int bg)
{
	pid_t pid = fork_raw(sh);

	if (pid == 0) {
		if (bg)
			bg_child(sh, in < 0);
		for (int i = 0; i < 3; i++)
			if (drop[i] >= 0 && drop[i] != out)
				close(drop[i]);
		if (in >= 0) {
			dup2(in, 0);
			close(in);
		}
		if (out >= 0) {
			dup2(out, 1);
			close(out);
		}
		eval_in_child(sh, c);
	}
	m->pid = pid;
}

/* forked members first, then the spawned ones, whose exec errors print */
static void members_wait(struct shell *sh, struct member *m, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (m[i].pid > 0 && !m[i].spawned)
			m[i].status = wait_child(sh, m[i].pid);
	for (unsigned i = 0; i < n; i++)
		if (m[i].spawned)
			m[i].status = simple_job_status(sh, &m[i]);
}

/*
 * Start every member of pipeline n, the last one writing to out (-1: the
 * shell's stdout), and none holding out or capture (the read end of a
 * $(...) pipe) otherwise: a member that lingers, or its background child,
 * must not keep the capture open. Returns the members, for pipe_wait().
 */
static struct member *pipe_members(struct shell *sh, struct node *n, int out, int capture, int bg)
{
	unsigned cnt = n->u.pipe.n;
	struct member *m = calloc(cnt, sizeof *m);
	int prev = -1;

	if (!m)
		eval_oom(sh);
	for (unsigned i = 0; i < cnt; i++) {
		struct node *c = n->u.pipe.cmds[i];
		int p[2] = {-1, out};
		if (i + 1 < cnt && pipe2(p, O_CLOEXEC) < 0)
			shell_fail(sh, 2, "Pipe call failed", NULL, NULL);
		/* dash's prehash, in the shell (a capture's pipeline is dash's child's) */
		if (capture < 0)
			cmdtable_prehash(sh, c);
		/* a background member is forked: it must ignore INT and QUIT */
		if (bg || !simple_spawn(sh, c, prev, p[1], &m[i]))
			member_fork(sh, &m[i], c, prev, p[1], (int[3]){p[0], out, capture}, bg);
		if (prev >= 0)
			close(prev);
		if (p[1] >= 0 && p[1] != out)
			close(p[1]);
		prev = p[0];
	}
	return m;
}

struct member *pipe_start(struct shell *sh, struct node *n, int out, int capture)
{
	jobs_reap_due();
	job_foreground(sh);
	in_pipe++;
	struct member *m = pipe_members(sh, n, out, capture, 0);
	in_pipe--;
	return m;
}

/*
 * A background pipeline is one job of its members, as in dash: $! is the
 * last one, `jobs -p` shows the first, and it is done when all are.
 */
static void bg_pipe(struct shell *sh, struct node *n)
{
	struct job *j = job_new(sh, n->u.pipe.n);
	struct member *m = pipe_members(sh, n, -1, -1, 1);

	for (unsigned i = 0; i < n->u.pipe.n; i++)
		job_proc_add(j, m[i].pid);
	sh->lastbg = m[n->u.pipe.n - 1].pid;
	free(m);
}

int eval_background(struct shell *sh, struct node *n)
{
	jobs_reap_due();
	if (n->u.sub.body && n->u.sub.body->type == N_PIPE) {
		bg_pipe(sh, n->u.sub.body);
		return 0;
	}
	struct job *j = job_new(sh, 1);
	pid_t pid = fork_raw(sh);

	if (pid == 0) {
		bg_child(sh, 1);
		eval_in_child(sh, n->u.sub.body);
	}
	job_proc_add(j, pid);
	sh->lastbg = pid;
	return 0;
}

/* The status of the pipeline pipe_start() started: its last member's. */
int pipe_wait(struct shell *sh, struct node *n, struct member *m)
{
	unsigned cnt = n->u.pipe.n;

	members_wait(sh, m, cnt);
	int status = m[cnt - 1].status;
	free(m);
	return status;
}

int eval_pipe(struct shell *sh, struct node *n)
{
	return pipe_wait(sh, n, pipe_start(sh, n, -1, -1));
}

/* the used job created last before seq: the current job for ULONG_MAX */
static struct job *job_before(unsigned long seq)
{
	struct job *best = NULL;

	for (unsigned i = 0; i < njobs; i++)
		if (jobtab[i].used && jobtab[i].seq < seq && (!best || jobtab[i].seq > best->seq))
			best = &jobtab[i];
	return best;
}

static int all_digits(const char *p)
{
	if (!*p)
		return 0;
	for (; *p; p++)
		if (*p < '0' || *p > '9')
			return 0;
	return 1;
}

/*
 * dash's job names: %N; %%, %+ and % (the current job); %- (the previous
 * one); %name and %?name, matched against a command text that is empty
 * without job control, so only %? can match. NULL names the current job.
 * ctl (fg, bg): no job qualifies, none was started under job control.
 * NULL after dash's message.
 */
static struct job *job_find(struct shell *sh, const char *name, int ctl)
{
	struct job *j = job_before(ULONG_MAX);
	const char *p = name ? name + 1 : "";

	if (name && *name != '%')
		goto nosuch;
	if (!*p || (!p[1] && (*p == '%' || *p == '+'))) {
		if (!j) {
			shell_msg(sh, "No current job", NULL, NULL, NULL);
			return NULL;
		}
	} else if (!strcmp(p, "-")) {
		j = j ? job_before(j->seq) : NULL;
		if (!j) {
			shell_msg(sh, "No previous job", NULL, NULL, NULL);
			return NULL;
		}
	} else if (all_digits(p) && strlen(p) < 10 && atoi(p) > 0 && (unsigned)atoi(p) <= njobs) {
		j = &jobtab[atoi(p) - 1];
		if (!j->used)
			goto nosuch;
	} else if (!strcmp(p, "?")) {
		/* "" contains "": every job matches */
		if (!j)
			goto nosuch;
		if (job_before(j->seq)) {
			shell_msg(sh, name, ": ambiguous", NULL, NULL);
			return NULL;
		}
	} else {
		goto nosuch;
	}
	if (ctl) {
		shell_msg(sh, "job ", name ? name : "(null)", " not created under job control",
			  NULL);
		return NULL;
	}
	return j;
nosuch:
	shell_msg(sh, "No such job: ", name, NULL, NULL);
	return NULL;
}

/* the job whose last process is pid (dash's `wait PID`) */
static struct job *job_by_pid(pid_t pid)
{
	for (unsigned i = 0; i < njobs; i++)
		if (jobtab[i].used && jobtab[i].ps[jobtab[i].nprocs - 1].pid == pid)
			return &jobtab[i];
	return NULL;
}

/* $? of a finished job: its last process's */
static int job_status(const struct job *j)
{
	int ws = j->ps[j->nprocs - 1].status;

	return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : WEXITSTATUS(ws);
}

/*
 * Wait for job j to end. A trapped signal interrupts: its number, else 0.
 * report: dash names the signal that kills a process of the job it waits
 * for (`wait %1`, `wait PID`), not of one a bare wait collects.
 */
static int job_wait(struct job *j, int report)
{
	for (unsigned k = 0; k < j->nprocs; k++) {
		struct jobproc *p = &j->ps[k];
		while (p->status == -1) {
			int ws;
			if (waitpid(p->pid, &ws, 0) == p->pid) {
				if (report)
					status_report(ws);
				job_proc_done(j, p, ws);
			} else if (errno != EINTR) {
				job_proc_done(j, p, 127 << 8);
			} else {
				int sig = trap_waiting_sig();
				if (sig)
					return sig;
			}
		}
	}
	/* dash's wait collects every other child that has ended meanwhile */
	jobs_reap();
	return 0;
}

/* a bare wait: every job ends up waited for, not freed (`jobs` still shows it) */
static int wait_all(void)
{
	for (;;) {
		struct job *run = NULL;
		for (unsigned i = 0; i < njobs; i++) {
			if (jobtab[i].used && jobtab[i].done)
				jobtab[i].waited = 1;
			else if (jobtab[i].used && !run)
				run = &jobtab[i];
		}
		if (!run)
			return 0;
		int sig = job_wait(run, 0);
		if (sig)
			return 128 + sig;
	}
}

/*
 * dash's nextopt of letters from ok: the index of the first operand, or -1
 * after the message. *mode: the last of l (1) or p (2) given.
 */
static int job_opts(struct shell *sh, char **argv, const char *ok, int *mode)
{
	struct bi_opts o = {argv + 1, NULL};
	int opt;

	while ((opt = bi_nextopt(&o))) {
		if (!strchr(ok, opt)) {
			char letter[2] = {(char)opt, 0};
			shell_msg(sh, "Illegal option -", letter, NULL, NULL);
			return -1;
		}
		*mode = opt == 'l' ? 1 : 2;
	}
	return (int)(o.a - argv);
}

/* dash's wait: pids and job names; 127 for a pid that is no job of ours */
int jobs_wait(struct shell *sh, int argc, char **argv)
{
	int mode = 0, status = 127;
	int i = job_opts(sh, argv, "", &mode);

	if (i < 0)
		return 2;
	jobs_reap_due();
	if (i >= argc)
		return wait_all();
	for (; i < argc; i++) {
		struct job *j;
		if (argv[i][0] == '%') {
			j = job_find(sh, argv[i], 0);
			if (!j)
				return 2;
		} else {
			if (!all_digits(argv[i]) || strtol(argv[i], NULL, 10) > INT32_MAX ||
			    strlen(argv[i]) > 10) {
				shell_msg(sh, "Illegal number: ", argv[i], NULL, NULL);
				return 2;
			}
			j = job_by_pid((pid_t)strtol(argv[i], NULL, 10));
			if (!j)
				continue;
		}
		int sig = job_wait(j, 1);
		if (sig)
			return 128 + sig;
		j->waited = 1;
		status = job_status(j);
	}
	return status;
}

/* pad as dash's "%*c" does: to column 33, at least one space */
static void out_pad(struct out *o, size_t col)
{
	size_t n = col < 33 ? 33 - col : 1;

	while (n--)
		out_str(o, " ");
}

/*
 * One job as dash's `jobs` shows it (mode 1: -l, every pid; 2: -p, the
 * first pid only). The command text is empty without job control. A
 * finished job is forgotten once shown (not by -p).
 */
static void job_show(struct job *j, int mode)
{
	struct out o = {malloc(80 + 48 * j->nprocs), 0, 80 + 48 * j->nprocs};
	struct job *cur = job_before(ULONG_MAX);

	if (!o.buf)
		return;
	if (mode == 2) {
		out_uint(&o, (unsigned long)j->ps[0].pid);
		out_str(&o, "\n");
		eval_out(o.buf, o.n);
		free(o.buf);
		return;
	}
	out_str(&o, "[");
	out_uint(&o, (unsigned long)(j - jobtab) + 1);
	out_str(&o, "] ");
	out_str(&o, j == cur ? "+" : cur && j == job_before(cur->seq) ? "-" : " ");
	out_str(&o, " ");
	size_t indent = o.n;
	if (mode == 1) {
		out_uint(&o, (unsigned long)j->ps[0].pid);
		out_str(&o, " ");
	}
	if (j->done)
		status_text(&o, j->ps[j->nprocs - 1].status, 0);
	else
		out_str(&o, "Running");
	out_pad(&o, o.n);
	for (unsigned k = 1; k < j->nprocs; k++) {
		if (mode != 1) {
			out_str(&o, " | ");
			continue;
		}
		out_str(&o, " |\n");
		size_t start = o.n;
		for (size_t c = 0; c < indent; c++)
			out_str(&o, " ");
		out_uint(&o, (unsigned long)j->ps[k].pid);
		out_str(&o, " ");
		out_pad(&o, o.n - start);
	}
	out_str(&o, "\n");
	eval_out(o.buf, o.n);
	free(o.buf);
	if (j->done)
		job_free(j);
}

int b_jobs(struct shell *sh, int argc, char **argv)
{
	int mode = 0;
	int i = job_opts(sh, argv, "lp", &mode);

	if (i < 0)
		return 2;
	jobs_reap_due();
	if (i < argc) {
		for (; i < argc; i++) {
			struct job *j = job_find(sh, argv[i], 0);
			if (!j)
				return 2;
			job_show(j, mode);
		}
		return 0;
	}
	/* dash collects what has ended first, then lists newest first */
	jobs_reap();
	for (struct job *j = job_before(ULONG_MAX); j;) {
		struct job *next = job_before(j->seq);
		job_show(j, mode);
		j = next;
	}
	return 0;
}

/* without job control no job can be resumed: only dash's messages */
int b_fg(struct shell *sh, int argc, char **argv)
{
	int mode = 0;
	int i = job_opts(sh, argv, "", &mode);

	if (i >= 0)
		job_find(sh, i < argc ? argv[i] : NULL, 1);
	return 2;
}

int b_bg(struct shell *sh, int argc, char **argv)
{
	return b_fg(sh, argc, argv);
}
