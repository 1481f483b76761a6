/* SPDX-License-Identifier: MIT */
/* The builtins recipes use, with dash's behaviour and messages. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "run.h"

void sh_exit(struct shell *sh, int status)
{
	if (sh->u)
		uspawn_close(sh->u);
	_exit(status & 255);
}

/* dash's echo: only a first "-n"; \a \b \c \e \f \n \r \t \v \\ \0NNN \NNN. */
static size_t echo_escape(const char *s, char *o, int *stop)
{
	static const char from[] = "abefnrtv\\", to[] = "\a\b\033\f\n\r\t\v\\";
	size_t n = 0;

	while (*s) {
		if (*s != '\\') {
			o[n++] = *s++;
			continue;
		}
		const char *e = strchr(from, s[1]);
		if (s[1] == 'c') {
			*stop = 1;
			return n;
		}
		if (s[1] && e) {
			o[n++] = to[e - from];
			s += 2;
		} else if (s[1] >= '0' && s[1] <= '7') {
			int v = 0, i = 0;
			s += s[1] == '0' ? 2 : 1;
			while (i < 3 && *s >= '0' && *s <= '7') {
				v = v * 8 + (*s++ - '0');
				i++;
			}
			o[n++] = (char)v;
		} else {
			o[n++] = *s++;
		}
	}
	return n;
}

static int b_echo(struct shell *sh, char **argv)
{
	int nl = 1, stop = 0;
	size_t len = 2;

	argv++;
	if (*argv && !strcmp(*argv, "-n")) {
		nl = 0;
		argv++;
	}
	for (char **a = argv; *a; a++)
		len += strlen(*a) + 1;
	char *buf = ush_alloc(sh->a, len);
	if (!buf)
		return 1;
	size_t n = 0;
	for (char **a = argv; *a && !stop; a++) {
		if (a != argv)
			buf[n++] = ' ';
		n += echo_escape(*a, buf + n, &stop);
	}
	if (nl && !stop)
		buf[n++] = '\n';
	for (size_t off = 0; off < n;) {
		ssize_t w = write(1, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			sh_error(sh, "echo: echo: I/O error", NULL, NULL, NULL);
			return 1;
		}
		off += w;
	}
	return 0;
}

/* dash's logical cd: $PWD joined with the operand, "." and ".." resolved by text. */
static char *logical(struct shell *sh, const char *dest)
{
	const char *base = dest[0] == '/' ? "" : shell_pwd(sh);
	size_t bl = strlen(base), dl = strlen(dest);
	char *tmp = ush_alloc(sh->a, bl + dl + 2), *out = ush_alloc(sh->a, bl + dl + 3);
	size_t n = 0;

	if (!tmp || !out)
		return NULL;
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
	return out;
}

static int b_cd(struct shell *sh, char **argv)
{
	const char *dest = argv[1];

	if (!dest)
		dest = var_get(sh, "HOME", 4);
	if (!dest || !*dest)
		dest = ".";
	const char *old = shell_pwd(sh);
	char *dir = logical(sh, dest);
	if (!dir)
		return 2;
	if (chdir(dir) < 0) {
		sh_error(sh, "cd: can't cd to ", dest, NULL, NULL);
		return 2;
	}
	var_set(sh, "OLDPWD", 6, old, 1);
	var_set(sh, "PWD", 3, dir, 1);
	sh->pwd = dir;
	return 0;
}

/* dash's number(): strtoimax's syntax, the whole string, 0..INT_MAX. */
static int parse_number(const char *s, int *out)
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

static int b_exit(struct shell *sh, char **argv)
{
	int status = sh->status;

	if (argv[1] && parse_number(argv[1], &status) < 0) {
		sh_error(sh, "exit: Illegal number: ", argv[1], NULL, NULL);
		sh_exit(sh, 2);
	}
	sh_exit(sh, status);
}

static int b_export(struct shell *sh, char **argv)
{
	for (argv++; *argv; argv++) {
		char *eq = strchr(*argv, '=');
		size_t n = eq ? (size_t)(eq - *argv) : strlen(*argv);
		if (var_set(sh, *argv, n, eq ? eq + 1 : NULL, 1) < 0)
			return 2;
	}
	return 0;
}

static int unary_test(char op, const char *f)
{
	struct stat st;

	switch (op) {
	case 'n':
		return *f != 0;
	case 'z':
		return *f == 0;
	case 'L':
	case 'h':
		return !lstat(f, &st) && S_ISLNK(st.st_mode);
	}
	if (stat(f, &st) < 0)
		return 0;
	return op == 'e' || (op == 'f' && S_ISREG(st.st_mode)) ||
	       (op == 'd' && S_ISDIR(st.st_mode)) || (op == 's' && st.st_size > 0);
}

/* Only the shapes classify.c lets through (see check_test). */
static int b_test(char **argv, int bracket)
{
	int n = 0, neg = 0;
	char **a = argv + 1;

	while (a[n])
		n++;
	n -= bracket;
	if (n >= 3 && !strcmp(a[0], "!") &&
	    !(n == 3 && (!strcmp(a[1], "=") || !strcmp(a[1], "!=")))) {
		neg = 1;
		a++;
		n--;
	}
	int r = n == 2 ? unary_test(a[0][1], a[1]) : (strcmp(a[0], a[2]) == 0) == (a[1][0] == '=');
	return r != neg ? 0 : 1;
}

int run_builtin(struct shell *sh, int id, char **argv)
{
	switch (id) {
	case USH_B_FALSE:
		return 1;
	case USH_B_ECHO:
		return b_echo(sh, argv);
	case USH_B_CD:
		return b_cd(sh, argv);
	case USH_B_EXIT:
		return b_exit(sh, argv);
	case USH_B_EXPORT:
		return b_export(sh, argv);
	case USH_B_TEST:
	case USH_B_BRACKET:
		return b_test(argv, id == USH_B_BRACKET);
	case USH_B_SET:
		sh->errexit = argv[1][0] == '-';
		return 0;
	}
	return 0;
}
