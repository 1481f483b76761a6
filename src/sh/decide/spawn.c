/* SPDX-License-Identifier: MIT */
/*
 * After a direct spawn (ush_decide()'s USH_DIRECT) failed to start: dash's
 * walk of the later $PATH entries, and dash's words and status for it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "decide/decide.h"

int ush_spawn_retry(struct ush_spawn *sp, int error)
{
	if (error != ENOENT && error != ENOTDIR)
		sp->exec_error = error;
	if (sp->path_idx < 0)
		return 0;
	sp->path_idx++;
	return path_entry(sp->pathvar, sp->path_idx, sp->argv[0], sp->path, sizeof sp->path) == 0;
}

int ush_spawn_error(const struct ush_spawn *sp, const char *arg0, int error,
		    enum uspawn_stage stage, unsigned stage_index, char *buf, size_t n)
{
	struct out o = {buf, 0, n ? n - 1 : 0};
	int status = 2;

	out_prefix(&o, arg0, sp->lineno);
	if (stage == USPAWN_STAGE_ACTION && stage_index < sp->nactions) {
		const struct uspawn_fa *fa = &sp->actions[stage_index];
		if (fa->op == USPAWN_FA_OPEN) {
			int creat = fa->oflag & O_CREAT;
			out_str(&o, creat ? "cannot create " : "cannot open ");
			out_str(&o, fa->path);
			out_str(&o, ": ");
			out_str(&o, ush_errmsg(error, creat ? USH_E_CREAT : USH_E_OPEN));
		} else {
			out_uint(&o, fa->src);
			out_str(&o, ": ");
			out_str(&o, ush_strerror(error));
		}
	} else {
		if (stage == USPAWN_STAGE_NONE || sp->lookup_error) {
			error = sp->lookup_error;
			status = 127;
		} else {
			error = sp->path_idx >= 0 && (error == ENOENT || error == ENOTDIR)
					? sp->exec_error
					: error;
			status = error == EACCES ? 126 : error == ENOENT ? 127 : 2;
		}
		out_str(&o, sp->argv[0]);
		out_str(&o, ": ");
		out_str(&o, ush_errmsg(error, USH_E_EXEC));
	}
	out_str(&o, "\n");
	buf[o.n] = 0;
	return status;
}
