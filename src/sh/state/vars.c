/* SPDX-License-Identifier: MIT */
/*
 * The shell's variables and special parameters, as dash 0.5.12 keeps them:
 * imported from the environment (valid names only, exported), dash's
 * start-up defaults (IFS, OPTIND, PPID, PS1, PS2, PS4, PATH, PWD), and the
 * environment handed to children (rebuilt only after an exported variable
 * changed).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "shell.h"

enum {
	V_SET = SHVAR_SET, /* has a value (text holds "NAME=value") */
	V_OWNED = 1 << 5,  /* text is malloc'd (else it points into environ) */
};

struct var {
	char *text;     /* "NAME=value", or the name alone without V_SET; NULL: empty slot */
	unsigned n;     /* name length */
	unsigned flags; /* SHVAR_EXPORT | SHVAR_READONLY | V_* */
	size_t cap;     /* V_OWNED: the bytes allocated for text */
	unsigned seq;   /* when dash would have created it (see env_order) */
};

struct vartab {
	struct var *v; /* open addressing, linear probing, cap a power of two */
	unsigned cap, used;
	char **env;    /* the cached environment for children */
	int env_dirty; /* an exported variable changed since env was built */
	char *join;    /* $* / $@ joined, for shell_param */
	size_t joincap;
	unsigned seq; /* the last creation number given */
};

int strvec_push(struct strvec *sv, char *s)
{
	if (sv->n + 2 > sv->cap) {
		unsigned cap = sv->cap ? sv->cap * 2 : 8;
		char **nv = sv->a ? ush_alloc(sv->a, cap * sizeof *nv)
				  : realloc(sv->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		if (sv->a && sv->n)
			memcpy(nv, sv->v, sv->n * sizeof *nv);
		sv->v = nv;
		sv->cap = cap;
	}
	sv->v[sv->n++] = s;
	sv->v[sv->n] = NULL;
	return 0;
}

void strvec_free(struct strvec *sv)
{
	if (!sv->a)
		free(sv->v);
	sv->v = NULL;
	sv->n = sv->cap = 0;
}

static unsigned name_hash(const char *name, size_t n)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	return h;
}

static struct var *slot_of(struct vartab *t, const char *name, size_t n)
{
	unsigned i = name_hash(name, n) & (t->cap - 1);

	while (t->v[i].text && !(t->v[i].n == n && !memcmp(t->v[i].text, name, n)))
		i = (i + 1) & (t->cap - 1);
	return &t->v[i];
}

static int tab_grow(struct vartab *t)
{
	struct var *old = t->v;
	unsigned oldcap = t->cap;

	t->cap = oldcap ? oldcap * 2 : 64;
	t->v = calloc(t->cap, sizeof *t->v);
	if (!t->v) {
		t->v = old;
		t->cap = oldcap;
		return -1;
	}
	for (unsigned i = 0; i < oldcap; i++)
		if (old[i].text)
			*slot_of(t, old[i].text, old[i].n) = old[i];
	free(old);
	return 0;
}

/*
 * dash's environment order: its table of 39 chains (hashvar()), a chain in
 * the order its variables were created (findvar() appends), dash's fixed
 * variables first (initvar() pushes them in varinit's order, so the last
 * comes first). A variable exists for dash while it has a value, or is
 * exported or readonly (unset removes it otherwise); created again, it goes
 * to the end of its chain.
 */
static unsigned fixed_seq(const char *name, size_t n)
{
	static const char *const fixed[] = {"LINENO", "OPTIND",   "PS4",  "PS2", "PS1",
					    "PATH",   "MAILPATH", "MAIL", "IFS"};

	for (unsigned i = 0; i < sizeof fixed / sizeof *fixed; i++)
		if (strlen(fixed[i]) == n && !memcmp(fixed[i], name, n))
			return i + 1;
	return 0;
}

static unsigned dash_bucket(const char *name, size_t n)
{
	unsigned h = (unsigned)(unsigned char)name[0] << 4;

	for (size_t i = 0; i < n; i++)
		h += (unsigned char)name[i];
	return h % 39;
}

static int var_alive(const struct var *v)
{
	return v->text && (v->flags & (V_SET | SHVAR_EXPORT | SHVAR_READONLY));
}

/* The variable's slot, created (with no value, no flags) when missing. */
static struct var *var_make(struct vartab *t, const char *name, size_t n)
{
	if ((t->used + 1) * 2 > t->cap && tab_grow(t) < 0)
		return NULL;
	struct var *v = slot_of(t, name, n);
	if (!var_alive(v)) {
		unsigned f = fixed_seq(name, n);
		v->seq = f ? f : ++t->seq;
	}
	if (!v->text) {
		v->text = malloc(n + 1);
		if (!v->text)
			return NULL;
		memcpy(v->text, name, n);
		v->text[n] = 0;
		v->n = n;
		v->cap = n + 1;
		v->flags = V_OWNED;
		t->used++;
	}
	return v;
}

static void var_settext(struct var *v, char *text, unsigned flags, size_t cap)
{
	if (v->flags & V_OWNED)
		free(v->text);
	v->text = text;
	v->cap = cap;
	v->flags = (v->flags & ~(V_OWNED | V_SET)) | flags;
}

/* the new value, in place when it fits (loops assign the same names over and over) */
static int var_setvalue(struct var *v, const char *value)
{
	size_t vl = strlen(value), need = v->n + vl + 2;

	if ((v->flags & V_OWNED) && need <= v->cap) {
		memmove(v->text + v->n + 1, value, vl + 1);
		v->text[v->n] = '=';
		v->flags |= V_SET;
		return 0;
	}
	size_t cap = (need + 15) & ~(size_t)15;
	char *s = malloc(cap);
	if (!s)
		return -1;
	memcpy(s, v->text, v->n);
	s[v->n] = '=';
	memcpy(s + v->n + 1, value, vl + 1);
	var_settext(v, s, V_OWNED | V_SET, cap);
	return 0;
}

/* no value any more: the text keeps only the name */
static int var_clear(struct var *v)
{
	if (!(v->flags & V_SET))
		return 0;
	if (v->flags & V_OWNED) {
		v->text[v->n] = 0;
		v->flags &= ~V_SET;
		return 0;
	}
	char *s = malloc(v->n + 1);
	if (!s)
		return -1;
	memcpy(s, v->text, v->n);
	s[v->n] = 0;
	var_settext(v, s, V_OWNED, v->n + 1);
	return 0;
}

/* dash's $PWD at start: an inherited absolute $PWD naming ".", else getcwd(). */
static void import_pwd(struct vartab *t, const char *pwd)
{
	struct stat st1, st2;
	struct var *v = var_make(t, "PWD", 3);

	if (!v)
		return;
	v->flags |= SHVAR_EXPORT;
	if (pwd && pwd[0] == '/' && !stat(pwd, &st1) && !stat(".", &st2) &&
	    st1.st_dev == st2.st_dev && st1.st_ino == st2.st_ino)
		return;
	char *buf = malloc(4100);
	if (buf && getcwd(buf + 4, 4096)) {
		memcpy(buf, "PWD=", 4);
		var_settext(v, buf, V_OWNED | V_SET, 4100);
		return;
	}
	free(buf);
}

static void import_default(struct vartab *t, const char *name, const char *value, int force)
{
	struct var *v = var_make(t, name, strlen(name));

	if (v && (force || !(v->flags & V_SET)))
		var_setvalue(v, value);
}

static void import_number(struct vartab *t, const char *name, unsigned long x)
{
	char d[24];

	d[sizeof d - 1] = 0;
	import_default(t, name, fmt_udec(d + sizeof d - 1, x), 1);
}

/* The table, built on first use from the environment plus dash's defaults. */
static struct vartab *tab_of(struct shell *sh)
{
	struct vartab *t = sh->vars;

	if (t)
		return t;
	t = calloc(1, sizeof *t);
	if (!t || tab_grow(t) < 0)
		abort(); /* no memory before the first command: nothing sane to do */
	sh->vars = t;
	t->env_dirty = 1;
	t->seq = 100; /* after the fixed variables */
	for (char **e = sh->environ; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		if (!eq || !lex_is_name(*e, eq - *e))
			continue;
		/* the environment's own text, no copy: a malloc and free per
		 * variable costs musl an mmap and munmap each */
		if ((t->used + 1) * 2 > t->cap && tab_grow(t) < 0)
			abort();
		struct var *v = slot_of(t, *e, eq - *e);
		if (!v->text) {
			unsigned f = fixed_seq(*e, eq - *e);
			v->seq = f ? f : ++t->seq;
			t->used++;
		} else if (v->flags & V_OWNED)
			free(v->text);
		v->text = *e;
		v->n = eq - *e;
		v->cap = 0;
		v->flags = V_SET | SHVAR_EXPORT;
	}
	import_default(t, "IFS", " \t\n", 1);
	import_default(t, "OPTIND", "1", 1);
	import_number(t, "PPID", (unsigned long)getppid());
	import_default(t, "PS1", geteuid() ? "$ " : "# ", 0);
	import_default(t, "PS2", "> ", 0);
	import_default(t, "PS4", "+ ", 0);
	import_default(t, "PATH", DASH_DEFAULT_PATH, 0);
	import_pwd(t, env_get(sh->environ, "PWD", 3));
	return t;
}

static struct var *var_find(struct shell *sh, const char *name, size_t n)
{
	struct vartab *t = tab_of(sh);
	struct var *v = slot_of(t, name, n);

	return v->text ? v : NULL;
}

char *shell_strdup(struct shell *sh, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = shell_alloc(sh, n);

	return d ? memcpy(d, s, n) : NULL;
}

const char *shvar_get(struct shell *sh, const char *name, size_t n)
{
	if (sh->view)
		return shvar_view_get(sh, name, n);
	struct var *v = var_find(sh, name, n);

	return v && (v->flags & V_SET) ? v->text + n + 1 : NULL;
}

unsigned shvar_flags(struct shell *sh, const char *name, size_t n)
{
	struct var *v = var_find(sh, name, n);

	return v ? v->flags & (SHVAR_EXPORT | SHVAR_READONLY | SHVAR_SET) : 0;
}

static void readonly_msg(struct shell *sh, const char *what, const char *name, size_t n)
{
	char buf[256];
	size_t k = n < sizeof buf - 1 ? n : sizeof buf - 1;

	memcpy(buf, name, k);
	buf[k] = 0;
	if (what)
		shell_msg(sh, what, buf, ": is read only", NULL);
	else
		shell_msg(sh, buf, ": is read only", NULL, NULL);
}

/* any change of $PATH, even to the same value, forgets dash's command table */
static int is_path(const char *name, size_t n)
{
	return n == 4 && !memcmp(name, "PATH", 4);
}

int shvar_set(struct shell *sh, const char *name, size_t n, const char *value, unsigned flags)
{
	if (sh->view)
		return -1; /* decide/'s shell stores nothing */
	struct vartab *t = tab_of(sh);
	struct var *v = var_make(t, name, n);

	if (!v)
		return -1;
	if (value && (v->flags & SHVAR_READONLY)) {
		readonly_msg(sh, NULL, name, n);
		return -1;
	}
	/* OPTIND restarts getopts, and refuses what is not a number */
	if (value && n == 6 && !memcmp(name, "OPTIND", 6) && sh->ops->optind_changed(sh, value) < 0)
		return -1;
	if (value && (sh->opts & OPT_ALLEXPORT))
		flags |= SHVAR_EXPORT;
	flags &= SHVAR_EXPORT | SHVAR_READONLY;
	if (value && var_setvalue(v, value) < 0)
		return -1;
	if (value && is_path(name, n))
		sh->ops->path_changed();
	v->flags |= flags;
	if (v->flags & SHVAR_EXPORT)
		t->env_dirty = 1;
	return 0;
}

int shvar_unset(struct shell *sh, const char *name, size_t n)
{
	struct vartab *t = tab_of(sh);
	struct var *v = slot_of(t, name, n);

	if (!v->text)
		return 0;
	if (v->flags & SHVAR_READONLY) {
		readonly_msg(sh, "unset: ", name, n);
		return -1;
	}
	if (n == 6 && !memcmp(name, "OPTIND", 6) && sh->ops->optind_changed(sh, NULL) < 0)
		return -1;
	if (v->flags & SHVAR_EXPORT)
		t->env_dirty = 1;
	if (is_path(name, n))
		sh->ops->path_changed();
	if (var_clear(v) < 0)
		return -1;
	v->flags &= V_OWNED;
	return 0;
}

/* env_cmp's key: the bucket, then the creation order (the var behind an entry) */
static struct vartab *sort_tab;

static int env_cmp(const void *a, const void *b)
{
	const char *x = *(char *const *)a, *y = *(char *const *)b;
	size_t xn = strcspn(x, "="), yn = strcspn(y, "=");
	unsigned bx = dash_bucket(x, xn), by = dash_bucket(y, yn);

	if (bx != by)
		return bx < by ? -1 : 1;
	unsigned sx = slot_of(sort_tab, x, xn)->seq, sy = slot_of(sort_tab, y, yn)->seq;
	return (sx > sy) - (sx < sy);
}

char **shvar_environ(struct shell *sh)
{
	struct vartab *t = tab_of(sh);
	unsigned k = 0;

	if (!t->env_dirty)
		return t->env;
	for (unsigned i = 0; i < t->cap; i++)
		k += (t->v[i].flags & (SHVAR_EXPORT | V_SET)) == (SHVAR_EXPORT | V_SET);
	char **env = malloc((k + 1) * sizeof *env);
	if (!env)
		return NULL;
	k = 0;
	for (unsigned i = 0; i < t->cap; i++)
		if ((t->v[i].flags & (SHVAR_EXPORT | V_SET)) == (SHVAR_EXPORT | V_SET))
			env[k++] = t->v[i].text;
	env[k] = NULL;
	sort_tab = t;
	qsort(env, k, sizeof *env, env_cmp);
	free(t->env);
	t->env = env;
	t->env_dirty = 0;
	return env;
}

static int info_cmp(const void *a, const void *b)
{
	const struct shvar_info *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->name, y->name, n);

	return c ? c : (x->n > y->n) - (x->n < y->n);
}

struct shvar_info *shvar_list(struct shell *sh, unsigned flags, unsigned *count)
{
	struct vartab *t = tab_of(sh);
	struct shvar_info *l = malloc((t->used + 1) * sizeof *l);
	unsigned k = 0;

	if (!l)
		return NULL;
	for (unsigned i = 0; i < t->cap; i++) {
		struct var *v = &t->v[i];
		unsigned f = v->flags & (SHVAR_EXPORT | SHVAR_READONLY | SHVAR_SET);
		if (!v->text || !f || (f & flags) != flags)
			continue;
		l[k].name = v->text;
		l[k].n = v->n;
		l[k].value = (v->flags & V_SET) ? v->text + v->n + 1 : NULL;
		l[k].flags = f;
		k++;
	}
	qsort(l, k, sizeof *l, info_cmp);
	*count = k;
	return l;
}

struct shvar_saved {
	char *name;
	size_t n;
	char *value; /* NULL: unset */
	unsigned flags;
};

void *shvar_save(struct shell *sh, const char *name, size_t n)
{
	struct shvar_saved *s = calloc(1, sizeof *s);
	const char *v = shvar_get(sh, name, n);

	if (!s)
		return NULL;
	s->name = malloc(n + 1);
	s->value = v ? strdup(v) : NULL;
	if (!s->name || (v && !s->value)) {
		free(s->name);
		free(s->value);
		free(s);
		return NULL;
	}
	memcpy(s->name, name, n);
	s->name[n] = 0;
	s->n = n;
	s->flags = shvar_flags(sh, name, n) & (SHVAR_EXPORT | SHVAR_READONLY);
	return s;
}

void shvar_restore(struct shell *sh, void *saved)
{
	struct shvar_saved *s = saved;
	struct vartab *t = tab_of(sh);
	struct var *v = var_make(t, s->name, s->n);

	if (v) {
		if (v->flags & SHVAR_EXPORT || s->flags & SHVAR_EXPORT)
			t->env_dirty = 1;
		if (is_path(s->name, s->n))
			sh->ops->path_changed();
		/* dash runs OPTIND's callback when a local or a prefix assignment ends */
		if (s->value && s->n == 6 && !memcmp(s->name, "OPTIND", 6))
			sh->ops->optind_changed(sh, s->value);
		if (s->value) {
			var_setvalue(v, s->value);
		} else {
			var_clear(v);
		}
		v->flags = (v->flags & (V_OWNED | V_SET)) | s->flags;
	}
	free(s->name);
	free(s->value);
	free(s);
}

static char *dec(char *tmp, size_t tmpn, unsigned long x, int neg)
{
	char *p = tmp + tmpn - 1;

	*p = 0;
	do {
		*--p = '0' + x % 10;
		x /= 10;
	} while (x);
	if (neg)
		*--p = '-';
	return p;
}

/* $- : option letters in dash's order (the reverse of its option table) */
static const char *opt_letters(struct shell *sh, char *tmp)
{
	static const struct {
		unsigned opt;
		char c;
	} order[] = {
		{OPT_PRIVILEGED, 'p'}, {OPT_NOUNSET, 'u'}, {OPT_NOTIFY, 'b'},  {OPT_ALLEXPORT, 'a'},
		{OPT_NOCLOBBER, 'C'},  {OPT_EMACS, 'E'},   {OPT_VI, 'V'},      {OPT_VERBOSE, 'v'},
		{OPT_XTRACE, 'x'},     {OPT_STDIN, 's'},   {OPT_NOEXEC, 'n'},  {OPT_MONITOR, 'm'},
		{OPT_IGNOREEOF, 'I'},  {OPT_NOGLOB, 'f'},  {OPT_ERREXIT, 'e'},
	};
	char *p = tmp;

	for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++)
		if (sh->opts & order[i].opt)
			*p++ = order[i].c;
	*p = 0;
	return tmp;
}

/* $* and $@ as one string: joined with the first character of IFS */
static const char *params_joined(struct shell *sh)
{
	const char *ifs = shvar_get(sh, "IFS", 3);
	char sep = ifs ? ifs[0] : ' ';
	size_t len = 1;
	char *join;

	for (unsigned i = 0; i < sh->nparams; i++)
		len += strlen(sh->params[i]) + 1;
	if (sh->view) {
		/* decide/'s shell: in its arena */
		join = shell_alloc(sh, len);
	} else {
		struct vartab *t = tab_of(sh);
		if (len > t->joincap) {
			char *j = realloc(t->join, len);
			if (!j)
				return NULL;
			t->join = j;
			t->joincap = len;
		}
		join = t->join;
	}
	if (!join)
		return NULL;
	char *p = join;
	for (unsigned i = 0; i < sh->nparams; i++) {
		size_t l = strlen(sh->params[i]);
		if (i && sep)
			*p++ = sep;
		memcpy(p, sh->params[i], l);
		p += l;
	}
	*p = 0;
	return join;
}

/* a positional parameter number (decimal digits, as dash reads ${010}) */
static const char *positional(struct shell *sh, const char *name, size_t n)
{
	unsigned long k = 0;

	for (size_t i = 0; i < n; i++) {
		k = k * 10 + (name[i] - '0');
		if (k > sh->nparams)
			return NULL;
	}
	if (k == 0)
		return sh->arg0;
	return sh->params[k - 1];
}

const char *shell_param(struct shell *sh, const char *name, size_t n, char *tmp, size_t tmpn)
{
	if (name[0] >= '0' && name[0] <= '9')
		return positional(sh, name, n);
	if (n == 1) {
		switch (name[0]) {
		case '#':
			return dec(tmp, tmpn, sh->nparams, 0);
		case '?':
			return dec(tmp, tmpn,
				   sh->status < 0 ? -(unsigned long)sh->status
						  : (unsigned long)sh->status,
				   sh->status < 0);
		case '$':
			return dec(tmp, tmpn, sh->rootpid, 0);
		case '!':
			return sh->lastbg ? dec(tmp, tmpn, sh->lastbg, 0) : NULL;
		case '-':
			return opt_letters(sh, tmp);
		case '@':
		case '*':
			return params_joined(sh);
		}
	}
	return shvar_get(sh, name, n);
}
