/* SPDX-License-Identifier: MIT */
/* libFuzzer target: lexer, parser, classifier, expansion and spawn prep. */
#include <stdint.h>
#include <string.h>
#include "sh.h"

static char buf[1 << 20];
static char *env[] = {"PATH=/usr/bin:/bin", "X=a  b", "E=", "HOME=/root", NULL};

static const char *lookup(void *ctx, const char *name, size_t n)
{
	return env_get(ctx, name, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ush_arena a = {buf, sizeof buf, 0};
	struct ush_line line;
	enum ush_class c = ush_parse(&a, (const char *)data, size, &line);

	if (c != USH_SPAWN && c != USH_NATIVE)
		return 0;
	c = ush_check(&line, env);
	if (c == USH_DELEGATE)
		return 0;
	struct expander x = {&a, lookup, env, 0};
	for (unsigned i = 0; i < line.nitems; i++)
		for (unsigned j = 0; j < line.items[i].npipes; j++)
			for (unsigned k = 0; k < line.items[i].pipes[j].ncmds; k++) {
				struct ush_cmd *cmd = &line.items[i].pipes[j].cmds[k];
				struct argv_vec av = {0};
				for (unsigned m = 0; m < cmd->nargs; m++)
					expand_fields(&x, &cmd->args[m], &av);
				for (unsigned m = 0; m < cmd->nredirs; m++)
					expand_string(&x, &cmd->redirs[m].target);
				for (unsigned m = 0; m < cmd->nassigns; m++)
					expand_string(&x, &cmd->assigns[m].value);
			}
	if (c == USH_SPAWN) {
		struct ush_spawn sp;
		char msg[512];
		if (ush_prepare_spawn(&a, &line, env, &sp) == 0)
			ush_spawn_error(&sp, "sh", 2, USPAWN_STAGE_EXEC, 0, msg, sizeof msg);
	}
	return 0;
}
