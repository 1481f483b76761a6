/* SPDX-License-Identifier: MIT */
/* The queue of events the caller collects with uspawn_wait(): a growing ring buffer. */
#include <stdlib.h>

#include "core/core.h"

void events_seed(struct events *e, struct queued *buf, unsigned n)
{
	e->q = e->seed = buf;
	e->cap = n;
	e->head = e->len = 0;
}

void events_push(struct events *e, const struct uspawn_event *ev, struct job *rearm)
{
	if (e->len == e->cap) {
		unsigned cap = e->cap ? e->cap * 2 : 64;
		struct queued *n = malloc(cap * sizeof *n);
		if (!n)
			abort(); /* losing an exit would leave a job unaccounted for */
		for (unsigned i = 0; i < e->len; i++)
			n[i] = e->q[(e->head + i) % e->cap];
		if (e->q != e->seed)
			free(e->q);
		e->q = n;
		e->cap = cap;
		e->head = 0;
	}
	e->q[(e->head + e->len) % e->cap] = (struct queued){*ev, rearm};
	e->len++;
}

int events_pop(struct events *e, struct uspawn_event *ev, struct job **rearm)
{
	if (!e->len)
		return 0;
	*ev = e->q[e->head].ev;
	*rearm = e->q[e->head].rearm;
	e->head = (e->head + 1) % e->cap;
	e->len--;
	return 1;
}

int events_take_exit(struct events *e, uint64_t user_data, struct uspawn_event *ev)
{
	for (unsigned i = 0; i < e->len; i++) {
		const struct queued *q = &e->q[(e->head + i) % e->cap];
		if (q->ev.type != USPAWN_EV_EXIT || q->ev.user_data != user_data)
			continue;
		*ev = q->ev;
		/* the later ones move up a place: the others keep their order */
		for (; i + 1 < e->len; i++)
			e->q[(e->head + i) % e->cap] = e->q[(e->head + i + 1) % e->cap];
		e->len--;
		return 1;
	}
	return 0;
}

void events_fini(struct events *e)
{
	while (e->spare) {
		struct job *job = e->spare;
		e->spare = job->next;
		if (!job->resident)
			free(job);
	}
	if (e->q != e->seed)
		free(e->q);
	*e = (struct events){0};
}
