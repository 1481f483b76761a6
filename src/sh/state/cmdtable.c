/* SPDX-License-Identifier: MIT */
/*
 * dash's command table: where on $PATH each command was found, so that a
 * later run skips the search and keeps running that file even when one of
 * the same name appears earlier on $PATH, until $PATH is assigned (which
 * forgets every entry, whatever the new value) or `hash -r`.
 *
 * dash enters builtins and functions too, but `hash` never prints them and
 * they never turn into $PATH entries (builtins are found first, a function
 * replaces the entry for its name: func_define forgets it), so only $PATH
 * commands are kept here.
 * The order `hash` lists them in is dash's: its hash of the name, 31
 * buckets, each in the order its entries were made.
 *
 * The table is the process's: a forked subshell works on its copy, as
 * dash's children do. A command uring-sh spawns without forking (pipeline
 * members, $(cmd)) is one dash looks up in a child: it may use the table
 * but must not add to it (no CMD_RECORD).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "builtins/builtins.h" /* bi_nextopt */
#include "eval/eval.h"
#include "sh.h"

#define NBUCKET 31 /* dash's CMDTABLESIZE: the listing goes bucket by bucket */

struct cmdent {
	struct cmdent *next;
	int idx;    /* the $PATH entry it was found in */
	int rehash; /* a cd since: relative entries may mean something else now */
	char name[];
};

static struct cmdent *table[NBUCKET];

/* the link to name's entry, or the null link ending its bucket */
static struct cmdent **link_of(const char *name)
{
	unsigned h = (unsigned char)*name << 4;

	for (const char *p = name; *p; p++)
		h += (unsigned char)*p;
	struct cmdent **pp = &table[(h & 0x7fff) % NBUCKET];
	while (*pp && strcmp((*pp)->name, name))
		pp = &(*pp)->next;
	return pp;
}

static void unlink_at(struct cmdent **pp)
{
	struct cmdent *e = *pp;

	*pp = e->next;
	free(e);
}

/* a function of that name is defined: it replaces dash's entry for the name */
void cmdtable_forget(const char *name)
{
	struct cmdent **pp = link_of(name);

	if (*pp)
		unlink_at(pp);
}

void cmdtable_clear(void)
{
	for (int b = 0; b < NBUCKET; b++)
		while (table[b])
			unlink_at(&table[b]);
}

void cmdtable_cd(void)
{
	for (int b = 0; b < NBUCKET; b++)
		for (struct cmdent *e = table[b]; e; e = e->next)
			e->rehash = 1;
}

/* Debian's dash (patch 0010) wants execute permission, not just a regular file */
static int runnable(const char *path, const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return 0;
	return (st->st_mode & 0111) == 0111 || !faccessat(AT_FDCWD, path, X_OK, AT_EACCESS);
}

/*
 * dash's walk of $PATH. After a cd, prev is the entry the command was
 * found in: absolute entries before it cannot hold it now (they were
 * looked at then) and an absolute prev still does, without a stat; only
 * relative entries, whose meaning the cd changed, are looked at again.
 */
static int search(const char *name, const char *pathvar, int prev, struct lookup *lk)
{
	struct stat st;
	int e = ENOENT;

	for (int i = 0;; i++) {
		int r = path_entry(pathvar, i, name, lk->path, sizeof lk->path);
		if (r == -1)
			break;
		if (r < 0)
			continue;
		if (lk->path[0] != '/' || i > prev) {
			if (stat(lk->path, &st) < 0) {
				if (errno != ENOENT && errno != ENOTDIR)
					e = errno;
				continue;
			}
			e = EACCES; /* the error if nothing better comes */
			if (!runnable(lk->path, &st))
				continue;
		} else if (i < prev) {
			continue;
		}
		lk->idx = i;
		lk->error = 0;
		return 0;
	}
	lk->error = e;
	return -1;
}

/* a name with a slash: no search, but type and command -v want it to exist */
static int slashed(const char *name, unsigned how, struct lookup *lk)
{
	struct stat st;

	lookup_command(name, "", lk);
	if ((how & CMD_DESCRIBE) && stat(name, &st) < 0)
		lk->error = ENOENT;
	return lk->error ? -1 : 0;
}

static void record(struct shell *sh, const char *name, struct cmdent **pp, int idx)
{
	struct cmdent *e = *pp;

	/* `command f` with a function f: dash leaves the function's entry be */
	if (!e && func_find(sh, name))
		return;
	if (!e) {
		size_t n = strlen(name) + 1;
		e = malloc(sizeof *e + n);
		if (!e)
			return; /* only a table entry lost: the next run searches again */
		memcpy(e->name, name, n);
		e->next = NULL;
		*pp = e;
	}
	e->idx = idx;
	e->rehash = 0;
}

int cmdtable_lookup(struct shell *sh, const char *name, const char *pathvar, unsigned how,
		    struct lookup *lk)
{
	if (strchr(name, '/'))
		return slashed(name, how, lk);
	if (!(how & CMD_TABLE))
		return search(name, pathvar, -1, lk);
	struct cmdent **pp = link_of(name);
	struct cmdent *e = *pp;
	if (e && (!e->rehash || (how & CMD_DESCRIBE)) &&
	    path_entry(pathvar, e->idx, name, lk->path, sizeof lk->path) == 0) {
		lk->idx = e->idx;
		lk->error = 0;
		return 1;
	}
	if (search(name, pathvar, e ? e->idx : -1, lk) < 0) {
		if (e && (how & CMD_RECORD))
			unlink_at(pp);
		return -1;
	}
	if (how & CMD_RECORD)
		record(sh, name, pp, lk->idx);
	return 0;
}

/*
 * dash looks each member of a pipeline up in the shell itself before it
 * forks it (so the children need not), when the name is a plain unquoted
 * word with a variable name's letters: the pipeline's commands are entered.
 * Not for $(a | b), which dash runs in a forked child.
 */
void cmdtable_prehash(struct shell *sh, const struct node *n)
{
	char name[NAME_MAX + 1];
	struct lookup lk;

	if (n->type != N_SIMPLE || !n->u.simple.nargs)
		return;
	const struct word *w = &n->u.simple.args[0];
	const struct wpart *p = &w->parts[0];
	/* a longer name is no file: no entry either way */
	if (w->nparts != 1 || p->type != WP_LIT || p->quoted || p->n > NAME_MAX ||
	    !lex_is_name(p->s, p->n))
		return;
	memcpy(name, p->s, p->n);
	name[p->n] = 0;
	if (func_find(sh, name) || builtin_find(name))
		return;
	cmdtable_lookup(sh, name, eval_pathvar(sh), CMD_TABLE | CMD_RECORD, &lk);
}

/* nextopt("r") of dash's hash: 1 for -r, 0 none, -1 after the message */
static int hash_opts(struct shell *sh, char **argv, int *i)
{
	struct bi_opts o = {argv + 1, NULL};
	int r = 0, opt;

	while ((opt = bi_nextopt(&o))) {
		if (opt != 'r') {
			char letter[2] = {(char)opt, 0};
			shell_msg(sh, "Illegal option -", letter, NULL, NULL);
			return -1;
		}
		r = 1;
	}
	*i = (int)(o.a - argv);
	return r;
}

/* every $PATH entry as dash prints it: the path, "*" when a cd came since */
static void hash_list(struct shell *sh)
{
	const char *pathvar = eval_pathvar(sh);
	struct out o = {0};
	char path[sizeof((struct lookup *)0)->path];

	for (int b = 0; b < NBUCKET; b++) {
		for (struct cmdent *e = table[b]; e; e = e->next) {
			if (path_entry(pathvar, e->idx, e->name, path, sizeof path) < 0)
				continue;
			size_t need = o.n + strlen(path) + 3;
			if (need > o.cap) {
				char *nb = realloc(o.buf, o.cap = 2 * need);
				if (!nb)
					eval_oom(sh);
				o.buf = nb;
			}
			out_str(&o, path);
			out_str(&o, e->rehash ? "*\n" : "\n");
		}
	}
	if (o.n)
		eval_out(o.buf, o.n);
	free(o.buf);
}

/*
 * `hash name`: forget name's entry and look it up afresh, which enters it
 * again (at the end of its bucket). Names with a slash, functions and
 * builtins are found without the table.
 */
static int hash_name(struct shell *sh, const char *name)
{
	struct lookup lk;

	if (strchr(name, '/') || func_find(sh, name))
		return 0;
	cmdtable_forget(name);
	if (builtin_find(name))
		return 0;
	if (cmdtable_lookup(sh, name, eval_pathvar(sh), CMD_TABLE | CMD_RECORD, &lk) >= 0)
		return 0;
	shell_msg(sh, name, ": ", ush_errmsg(lk.error, USH_E_EXEC), NULL);
	return 1;
}

int b_hash(struct shell *sh, int argc, char **argv)
{
	int i, status = 0;

	(void)argc;
	switch (hash_opts(sh, argv, &i)) {
	case -1:
		return 2;
	case 1:
		cmdtable_clear(); /* operands too are ignored */
		return 0;
	}
	if (!argv[i]) {
		hash_list(sh);
		return 0;
	}
	for (; argv[i]; i++)
		status |= hash_name(sh, argv[i]);
	return status;
}
