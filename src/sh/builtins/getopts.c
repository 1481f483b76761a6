/* SPDX-License-Identifier: MIT */
/*
 * The getopts builtin, as dash runs it. Between calls the shell keeps the
 * index of the next word (sh->optind) and, inside a grouped word like -abc,
 * the offset of the next letter (sh->optoff). OPTIND is only what getopts
 * writes out: reading it back happens when OPTIND is assigned
 * (getopts_reset), as dash's variable callback does.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "eval/eval.h"

/* dash's number(): strtoimax's syntax (blanks and a sign ahead), blanks
 * after, 0..INT_MAX; -1 if the text is not such a number */
static int parse_number(const char *s)
{
	char *end;

	errno = 0;
	intmax_t n = strtoimax(s, &end, 10);
	if (errno == ERANGE || end == s)
		return -1;
	while (isspace((unsigned char)*end))
		end++;
	if (*end || n < 0 || n > INT_MAX)
		return -1;
	return (int)n;
}

int getopts_reset(struct shell *sh, const char *value)
{
	/* unset hands dash's callback the byte past the name: an empty
	 * number in practice, so unset OPTIND is an error too */
	int n = parse_number(value ? value : "");

	if (n < 0) {
		if (ev.special)
			shell_fail(sh, 2, "Illegal number: ", value ? value : "", NULL);
		shell_msg(sh, "Illegal number: ", value ? value : "", NULL, NULL);
		return -1;
	}
	sh->optind = n ? n : 1;
	sh->optoff = 0;
	return 0;
}

/* dash's setvar() check: the name ends at the first '=', which may follow it */
static int name_ok(struct shell *sh, const char *name)
{
	size_t n = strcspn(name, "=");

	if (n && (isalpha((unsigned char)name[0]) || name[0] == '_')) {
		size_t i = 1;
		while (i < n && (isalnum((unsigned char)name[i]) || name[i] == '_'))
			i++;
		if (i == n)
			return 1;
	}
	char buf[256];
	snprintf(buf, sizeof buf, "%.*s", (int)n, name);
	shell_msg(sh, buf, ": bad variable name", NULL, NULL);
	return 0;
}

/* a one-letter value (OPTARG, the name variable) */
static int set_char(struct shell *sh, const char *name, char c)
{
	char s[2] = {c, 0};

	return shvar_set(sh, name, strcspn(name, "="), s, 0);
}

/* dash unsets OPTARG through setvar, whose readonly message has no "unset: " */
static int unset_optarg(struct shell *sh)
{
	if (shvar_flags(sh, "OPTARG", 6) & SHVAR_READONLY) {
		shell_msg(sh, "OPTARG", ": is read only", NULL, NULL);
		return -1;
	}
	return shvar_unset(sh, "OPTARG", 6);
}

struct scan {
	char **words;  /* the arguments getopts reads (NULL-terminated) */
	unsigned next; /* index of the next word to read */
	const char *p; /* next letter in the current grouped word, NULL: none */
	char c;        /* what the name variable gets */
};

/* where the last call stopped: a letter left in the word before words[next] */
static const char *resume_at(char **words, unsigned next, int off)
{
	if (next < 1 || off <= 0 || strlen(words[next - 1]) < (size_t)off)
		return NULL;
	return words[next - 1] + off;
}

/* the next option letter; 0 at the end of the options ("--" is used up) */
static int next_letter(struct scan *s)
{
	if (s->p && *s->p)
		return 1;
	const char *w = s->words[s->next];
	if (!w || w[0] != '-' || !w[1])
		return 0;
	s->next++;
	if (w[1] == '-' && !w[2])
		return 0;
	s->p = w + 1;
	return 1;
}

/* the letter's spec in optstr, walked as dash does (a leading ':' matches
 * the option -:); NULL if it is not an option */
static const char *find_spec(const char *optstr, char c)
{
	const char *q = optstr;

	while (*q != c) {
		if (!*q)
			return NULL;
		if (*++q == ':')
			q++;
	}
	return q;
}

/* the letter s->c at s->p - 1 with its argument: OPTARG and the result
 * letter set as dash does; -1 after an error message */
static int take_option(struct shell *sh, struct scan *s, const char *optstr)
{
	int silent = optstr[0] == ':';
	const char *q = find_spec(optstr, s->c);

	if (!q) {
		char c = s->c;
		s->c = '?';
		if (silent)
			return set_char(sh, "OPTARG", c);
		dprintf(2, "Illegal option -%c\n", c);
		return unset_optarg(sh);
	}
	if (q[1] != ':')
		return shvar_set(sh, "OPTARG", 6, "", 0);
	if (!*s->p && !s->words[s->next]) {
		char c = s->c;
		if (silent) {
			s->c = ':';
			return set_char(sh, "OPTARG", c);
		}
		s->c = '?';
		dprintf(2, "No arg for -%c option\n", c);
		return unset_optarg(sh);
	}
	if (!*s->p)
		s->p = s->words[s->next++];
	const char *arg = s->p;
	s->p = NULL;
	return shvar_set(sh, "OPTARG", 6, arg, 0);
}

int b_getopts(struct shell *sh, int argc, char **argv)
{
	if (argc < 3) {
		shell_msg(sh, "Usage: getopts optstring var [arg...]", NULL, NULL, NULL);
		return 2;
	}
	char **words = argc == 3 ? sh->params : argv + 3;
	unsigned nwords = argc == 3 ? sh->nparams : (unsigned)argc - 3;
	unsigned ind = sh->optind > 0 ? (unsigned)sh->optind : 1;
	int off = sh->optoff;

	if (ind > nwords + 1) {
		ind = 1;
		off = 0;
	}
	/* an error below leaves the state as dash's (-1): start over next time */
	sh->optind = 0;
	sh->optoff = 0;

	struct scan s = {words, ind - 1, resume_at(words, ind - 1, off), '?'};
	int done = !next_letter(&s);
	if (done) {
		s.p = NULL;
	} else {
		s.c = *s.p++;
		if (take_option(sh, &s, argv[1]) < 0)
			return 2;
	}

	char num[16];
	snprintf(num, sizeof num, "%u", s.next + 1);
	if (shvar_set(sh, "OPTIND", 6, num, 0) < 0)
		return 2;
	/* that ran getopts_reset; dash's callback is off here, its state still -1 */
	sh->optind = 0;
	sh->optoff = 0;
	if (!name_ok(sh, argv[2]) || set_char(sh, argv[2], s.c) < 0)
		return 2;
	sh->optoff = s.p ? (int)(s.p - words[s.next - 1]) : 0;
	sh->optind = (int)s.next + 1;
	return done;
}
