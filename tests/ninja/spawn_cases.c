/* SPDX-License-Identifier: MIT */
/*
 * spawn_cases PROBE DIR N: posix_spawn case N (every kind of file action
 * and attribute, sh -c lines, failures) and print what came back: the
 * return value and the wait status. The child (spawn_probe) prints what it
 * saw. Run with and without the preload, the output must be the same.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static const char *probe, *dir;
static char buf[4096];

static void on_usr2(int s)
{
	(void)s;
}

/* The state every case starts from: ignored, caught and blocked signals, inherited fds. */
static void parent_state(void)
{
	sigset_t set;

	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, on_usr2);
	signal(SIGPIPE, SIG_IGN);
	sigemptyset(&set);
	sigaddset(&set, SIGHUP);
	sigprocmask(SIG_BLOCK, &set, NULL);
	dup2(open("/dev/null", O_RDONLY | O_CLOEXEC), 9);
	fcntl(9, F_SETFD, FD_CLOEXEC);
	dup2(open("/dev/zero", O_RDONLY), 8);
}

static const char *in_dir(const char *name)
{
	snprintf(buf, sizeof buf, "%s/%s", dir, name);
	return strdup(buf);
}

static int run(int n, pid_t *pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t set;
	char *argv[] = {(char *)probe, "arg1", NULL, NULL};
	char *sh[] = {"/bin/sh", "-c", buf, NULL};
	struct sched_param sp = {0};

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	sigemptyset(&set);
	switch (n) {
	case 0: /* nothing */
		return posix_spawn(pid, probe, NULL, NULL, argv, environ);
	case 1: /* every file action */
		posix_spawn_file_actions_addopen(&fa, 5, in_dir("out5"),
						 O_WRONLY | O_CREAT | O_TRUNC, 0644);
		posix_spawn_file_actions_adddup2(&fa, 5, 7);
		posix_spawn_file_actions_addclose(&fa, 8);
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
		posix_spawn_file_actions_adddup2(&fa, 9, 9); /* clears FD_CLOEXEC */
		posix_spawn_file_actions_addopen(&fa, 11, in_dir("app"),
						 O_WRONLY | O_CREAT | O_APPEND, 0600);
		posix_spawn_file_actions_addclose(&fa, 17); /* not open: no error */
		break;
	case 2: /* signal attributes and a process group */
		sigaddset(&set, SIGTERM);
		posix_spawnattr_setsigmask(&at, &set);
		sigemptyset(&set);
		sigaddset(&set, SIGUSR1);
		posix_spawnattr_setsigdefault(&at, &set);
		posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF |
						      POSIX_SPAWN_SETPGROUP);
		break;
	case 3: /* a session */
		posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID);
		break;
	case 4: /* chdir first, then an action relative to it */
		posix_spawn_file_actions_addchdir_np(&fa, dir);
		posix_spawn_file_actions_addopen(&fa, 6, "rel", O_WRONLY | O_CREAT | O_TRUNC, 0644);
		break;
	case 5: /* PATH search */
		argv[0] = "spawn_probe";
		return posix_spawnp(pid, "spawn_probe", NULL, NULL, argv, environ);
	case 6: /* not there */
		return posix_spawn(pid, in_dir("missing"), NULL, NULL, argv, environ);
	case 7: /* an action that fails */
		posix_spawn_file_actions_addopen(&fa, 3, "/nonexistent/x", O_RDONLY, 0);
		break;
	case 8: /* sh -c: one command with redirections (spawned directly) */
		snprintf(buf, sizeof buf, "PROBE_VAR=x %s arg1 exit7 > %s/sh8 < /dev/null", probe,
			 dir);
		return posix_spawn(pid, "/bin/sh", NULL, NULL, sh, environ);
	case 9: /* sh -c: a list (uring-sh) */
		snprintf(buf, sizeof buf, "echo one && %s arg1 > /dev/null; exit 3", probe);
		return posix_spawn(pid, "/bin/sh", NULL, NULL, sh, environ);
	case 10: /* scheduling: the real posix_spawn */
		posix_spawnattr_setschedpolicy(&at, SCHED_OTHER);
		posix_spawnattr_setschedparam(&at, &sp);
		posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSCHEDULER);
		break;
	case 11: /* sh -c: not found */
		snprintf(buf, sizeof buf, "no_such_command_here arg");
		return posix_spawn(pid, "/bin/sh", NULL, NULL, sh, environ);
	case 12: /* sh -c: permission denied */
		snprintf(buf, sizeof buf, "%s/noexec arg", dir);
		return posix_spawn(pid, "/bin/sh", NULL, NULL, sh, environ);
	case 13: /* sh -c: a redirection that fails */
		snprintf(buf, sizeof buf, "%s arg1 > /nonexistent/dir/file", probe);
		return posix_spawn(pid, "/bin/sh", NULL, NULL, sh, environ);
	case 14: /* sh -c with the caller's own actions (as ninja: a pipe onto 1 and 2) */
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
		posix_spawn_file_actions_addopen(&fa, 1, in_dir("sh14"),
						 O_WRONLY | O_CREAT | O_TRUNC, 0644);
		posix_spawn_file_actions_adddup2(&fa, 1, 2);
		posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
		snprintf(buf, sizeof buf, "%s arg1", probe);
		return posix_spawn(pid, "/bin/sh", &fa, &at, sh, environ);
	default:
		return -1;
	}
	return posix_spawn(pid, probe, &fa, &at, argv, environ);
}

int main(int argc, char **argv)
{
	pid_t pid = 0;
	int st = 0;

	if (argc != 4)
		return 2;
	probe = argv[1];
	dir = argv[2];
	parent_state();
	snprintf(buf, sizeof buf, "%ld", (long)getpid());
	setenv("PROBE_SPAWNER", buf, 1);
	int r = run(atoi(argv[3]), &pid);
	if (r == 0 && waitpid(pid, &st, 0) != pid)
		printf("waitpid: %s\n", strerror(errno));
	fflush(stdout);
	printf("ret=%s status=%#x\n", r ? strerror(r) : "0", st);
	return 0;
}
