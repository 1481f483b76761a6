/* SPDX-License-Identifier: MIT */
/*
 * The security model of IORING_OP_CLONE / IORING_OP_EXEC (spawn spec §1.8):
 * an io_uring spawn never gives a process more than clone() + execve() by
 * the submitting thread would. Run inside the test VM, as root and as an
 * unprivileged uid; cases that need root say so and skip. Each case runs
 * in a forked child, so that the no_new_privs, seccomp filters, uids and
 * namespaces it takes on stay out of the next case.
 *   ksecurity [CASE...]   copy seccomp setid audit ptrace pdeath oom rlimit
 *                         landlock (all)
 * USPAWN_REQUIRE_LANDLOCK=1: a kernel without Landlock fails the landlock
 * case instead of skipping it (every VM kernel has Landlock: uspawn.config).
 */
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/landlock.h>
#include <linux/netlink.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>

#include "kchain.h"
#include "ktest.h"

#ifndef AUDIT_ARCH_X86_64
#define AUDIT_ARCH_X86_64 0xc000003e
#endif

/* What a spawn did: the CLONE and EXEC results, the child's wait status. */
struct spawned {
	int clone_res, exec_res, status;
};

/* CLONE (LINK | clone_flags) -> EXEC path argv (exec_flags); wait for the child. */
static struct spawned spawn_flags(struct io_uring *ring, unsigned clone_flags, const char *path,
				  char **argv, unsigned exec_flags)
{
	struct spawned s = {NOT_SEEN, NOT_SEEN, -1};
	struct chain c;

	chain_init(&c, ring);
	add_clone(&c, IOSQE_IO_LINK | clone_flags);
	add_exec(&c, path, argv, exec_flags);
	run(&c);
	s.clone_res = c.res[0];
	s.exec_res = c.res[1];
	if (s.clone_res > 0)
		s.status = wait_pid(s.clone_res);
	return s;
}

static struct spawned spawn(struct io_uring *ring, unsigned clone_flags, const char *path,
			    char **argv)
{
	return spawn_flags(ring, clone_flags, path, argv, 0);
}

static bool exited(int st, int code)
{
	return st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == code;
}

/* Run fn in a forked child; its checks land in the shared TAP counts. */
static void in_child(const char *what, void (*fn)(void))
{
	int st;
	pid_t pid = fork();

	if (pid == 0) {
		alarm(300);
		fn();
		fflush(stdout);
		_exit(0);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (!exited(st, 0))
		ktest_ok(0, "%s: the case's process died (status %#x)", what, st);
}

static void ring_or_die(struct io_uring *ring)
{
	if (io_uring_queue_init(16, ring, 0) < 0) {
		ktest_ok(0, "io_uring_queue_init");
		_exit(0);
	}
}

/*
 * Give this thread an io-wq worker that outlives what follows: a worker
 * is a copy of the thread made when it was created, and the last one of
 * an io-wq does not idle out.
 */
static void make_worker(struct io_uring *ring)
{
	struct chain c;

	chain_init(&c, ring);
	add_nop(&c, 0, IOSQE_ASYNC);
	run(&c);
}

/* A filter: NR gets ACTION, everything else is allowed. */
static int deny(int nr, unsigned action)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (unsigned)nr, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, action),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = sizeof(f) / sizeof(f[0]), .filter = f};

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

static bool nnp_and_deny(int nr, unsigned action)
{
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 || deny(nr, action) < 0) {
		ktest_ok(0, "seccomp filter setup: %s", strerror(errno));
		return false;
	}
	return true;
}

static char euid_str[16];
static char *argv_nnp[] = {"status", "NoNewPrivs", "1", "Seccomp", "2", NULL};
static char *argv_mkdir[] = {"trymkdir", "/tmp/ksecurity-mkdir", NULL};

/*
 * copy: the child is a copy of the submitting thread, whichever thread
 * issues the CLONE. The thread gets an io-wq worker first, then takes on
 * no_new_privs, a seccomp filter (no TSYNC: the worker keeps none), CPU 1
 * only and, as root, a UTS namespace and a uid of its own (a raw
 * setresuid: this thread only). Inline, IOSQE_ASYNC and drained CLONEs
 * must all give a child with all of it; the old series copied the worker
 * for the last two.
 */
static void copy_case(void)
{
	static const struct {
		unsigned clone_flags, exec_flags;
		const char *name;
	} paths[] = {
		{0, 0, "inline"},
		{IOSQE_ASYNC, 0, "IOSQE_ASYNC"},
		{0, IOSQE_IO_DRAIN, "drained"},
	};
	static char *argv_aff[] = {"affinity", "2", NULL};
	static char *argv_uts[] = {"uname", "ksecurity-inner", NULL};
	static char *argv_ids[] = {"ids", "1000", NULL};
	bool smp = sysconf(_SC_NPROCESSORS_ONLN) > 1, root = geteuid() == 0;
	struct io_uring ring;
	cpu_set_t one;

	ring_or_die(&ring);
	make_worker(&ring);
	if (!nnp_and_deny(SYS_mkdir, SECCOMP_RET_ERRNO | EMLINK))
		return;
	CPU_ZERO(&one);
	CPU_SET(1, &one);
	if (smp && sched_setaffinity(0, sizeof(one), &one) < 0)
		smp = false;
	if (root && (unshare(CLONE_NEWUTS) < 0 ||
		     sethostname("ksecurity-inner", strlen("ksecurity-inner")) < 0)) {
		ktest_ok(0, "copy: unshare(CLONE_NEWUTS): %s", strerror(errno));
		root = false;
	}
	if (root && syscall(SYS_setresuid, 1000, 1000, 1000) < 0)
		root = false;
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		unsigned cf = paths[i].clone_flags, ef = paths[i].exec_flags;
		struct spawned s = spawn_flags(&ring, cf, "/bin/status", argv_nnp, ef);

		ktest_ok(s.clone_res > 0 && exited(s.status, 0),
			 "copy %s CLONE: the child has the thread's no_new_privs and seccomp "
			 "filter (CLONE %d, EXEC %d, status %#x)",
			 paths[i].name, s.clone_res, s.exec_res, s.status);
		unlink(argv_mkdir[1]);
		s = spawn_flags(&ring, cf, "/bin/trymkdir", argv_mkdir, ef);
		ktest_ok(exited(s.status, EMLINK),
			 "copy %s CLONE: the exec'd child is still filtered (mkdir -> EMLINK, "
			 "status %#x)",
			 paths[i].name, s.status);
		if (smp) {
			s = spawn_flags(&ring, cf, "/bin/affinity", argv_aff, ef);
			ktest_ok(exited(s.status, 0),
				 "copy %s CLONE: the thread's CPU affinity (status %#x)",
				 paths[i].name, s.status);
		}
		if (root) {
			s = spawn_flags(&ring, cf, "/bin/uname", argv_uts, ef);
			ktest_ok(exited(s.status, 0),
				 "copy %s CLONE: the thread's UTS namespace (status %#x)",
				 paths[i].name, s.status);
			s = spawn_flags(&ring, cf, "/bin/ids", argv_ids, ef);
			ktest_ok(exited(s.status, 0),
				 "copy %s CLONE: the thread's uid, not the worker's (status %#x)",
				 paths[i].name, s.status);
		}
	}
	io_uring_queue_exit(&ring);
}

static volatile sig_atomic_t sigsys_seen;

static void on_sigsys(int sig)
{
	sigsys_seen++;
}

/* One filter, one spawn: the CLONE and EXEC results. */
static void seccomp_one(const char *what, int nr, unsigned action, int want_clone, int want_exec)
{
	struct io_uring ring;
	struct spawned s;

	ring_or_die(&ring);
	if (!nnp_and_deny(nr, action))
		return;
	s = spawn(&ring, 0, "/bin/true", argv_true);
	bool clone_ok = want_clone == 1 ? s.clone_res > 0 : s.clone_res == want_clone;
	bool child_ok = want_clone == 1 ? (want_exec == 0 ? exited(s.status, 0) : killed(s.status))
					: no_children();
	ktest_ok(clone_ok && s.exec_res == want_exec && child_ok && !sigsys_seen,
		 "seccomp %s: CLONE %d, EXEC %d, child %#x (want %s, %d)", what, s.clone_res,
		 s.exec_res, s.status, want_clone == 1 ? "a pid" : "an error", want_exec);
}

static void seccomp_execve(void)
{
	seccomp_one("execve -> ERRNO(133)", SYS_execve, SECCOMP_RET_ERRNO | 133, 1, -133);
}

static void seccomp_execveat(void)
{
	seccomp_one("execveat -> ERRNO(134)", SYS_execveat, SECCOMP_RET_ERRNO | 134, 1, -134);
}

static void seccomp_clone(void)
{
	seccomp_one("clone -> ERRNO(135): no child", SYS_clone, SECCOMP_RET_ERRNO | 135, -135,
		    -ECANCELED);
}

static void seccomp_kill(void)
{
	/* refused, not acted on: this process lives to report it */
	seccomp_one("execve -> KILL_PROCESS", SYS_execve, SECCOMP_RET_KILL_PROCESS, 1, -EPERM);
}

static void seccomp_trap(void)
{
	struct sigaction sa = {.sa_handler = on_sigsys};

	sigaction(SIGSYS, &sa, NULL);
	seccomp_one("execve -> TRAP: no SIGSYS", SYS_execve, SECCOMP_RET_TRAP, 1, -EPERM);
}

static void seccomp_allow(void)
{
	struct io_uring ring;
	struct spawned s;

	ring_or_die(&ring);
	if (!nnp_and_deny(SYS_mkdir, SECCOMP_RET_ERRNO | EMLINK))
		return;
	s = spawn(&ring, 0, "/bin/status", argv_nnp);
	ktest_ok(s.clone_res > 0 && s.exec_res == 0 && exited(s.status, 0),
		 "seccomp allowing clone and exec: the spawn works, the child is filtered "
		 "(status %#x)",
		 s.status);
	unlink(argv_mkdir[1]);
	s = spawn(&ring, 0, "/bin/trymkdir", argv_mkdir);
	ktest_ok(exited(s.status, EMLINK), "seccomp: the exec'd child's mkdir -> EMLINK (%#x)",
		 s.status);
}

/*
 * seccomp: a filter denying clone(2) denies the CLONE, one denying
 * execve(2) or execveat(2) the EXEC, with the filter's errno; actions that
 * would kill or signal give -EPERM and do neither. A filter allowing both
 * lets the spawn through and the child keeps it. (The old series ran no
 * filter: every spawn here worked.)
 */
static void seccomp_case(void)
{
	in_child("seccomp execve", seccomp_execve);
	in_child("seccomp execveat", seccomp_execveat);
	in_child("seccomp clone", seccomp_clone);
	in_child("seccomp kill", seccomp_kill);
	in_child("seccomp trap", seccomp_trap);
	in_child("seccomp allow", seccomp_allow);
}

static void setid_plain(void)
{
	static char *argv_2000[] = {"ids", "2000", NULL};
	struct io_uring ring;
	struct spawned s;

	ring_or_die(&ring);
	s = spawn(&ring, 0, "/tmp/suid-ids", argv_2000);
	ktest_ok(exited(s.status, 0), "setid: a set-uid 2000 program runs as euid 2000 (%#x)",
		 s.status);
}

static void setid_nnp(void)
{
	static char *argv_me[] = {"ids", euid_str, NULL};
	struct io_uring ring;
	struct spawned s;

	ring_or_die(&ring);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return;
	s = spawn(&ring, 0, "/tmp/suid-ids", argv_me);
	ktest_ok(exited(s.status, 0),
		 "setid with no_new_privs: the set-uid bit is ignored, euid %s (%#x)", euid_str,
		 s.status);
}

static void setid_nnp_async(void)
{
	static char *argv_me[] = {"ids", euid_str, NULL};
	struct io_uring ring;
	struct spawned s;

	ring_or_die(&ring);
	make_worker(&ring);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return;
	s = spawn(&ring, IOSQE_ASYNC, "/tmp/suid-ids", argv_me);
	ktest_ok(exited(s.status, 0),
		 "setid: no_new_privs set after the io-wq worker, IOSQE_ASYNC CLONE: euid "
		 "stays %s (%#x)",
		 euid_str, s.status);
}

/* setid: set-uid exec from a chain, with and without no_new_privs. */
static void setid_case(void)
{
	if (access("/tmp/suid-ids", X_OK) < 0) {
		printf("# setid skipped: no /tmp/suid-ids (kinit makes it)\n");
		return;
	}
	in_child("setid", setid_plain);
	in_child("setid nnp", setid_nnp);
	in_child("setid nnp async", setid_nnp_async);
}

/* audit: send one netlink request, wait for its ack. */
static int audit_request(int fd, int type, const void *data, size_t len)
{
	struct {
		struct nlmsghdr nh;
		char body[1024];
	} req = {0}, ack;

	req.nh.nlmsg_len = NLMSG_LENGTH(len);
	req.nh.nlmsg_type = (unsigned short)type;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	req.nh.nlmsg_seq = (unsigned)type;
	memcpy(req.body, data, len);
	if (send(fd, &req, req.nh.nlmsg_len, 0) < 0)
		return -errno;
	for (int i = 0; i < 50; i++) {
		ssize_t n = recv(fd, &ack, sizeof(ack), MSG_DONTWAIT);
		if (n < 0) {
			usleep(10000);
			continue;
		}
		if (ack.nh.nlmsg_type == NLMSG_ERROR)
			return ((struct nlmsgerr *)NLMSG_DATA(&ack.nh))->error;
	}
	return -ETIMEDOUT;
}

static int audit_set(int fd, unsigned enabled, unsigned pid)
{
	struct audit_status st = {
		.mask = AUDIT_STATUS_ENABLED | AUDIT_STATUS_PID, .enabled = enabled, .pid = pid};

	return audit_request(fd, AUDIT_SET, &st, sizeof(st));
}

static int audit_rule(int fd, int type, unsigned list, const int *nrs, int n, bool arch)
{
	struct audit_rule_data r = {.flags = list, .action = AUDIT_ALWAYS};

	for (int i = 0; i < n; i++)
		r.mask[nrs[i] / 32] |= 1u << (nrs[i] % 32);
	if (arch) {
		r.field_count = 1;
		r.fields[0] = AUDIT_ARCH;
		r.fieldflags[0] = AUDIT_EQUAL;
		r.values[0] = AUDIT_ARCH_X86_64;
	}
	return audit_request(fd, type, &r, sizeof(r));
}

/* Collect audit records (text, one per line, "TYPE text") for secs. */
static size_t audit_collect(int fd, char *out, size_t size, int secs)
{
	size_t used = 0;

	for (int t = 0; t < secs * 20; t++) {
		char buf[8192];
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n < 0) {
			usleep(50000);
			continue;
		}
		/* one record per datagram; audit's nlmsg_len leaves out the header */
		struct nlmsghdr *nh = (struct nlmsghdr *)buf;
		if (n <= NLMSG_HDRLEN)
			continue;
		int w = snprintf(out + used, size - used, "%u %.*s\n", nh->nlmsg_type,
				 (int)(n - NLMSG_HDRLEN), (char *)NLMSG_DATA(nh));
		if (w > 0 && used + (size_t)w < size)
			used += (size_t)w;
	}
	return used;
}

/* The record of TYPE that contains every one of the words. */
static bool audit_has(const char *log, unsigned type, const char *w1, const char *w2,
		      const char *w3)
{
	char prefix[16];
	int plen = snprintf(prefix, sizeof(prefix), "%u ", type);

	for (const char *line = log; *line;) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		char rec[4096];
		snprintf(rec, sizeof(rec), "%.*s", (int)len, line);
		if (!strncmp(rec, prefix, (size_t)plen) && strstr(rec, w1) &&
		    (!w2 || strstr(rec, w2)) && (!w3 || strstr(rec, w3)))
			return true;
		line += len + (end ? 1 : 0);
	}
	return false;
}

/*
 * Spawn in a process forked after audit was enabled: tasks older than
 * that have no audit context.
 */
static void audit_spawns(int *pids)
{
	static char *argv_marked[] = {"true", "ksecurity-audit-marker", NULL};
	struct io_uring ring;
	struct spawned s;

	ring_or_die(&ring);
	s = spawn(&ring, 0, "/bin/true", argv_marked);
	pids[0] = s.clone_res;
	s = spawn(&ring, 0, "/nonexistent/true", argv_true);
	pids[1] = s.clone_res;
}

/*
 * audit: an EXEC is the child's execveat(2) for audit: rules on
 * execve/execveat see it, with the EXECVE record, success or failure; the
 * CLONE is a URINGOP record of the submitter. (The old series skipped
 * audit for both: no record at all.)
 */
static void audit_case(void)
{
	const int exec_nrs[] = {SYS_execve, SYS_execveat}, clone_op[] = {USPAWN_OP_CLONE};
	static char log[1 << 16];
	int *pids = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	char pid0[32], pid1[32];
	int fd, ret;

	if (geteuid() != 0) {
		printf("# audit skipped: needs CAP_AUDIT_CONTROL\n");
		return;
	}
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ktest_ok(0, "audit: netlink socket: %s", strerror(errno));
		return;
	}
	ret = audit_set(fd, 1, (unsigned)getpid());
	if (!ret)
		ret = audit_rule(fd, AUDIT_ADD_RULE, AUDIT_FILTER_EXIT, exec_nrs, 2, true);
	if (!ret)
		ret = audit_rule(fd, AUDIT_ADD_RULE, AUDIT_FILTER_URING_EXIT, clone_op, 1, false);
	if (ret) {
		ktest_ok(0, "audit: enable and add rules: %s", strerror(-ret));
		goto out;
	}
	audit_collect(fd, log, sizeof(log), 1); /* the config change records */
	pid_t sub = fork();
	if (sub == 0) {
		audit_spawns(pids);
		_exit(0);
	}
	wait_pid(sub);
	audit_collect(fd, log, sizeof(log), 2);
	snprintf(pid0, sizeof(pid0), " pid=%d ", pids[0]);
	snprintf(pid1, sizeof(pid1), " pid=%d ", pids[1]);
	ktest_ok(pids[0] > 0 &&
			 audit_has(log, AUDIT_SYSCALL, "syscall=322 ", "success=yes", pid0) &&
			 audit_has(log, AUDIT_EXECVE, "ksecurity-audit-marker", NULL, NULL),
		 "audit: EXEC gives the child's execveat SYSCALL record and its EXECVE record");
	ktest_ok(pids[1] > 0 &&
			 audit_has(log, AUDIT_SYSCALL, "syscall=322 ", "success=no exit=-2", pid1),
		 "audit: a failed EXEC gives a failed execveat record (-ENOENT)");
	ktest_ok(audit_has(log, AUDIT_URINGOP, "uring_op=58 ", "success=yes", NULL),
		 "audit: CLONE gives a URINGOP record of the submitter");
	if (ktest_c->failed)
		fprintf(stderr, "# audit records:\n%s", log);
out:
	audit_rule(fd, AUDIT_DEL_RULE, AUDIT_FILTER_EXIT, exec_nrs, 2, true);
	audit_rule(fd, AUDIT_DEL_RULE, AUDIT_FILTER_URING_EXIT, clone_op, 1, false);
	audit_set(fd, 0, 0);
	close(fd);
}

/*
 * A process to be traced: waits for "go" on fd, spawns /bin/true, exits 0
 * if the CLONE gave want_pid ? a pid : -EPERM (and then no child).
 */
static int traced_spawner(int go, bool want_pid)
{
	struct io_uring ring;
	struct spawned s;
	char c;

	if (read(go, &c, 1) != 1 || io_uring_queue_init(8, &ring, 0) < 0)
		return 2;
	s = spawn(&ring, 0, "/bin/true", argv_true);
	if (want_pid)
		return s.clone_res > 0 && exited(s.status, 0) ? 0 : 1;
	if (s.clone_res > 0)
		fprintf(stderr, "# a traced task spawned %d, untraced\n", s.clone_res);
	return s.clone_res == -EPERM && s.exec_res == -ECANCELED && no_children() ? 0 : 1;
}

/* Seize a spawner with these ptrace options and run it to its exit. */
static int trace_spawner(long options, bool want_pid)
{
	int go[2], st = -1;

	if (pipe(go) < 0)
		return -1;
	pid_t pid = fork();
	if (pid == 0)
		_exit(traced_spawner(go[0], want_pid));
	if (ptrace(PTRACE_SEIZE, pid, 0, options) < 0) {
		ktest_ok(0, "ptrace: PTRACE_SEIZE: %s", strerror(errno));
		kill(pid, SIGKILL);
	}
	if (write(go[1], "g", 1) != 1)
		kill(pid, SIGKILL);
	for (;;) {
		if (waitpid(pid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (!WIFSTOPPED(st))
			break;
		/* pass signals on, resume event stops */
		ptrace(PTRACE_CONT, pid, 0, st >> 16 ? 0 : WSTOPSIG(st));
	}
	close(go[0]);
	close(go[1]);
	return st;
}

/*
 * ptrace: a tracer that follows forks must see every child from its
 * first instruction; a ring child runs requests first, so a task traced
 * that way gets -EPERM (the old series made the child untraced: a traced
 * task escaped its tracer). Traced without those options it spawns, and a
 * ring child can be traced like any child.
 */
static void ptrace_case(void)
{
	static char *argv_sp[] = {"sigpause", NULL};
	struct io_uring ring;
	struct spawned s;
	struct chain c;
	int st;

	st = trace_spawner(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE, false);
	ktest_ok(exited(st, 0), "ptrace: traced with TRACEFORK|VFORK|CLONE: CLONE -EPERM (%#x)",
		 st);
	st = trace_spawner(0, true);
	ktest_ok(exited(st, 0), "ptrace: traced without fork events: the spawn works (%#x)", st);

	ring_or_die(&ring);
	chain_init(&c, &ring);
	add_clone(&c, IOSQE_IO_LINK);
	add_exec(&c, "/bin/sigpause", argv_sp, 0);
	run(&c);
	s.clone_res = c.res[0];
	st = -1;
	if (s.clone_res > 0 && ptrace(PTRACE_SEIZE, s.clone_res, 0, 0) == 0 &&
	    ptrace(PTRACE_INTERRUPT, s.clone_res, 0, 0) == 0)
		waitpid(s.clone_res, &st, __WALL);
	ktest_ok(st != -1 && WIFSTOPPED(st) && (st >> 16) == PTRACE_EVENT_STOP,
		 "ptrace: the parent seizes and stops its ring child (%#x)", st);
	if (s.clone_res > 0) {
		ptrace(PTRACE_DETACH, s.clone_res, 0, 0);
		kill(s.clone_res, SIGKILL);
		wait_pid(s.clone_res);
	}
	io_uring_queue_exit(&ring);
}

struct pdeath {
	unsigned clone_flags;
	pid_t pid;
	bool alive;
};

/* A thread that spawns a child with PR_SET_PDEATHSIG, then exits. */
static void *pdeath_thread(void *arg)
{
	struct pdeath *pd = arg;
	struct io_uring ring;
	struct chain c;
	char fdarg[16], r;
	int p[2];

	if (pipe(p) < 0 || io_uring_queue_init(8, &ring, 0) < 0)
		return NULL;
	if (pd->clone_flags & IOSQE_ASYNC)
		make_worker(&ring);
	snprintf(fdarg, sizeof(fdarg), "%d", p[1]);
	char *argv_pd[] = {"pdeath", fdarg, NULL};
	chain_init(&c, &ring);
	add_clone(&c, IOSQE_IO_LINK | pd->clone_flags);
	add_exec(&c, "/bin/pdeath", argv_pd, 0);
	run(&c);
	pd->pid = c.res[0];
	struct pollfd pfd = {.fd = p[0], .events = POLLIN};
	if (pd->pid > 0 && poll(&pfd, 1, 20000) == 1 && read(p[0], &r, 1) == 1) {
		usleep(300000);
		pd->alive = kill(pd->pid, 0) == 0 && waitpid(pd->pid, NULL, WNOHANG) == 0;
	}
	io_uring_queue_exit(&ring);
	close(p[0]);
	close(p[1]);
	return NULL;
}

/*
 * pdeath: the child's parent is the submitting thread, so its
 * PR_SET_PDEATHSIG fires when that thread exits, not before (the old
 * series made an io-wq worker or the SQPOLL thread the parent).
 */
static void pdeath_case(void)
{
	static const unsigned flags[] = {0, IOSQE_ASYNC};

	for (int i = 0; i < 2; i++) {
		struct pdeath pd = {.clone_flags = flags[i]};
		pthread_t th;

		if (pthread_create(&th, NULL, pdeath_thread, &pd))
			return;
		pthread_join(th, NULL);
		int st = pd.pid > 0 ? wait_pid(pd.pid) : -1;
		ktest_ok(pd.alive && st != -1 && WIFSIGNALED(st) && WTERMSIG(st) == SIGUSR1,
			 "pdeath %s CLONE: alive while the thread lives, SIGUSR1 when it exits "
			 "(%#x)",
			 flags[i] ? "IOSQE_ASYNC" : "inline", st);
	}
}

static int read_int(const char *path)
{
	char buf[32] = "";
	int fd = open(path, O_RDONLY);

	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		buf[0] = 0;
	if (fd >= 0)
		close(fd);
	return atoi(buf);
}

static void oom_sub(void)
{
	static char rbuf[4];
	struct io_uring ring;
	struct chain c;
	char path[64];
	int p[2], before = read_int("/proc/self/oom_score_adj");

	ring_or_die(&ring);
	if (pipe(p) < 0)
		return;
	chain_init(&c, &ring);
	add_clone(&c, IOSQE_IO_LINK);
	struct io_uring_sqe *sqe = sqe_at(&c);
	io_uring_prep_read(sqe, p[0], rbuf, 1, 0);
	sqe->user_data = 1;
	sqe->flags |= IOSQE_IO_LINK;
	add_exec(&c, "/bin/true", argv_true, 0);
	io_uring_submit(&ring);
	struct io_uring_cqe *cqe;
	int pid = -1;
	if (wait_cqe(&ring, &cqe, 10) == 0) {
		pid = cqe->user_data == 0 ? cqe->res : -1;
		io_uring_cqe_seen(&ring, cqe);
	}
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);
	bool raised = fd >= 0 && write(fd, "500", 3) == 3;
	if (fd >= 0)
		close(fd);
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", pid);
	int child = pid > 0 ? read_int(path) : -9999;
	if (write(p[1], "x", 1) != 1)
		return;
	for (int got = 0; got < 2 && wait_cqe(&ring, &cqe, 10) == 0; got++)
		io_uring_cqe_seen(&ring, cqe);
	int st = pid > 0 ? wait_pid(pid) : -1;
	ktest_ok(raised && child == before && exited(st, 0),
		 "oom: the parent's oom_score_adj (500) does not reach a child mid-chain (%d), "
		 "as for a vfork child",
		 child);
}

/*
 * oom: the child borrows the mm as a vfork child does; the spawn does not
 * mark the parent's mm MMF_MULTIPROCESS for good (the old series did: from
 * then on every oom_score_adj write of the parent walked every process and
 * reached children sharing the mm).
 */
static void oom_case(void)
{
	in_child("oom", oom_sub);
}

/*
 * rlimit: RLIMIT_NPROC counts a ring child as clone(2) counts one. At the
 * limit (0, as a uid without CAP_SYS_RESOURCE: root drops to 1000 first)
 * fork() fails with EAGAIN, and so does the CLONE, its chain cancelled and
 * no process made.
 */
static void rlimit_case(void)
{
	struct rlimit zero = {0, 0};
	struct io_uring ring;
	struct spawned s;

	ring_or_die(&ring);
	if ((geteuid() == 0 && syscall(SYS_setresuid, 1000, 1000, 1000) < 0) ||
	    setrlimit(RLIMIT_NPROC, &zero) < 0) {
		ktest_ok(0, "rlimit: setup: %s", strerror(errno));
		return;
	}
	pid_t pid = fork();
	if (pid == 0)
		_exit(0);
	int fork_errno = pid < 0 ? errno : 0;
	if (pid > 0)
		wait_pid(pid);
	s = spawn(&ring, 0, "/bin/true", argv_true);
	ktest_ok(fork_errno == EAGAIN && s.clone_res == -EAGAIN && s.exec_res == -ECANCELED &&
			 no_children(),
		 "rlimit: RLIMIT_NPROC 0: fork() %s, CLONE %d, EXEC %d, no child",
		 fork_errno ? strerror(fork_errno) : "works", s.clone_res, s.exec_res);
}

/*
 * landlock: an LSM policy applies to a ring EXEC as to execve(2). The case
 * gets an io-wq worker, copies a helper to /tmp, then restricts this thread
 * alone (no_new_privs, a Landlock ruleset that handles EXECUTE and allows
 * it only beneath /bin). execve(2) of the copy must fail with EACCES, and
 * so must an inline, an IOSQE_ASYNC (the worker predates the ruleset) and
 * a drained CLONE -> EXEC of it, the child killed without exec; /bin/true
 * still execs. On a kernel without Landlock the case skips, unless
 * USPAWN_REQUIRE_LANDLOCK=1 (as in ctest's runs).
 */
static const char ll_denied[] = "/tmp/ksecurity-landlock-true";

static bool ll_copy(const char *from, const char *to)
{
	char buf[65536];
	int in = open(from, O_RDONLY | O_CLOEXEC), out;
	ssize_t n;

	if (in < 0)
		return false;
	unlink(to);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0755);
	if (out < 0) {
		close(in);
		return false;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n) {
			n = -1;
			break;
		}
	close(in);
	close(out);
	return n == 0;
}

/* no_new_privs + a ruleset on this thread: EXECUTE only beneath /bin. */
static int ll_restrict(void)
{
	struct landlock_ruleset_attr ra = {.handled_access_fs = LANDLOCK_ACCESS_FS_EXECUTE};
	struct landlock_path_beneath_attr pb = {.allowed_access = LANDLOCK_ACCESS_FS_EXECUTE};
	int rs, err = 0;

	rs = (int)syscall(SYS_landlock_create_ruleset, &ra, sizeof(ra), 0);
	if (rs < 0)
		return -errno;
	pb.parent_fd = open("/bin", O_PATH | O_CLOEXEC);
	if (pb.parent_fd < 0 ||
	    syscall(SYS_landlock_add_rule, rs, LANDLOCK_RULE_PATH_BENEATH, &pb, 0) < 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) < 0)
		err = errno ? -errno : -EIO;
	if (pb.parent_fd >= 0)
		close(pb.parent_fd);
	close(rs);
	return err;
}

/* fork + execve(2) of path: the child's exit code is execve's errno. */
static int ll_execve_errno(const char *path)
{
	static char *argv_t[] = {"true", NULL};
	pid_t pid = fork();
	int st;

	if (pid == 0) {
		execve(path, argv_t, environ);
		_exit(errno);
	}
	st = wait_pid(pid);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void landlock_sub(void)
{
	static const struct {
		unsigned clone_flags, exec_flags;
		const char *name;
	} paths[] = {
		{0, 0, "inline"},
		{IOSQE_ASYNC, 0, "IOSQE_ASYNC"},
		{0, IOSQE_IO_DRAIN, "drained"},
	};
	static char *argv_true[] = {"true", NULL};
	const char *req = getenv("USPAWN_REQUIRE_LANDLOCK");
	struct io_uring ring;
	int abi, err, e;

	abi = (int)syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 0) {
		if (req && *req == '1')
			ktest_ok(0, "landlock: not in this kernel (%s), USPAWN_REQUIRE_LANDLOCK=1",
				 strerror(errno));
		else
			printf("# landlock skipped: %s (not in this kernel's config)\n",
			       strerror(errno));
		return;
	}
	printf("# landlock ABI %d\n", abi);
	if (!ll_copy("/bin/khelper", ll_denied)) {
		ktest_ok(0, "landlock: copy /bin/khelper to %s: %s", ll_denied, strerror(errno));
		return;
	}
	ring_or_die(&ring);
	make_worker(&ring);
	e = ll_execve_errno(ll_denied);
	ktest_ok(e == 0, "landlock: before the ruleset, execve(2) of %s works (%d)", ll_denied, e);
	err = ll_restrict();
	if (err < 0) {
		ktest_ok(0, "landlock: ruleset setup: %s", strerror(-err));
		return;
	}
	e = ll_execve_errno(ll_denied);
	ktest_ok(e == EACCES, "landlock: execve(2) of %s -> EACCES (%s)", ll_denied,
		 e > 0 ? strerror(e) : "works");
	for (unsigned i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		unsigned cf = paths[i].clone_flags, ef = paths[i].exec_flags;
		struct spawned s = spawn_flags(&ring, cf, ll_denied, argv_true, ef);

		ktest_ok(s.clone_res > 0 && s.exec_res == -EACCES && s.status != -1 &&
				 WIFSIGNALED(s.status) && WTERMSIG(s.status) == SIGKILL,
			 "landlock: %s CLONE -> EXEC of the denied path: EXEC -EACCES, no exec "
			 "(CLONE %d, EXEC %d, status %#x)",
			 paths[i].name, s.clone_res, s.exec_res, s.status);
		s = spawn_flags(&ring, cf, "/bin/true", argv_true, ef);
		ktest_ok(s.clone_res > 0 && s.exec_res == 0 && exited(s.status, 0),
			 "landlock: %s CLONE -> EXEC /bin/true (allowed) execs (CLONE %d, EXEC %d, "
			 "status %#x)",
			 paths[i].name, s.clone_res, s.exec_res, s.status);
	}
	io_uring_queue_exit(&ring);
}

static void landlock_case(void)
{
	in_child("landlock", landlock_sub);
	unlink(ll_denied);
}

static const struct {
	const char *name;
	void (*fn)(void);
	bool own_process; /* changes the process for good: run it in a child */
} cases[] = {
	{"copy", copy_case, true},          {"seccomp", seccomp_case, false},
	{"setid", setid_case, false},       {"audit", audit_case, false},
	{"ptrace", ptrace_case, true},      {"pdeath", pdeath_case, true},
	{"oom", oom_case, false},           {"rlimit", rlimit_case, true},
	{"landlock", landlock_case, false},
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	ktest_init();
	snprintf(euid_str, sizeof(euid_str), "%u", (unsigned)geteuid());
	printf("# ksecurity as uid %u\n", (unsigned)getuid());
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool want = argc < 2;
		for (int a = 1; a < argc; a++)
			want |= !strcmp(argv[a], cases[i].name);
		if (!want)
			continue;
		if (cases[i].own_process)
			in_child(cases[i].name, cases[i].fn);
		else
			cases[i].fn();
	}
	return ktest_done();
}
