/* SPDX-License-Identifier: MIT */
/*
 * Debian's dash ulimit: -H/-S pick the hard or soft limit (the last wins;
 * neither shows the soft one and sets both), -a lists every resource, a
 * resource letter picks one (the last wins; -f by default). Values count
 * in the resource's unit: 512-byte blocks for -f and -c, KiB for sizes.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/resource.h>
#include "builtins/builtins.h"
#include "ush.h"

struct limit {
	const char *name; /* the -a label */
	int resource;
	unsigned factor; /* bytes (or units) per value shown */
	char option;
};

/* dash's order, which is the -a order */
static const struct limit limits[] = {
	{"time(seconds)", RLIMIT_CPU, 1, 't'},
	{"file(blocks)", RLIMIT_FSIZE, 512, 'f'},
	{"data(kbytes)", RLIMIT_DATA, 1024, 'd'},
	{"stack(kbytes)", RLIMIT_STACK, 1024, 's'},
	{"coredump(blocks)", RLIMIT_CORE, 512, 'c'},
	{"memory(kbytes)", RLIMIT_RSS, 1024, 'm'},
	{"locked memory(kbytes)", RLIMIT_MEMLOCK, 1024, 'l'},
	{"process", RLIMIT_NPROC, 1, 'p'},
	{"nofiles", RLIMIT_NOFILE, 1, 'n'},
	{"vmemory(kbytes)", RLIMIT_AS, 1024, 'v'},
	{"locks", RLIMIT_LOCKS, 1, 'w'},
	{"rtprio", RLIMIT_RTPRIO, 1, 'r'},
};
enum { NLIMITS = sizeof limits / sizeof *limits };

enum { SOFT = 1, HARD = 2 };

static const struct limit *find_limit(char option)
{
	for (int i = 0; i < NLIMITS; i++)
		if (limits[i].option == option)
			return &limits[i];
	return NULL;
}

/* glibc's texts (dash's), whatever C library uring-sh is built with */
static const char *rlimit_error(int err)
{
	switch (err) {
	case EPERM:
		return "Operation not permitted";
	case EINVAL:
		return "Invalid argument";
	case EFAULT:
		return "Bad address";
	}
	return ush_strerror(err);
}

/* "%-20s " as dash pads the -a labels (longer ones just get the space) */
static void put_label(struct bi_out *o, const char *name)
{
	char buf[32];
	size_t n = strlen(name);

	memcpy(buf, name, n);
	while (n < 20)
		buf[n++] = ' ';
	buf[n++] = ' ';
	bi_out_put(o, buf, n);
}

/* The value divided by the unit, printed signed as dash does (a huge
 * finite limit shows negative). */
static void put_value(struct bi_out *o, const struct rlimit *rl, int how, const struct limit *l)
{
	rlim_t v = how & SOFT ? rl->rlim_cur : rl->rlim_max;
	char d[32];
	int i = sizeof d;

	if (v == RLIM_INFINITY) {
		bi_out_put(o, "unlimited\n", 10);
		return;
	}
	intmax_t s = (intmax_t)(v / l->factor);
	uintmax_t u = s < 0 ? -(uintmax_t)s : (uintmax_t)s;
	d[--i] = '\n';
	do {
		d[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (s < 0)
		d[--i] = '-';
	bi_out_put(o, d + i, sizeof d - i);
}

/* dash's number: digits only (none is 0), wrapping silently on overflow,
 * then scaled by the unit, wrapping again. -1: not a number. */
static int parse_value(const char *p, const struct limit *l, rlim_t *val)
{
	rlim_t v = 0;

	if (!strcmp(p, "unlimited")) {
		*val = RLIM_INFINITY;
		return 0;
	}
	for (; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (rlim_t)(*p - '0');
	if (*p)
		return -1;
	*val = v * l->factor;
	return 0;
}

static int show(struct bi_ctx *c, int how, const struct limit *l, int all)
{
	struct bi_out o;
	struct rlimit rl;

	bi_out_init(&o, 1);
	for (int i = 0; i < NLIMITS; i++) {
		if (all)
			l = &limits[i];
		getrlimit(l->resource, &rl);
		if (all)
			put_label(&o, l->name);
		put_value(&o, &rl, how, l);
		if (!all)
			break;
	}
	return bi_out_end(c, &o, "ulimit", 0);
}

int bi_ulimit(struct bi_ctx *c, int argc, char **argv)
{
	int how = SOFT | HARD, all = 0, opt;
	char what = 'f';
	struct bi_opts o = {argv + 1, NULL};

	(void)argc;
	while ((opt = bi_nextopt(&o))) {
		if (opt == 'H') {
			how = HARD;
		} else if (opt == 'S') {
			how = SOFT;
		} else if (opt == 'a') {
			all = 1;
		} else if (find_limit((char)opt)) {
			what = (char)opt;
		} else {
			char letter[2] = {(char)opt, 0};
			bi_error(c, "ulimit", "Illegal option -", letter, NULL);
			return 2;
		}
	}
	char **a = o.a;
	const struct limit *l = find_limit(what);
	rlim_t val = 0;
	if (*a) {
		if (all || a[1]) {
			bi_error(c, "ulimit", "too many arguments", NULL, NULL);
			return 2;
		}
		if (parse_value(*a, l, &val) < 0) {
			bi_error(c, "ulimit", "bad number", NULL, NULL);
			return 2;
		}
	}
	if (all || !*a)
		return show(c, how, l, all);

	struct rlimit rl;
	getrlimit(l->resource, &rl);
	if (how & HARD)
		rl.rlim_max = val;
	if (how & SOFT)
		rl.rlim_cur = val;
	if (setrlimit(l->resource, &rl) < 0) {
		bi_error(c, "ulimit", "error setting limit (", rlimit_error(errno), ")");
		return 2;
	}
	return 0;
}
