/* SPDX-License-Identifier: MIT */
/*
 * --keep-order: a job's output is printed when every job before it (by
 * sequence number) has printed; until then it waits in a ring indexed by
 * its sequence number, with its spill file if it was large. Jobs that
 * never ran (--resume) leave an empty entry, so the ones after them are
 * not held up.
 */
#include <stdlib.h>
#include <string.h>

#include "run.h"

static void held_clear(struct held *h)
{
	memset(h, 0, sizeof *h);
	h->out[0].spill = h->out[1].spill = -1;
}

/* The ring entry for seq (>= next), growing the ring when it is too small. */
static struct held *entry(struct order *o, uint64_t seq)
{
	if (seq - o->next >= o->cap) {
		size_t cap = o->cap ? o->cap : 64;
		while (seq - o->next >= cap)
			cap *= 2;
		struct held *ring = malloc(cap * sizeof *ring);
		if (!ring)
			return NULL;
		for (size_t i = 0; i < cap; i++)
			held_clear(&ring[i]);
		for (uint64_t s = o->next; o->cap && s <= o->last; s++)
			ring[s & (cap - 1)] = o->ring[s & (o->cap - 1)];
		free(o->ring);
		o->ring = ring;
		o->cap = cap;
	}
	if (seq > o->last)
		o->last = seq;
	return &o->ring[seq & (o->cap - 1)];
}

static void print_held(struct runner *r, struct held *h)
{
	out_print(r, h->tag ? h->tag : "", h->out, h->msg);
	free(h->tag);
	held_clear(h);
}

/* Print every entry whose turn has come. */
static void drain(struct runner *r)
{
	struct order *o = &r->order;

	while (o->cap && o->ring[o->next & (o->cap - 1)].used)
		print_held(r, &o->ring[o->next++ & (o->cap - 1)]);
}

void order_done(struct runner *r, struct rjob *j, char *msg)
{
	struct order *o = &r->order;
	struct held *h;

	if (!o->next)
		o->next = 1;
	if (j->seq == o->next || !(h = entry(o, j->seq))) {
		out_print(r, out_tag(j), j->out, msg); /* its turn (or no memory to wait) */
		if (j->seq == o->next)
			o->next++;
		drain(r);
		return;
	}
	h->used = 1;
	h->out[0] = j->out[0];
	h->out[1] = j->out[1];
	j->out[0] = (struct obuf){.spill = -1, .at_bol = 1};
	j->out[1] = (struct obuf){.spill = -1, .at_bol = 1};
	h->tag = r->o->tag ? strdup(out_tag(j)) : NULL;
	h->msg = msg;
}

/* A sequence number that prints nothing. */
void order_skip(struct runner *r, uint64_t seq)
{
	struct order *o = &r->order;
	struct held *h;

	if (!r->o->keep_order)
		return;
	if (!o->next)
		o->next = 1;
	if (seq == o->next) {
		o->next++;
		drain(r);
	} else if ((h = entry(o, seq))) {
		h->used = 1;
	}
}

/* The end: whatever still waits (the jobs before it never ran), in order. */
void order_finish(struct runner *r)
{
	struct order *o = &r->order;

	for (; o->cap && o->next <= o->last; o->next++) {
		struct held *h = &o->ring[o->next & (o->cap - 1)];
		if (h->used)
			print_held(r, h);
	}
}

void order_free(struct order *o)
{
	free(o->ring);
	memset(o, 0, sizeof *o);
}
