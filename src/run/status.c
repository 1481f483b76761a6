/* SPDX-License-Identifier: MIT */
/* The status line on a terminal: [done/total] running, failed. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void status_init(struct status *s, enum status_mode mode)
{
	memset(s, 0, sizeof *s);
	s->on = mode == STATUS_ON || (mode == STATUS_AUTO && isatty(2));
}

void status_show(struct runner *r, int force)
{
	struct status *s = &r->status;
	char line[128];
	uint64_t now;
	int n;

	if (!s->on)
		return;
	now = mono_ns();
	if (!force && now - s->last_ns < 100000000u)
		return;
	s->last_ns = now;
	n = snprintf(line, sizeof line, "\r[%llu/%llu%s] %u running, %llu failed\033[K",
		     (unsigned long long)r->done, (unsigned long long)r->seq, r->in.eof ? "" : "+",
		     r->running, (unsigned long long)r->failed);
	out_write(2, line, (size_t)n);
	s->shown = 1;
}

void status_clear(struct status *s)
{
	if (!s->shown)
		return;
	out_write(2, "\r\033[K", 4);
	s->shown = 0;
}
