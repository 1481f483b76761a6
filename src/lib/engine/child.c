/* SPDX-License-Identifier: MIT */
/*
 * The child side of the vfork and fork engines. Everything here runs in a
 * process that may share the parent's memory: raw syscalls only, no libc,
 * no sanitizer hooks, no writes to anything but the plan's error fields and
 * this stack.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stddef.h>
#include <sys/syscall.h>

#include "engine/child.h"
#include "engine/sys.h"

#define CHILD __attribute__((noinline, no_sanitize("address", "undefined")))

/* The kernel's sigaction layout (rt_sigaction takes this, not libc's). */
struct ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	unsigned long mask;
};

#define KSIG_DFL ((void *)0)
#define KSIG_IGN ((void *)1)
#define KSIG_MAX 64

CHILD static size_t cstrlen(const char *s)
{
	const volatile char *p = s;

	while (*p)
		p++;
	return (size_t)(p - s);
}

CHILD static void ccopy(char *dst, const char *src, size_t n)
{
	volatile char *d = dst;

	while (n--)
		*d++ = *src++;
}

CHILD static int has_slash(const char *s)
{
	for (; *s; s++)
		if (*s == '/')
			return 1;
	return 0;
}

CHILD static int in_set(const sigset_t *set, int sig)
{
	const unsigned long *w = (const unsigned long *)set;
	unsigned bit = (unsigned)sig - 1;

	return (w[bit / (8 * sizeof(long))] >> (bit % (8 * sizeof(long)))) & 1;
}

CHILD static void reset_handlers(const struct child_plan *p)
{
	struct ksigaction sa = {0};

	for (int sig = 1; sig <= KSIG_MAX; sig++) {
		if (sig == SIGKILL || sig == SIGSTOP)
			continue;
		int forced = (p->flags & USPAWN_SIGDEFAULT) && in_set(&p->sigdefault, sig);
		if (!forced && !p->clear_handlers)
			continue;
		if (!forced) {
			struct ksigaction old;
			if (sys4(SYS_rt_sigaction, sig, NULL, &old, 8) < 0)
				continue;
			if (old.handler == KSIG_DFL || old.handler == KSIG_IGN)
				continue;
		}
		sys4(SYS_rt_sigaction, sig, &sa, NULL, 8);
	}
}

CHILD static long do_action(const struct child_fa *a)
{
	long fd;

	switch (a->op) {
	case USPAWN_FA_CLOSE:
		fd = sys1(SYS_close, a->fd);
		return fd == -EBADF ? 0 : fd;
	case USPAWN_FA_DUP2:
	case USPAWN_FA_INSTALL:
		if (a->src == a->fd) {
			/* posix_spawn's rule: dup2 onto itself keeps the fd across exec */
			long fl = sys2(SYS_fcntl, a->fd, F_GETFD);
			if (fl < 0)
				return fl;
			return sys3(SYS_fcntl, a->fd, F_SETFD, fl & ~FD_CLOEXEC);
		}
		return sys3(SYS_dup3, a->src, a->fd, 0);
	case USPAWN_FA_OPEN:
		fd = sys4(SYS_openat, AT_FDCWD, a->path, a->oflag, a->mode);
		if (fd < 0 || fd == a->fd)
			return fd;
		long r = sys3(SYS_dup3, fd, a->fd, 0);
		sys1(SYS_close, fd);
		return r;
	}
	return -EINVAL;
}

/* execve, and for a script without #! what execvp does: run it with /bin/sh. */
CHILD static long exec_one(const struct child_plan *p, const char *file)
{
	long r = sys3(SYS_execve, file, p->argv, p->envp);

	if (r != -ENOEXEC || (p->flags & USPAWN_NO_SH_FALLBACK))
		return r;
	size_t argc = 0;
	while (p->argv[argc])
		argc++;
	const char *sh_argv[argc + 2];
	sh_argv[0] = "/bin/sh";
	sh_argv[1] = file;
	for (size_t i = 1; i <= argc; i++)
		sh_argv[i + 1] = p->argv[i];
	sys3(SYS_execve, "/bin/sh", sh_argv, p->envp);
	return -ENOEXEC;
}

/* execvp's search: ENOENT/ENOTDIR go on, EACCES is remembered, others stop. */
CHILD static long exec_search(const struct child_plan *p)
{
	const char *file = p->file;
	size_t flen = cstrlen(file);

	if (!flen)
		return -ENOENT;
	if (!p->path_env || has_slash(file))
		return exec_one(p, file);
	if (flen > NAME_MAX)
		return -ENAMETOOLONG;

	char buf[PATH_MAX + NAME_MAX + 2];
	long ret = -ENOENT;
	int seen_eacces = 0;
	const char *dir = p->path_env;

	for (;;) {
		const char *end = dir;
		while (*end && *end != ':')
			end++;
		size_t dlen = (size_t)(end - dir);
		if (dlen <= PATH_MAX) {
			/* an empty PATH element means the current directory */
			ccopy(buf, dir, dlen);
			size_t n = dlen;
			if (n)
				buf[n++] = '/';
			ccopy(buf + n, file, flen + 1);
			ret = exec_one(p, buf);
			if (ret == -EACCES)
				seen_eacces = 1;
			else if (ret != -ENOENT && ret != -ENOTDIR && ret != -ENAMETOOLONG)
				return ret;
		}
		if (!*end)
			break;
		dir = end + 1;
	}
	return seen_eacces ? -EACCES : ret;
}

CHILD static int fail(struct child_plan *p, int stage, unsigned index, long err)
{
	p->err = (int)-err;
	p->stage = stage;
	p->stage_index = index;
	if (p->err_fd >= 0) {
		int msg[3] = {(int)-err, stage, (int)index};
		sys3(SYS_write, p->err_fd, msg, sizeof msg);
	}
	return 127;
}

CHILD int child_run(void *arg)
{
	struct child_plan *p = arg;
	long r;

	reset_handlers(p);
	if ((p->flags & USPAWN_SETSID) && (r = sys0(SYS_setsid)) < 0)
		return fail(p, USPAWN_STAGE_SETUP, 0, r);
	if ((p->flags & USPAWN_SETPGROUP) && (r = sys2(SYS_setpgid, 0, p->pgroup)) < 0)
		return fail(p, USPAWN_STAGE_SETUP, 0, r);
	if (p->cwd && (r = sys1(SYS_chdir, p->cwd)) < 0)
		return fail(p, USPAWN_STAGE_CWD, 0, r);
	for (unsigned i = 0; i < p->n_fa; i++)
		if ((r = do_action(&p->fa[i])) < 0)
			return fail(p, USPAWN_STAGE_ACTION, i, r);
	if (p->set_mask)
		sys4(SYS_rt_sigprocmask, SIG_SETMASK, &p->mask, NULL, 8);
	r = exec_search(p);
	/* block again so that nothing runs a handler before we exit */
	sigset_t all;
	for (size_t i = 0; i < sizeof all / sizeof(long); i++)
		((volatile unsigned long *)&all)[i] = ~0ul;
	sys4(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, 8);
	return fail(p, USPAWN_STAGE_EXEC, 0, r);
}
