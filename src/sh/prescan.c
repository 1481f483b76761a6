/* SPDX-License-Identifier: MIT */
/*
 * The fast way out for delegated lines, run from ush_entry before libc is
 * initialised: no libc calls, no TLS (so no stack protector, no errno).
 * It only ever delegates, which is always correct; lines it lets through
 * get the full parser (and USPAWN_SH_STATS always does, to log a reason).
 */

static long sys_execve(const char *path, char **argv, char **envp)
{
	long r;

	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "0"(59L), "D"(path), "S"(argv), "d"(envp)
			 : "rcx", "r11", "memory");
	return r;
}

static int equal(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static int prefix(const char *s, const char *p)
{
	while (*p && *s == *p)
		s++, p++;
	return !*p;
}

static int word_start(const char *s, const char *at)
{
	char c = at == s ? ' ' : at[-1];
	return c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '&' || c == '|';
}

static int keyword_at(const char *at)
{
	static const char *const kw[] = {"if", "for", "while", "until", "case", "{"};

	for (unsigned i = 0; i < sizeof kw / sizeof kw[0]; i++) {
		if (!prefix(at, kw[i]))
			continue;
		unsigned n = 0;
		while (kw[i][n])
			n++;
		char c = at[n];
		if (c == ' ' || c == '\t' || c == '\n' || c == 0)
			return 1;
	}
	return 0;
}

/* Constructs ush never runs natively, wherever they appear (quoted or not). */
static int certainly_delegated(const char *s)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '[':
			if (!word_start(s, p) ||
			    (p[1] && p[1] != ' ' && p[1] != '\t' && p[1] != '\n'))
				return 1;
			break;
		case '`':
		case '(':
		case '*':
		case '~':
			return 1;
		case '?':
			if (p == s || p[-1] != '$')
				return 1;
			break;
		default:
			if (word_start(s, p) && keyword_at(p))
				return 1;
		}
	}
	return 0;
}

void ush_prescan(long *sp)
{
	long argc = sp[0];
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;

	if (argc < 3 || !(equal(argv[1], "-c") || equal(argv[1], "-ec") || equal(argv[1], "-ce")))
		return;
	for (char **e = envp; *e; e++)
		if (prefix(*e, "USPAWN_SH_STATS="))
			return;
	if (certainly_delegated(argv[2]))
		sys_execve("/bin/sh", argv, envp);
}
