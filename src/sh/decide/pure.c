/* SPDX-License-Identifier: MIT */
/*
 * Whether expanding a simple command has any effect but its value: no
 * $(...), no $((...)) (it may assign), no ${x=...}, no ${x?...} and no
 * bad substitution (they end the shell), no set -u (an unset name ends
 * it), no set -x (it traces). Such a command can be expanded by someone
 * other than the shell that would run it, or twice: decide/ answers with
 * it, and eval/simple.c spawns a pipeline member that is one.
 */
#include "decide/decide.h"

int word_pure(const struct word *w)
{
	for (unsigned i = 0; i < w->nparts; i++) {
		const struct wpart *p = &w->parts[i];
		if (p->type == WP_CMDSUB || p->type == WP_ARITH)
			return 0;
		if (p->type == WP_PARAM &&
		    (p->param->op == PE_ASSIGN || p->param->op == PE_ERROR ||
		     p->param->op == PE_BAD || (p->param->arg && !word_pure(p->param->arg))))
			return 0;
	}
	return 1;
}

int simple_pure(const struct node *n, unsigned opts)
{
	if (opts & (OPT_NOUNSET | OPT_XTRACE))
		return 0;
	for (unsigned i = 0; i < n->u.simple.nargs; i++)
		if (!word_pure(&n->u.simple.args[i]))
			return 0;
	for (unsigned i = 0; i < n->u.simple.nassigns; i++)
		if (!word_pure(&n->u.simple.assigns[i].value))
			return 0;
	/* an exec failure is reported by the shell: its fd 2 must be the command's */
	for (const struct redir *r = n->redirs; r; r = r->next)
		if (r->fd == 2 || !word_pure(r->op == R_HEREDOC ? &r->body : &r->target))
			return 0;
	return 1;
}
