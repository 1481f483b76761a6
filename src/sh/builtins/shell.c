/* SPDX-License-Identifier: MIT */
/*
 * The builtins that work on the shell itself (cd, exit, set, export,
 * eval, ., command, ...), with dash 0.5.12's options, output and
 * messages, and the table every builtin is found in.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "builtins/builtins.h"
#include "eval/eval.h"

/* a builtin's error: dash leaves the shell after one in a special builtin */
static int bi_fail(struct shell *sh, const char *a, const char *b, const char *c)
{
	if (ev.special)
		shell_fail(sh, 2, a, b, c);
	shell_msg(sh, a, b, c, NULL);
	return 2;
}

/* dash's nextopt(): options from letters in allowed; -1 after the message */
static int options(struct shell *sh, char **argv, int *i, const char *allowed, char *seen)
{
	*i = 1;
	while (argv[*i] && argv[*i][0] == '-' && argv[*i][1]) {
		const char *a = argv[(*i)++];
		if (a[1] == '-' && !a[2])
			break;
		for (a++; *a; a++) {
			if (!strchr(allowed, *a)) {
				char opt[2] = {*a, 0};
				bi_fail(sh, "Illegal option -", opt, NULL);
				return -1;
			}
			seen[(unsigned char)*a] = 1;
		}
	}
	return 0;
}

/* dash's number(): strtoimax's syntax (blanks, sign), the whole string, 0..INT_MAX */
static int number(const char *s, int *out)
{
	char *end;

	errno = 0;
	long long v = strtoll(s, &end, 10);
	while (*end == ' ' || (*end >= '\t' && *end <= '\r'))
		end++;
	if (end == s || *end || errno || v < 0 || v > INT_MAX)
		return -1;
	*out = (int)v;
	return 0;
}

static int is_name(const char *s, size_t n)
{
	if (!n || !(s[0] == '_' || ((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z')))
		return 0;
	for (size_t i = 1; i < n; i++)
		if (!(s[i] == '_' || ((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') ||
		      (s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static int b_true(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return 0;
}

static int b_false(struct shell *sh, int argc, char **argv)
{
	(void)sh, (void)argc, (void)argv;
	return 1;
}

static void out_line(const char *s)
{
	size_t n = strlen(s);
	char *b = malloc(n + 1);

	if (!b)
		return;
	memcpy(b, s, n);
	b[n] = '\n';
	eval_out(b, n + 1);
	free(b);
}

/* the logical directory of dest from cur: "." and ".." taken by text */
static char *logical(const char *cur, const char *dest)
{
	const char *base = dest[0] == '/' ? "" : cur;
	size_t bl = strlen(base), dl = strlen(dest);
	char *tmp = malloc(bl + dl + 2), *out = malloc(bl + dl + 3);
	size_t n = 0;

	if (!tmp || !out) {
		free(tmp);
		free(out);
		return NULL;
	}
	memcpy(tmp, base, bl);
	tmp[bl] = '/';
	memcpy(tmp + bl + 1, dest, dl + 1);
	for (char *p = tmp; *p;) {
		while (*p == '/')
			p++;
		char *end = strchrnul(p, '/');
		size_t cl = end - p;
		if (cl == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[--n] != '/')
				;
		} else if (cl && !(cl == 1 && p[0] == '.')) {
			out[n++] = '/';
			memcpy(out + n, p, cl);
			n += cl;
		}
		p = end;
	}
	if (!n)
		out[n++] = '/';
	out[n] = 0;
	/* exactly two leading slashes mean something of their own (POSIX): kept */
	const char *start = dest[0] == '/' ? dest : cur;
	if (start[0] == '/' && start[1] == '/' && start[2] != '/') {
		if (n == 1)
			n = 0;
		memmove(out + 1, out, n + 1);
		out[0] = '/';
		if (!n)
			out[1] = '/', out[2] = 0;
	}
	free(tmp);
	return out;
}

static int docd(struct shell *sh, const char *dest, int physical)
{
	const char *cur = shvar_get(sh, "PWD", 3);
	char *dir = NULL;

	if (!physical && cur && cur[0] == '/')
		dir = logical(cur, dest);
	if (chdir(dir ? dir : dest) < 0) {
		free(dir);
		return -1;
	}
	cmdtable_cd();
	char *old = cur ? strdup(cur) : NULL;
	if (!dir) {
		char buf[PATH_MAX];
		dir = getcwd(buf, sizeof buf) ? strdup(buf) : NULL;
	}
	if (old)
		shvar_set(sh, "OLDPWD", 6, old, SHVAR_EXPORT);
	if (dir)
		shvar_set(sh, "PWD", 3, dir, SHVAR_EXPORT);
	free(old);
	free(dir);
	return 0;
}

static int is_dir(const char *p)
{
	struct stat st;
	return !stat(p, &st) && S_ISDIR(st.st_mode);
}

static int b_cd(struct shell *sh, int argc, char **argv)
{
	char seen[256] = {0};
	int i, print = 0;

	(void)argc;
	if (options(sh, argv, &i, "LP", seen) < 0)
		return 2;
	int physical = seen['P'];
	const char *dest = argv[i];
	if (!dest) {
		dest = shvar_get(sh, "HOME", 4);
		if (!dest)
			return 0;
	} else if (dest[0] == '-' && !dest[1]) {
		dest = shvar_get(sh, "OLDPWD", 6);
		print = 1;
		if (!dest)
			dest = "";
	}
	if (!*dest)
		dest = ".";
	const char *cdpath = shvar_get(sh, "CDPATH", 6);
	int rel = !(dest[0] == '/' ||
		    (dest[0] == '.' && (dest[1] == '/' || !dest[1] ||
					(dest[1] == '.' && (dest[2] == '/' || !dest[2])))));
	if (cdpath && rel) {
		char path[PATH_MAX];
		for (int idx = 0; path_entry(cdpath, idx, dest, path, sizeof path) != -1; idx++) {
			const char *p = path;
			int empty = !strcmp(path, dest);
			if (empty)
				p = dest; /* an empty entry: the current directory */
			if (!is_dir(p))
				continue;
			if (docd(sh, p, physical) == 0) {
				if (!empty || print)
					out_line(shvar_get(sh, "PWD", 3));
				return 0;
			}
		}
	}
	if (docd(sh, dest, physical) < 0)
		return bi_fail(sh, "can't cd to ", dest, NULL);
	if (print)
		out_line(shvar_get(sh, "PWD", 3));
	return 0;
}

static int b_pwd(struct shell *sh, int argc, char **argv)
{
	char seen[256] = {0}, buf[PATH_MAX];
	int i;

	(void)argc;
	if (options(sh, argv, &i, "LP", seen) < 0)
		return 2;
	const char *cur = shvar_get(sh, "PWD", 3);
	if (seen['P'] || !cur || cur[0] != '/') {
		if (!getcwd(buf, sizeof buf))
			return bi_fail(sh, "getcwd() failed: ", strerror(errno), NULL);
		cur = buf;
	}
	out_line(cur);
	return 0;
}

static int b_exit(struct shell *sh, int argc, char **argv)
{
	int status = sh->status;

	(void)argc;
	if (argv[1] && number(argv[1], &status) < 0)
		shell_fail(sh, 2, "Illegal number: ", argv[1], NULL);
	shell_exit(sh, status);
}

/* dash's single quoting of a value for export -p, set */
static void out_quoted(struct out *o, const char *s)
{
	out_str(o, "'");
	for (; *s; s++) {
		if (*s == '\'')
			out_str(o, "'\\''");
		else
			out_mem(o, s, 1);
	}
	out_str(o, "'");
}

static int list_vars(struct shell *sh, unsigned flags, const char *prefix)
{
	unsigned n = 0;
	struct shvar_info *v = shvar_list(sh, flags, &n);

	if (!v && n)
		eval_oom(sh);
	for (unsigned i = 0; i < n; i++) {
		size_t cap = 32 + v[i].n + (v[i].value ? strlen(v[i].value) * 4 : 0);
		struct out o = {malloc(cap), 0, cap};
		if (!o.buf)
			eval_oom(sh);
		if (prefix)
			out_str(&o, prefix);
		out_mem(&o, v[i].name, v[i].n);
		if (v[i].value) {
			out_str(&o, "=");
			out_quoted(&o, v[i].value);
		}
		out_str(&o, "\n");
		eval_out(o.buf, o.n);
		free(o.buf);
	}
	free(v);
	return 0;
}

static int declare(struct shell *sh, int argc, char **argv, unsigned flag, const char *prefix)
{
	char seen[256] = {0};
	int i;

	(void)argc;
	if (options(sh, argv, &i, "p", seen) < 0)
		return 2;
	if (!argv[i])
		return list_vars(sh, flag, prefix);
	for (; argv[i]; i++) {
		char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		if (!is_name(argv[i], n)) {
			char *name = strndup(argv[i], n);
			if (!name)
				eval_oom(sh);
			shell_fail(sh, 2, name, ": bad variable name", NULL);
		}
		if (shvar_set(sh, argv[i], n, eq ? eq + 1 : NULL, flag) < 0)
			shell_exit(sh, 2);
	}
	return 0;
}

static int b_export(struct shell *sh, int argc, char **argv)
{
	return declare(sh, argc, argv, SHVAR_EXPORT, "export ");
}

static int b_readonly(struct shell *sh, int argc, char **argv)
{
	return declare(sh, argc, argv, SHVAR_READONLY, "readonly ");
}

static int b_local(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	if (!ev.funcnest)
		shell_fail(sh, 2, "not in a function", NULL, NULL);
	for (int i = 1; argv[i]; i++) {
		char *eq = strchr(argv[i], '=');
		size_t n = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		func_local(sh, argv[i], n);
		if (eq && shvar_set(sh, argv[i], n, eq + 1, 0) < 0)
			shell_exit(sh, 2);
	}
	return 0;
}

static const struct {
	const char *name;
	char letter;
	unsigned opt;
} optnames[] = {
	{"errexit", 'e', OPT_ERREXIT},
	{"noglob", 'f', OPT_NOGLOB},
	{"ignoreeof", 'I', 0},
	{"interactive", 'i', 0},
	{"monitor", 'm', 0},
	{"noexec", 'n', OPT_NOEXEC},
	{"stdin", 's', 0},
	{"xtrace", 'x', OPT_XTRACE},
	{"verbose", 'v', OPT_VERBOSE},
	{"vi", 'V', 0},
	{"emacs", 'E', 0},
	{"noclobber", 'C', OPT_NOCLOBBER},
	{"allexport", 'a', OPT_ALLEXPORT},
	{"notify", 'b', 0},
	{"nounset", 'u', OPT_NOUNSET},
	{"privileged", 'p', 0},
	{"nolog", 0, 0},
	{"debug", 0, 0},
};
#define NOPTS (sizeof optnames / sizeof optnames[0])

static int opt_listing(struct shell *sh, int plus)
{
	struct out o = {malloc(2048), 0, 2048};

	if (!o.buf)
		eval_oom(sh);
	if (!plus)
		out_str(&o, "Current option settings\n");
	for (unsigned i = 0; i < NOPTS; i++) {
		int on = optnames[i].opt && (sh->opts & optnames[i].opt);
		if (plus) {
			out_str(&o, on ? "set -o " : "set +o ");
			out_str(&o, optnames[i].name);
		} else {
			out_str(&o, optnames[i].name);
			for (size_t k = strlen(optnames[i].name); k < 16; k++)
				out_str(&o, " ");
			out_str(&o, on ? "on" : "off");
		}
		out_str(&o, "\n");
	}
	eval_out(o.buf, o.n);
	free(o.buf);
	return 0;
}

/* one option by letter or name; -1: dash's "Illegal option" */
static int set_opt(struct shell *sh, char letter, const char *name, int on)
{
	for (unsigned i = 0; i < NOPTS; i++) {
		if (name ? strcmp(name, optnames[i].name) : letter != optnames[i].letter || !letter)
			continue;
		if (on)
			sh->opts |= optnames[i].opt;
		else
			sh->opts &= ~optnames[i].opt;
		return 0;
	}
	return -1;
}

int shell_setopts(struct shell *sh, char **argv, int *i)
{
	for (; argv[*i]; (*i)++) {
		const char *a = argv[*i];
		if ((a[0] != '-' && a[0] != '+') || !a[1]) {
			if (a[0] == '-' && !a[1]) {
				(*i)++; /* "set -": the end of options, -x and -v off */
				sh->opts &= ~(unsigned)(OPT_XTRACE | OPT_VERBOSE);
			}
			return 0;
		}
		if (a[0] == '-' && a[1] == '-' && !a[2]) {
			(*i)++;
			return 1;
		}
		int on = a[0] == '-';
		for (a++; *a; a++) {
			if (*a == 'o') {
				const char *name = argv[*i + 1];
				if (!name)
					return opt_listing(sh, !on) == 0 ? 2 : -1;
				(*i)++;
				if (set_opt(sh, 0, name, on) < 0) {
					bi_fail(sh, "Illegal option -o ", name, NULL);
					return -1;
				}
				continue;
			}
			if (set_opt(sh, *a, NULL, on) < 0) {
				char opt[2] = {*a, 0};
				bi_fail(sh, "Illegal option -", opt, NULL);
				return -1;
			}
		}
	}
	return 0;
}

static int set_params(struct shell *sh, char **argv)
{
	unsigned n = 0;

	while (argv[n])
		n++;
	char **p = calloc(n + 1, sizeof *p);
	if (!p)
		eval_oom(sh);
	for (unsigned i = 0; i < n; i++)
		if (!(p[i] = strdup(argv[i])))
			eval_oom(sh);
	for (unsigned i = 0; i < sh->nparams; i++)
		free(sh->params[i]);
	free(sh->params);
	sh->params = p;
	sh->nparams = n;
	return 0;
}

static int b_set(struct shell *sh, int argc, char **argv)
{
	int i = 1;

	if (argc == 1)
		return list_vars(sh, 0, NULL);
	int r = shell_setopts(sh, argv, &i);
	if (r < 0)
		return 2;
	if (r == 2)
		return 0;
	if (r == 1 || argv[i] || (i > 1 && !strcmp(argv[i - 1], "-")))
		if (r == 1 || argv[i]) {
			set_params(sh, argv + i);
			/* new parameters: getopts starts over (dash's setparam) */
			sh->optind = 0;
			sh->optoff = 0;
		}
	return 0;
}

static int b_shift(struct shell *sh, int argc, char **argv)
{
	int n = 1;

	(void)argc;
	if (argv[1] && number(argv[1], &n) < 0)
		return bi_fail(sh, "Illegal number: ", argv[1], NULL);
	if ((unsigned)n > sh->nparams)
		return bi_fail(sh, "can't shift that many", NULL, NULL);
	for (int k = 0; k < n; k++)
		free(sh->params[k]);
	memmove(sh->params, sh->params + n, (sh->nparams - n + 1) * sizeof *sh->params);
	sh->nparams -= n;
	sh->optind = 0; /* dash's shift restarts getopts, even shift 0 */
	sh->optoff = 0;
	return 0;
}

static int b_unset(struct shell *sh, int argc, char **argv)
{
	char seen[256] = {0};
	int i;

	(void)argc;
	if (options(sh, argv, &i, "fv", seen) < 0)
		return 2;
	for (; argv[i]; i++) {
		if (seen['f']) {
			func_unset(sh, argv[i]);
			continue;
		}
		size_t n = strlen(argv[i]);
		if (shvar_flags(sh, argv[i], n) & SHVAR_READONLY)
			return bi_fail(sh, argv[i], ": is read only", NULL);
		shvar_unset(sh, argv[i], n);
	}
	return 0;
}

static int loop_jump(struct shell *sh, char **argv, int skip)
{
	int n = 1;

	if (argv[1] && (number(argv[1], &n) < 0 || n == 0))
		return bi_fail(sh, "Illegal number: ", argv[1], NULL);
	if ((unsigned)n > ev.loopnest)
		n = (int)ev.loopnest;
	if (n > 0) {
		ev.skip = skip;
		ev.skipcount = (unsigned)n;
	}
	return 0;
}

static int b_break(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	return loop_jump(sh, argv, SKIP_BREAK);
}

static int b_continue(struct shell *sh, int argc, char **argv)
{
	(void)argc;
	return loop_jump(sh, argv, SKIP_CONT);
}

static int b_return(struct shell *sh, int argc, char **argv)
{
	int status = sh->status;

	(void)argc;
	if (argv[1] && number(argv[1], &status) < 0)
		return bi_fail(sh, "Illegal number: ", argv[1], NULL);
	ev.skip = SKIP_FUNC;
	return status;
}

static int b_eval(struct shell *sh, int argc, char **argv)
{
	size_t len = 0;

	if (argc < 2)
		return 0;
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	char *text = malloc(len + 1), *p = text;
	if (!text)
		eval_oom(sh);
	for (int i = 1; i < argc; i++) {
		size_t n = strlen(argv[i]);
		memcpy(p, argv[i], n);
		p += n;
		*p++ = i + 1 < argc ? ' ' : 0;
	}
	sh->status = 0;
	int status = eval_string(sh, text, strlen(text), sh->lineno);
	free(text);
	return status;
}

static char *read_file(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);

	while (buf) {
		if (n == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	*len = n;
	return buf;
}

static int b_dot(struct shell *sh, int argc, char **argv)
{
	char path[PATH_MAX];
	const char *file;

	if (argc < 2)
		return 0;
	file = argv[1];
	if (!strchr(file, '/')) {
		/* dash searches $PATH for a readable regular file */
		const char *pv = eval_pathvar(sh);
		file = NULL;
		for (int idx = 0; path_entry(pv, idx, argv[1], path, sizeof path) != -1; idx++) {
			struct stat st;
			if (!stat(path, &st) && S_ISREG(st.st_mode)) {
				file = path;
				break;
			}
		}
		if (!file)
			shell_fail(sh, 2, argv[1], ": not found", NULL);
	}
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		shell_msg(sh, "cannot open ", argv[1], ": ", ush_errmsg(errno, USH_E_OPEN));
		shell_exit(sh, 2);
	}
	size_t len;
	char *text = read_file(fd, &len);
	close(fd);
	if (!text)
		eval_oom(sh);
	const char *saved_cmd = ev.cmdname;
	ev.cmdname = file; /* dash names the file in messages from it */
	ev.dotnest++;
	sh->status = 0;
	int status = eval_string(sh, text, len, 1);
	ev.dotnest--;
	ev.cmdname = saved_cmd;
	if (ev.skip == SKIP_FUNC && !ev.funcnest)
		ev.skip = SKIP_NONE;
	free(text);
	return status;
}

static int describe(struct shell *sh, const char *name, int verbose, const char *pathvar)
{
	static const char *const keywords[] = {"!",     "case",  "do",  "done", "elif", "else",
					       "esac",  "fi",    "for", "if",   "in",   "then",
					       "until", "while", "{",   "}",    NULL};
	size_t cap = strlen(name) + PATH_MAX + 64;
	struct out o = {malloc(cap), 0, cap};
	int status = 0;

	if (!o.buf)
		eval_oom(sh);
	for (int k = 0; keywords[k]; k++)
		if (!strcmp(name, keywords[k])) {
			out_str(&o, name);
			out_str(&o, verbose ? " is a shell keyword" : "");
			goto done;
		}
	if (func_find(sh, name)) {
		out_str(&o, name);
		out_str(&o, verbose ? " is a shell function" : "");
		goto done;
	}
	const struct builtin *b = builtin_find(name);
	if (b) {
		out_str(&o, name);
		if (verbose)
			out_str(&o, b->flags & BI_SPECIAL ? " is a special shell builtin"
							  : " is a shell builtin");
		goto done;
	}
	struct lookup lk;
	/* dash's tracked alias: an entry of its table (made by this lookup is not one) */
	unsigned how =
		pathvar == eval_pathvar(sh) ? CMD_TABLE | CMD_RECORD | CMD_DESCRIBE : CMD_DESCRIBE;
	int tracked = cmdtable_lookup(sh, name, pathvar, how, &lk);
	if (tracked < 0) {
		if (verbose) {
			out_str(&o, name);
			out_str(&o, ": not found\n");
			eval_out(o.buf, o.n);
		}
		free(o.buf);
		return 127;
	}
	if (verbose) {
		out_str(&o, name);
		out_str(&o, tracked ? " is a tracked alias for " : " is ");
	}
	out_str(&o, lk.path);
done:
	out_str(&o, "\n");
	eval_out(o.buf, o.n);
	free(o.buf);
	return status;
}

static int b_type(struct shell *sh, int argc, char **argv)
{
	int status = 0;

	for (int i = 1; i < argc; i++)
		if (describe(sh, argv[i], 1, eval_pathvar(sh)))
			status = 127;
	return status;
}

static int b_command(struct shell *sh, int argc, char **argv)
{
	char seen[256] = {0};
	int i;

	(void)argc;
	if (options(sh, argv, &i, "pvV", seen) < 0)
		return 2;
	if (!argv[i])
		return 0;
	const char *pathvar = seen['p'] ? DASH_DEFAULT_PATH : eval_pathvar(sh);
	if (seen['v'] || seen['V'])
		return describe(sh, argv[i], seen['V'], pathvar);
	const char *saved = ev.cmdname;
	ev.cmdname = NULL;
	int status = eval_command_argv(sh, argv + i, pathvar);
	ev.cmdname = saved;
	return status;
}

static int b_exec(struct shell *sh, int argc, char **argv)
{
	char seen[256] = {0};
	int i;

	(void)argc;
	if (options(sh, argv, &i, "", seen) < 0)
		return 2;
	if (!argv[i])
		return 0;
	exec_external(sh, argv + i, shvar_environ(sh), eval_pathvar(sh));
}

static int b_wait(struct shell *sh, int argc, char **argv)
{
	return jobs_wait(sh, argc, argv);
}

static int b_trap(struct shell *sh, int argc, char **argv)
{
	return trap_builtin(sh, argc, argv);
}

/* the builtins of builtins.h: variables through the shell */
static const char *ctx_get(void *ctx, const char *name, size_t n)
{
	return shvar_get(ctx, name, n);
}

static int ctx_set(void *ctx, const char *name, size_t n, const char *value)
{
	return shvar_set(ctx, name, n, value, 0);
}

static int module(struct shell *sh, int argc, char **argv, int (*fn)(struct bi_ctx *, int, char **))
{
	struct bi_ctx c = {sh->arg0, sh->lineno, ctx_get, ctx_set, sh};
	return fn(&c, argc, argv);
}

#define MODULE(name)                                                                               \
	static int m_##name(struct shell *sh, int argc, char **argv)                               \
	{                                                                                          \
		return module(sh, argc, argv, bi_##name);                                          \
	}
MODULE(test)
MODULE(printf)
MODULE(echo)
MODULE(read)
MODULE(umask)
MODULE(kill)
MODULE(times)
MODULE(ulimit)

static const struct builtin table[] = {
	{".", b_dot, BI_SPECIAL},
	{":", b_true, BI_SPECIAL},
	{"[", m_test, 0},
	{"alias", alias_builtin, BI_ASSIGN},
	{"bg", b_bg, 0},
	{"break", b_break, BI_SPECIAL},
	{"cd", b_cd, 0},
	{"chdir", b_cd, 0},
	{"command", b_command, 0},
	{"continue", b_continue, BI_SPECIAL},
	{"echo", m_echo, 0},
	{"eval", b_eval, BI_SPECIAL},
	{"exec", b_exec, BI_SPECIAL},
	{"exit", b_exit, BI_SPECIAL},
	{"export", b_export, BI_SPECIAL | BI_ASSIGN},
	{"false", b_false, 0},
	{"fg", b_fg, 0},
	{"getopts", b_getopts, 0},
	{"hash", b_hash, 0},
	{"jobs", b_jobs, 0},
	{"kill", m_kill, 0},
	{"local", b_local, BI_ASSIGN},
	{"printf", m_printf, 0},
	{"pwd", b_pwd, 0},
	{"read", m_read, 0},
	{"readonly", b_readonly, BI_SPECIAL | BI_ASSIGN},
	{"return", b_return, BI_SPECIAL},
	{"set", b_set, BI_SPECIAL},
	{"shift", b_shift, BI_SPECIAL},
	{"test", m_test, 0},
	{"times", m_times, BI_SPECIAL},
	{"trap", b_trap, BI_SPECIAL},
	{"true", b_true, 0},
	{"type", b_type, 0},
	{"ulimit", m_ulimit, 0},
	{"umask", m_umask, 0},
	{"unalias", unalias_builtin, 0},
	{"unset", b_unset, BI_SPECIAL},
	{"wait", b_wait, 0},
};

const struct builtin *builtin_find(const char *name)
{
	unsigned lo = 0, hi = sizeof table / sizeof table[0];

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		int c = strcmp(name, table[mid].name);
		if (!c)
			return &table[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
