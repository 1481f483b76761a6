/* SPDX-License-Identifier: MIT */
/*
 * Aliases: dash 0.5.12's table and its alias and unalias builtins. The
 * table is laid out as dash's (39 buckets, its hash, a new alias at the end
 * of its bucket) because `alias` lists it in that order. The parser expands
 * them (syntax/) through alias_ops; an alias whose text it is reading is
 * in use, and removing it then only marks it dead until the parser is done
 * with it, as in dash (it is still listed until then).
 */
#include <stdlib.h>
#include <string.h>
#include "builtins/builtins.h"
#include "eval/eval.h"

#define ATABSIZE 39

struct alias {
	struct alias *next;
	char *name;
	char *val;
	size_t vn;
	int inuse, dead;
};

/* A forked subshell gets a copy, as dash's. */
static struct alias *atab[ATABSIZE];
static unsigned nalias;

static struct alias **bucket(const char *name, size_t n)
{
	unsigned h = (unsigned)(unsigned char)name[0] << 4;

	for (size_t i = 0; i < n; i++)
		h += (unsigned char)name[i];
	return &atab[h % ATABSIZE];
}

static struct alias **lookup(const char *name, size_t n)
{
	struct alias **app = bucket(name, n);

	while (*app && !(strlen((*app)->name) == n && !memcmp((*app)->name, name, n)))
		app = &(*app)->next;
	return app;
}

static void set(struct shell *sh, const char *name, size_t n, const char *val)
{
	struct alias **app = lookup(name, n), *ap = *app;
	char *v = strdup(val);

	if (!v)
		eval_oom(sh);
	if (ap) {
		/* the parser copied the old value when it spliced it in */
		free(ap->val);
		ap->val = v;
		ap->vn = strlen(v);
		ap->dead = 0;
		return;
	}
	ap = calloc(1, sizeof *ap);
	if (!ap || !(ap->name = malloc(n + 1)))
		eval_oom(sh);
	memcpy(ap->name, name, n);
	ap->name[n] = 0;
	ap->val = v;
	ap->vn = strlen(v);
	*app = ap;
	nalias++;
}

/* dash's freealias: one in use is only marked; *app moves on otherwise */
static int drop(struct alias **app)
{
	struct alias *ap = *app;

	if (ap->inuse) {
		ap->dead = 1;
		return 0;
	}
	*app = ap->next;
	free(ap->name);
	free(ap->val);
	free(ap);
	nalias--;
	return 1;
}

int alias_any(void)
{
	return nalias != 0;
}

static void *find(const char *name, size_t n, const char **val, size_t *vn)
{
	struct alias *ap = *lookup(name, n);

	if (!ap || ap->inuse)
		return NULL;
	*val = ap->val;
	*vn = ap->vn;
	return ap;
}

static void use(void *alias, int on)
{
	struct alias *ap = alias;

	ap->inuse = on;
	if (!on && ap->dead)
		drop(lookup(ap->name, strlen(ap->name)));
}

const struct syn_aliases alias_ops = {find, use};

const char *alias_value(const char *name)
{
	struct alias *ap = *lookup(name, strlen(name));

	return ap && !ap->dead ? ap->val : NULL;
}

/* name='value', one piece of output as dash's out1fmt */
static void print(struct shell *sh, struct bi_out *o, const struct alias *ap)
{
	size_t cap = strlen(ap->name) + 3 * strlen(ap->val) + 4;
	struct out line = {malloc(cap), 0, cap};

	if (!line.buf)
		eval_oom(sh);
	out_str(&line, ap->name);
	out_str(&line, "=");
	out_quoted(&line, ap->val);
	out_str(&line, "\n");
	bi_out_put(o, line.buf, line.n);
	free(line.buf);
}

/* "alias: x not found": dash writes it without the usual prefix */
static void not_found(const char *cmd, const char *name)
{
	size_t c = strlen(cmd), n = strlen(name);
	char *m = malloc(c + n + 13);

	if (!m)
		return;
	memcpy(m, cmd, c);
	memcpy(m + c, ": ", 2);
	memcpy(m + c + 2, name, n);
	memcpy(m + c + 2 + n, " not found\n", 11);
	write_all(2, m, c + n + 13);
	free(m);
}

static int end(struct shell *sh, struct bi_out *o, const char *name, int status)
{
	struct bi_ctx c = {sh->arg0, sh->lineno, NULL, NULL, sh};

	return bi_out_end(&c, o, name, status);
}

/* no options: every word is NAME=VALUE (defined) or NAME (printed) */
int alias_builtin(struct shell *sh, int argc, char **argv)
{
	struct bi_out *o = malloc(sizeof *o);
	int status = 0;

	if (!o)
		eval_oom(sh);
	bi_out_init(o, 1);
	if (argc == 1) {
		for (int i = 0; i < ATABSIZE; i++)
			for (struct alias *ap = atab[i]; ap; ap = ap->next)
				print(sh, o, ap);
	}
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i], *eq = w[0] ? strchr(w + 1, '=') : NULL;

		if (eq) {
			set(sh, w, (size_t)(eq - w), eq + 1);
		} else {
			struct alias *ap = *lookup(w, strlen(w));
			if (ap) {
				print(sh, o, ap);
			} else {
				not_found("alias", w);
				status = 1;
			}
		}
	}
	status = end(sh, o, "alias", status);
	free(o);
	return status;
}

int unalias_builtin(struct shell *sh, int argc, char **argv)
{
	struct bi_opts op = {argv + 1, NULL};
	int opt, status = 0;

	(void)argc;
	while ((opt = bi_nextopt(&op))) {
		if (opt != 'a') {
			char s[2] = {(char)opt, 0};
			shell_msg(sh, "Illegal option -", s, NULL, NULL);
			return 2;
		}
		for (int i = 0; i < ATABSIZE; i++)
			for (struct alias **app = &atab[i]; *app;)
				if (!drop(app))
					app = &(*app)->next;
		return 0;
	}
	for (char **a = op.a; *a; a++) {
		struct alias **app = lookup(*a, strlen(*a));
		if (*app) {
			drop(app);
		} else {
			not_found("unalias", *a);
			status = 1;
		}
	}
	return status;
}

/*
 * Whether the text names alias or unalias as a whole word (a command, an
 * eval string, `command alias`, the value of `x=alias` that `$x` may
 * run): such a text is parsed a list at a time, as dash does, so that an
 * alias defined by one line applies from the next. Words such as
 * -fno-strict-aliasing or modules.alias are not names.
 */
static int word_char(char c)
{
	return c == '_' || c == '-' || c == '.' || c == '/' || (c >= '0' && c <= '9') ||
	       ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

int alias_mentioned(const char *text, size_t len)
{
	const char *end = text + len;

	for (const char *p = text; (p = memmem(p, (size_t)(end - p), "alias", 5)); p += 5) {
		const char *start = p >= text + 2 && !memcmp(p - 2, "un", 2) ? p - 2 : p;
		if ((start == text || !word_char(start[-1])) && (p + 5 == end || !word_char(p[5])))
			return 1;
	}
	return 0;
}
