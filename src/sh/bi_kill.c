/* SPDX-License-Identifier: MIT */
#include "builtins.h"
int bi_kill(struct bi_ctx *c, int argc, char **argv)
{
	(void)c, (void)argc, (void)argv;
	return 2;
}
