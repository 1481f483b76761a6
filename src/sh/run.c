/* SPDX-License-Identifier: MIT */
/*
 * uring-sh's interpreter for parsed lines, in dash's order: expand, apply
 * the redirections to the shell, look the command up, then run a builtin,
 * spawn through libuspawn, or (the line's last command) exec directly.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "run.h"

static const char *lookup_var(void *ctx, const char *name, size_t n)
{
	return var_get(ctx, name, n);
}

static void expander(struct shell *sh, struct expander *x)
{
	x->a = sh->a;
	x->get = lookup_var;
	x->ctx = sh;
	x->status = sh->status;
}

static void oom(struct shell *sh)
{
	sh_error(sh, "out of memory", NULL, NULL, NULL);
	sh_exit(sh, 2);
}

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

/* $? of a wait status; dash reports a job killed by a signal (not INT, PIPE). */
static int wait_status(struct shell *sh, int ws)
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

static int exec_status(int e)
{
	return e == EACCES ? 126 : (e == ENOENT || e == ENOTDIR) ? 127 : 2;
}

/* Assignments before a command: "NAME=value" strings for its environment. */
static const char **prefix_env(struct shell *sh, const struct ush_cmd *c, const char **pathvar)
{
	struct expander x;
	const char **e = ush_alloc(sh->a, (c->nassigns + 1) * sizeof *e);

	expander(sh, &x);
	if (!e)
		oom(sh);
	for (unsigned i = 0; i < c->nassigns; i++) {
		const struct ush_assign *as = &c->assigns[i];
		char *v = expand_string(&x, &as->value);
		char *s = v ? ush_alloc(sh->a, as->n + strlen(v) + 2) : NULL;
		if (!s)
			oom(sh);
		memcpy(s, as->name, as->n);
		s[as->n] = '=';
		strcpy(s + as->n + 1, v);
		e[i] = s;
		if (as->n == 4 && !memcmp(as->name, "PATH", 4))
			*pathvar = s + 5;
	}
	return e;
}

/* dash's shellexec(): try the found entry and every later one. */
static void exec_command(struct shell *sh, struct lookup *lk, char **argv, char **envp,
			 const char *pathvar)
{
	int e = ENOENT;

	for (int idx = lk->idx;; idx++) {
		if (idx >= 0 && path_entry(pathvar, idx, argv[0], lk->path, sizeof lk->path) < 0)
			break;
		execve(lk->path, argv, envp);
		if (errno == ENOEXEC) {
			unsigned n = 0;
			while (argv[n])
				n++;
			char **sa = ush_alloc(sh->a, (n + 2) * sizeof *sa);
			if (sa) {
				sa[0] = "/bin/sh";
				sa[1] = lk->path;
				memcpy(sa + 2, argv + 1, n * sizeof *sa);
				execve("/bin/sh", sa, envp);
			}
		}
		if (idx < 0) {
			e = errno;
			break;
		}
		if (errno != ENOENT && errno != ENOTDIR)
			e = errno;
	}
	sh_error(sh, argv[0], ": ", ush_errmsg(e, USH_E_EXEC), NULL);
	sh_exit(sh, exec_status(e));
}

static struct uspawn *ring(struct shell *sh)
{
	if (!sh->u) {
		/* keep the ring's fd off 0-2, which redirections may have closed */
		int hole[3], nh = 0;
		for (int fd = 0; fd < 3; fd++)
			if (fcntl(fd, F_GETFD) < 0)
				hole[nh++] = fd;
		for (int i = 0; i < nh; i++)
			if (open("/dev/null", O_RDONLY) != hole[i])
				hole[i] = -1;
		/* a small ring: a line has few jobs, and every page costs a fault */
		struct uspawn_opts o = {.ring_entries = 8, .registered_files = 1};
		sh->u = uspawn_open(&o);
		for (int i = 0; i < nh; i++)
			if (hole[i] >= 0)
				close(hole[i]);
		if (!sh->u) {
			sh_error(sh, "Cannot fork", NULL, NULL, NULL);
			sh_exit(sh, 2);
		}
	}
	return sh->u;
}

/* Spawn and wait, trying later $PATH entries after an exec failure as dash does. */
static int spawn_wait(struct shell *sh, struct lookup *lk, char **argv, char **envp,
		      const char *pathvar)
{
	struct uspawn_cmd cmd;
	struct uspawn_event ev;
	int e = ENOENT;

	for (int idx = lk->idx;; idx++) {
		if (idx >= 0 && path_entry(pathvar, idx, argv[0], lk->path, sizeof lk->path) < 0)
			break;
		uspawn_cmd_init(&cmd);
		cmd.path = lk->path;
		cmd.argv = argv;
		cmd.envp = envp;
		if (uspawn_run(ring(sh), &cmd, &ev) < 0 || ev.stage == USPAWN_STAGE_SPAWN ||
		    ev.stage == USPAWN_STAGE_SETUP) {
			sh_error(sh, "Cannot fork", NULL, NULL, NULL);
			return 2;
		}
		if (!ev.error)
			return wait_status(sh, ev.status);
		if (idx < 0) {
			e = ev.error;
			break;
		}
		if (ev.error != ENOENT && ev.error != ENOTDIR)
			e = ev.error;
	}
	sh_error(sh, argv[0], ": ", ush_errmsg(e, USH_E_EXEC), NULL);
	return exec_status(e);
}

static int is_special(int id)
{
	return id == USH_B_COLON || id == USH_B_EXIT || id == USH_B_EXPORT || id == USH_B_SET;
}

static int assign_only(struct shell *sh, const struct ush_cmd *c)
{
	struct saved_fds sv = {0};
	struct expander x;
	int status = 0;

	if (redir_apply(sh, c, &sv) < 0) {
		redir_restore(&sv);
		return 2;
	}
	expander(sh, &x);
	for (unsigned i = 0; i < c->nassigns; i++) {
		char *v = expand_string(&x, &c->assigns[i].value);
		if (!v || var_set(sh, c->assigns[i].name, c->assigns[i].n, v, 0) < 0)
			oom(sh);
	}
	redir_restore(&sv);
	return status;
}

struct job {
	pid_t pid;   /* a forked builtin */
	int spawned; /* a libuspawn job, not reaped yet */
	int status;  /* $? when known without a wait status */
	int ws;      /* the wait status, when has_ws */
	int has_ws;
	const char *name; /* for an exec failure message */
};

/* A pipeline member: dash would exec in the child, trying later $PATH entries. */
static void job_spawn(struct shell *sh, struct job *job, struct lookup *lk, char **argv,
		      char **envp, const char *pathvar)
{
	struct uspawn_cmd cmd;
	char path[sizeof lk->path];

	for (int idx = lk->idx; idx >= 0; idx++) {
		if (path_entry(pathvar, idx, argv[0], path, sizeof path) < 0)
			break;
		if (!faccessat(AT_FDCWD, path, X_OK, AT_EACCESS)) {
			memcpy(lk->path, path, sizeof path);
			break;
		}
	}
	uspawn_cmd_init(&cmd);
	cmd.path = lk->path;
	cmd.argv = argv;
	cmd.envp = envp;
	cmd.user_data = (uintptr_t)job;
	job->name = argv[0];
	job->spawned = 1;
	if (uspawn_submit(ring(sh), &cmd, 1) != 1) {
		job->spawned = 0;
		job->status = 2;
		sh_error(sh, "Cannot fork", NULL, NULL, NULL);
	}
}

/*
 * Run one simple command. last: exec it (the line's last command). job:
 * in a pipeline, start it and leave the waiting to the caller.
 */
static int run_cmd(struct shell *sh, const struct ush_cmd *c, int last, struct job *job)
{
	struct expander x;
	struct argv_vec av = {0};
	struct saved_fds sv = {0};

	sh->lineno = c->lineno;
	last &= sh->exec_last;
	expander(sh, &x);
	for (unsigned i = 0; i < c->nargs; i++)
		if (expand_fields(&x, &c->args[i], &av) < 0)
			oom(sh);
	if (!av.n)
		return assign_only(sh, c);
	int bi = c->builtin;
	if (redir_apply(sh, c, last ? NULL : &sv) < 0) {
		if (is_special(bi))
			sh_exit(sh, 2);
		redir_restore(&sv);
		return 2;
	}
	int status;
	if (bi && job) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(run_builtin(sh, bi, av.v));
		job->pid = pid;
		status = 0;
	} else if (bi) {
		status = run_builtin(sh, bi, av.v);
	} else {
		const char *pathvar = var_get(sh, "PATH", 4);
		const char **pre = prefix_env(sh, c, &pathvar);
		struct lookup lk;
		pathvar = pathvar ? pathvar : DASH_DEFAULT_PATH;
		lookup_command(av.v[0], pathvar, &lk);
		if (lk.error) {
			sh_error(sh, av.v[0], ": ", ush_errmsg(lk.error, USH_E_EXEC), NULL);
			status = 127;
		} else {
			char **envp = child_env(sh, pre, c->nassigns);
			if (!envp)
				oom(sh);
			if (last)
				exec_command(sh, &lk, av.v, envp, pathvar);
			if (job) {
				job_spawn(sh, job, &lk, av.v, envp, pathvar);
				status = job->status;
			} else
				status = spawn_wait(sh, &lk, av.v, envp, pathvar);
		}
	}
	redir_restore(&sv);
	return status;
}

static void wait_jobs(struct shell *sh, struct job *jobs, unsigned n)
{
	unsigned left = 0;
	struct uspawn_event ev[16];

	for (unsigned i = 0; i < n; i++) {
		left += jobs[i].spawned;
		if (jobs[i].pid > 0 && waitpid(jobs[i].pid, &jobs[i].ws, 0) == jobs[i].pid)
			jobs[i].status = wait_status(sh, jobs[i].ws);
	}
	while (left) {
		int got = uspawn_wait(sh->u, ev, 16, -1);
		for (int i = 0; i < got; i++) {
			if (ev[i].type != USPAWN_EV_EXIT)
				continue;
			struct job *j = (struct job *)(uintptr_t)ev[i].user_data;
			j->spawned = 0;
			left--;
			if (ev[i].error) {
				sh_error(sh, j->name, ": ", ush_errmsg(ev[i].error, USH_E_EXEC),
					 NULL);
				j->status = exec_status(ev[i].error);
			} else {
				j->status = wait_status(sh, ev[i].status);
			}
		}
	}
}

static int run_pipeline(struct shell *sh, const struct ush_pipeline *pl, int last)
{
	int st;

	if (pl->ncmds == 1) {
		st = run_cmd(sh, &pl->cmds[0], last && !pl->bang, NULL);
		return pl->bang ? !st : st;
	}
	struct job *jobs = ush_alloc(sh->a, pl->ncmds * sizeof *jobs);
	int prev = -1;
	if (!jobs)
		oom(sh);
	memset(jobs, 0, pl->ncmds * sizeof *jobs);
	for (unsigned i = 0; i < pl->ncmds; i++) {
		int p[2] = {-1, -1};
		struct saved_fds sv = {0};
		if (i + 1 < pl->ncmds && pipe2(p, O_CLOEXEC) < 0)
			oom(sh);
		if (prev >= 0 && fd_save(&sv, 0) == 0)
			dup2(prev, 0);
		if (p[1] >= 0 && fd_save(&sv, 1) == 0)
			dup2(p[1], 1);
		jobs[i].status = run_cmd(sh, &pl->cmds[i], 0, &jobs[i]);
		redir_restore(&sv);
		if (prev >= 0)
			close(prev);
		if (p[1] >= 0)
			close(p[1]);
		prev = p[0];
	}
	wait_jobs(sh, jobs, pl->ncmds);
	st = jobs[pl->ncmds - 1].status;
	return pl->bang ? !st : st;
}

static void run_andor(struct shell *sh, const struct ush_andor *ao, int last)
{
	for (unsigned i = 0; i < ao->npipes; i++) {
		if (i > 0 && (ao->ops[i - 1] == '&') != (sh->status == 0))
			continue;
		sh->status = run_pipeline(sh, &ao->pipes[i], last && i + 1 == ao->npipes);
		if (sh->errexit && sh->status && !ao->pipes[i].bang && i + 1 == ao->npipes)
			sh_exit(sh, sh->status);
	}
}

void run_line(struct shell *sh, struct ush_line *line)
{
	for (unsigned i = 0; i < line->nitems; i++)
		run_andor(sh, &line->items[i], i + 1 == line->nitems);
	sh_exit(sh, sh->status);
}
