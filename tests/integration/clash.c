/* SPDX-License-Identifier: MIT */
/*
 * A program with functions of its own under the names libuspawn uses
 * inside (job_new, now_ns, ring_wait, child_run, ...): it must link
 * against the static library and run against either, with its functions
 * and the library's each called by their own callers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <uspawn.h>

static int mine;

/* other signatures than the library's, on purpose */
const char *job_new(int n)
{
	mine += n;
	return "mine";
}
int now_ns;
void ring_wait(void)
{
	mine++;
}
int child_run(void)
{
	return 42;
}
int events_push, job_started, reap_done, plan_build, ring_ready, read_arm;

int main(void)
{
	struct uspawn *u = uspawn_open(NULL);
	struct uspawn_cmd c;
	struct uspawn_event ev;
	char *argv[] = {"sh", "-c", "exit 7", NULL};

	if (!u) {
		perror("uspawn_open");
		return 1;
	}
	uspawn_cmd_init(&c);
	c.argv = argv;
	c.path = "/bin/sh";
	if (uspawn_run(u, &c, &ev) != 0 || !WIFEXITED(ev.status) || WEXITSTATUS(ev.status) != 7) {
		fprintf(stderr, "clash: the job reported status %x error %d\n", ev.status,
			ev.error);
		return 1;
	}
	uspawn_close(u);
	job_new(2);
	ring_wait();
	if (mine != 3 || child_run() != 42 || now_ns) {
		fprintf(stderr, "clash: our own functions were not ours\n");
		return 1;
	}
	printf("ok\n");
	return 0;
}
