/* SPDX-License-Identifier: MIT */
/*
 * The one line uring-run redraws on stderr, at most ten times a second,
 * cleared before any output and at the end:
 *   --status  [done/total] N running, M failed        (default on a terminal)
 *   --bar      45% [=========>          ] 450/1000 ETA 0:12  (terminal only)
 *   --eta     ETA: 12s Left: 550 AVG: 0.02s            (terminal only)
 * The ETA is the time per finished job so far times the jobs left, as
 * GNU parallel estimates it; --bar and --eta count all jobs first.
 */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "run.h"

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void status_init(struct status *s, enum status_mode mode, int bar, int eta)
{
	int tty = isatty(2);

	memset(s, 0, sizeof *s);
	s->bar = bar && tty;
	s->eta = eta && tty && !s->bar; /* the bar has its ETA */
	s->on = s->bar || s->eta || mode == STATUS_ON || (mode == STATUS_AUTO && tty);
	s->t0 = mono_ns();
}

/* Seconds left at the pace so far; -1 before the first job is done. */
static double eta_seconds(const struct runner *r, uint64_t now, double *avg)
{
	uint64_t left = r->total > r->done ? r->total - r->done : 0;

	*avg = r->done ? (double)(now - r->status.t0) / 1e9 / (double)r->done : 0;
	return r->done ? *avg * (double)left : -1;
}

static int bar_line(const struct runner *r, uint64_t now, char *line, size_t cap)
{
	struct winsize ws;
	double avg, eta = eta_seconds(r, now, &avg);
	unsigned cols = ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col ? ws.ws_col : 80;
	unsigned pct = r->total ? (unsigned)(r->done * 100 / r->total) : 100;
	char tail[64], when[32];

	if (eta < 0)
		snprintf(when, sizeof when, "-:--");
	else
		snprintf(when, sizeof when, "%u:%02u", (unsigned)eta / 60, (unsigned)eta % 60);
	int tl = snprintf(tail, sizeof tail, "] %llu/%llu ETA %s", (unsigned long long)r->done,
			  (unsigned long long)r->total, when);
	/* "100% [" + bar + tail, one column short of the edge */
	int width = (int)cols - 1 - 6 - tl;
	if (width < 10)
		width = 10;
	if ((size_t)width + (size_t)tl + 16 > cap)
		width = (int)cap - tl - 16;
	int fill = r->total ? (int)((double)width * (double)r->done / (double)r->total) : width;
	int n = snprintf(line, cap, "\r%3u%% [", pct);
	for (int i = 0; i < width; i++)
		line[n++] = i < fill ? '=' : i == fill ? '>' : ' ';
	n += snprintf(line + n, cap - (size_t)n, "%s\033[K", tail);
	return n;
}

void status_show(struct runner *r, int force)
{
	struct status *s = &r->status;
	char line[512];
	uint64_t now;
	double avg, eta;
	int n;

	if (!s->on)
		return;
	now = mono_ns();
	if (!force && now - s->last_ns < 100000000u)
		return;
	s->last_ns = now;
	if (s->bar) {
		n = bar_line(r, now, line, sizeof line);
	} else if (s->eta) {
		eta = eta_seconds(r, now, &avg);
		n = snprintf(line, sizeof line, "\rETA: %.0fs Left: %llu AVG: %.2fs\033[K",
			     eta < 0 ? 0 : eta,
			     (unsigned long long)(r->total > r->done ? r->total - r->done : 0),
			     avg);
	} else {
		n = snprintf(line, sizeof line, "\r[%llu/%llu%s] %u running, %llu failed\033[K",
			     (unsigned long long)r->done, (unsigned long long)r->seq,
			     r->in.eof ? "" : "+", r->running, (unsigned long long)r->failed);
	}
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
