/* SPDX-License-Identifier: MIT */
/*
 * What the text alone says about a parsed line: which commands are
 * builtins, which builtin uses ush runs natively, which names must not be
 * assigned, and whether the line is one command that can be spawned as is.
 */
#include <string.h>
#include "lex.h"
#include "sh.h"

static const char *const native_names[] = {
	[USH_B_COLON] = ":",   [USH_B_TRUE] = "true", [USH_B_FALSE] = "false",
	[USH_B_CD] = "cd",     [USH_B_EXIT] = "exit", [USH_B_EXPORT] = "export",
	[USH_B_ECHO] = "echo", [USH_B_SET] = "set",   [USH_B_TEST] = "test",
	[USH_B_BRACKET] = "[",
};

/* dash 0.5.12's builtins (its `help` list), besides the native ones. */
static const char *const dash_names[] = {
	".",      "alias", "bg",       "break",  "chdir", "command", "continue", "eval",
	"exec",   "fg",    "getopts",  "hash",   "jobs",  "kill",    "local",    "printf",
	"pwd",    "read",  "readonly", "return", "shift", "times",   "trap",     "type",
	"ulimit", "umask", "unalias",  "unset",  "wait",
};

/* Variables whose assignment changes the shell's own behaviour. */
static const char *const special_vars[] = {
	"IFS",         "CDPATH",     "HOME",       "PWD",     "OLDPWD", "ENV",    "OPTIND",
	"OPTARG",      "PS1",        "PS2",        "PS4",     "LINENO", "PPID",   "MAIL",
	"MAILPATH",    "MAILCHECK",  "HISTSIZE",   "TERM",    "LANG",   "LC_ALL", "LC_CTYPE",
	"LC_MESSAGES", "LC_COLLATE", "LC_NUMERIC", "NLSPATH",
};

static int name_in(const char *name, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (list[i] && strlen(list[i]) == n && !memcmp(list[i], name, n))
			return 1;
	return 0;
}

int builtin_id(const char *name, size_t n)
{
	for (int i = 1; i < (int)(sizeof native_names / sizeof native_names[0]); i++)
		if (strlen(native_names[i]) == n && !memcmp(native_names[i], name, n))
			return i;
	return USH_B_NONE;
}

int dash_builtin(const char *name, size_t n)
{
	return name_in(name, n, dash_names, sizeof dash_names / sizeof dash_names[0]);
}

static int has_param(const struct ush_word *w, int unquoted_only)
{
	for (unsigned i = 0; i < w->nparts; i++)
		if (w->parts[i].type == USH_PARAM && (!unquoted_only || !w->parts[i].quoted))
			return 1;
	return 0;
}

/* The literal text of a word without expansions, in a static-free way. */
static int literal_is(const struct ush_word *w, const char *s)
{
	size_t at = 0, n = strlen(s);

	for (unsigned i = 0; i < w->nparts; i++) {
		const struct ush_part *p = &w->parts[i];
		if (p->type != USH_LIT || at + p->n > n || memcmp(s + at, p->s, p->n))
			return 0;
		at += p->n;
	}
	return at == n;
}

static int literal_is_prefix(const struct ush_word *w, const char *s)
{
	const struct ush_part *p = w->nparts ? &w->parts[0] : NULL;
	size_t n = strlen(s);

	return p && p->n >= n && !memcmp(p->s, s, n);
}

/* An operand dash's test parser cannot mistake for an operator. */
static int test_operand(const struct ush_word *w)
{
	static const char *const ops[] = {"!", "(", ")", "=", "!=", "]"};

	if (has_param(w, 0))
		return 0;
	if (w->nparts && w->parts[0].n && w->parts[0].s[0] == '-')
		return 0;
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
		if (literal_is(w, ops[i]))
			return 0;
	return 1;
}

/*
 * test / [ natively only in shapes with one reading: [!] -f|-d|-e|-s|-L|-h|-n|-z X
 * and [!] X = Y, [!] X != Y, every word literal (no expansions).
 */
static const char *check_test(const struct ush_cmd *c)
{
	static const char *const unary[] = {"-f", "-d", "-e", "-s", "-L", "-h", "-n", "-z"};
	const struct ush_word *w = c->args + 1;
	unsigned n = c->nargs - 1;

	if (c->builtin == USH_B_BRACKET) {
		if (!n || !literal_is(&w[n - 1], "]"))
			return "test form";
		n--;
	}
	if (n == 3 || n == 4) {
		if (literal_is(&w[0], "!") && n == 4)
			w++, n--;
		else if (n == 4)
			return "test form";
	}
	if (n == 3 && (literal_is(&w[1], "=") || literal_is(&w[1], "!=")) && test_operand(&w[0]) &&
	    test_operand(&w[2]))
		return NULL;
	if (n == 3 && literal_is(&w[0], "!"))
		w++, n--;
	if (n != 2 || !test_operand(&w[1]))
		return "test form";
	for (size_t i = 0; i < sizeof unary / sizeof unary[0]; i++)
		if (literal_is(&w[0], unary[i]))
			return NULL;
	return "test form";
}

static const char *check_export(const struct ush_cmd *c)
{
	if (c->nargs < 2)
		return "export without names";
	for (unsigned i = 1; i < c->nargs; i++) {
		const struct ush_word *w = &c->args[i];
		const struct ush_part *p = &w->parts[0];
		if (has_param(w, 1) || p->type != USH_LIT || p->quoted)
			return "export argument";
		const char *eq = memchr(p->s, '=', p->n);
		size_t len = eq ? (size_t)(eq - p->s) : p->n;
		if ((!eq && w->nparts != 1) || !ush_is_name(p->s, len))
			return "export argument";
		if (name_in(p->s, len, special_vars, sizeof special_vars / sizeof special_vars[0]))
			return "special variable";
		if (len == 4 && !memcmp(p->s, "PATH", 4) && has_param(w, 0))
			return "PATH from an expansion";
	}
	return NULL;
}

static const char *check_builtin(struct ush_line *line, const struct ush_cmd *c, int in_pipe)
{
	if (c->nassigns)
		return "assignment before a builtin";
	if (in_pipe && c->builtin != USH_B_ECHO && c->builtin != USH_B_TRUE &&
	    c->builtin != USH_B_FALSE && c->builtin != USH_B_COLON)
		return "builtin in a pipeline";
	switch (c->builtin) {
	case USH_B_CD:
		line->has_cd = 1;
		if (c->nargs > 2 || (c->nargs == 2 && has_param(&c->args[1], 0)))
			return "cd argument";
		if (c->nargs == 2 && c->args[1].nparts && c->args[1].parts[0].n &&
		    c->args[1].parts[0].s[0] == '-')
			return "cd option";
		if (c->nargs == 2 && literal_is_prefix(&c->args[1], "//"))
			return "cd //";
		break;
	case USH_B_EXPORT:
		return check_export(c);
	case USH_B_TEST:
	case USH_B_BRACKET:
		return check_test(c);
	case USH_B_SET:
		if (c->nargs != 2 ||
		    (!literal_is(&c->args[1], "-e") && !literal_is(&c->args[1], "+e")))
			return "set";
		break;
	}
	return NULL;
}

static const char *check_assigns(const struct ush_cmd *c)
{
	for (unsigned i = 0; i < c->nassigns; i++) {
		const struct ush_assign *as = &c->assigns[i];
		if (name_in(as->name, as->n, special_vars,
			    sizeof special_vars / sizeof special_vars[0]))
			return "special variable";
		if (as->n == 4 && !memcmp(as->name, "PATH", 4) && has_param(&as->value, 0))
			return "PATH from an expansion";
	}
	return NULL;
}

static const char *check_cmd(struct ush_line *line, struct ush_cmd *c, int in_pipe)
{
	const char *why = check_assigns(c);

	if (why || !c->nargs)
		return why;
	const struct ush_word *w = &c->args[0];
	if (has_param(w, 0)) {
		c->name_expands = 1;
		return NULL;
	}
	size_t n = 0;
	char name[64];
	for (unsigned i = 0; i < w->nparts; i++) {
		if (n + w->parts[i].n >= sizeof name)
			return NULL; /* too long to be a builtin */
		memcpy(name + n, w->parts[i].s, w->parts[i].n);
		n += w->parts[i].n;
	}
	if (dash_builtin(name, n))
		return "builtin";
	c->builtin = builtin_id(name, n);
	return c->builtin ? check_builtin(line, c, in_pipe) : NULL;
}

enum ush_class classify(struct ush_line *line)
{
	for (unsigned i = 0; i < line->nitems; i++) {
		struct ush_andor *ao = &line->items[i];
		for (unsigned j = 0; j < ao->npipes; j++) {
			struct ush_pipeline *pl = &ao->pipes[j];
			for (unsigned k = 0; k < pl->ncmds; k++) {
				const char *why = check_cmd(line, &pl->cmds[k], pl->ncmds > 1);
				if (why) {
					line->reason = why;
					return USH_DELEGATE;
				}
			}
		}
	}
	if (line->nitems != 1 || line->items[0].npipes != 1)
		return USH_NATIVE;
	const struct ush_pipeline *pl = &line->items[0].pipes[0];
	const struct ush_cmd *c = &pl->cmds[0];
	if (pl->ncmds != 1 || pl->bang || !c->nargs || c->builtin)
		return USH_NATIVE;
	for (unsigned i = 0; i < c->nredirs; i++)
		if (c->redirs[i].fd == 2)
			return USH_NATIVE;
	return USH_SPAWN;
}
