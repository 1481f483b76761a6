/* SPDX-License-Identifier: MIT */
/*
 * Child processes: subshells, pipelines and background jobs as dash runs
 * them (a forked copy of the shell per member), except that a pipeline
 * member that is plainly an external command is spawned through
 * libuspawn instead of forking the whole shell.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "eval.h"

/* background jobs not waited for yet ($!, wait) */
struct bgjob {
	pid_t pid;
	int done, status;
};
static struct bgjob *bg;
static unsigned nbg, capbg;

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

/* $? of a wait status; dash names a signal that killed a job (not INT, PIPE) */
int status_of(int ws)
{
	if (!WIFSIGNALED(ws))
		return WEXITSTATUS(ws);
	int sig = WTERMSIG(ws);
	if (sig != SIGINT && sig != SIGPIPE) {
		char buf[64];
		struct out o = {buf, 0, sizeof buf};
		if (sig > 0 && sig < (int)(sizeof signames / sizeof signames[0])) {
			out_str(&o, signames[sig]);
		} else {
			out_str(&o, "Signal ");
			out_uint(&o, sig);
		}
		if (WCOREDUMP(ws))
			out_str(&o, " (core dumped)");
		out_str(&o, "\n");
		write_all(2, buf, o.n);
	}
	return 128 + sig;
}

struct uspawn *jobs_spawner(struct shell *sh)
{
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

pid_t fork_sub(struct shell *sh)
{
	pid_t pid = fork();

	if (pid < 0)
		shell_fail(sh, 2, "Cannot fork", NULL, NULL);
	if (pid == 0) {
		sh->subshell++;
		sh->u = NULL; /* the parent's ring stays the parent's */
		nbg = 0;
		trap_child_reset(sh);
	}
	return pid;
}

int wait_child(struct shell *sh, pid_t pid)
{
	int ws;

	(void)sh;
	while (waitpid(pid, &ws, 0) < 0)
		if (errno != EINTR)
			return 127;
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

int eval_background(struct shell *sh, struct node *n)
{
	pid_t pid = fork_sub(sh);

	if (pid == 0) {
		/* no job control: a background job ignores INT and QUIT, reads nothing */
		if (!trap_set(SIGINT))
			signal(SIGINT, SIG_IGN);
		if (!trap_set(SIGQUIT))
			signal(SIGQUIT, SIG_IGN);
		close(0);
		if (open("/dev/null", O_RDONLY) > 0)
			shell_exit(sh, 2);
		eval_in_child(sh, n->u.sub.body);
	}
	if (nbg == capbg) {
		capbg = capbg ? capbg * 2 : 8;
		bg = realloc(bg, capbg * sizeof *bg);
		if (!bg)
			eval_oom(sh);
	}
	bg[nbg++] = (struct bgjob){pid, 0, 0};
	sh->lastbg = pid;
	return 0;
}

/* drop[3]: fds of the shell's the member must not hold (-1: none) */
static void member_fork(struct shell *sh, struct member *m, struct node *c, int in, int out,
			const int drop[3])
{
	pid_t pid = fork_sub(sh);

	if (pid == 0) {
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
struct member *pipe_start(struct shell *sh, struct node *n, int out, int capture)
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
		if (!simple_spawn(sh, c, prev, p[1], &m[i]))
			member_fork(sh, &m[i], c, prev, p[1], (int[3]){p[0], out, capture});
		if (prev >= 0)
			close(prev);
		if (p[1] >= 0 && p[1] != out)
			close(p[1]);
		prev = p[0];
	}
	return m;
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

static struct bgjob *bg_find(pid_t pid)
{
	for (unsigned i = 0; i < nbg; i++)
		if (bg[i].pid == pid)
			return &bg[i];
	return NULL;
}

/* wait for one background job; a trapped signal interrupts (128 + sig) */
static int bg_wait(struct bgjob *j, int report)
{
	int ws;

	while (!j->done) {
		if (waitpid(j->pid, &ws, 0) == j->pid) {
			j->done = 1;
			/* dash names the signal for `wait PID`, not for a bare wait */
			j->status = report            ? status_of(ws)
				    : WIFSIGNALED(ws) ? 128 + WTERMSIG(ws)
						      : WEXITSTATUS(ws);
			break;
		}
		if (errno != EINTR) {
			j->done = 1;
			j->status = 127;
			break;
		}
		int sig = trap_waiting_sig();
		if (sig)
			return 128 + sig;
	}
	return j->status;
}

static void bg_forget(struct bgjob *j)
{
	*j = bg[--nbg];
}

int jobs_wait(struct shell *sh, int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		while (nbg) {
			int st = bg_wait(&bg[0], 0);
			if (!bg[0].done)
				return st;
			bg_forget(&bg[0]);
		}
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		char *end;
		long pid = strtol(argv[i], &end, 10);
		if (*argv[i] == '%' || *end || end == argv[i] || pid <= 0) {
			shell_msg(sh, "Illegal number: ", argv[i], NULL, NULL);
			return 2;
		}
		struct bgjob *j = bg_find((pid_t)pid);
		if (!j) {
			status = 127;
			continue;
		}
		status = bg_wait(j, 1);
		if (!j->done)
			return status;
		bg_forget(j);
	}
	return status;
}
