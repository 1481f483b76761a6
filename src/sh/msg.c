/* SPDX-License-Identifier: MIT */
/* dash's message format: "$0: LINENO: text" on the shell's current fd 2. */
#include "run.h"

void sh_error(struct shell *sh, const char *a, const char *b, const char *c, const char *d)
{
	char buf[8192];
	struct out o = {buf, 0, sizeof buf - 1};

	out_prefix(&o, sh->arg0, sh->lineno);
	out_str(&o, a);
	if (b)
		out_str(&o, b);
	if (c)
		out_str(&o, c);
	if (d)
		out_str(&o, d);
	out_str(&o, "\n");
	write_all(2, buf, o.n);
}
