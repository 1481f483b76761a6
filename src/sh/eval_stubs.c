/* SPDX-License-Identifier: MIT */
/* Temporary: weak stand-ins for the parts other helpers are still writing. */
#include <stdlib.h>
#include <string.h>
#include "builtins.h"
#include "eval.h"

#define WEAK __attribute__((weak))

WEAK const char SYNTAX_UNSUPPORTED[] = "unsupported";

WEAK struct node *syntax_parse(struct ush_arena *a, const char *text, size_t len, unsigned lineno,
			       const char **err, unsigned *errline, const char **reason)
{
	(void)a, (void)text, (void)len, (void)lineno;
	*err = SYNTAX_UNSUPPORTED;
	*errline = 1;
	*reason = "no parser yet";
	return NULL;
}

static char *word_text(struct shell *sh, const struct word *w)
{
	struct out o = {malloc(4096), 0, 4095};
	char tmp[64];

	for (unsigned i = 0; i < w->nparts; i++) {
		const struct wpart *p = &w->parts[i];
		if (p->type == WP_LIT) {
			out_mem(&o, p->s, p->n);
		} else if (p->type == WP_PARAM) {
			const char *v =
				shell_param(sh, p->param->name, p->param->n, tmp, sizeof tmp);
			if (v)
				out_str(&o, v);
		} else if (p->type == WP_CMDSUB) {
			size_t n;
			char *s = eval_cmdsubst(sh, p->cmd, &n);
			out_mem(&o, s, n);
			free(s);
		}
	}
	o.buf[o.n] = 0;
	return o.buf;
}

WEAK int words_expand(struct shell *sh, const struct word *w, unsigned n, struct strvec *out)
{
	for (unsigned i = 0; i < n; i++)
		if (strvec_push(out, word_text(sh, &w[i])) < 0)
			return -1;
	return 0;
}

WEAK char *words_string(struct shell *sh, const struct word *w)
{
	return word_text(sh, w);
}

WEAK char *words_pattern(struct shell *sh, const struct word *w)
{
	return word_text(sh, w);
}

#define STUB(name)                                                                                 \
	WEAK int bi_##name(struct bi_ctx *c, int argc, char **argv)                                \
	{                                                                                          \
		(void)c, (void)argc, (void)argv;                                                   \
		return 2;                                                                          \
	}
STUB(test)
STUB(printf)
STUB(read)
STUB(umask)
STUB(kill)

WEAK int bi_echo(struct bi_ctx *c, int argc, char **argv)
{
	size_t n = 1;
	(void)c;
	for (int i = 1; i < argc; i++)
		n += strlen(argv[i]) + 1;
	char *b = malloc(n), *p = b;
	for (int i = 1; i < argc; i++) {
		size_t l = strlen(argv[i]);
		memcpy(p, argv[i], l);
		p += l;
		*p++ = i + 1 < argc ? ' ' : '\n';
	}
	if (argc == 1)
		*p++ = '\n';
	write_all(1, b, (size_t)(p - b));
	free(b);
	return 0;
}
