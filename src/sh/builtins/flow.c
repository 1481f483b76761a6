/* SPDX-License-Identifier: MIT */
/*
 * The builtins that steer the shell's flow: exit, return, break, continue
 * (dash's evalskip, in eval.h's ev), and true, false and :.
 */
#include "builtins/shell.h"

int b_true(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return 0;
}

int b_false(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return 1;
}

int b_exit(struct shell *sh, int argc, char **argv)
{
	/* in a trap action: $? on entering it (dash's savestatus) */
	int status = ev.savestatus >= 0 ? ev.savestatus : sh->status;

	(void)argc;
	if (argv[1] && bi_number(argv[1], &status) < 0)
		return bi_fail(sh, "Illegal number: ", argv[1], NULL);
	ev.leaving = 1;
	shell_exit(sh, status);
}

static int loop_jump(struct shell *sh, char **argv, int skip)
{
	int n = 1;

	if (argv[1] && (bi_number(argv[1], &n) < 0 || n == 0))
		return bi_fail(sh, "Illegal number: ", argv[1], NULL);
	if ((unsigned)n > ev.loopnest)
		n = (int)ev.loopnest;
	if (n > 0) {
		ev.skip = skip;
		ev.skipcount = (unsigned)n;
	}
	return 0;
}

int b_break(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	return loop_jump(sh, argv, SKIP_BREAK);
}

int b_continue(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	return loop_jump(sh, argv, SKIP_CONT);
}

int b_return(struct shell *sh, int argc, char **argv)
{
	int status = sh->status;

	(void)argc;
	if (argv[1] && bi_number(argv[1], &status) < 0)
		return bi_fail(sh, "Illegal number: ", argv[1], NULL);
	/* a bare return of the trap action itself: $? on entering it (dash's SKIPFUNCDEF) */
	if (!argv[1] && ev.savestatus >= 0 && ev.funcnest == ev.trap_funcnest)
		status = ev.savestatus;
	ev.return_arg = argv[1] != NULL;
	ev.skip = SKIP_FUNC;
	return status;
}
