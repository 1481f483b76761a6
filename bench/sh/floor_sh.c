/* SPDX-License-Identifier: MIT */
/*
 * floor-sh: the least a SHELL can cost for bench.sh's 400-target build.
 *
 * `floor-sh -c LINE` splits LINE at blanks and runs its commands joined by
 * `&&` and `||`, left to right. It knows only what those recipes use: the
 * built-ins cd, echo, test -f, exit, true and `:`, and `> FILE` at the end
 * of a command. Any other word starts an external command, found on PATH,
 * vforked and waited for, or exec'd in place when it is the line's last (as
 * dash and uring-sh do). There is no quoting, no expansion and no variable:
 * a line that needs them is refused with status 2, so that the benchmark
 * never times a build that went wrong. Built static, so that even its own
 * start-up costs less than any real shell's.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define MAX_WORDS 64

enum join { JOIN_NONE, JOIN_AND, JOIN_OR };

struct command {
	char *argv[MAX_WORDS + 1];
	const char *out; /* `> FILE`, or NULL */
};

static void refuse(const char *line, const char *why)
{
	fprintf(stderr, "floor-sh: %s: %s\n", line, why);
	exit(2);
}

/* Only plain words: anything a real shell would interpret is refused. */
static void check_chars(const char *line)
{
	for (const char *p = line; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789_./+-=,:@%&|> \t",
			    *p))
			refuse(line, "a character this floor does not interpret");
}

/* Path of an external command: NAME itself when it has a slash. */
static const char *find(const char *name, char *buf, size_t size)
{
	if (strchr(name, '/'))
		return name;
	const char *path = getenv("PATH");
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");
		if (snprintf(buf, size, "%.*s/%s", (int)n, path, name) < (int)size &&
		    access(buf, X_OK) == 0)
			return buf;
		path += n + (path[n] == ':');
	}
	return NULL;
}

static int open_out(const struct command *c)
{
	if (!c->out)
		return 1;
	int fd = open(c->out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0)
		fprintf(stderr, "floor-sh: %s: %s\n", c->out, strerror(errno));
	return fd;
}

static int builtin_echo(const struct command *c)
{
	int fd = open_out(c);
	if (fd < 0)
		return 1;
	for (int i = 1; c->argv[i]; i++) {
		if (i > 1)
			dprintf(fd, " ");
		dprintf(fd, "%s", c->argv[i]);
	}
	dprintf(fd, "\n");
	if (fd != 1)
		close(fd);
	return 0;
}

static int builtin_test(const struct command *c)
{
	struct stat st;

	if (!c->argv[1] || strcmp(c->argv[1], "-f") || !c->argv[2] || c->argv[3]) {
		fprintf(stderr, "floor-sh: test: only `test -f FILE` is known\n");
		return 2;
	}
	return !(stat(c->argv[2], &st) == 0 && S_ISREG(st.st_mode));
}

/* Returns the command's status, or -1 when it is not a built-in. */
static int builtin(const struct command *c)
{
	const char *name = c->argv[0];

	if (!strcmp(name, "cd")) {
		if (!c->argv[1] || chdir(c->argv[1])) {
			fprintf(stderr, "floor-sh: cd: %s\n",
				strerror(c->argv[1] ? errno : EINVAL));
			return 2;
		}
		return 0;
	}
	if (!strcmp(name, "echo"))
		return builtin_echo(c);
	if (!strcmp(name, "test"))
		return builtin_test(c);
	if (!strcmp(name, "exit"))
		exit(c->argv[1] ? atoi(c->argv[1]) : 0);
	if (!strcmp(name, "true") || !strcmp(name, ":"))
		return 0;
	return -1;
}

/* In the command's own process: the redirection, then the exec. */
static _Noreturn void exec_command(const struct command *c, const char *path)
{
	if (c->out) {
		int fd = open_out(c);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(1);
	}
	execve(path, c->argv, environ);
	_exit(126 + (errno == ENOENT));
}

/* vfork in a function of its own: nothing of the caller's lives across it */
static int spawn_and_wait(const struct command *c, const char *path)
{
	int status;
	pid_t pid = vfork();

	if (pid < 0)
		return 2;
	if (pid == 0)
		exec_command(c, path);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return 2;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run(const struct command *c, int last)
{
	char buf[4096];
	int status = builtin(c);

	if (status >= 0)
		return status;
	const char *path = find(c->argv[0], buf, sizeof buf);
	if (!path) {
		fprintf(stderr, "floor-sh: %s: not found\n", c->argv[0]);
		return 127;
	}
	if (last)
		exec_command(c, path);
	return spawn_and_wait(c, path);
}

/* Parses words up to the next `&&`, `||` or the end; returns the join after it. */
static enum join parse(char **save, struct command *c, const char *line)
{
	int n = 0;
	char *w;

	c->out = NULL;
	while ((w = strtok_r(NULL, " \t", save))) {
		if (!strcmp(w, "&&") || !strcmp(w, "||")) {
			if (!n)
				refuse(line, "an operator without a command");
			c->argv[n] = NULL;
			return w[0] == '&' ? JOIN_AND : JOIN_OR;
		}
		if (!strcmp(w, ">")) {
			if (!(c->out = strtok_r(NULL, " \t", save)))
				refuse(line, "`>` without a file");
			continue;
		}
		if (strchr(w, '&') || strchr(w, '|') || strchr(w, '>') || c->out)
			refuse(line, "an operator this floor does not know");
		if (n == MAX_WORDS)
			refuse(line, "too many words");
		c->argv[n++] = w;
	}
	if (!n)
		refuse(line, "no command");
	c->argv[n] = NULL;
	return JOIN_NONE;
}

int main(int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "-c")) {
		fprintf(stderr, "usage: floor-sh -c LINE\n");
		return 2;
	}
	check_chars(argv[2]);
	/* strtok_r(NULL, ...) goes on from save, here the line's start */
	char *save = strdup(argv[2]);
	int status = 0;
	enum join before = JOIN_NONE, after;
	do {
		struct command c;
		after = parse(&save, &c, argv[2]);
		int skip = (before == JOIN_AND && status) || (before == JOIN_OR && !status);
		if (!skip)
			status = run(&c, after == JOIN_NONE);
		before = after;
	} while (after != JOIN_NONE);
	return status;
}
