/* SPDX-License-Identifier: MIT */
/*
 * libuspawn in 60 lines: run every argument as `echo ARG` in one batch,
 * capture each job's output, print it grouped when the job ends.
 *   cc parallel_echo.c $(pkg-config --cflags --libs uspawn) -o parallel_echo
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <uspawn.h>

int main(int argc, char **argv)
{
	struct uspawn *u = uspawn_open(NULL); /* engine: $USPAWN_ENGINE or the best here */
	if (!u) {
		perror("uspawn_open");
		return 1;
	}
	int n = argc - 1;
	struct uspawn_cmd *cmds = calloc((size_t)n + 1, sizeof *cmds);
	char *(*args)[3] = calloc((size_t)n + 1, sizeof *args);
	for (int i = 0; i < n; i++) {
		args[i][0] = "echo";
		args[i][1] = argv[i + 1];
		uspawn_cmd_init(&cmds[i]);
		cmds[i].argv = args[i];
		cmds[i].flags = USPAWN_PATH_SEARCH | USPAWN_CAPTURE_STDOUT;
		cmds[i].user_data = (uint64_t)i;
	}
	/* one call spawns them all; their reaping is armed with one io_uring_enter */
	if (uspawn_submit(u, cmds, (unsigned)n) != n)
		return 1;
	int failed = 0;
	while (uspawn_running(u)) {
		struct uspawn_event ev[16];
		int got = uspawn_wait(u, ev, 16, -1);
		for (int i = 0; i < got; i++) {
			if (ev[i].type == USPAWN_EV_OUTPUT)
				printf("job %d: %.*s", (int)ev[i].user_data, (int)ev[i].len,
				       ev[i].data);
			else if (ev[i].type == USPAWN_EV_EXIT && ev[i].status != 0)
				failed++;
		}
	}
	printf("%d jobs through the %s engine, %d failed\n", n,
	       uspawn_engine_name(uspawn_engine(u)), failed);
	uspawn_close(u);
	free(cmds);
	free(args);
	return failed != 0;
}
