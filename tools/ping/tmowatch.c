// SPDX-License-Identifier: MIT
/* Requests that waited the reply timeout without an answer: a cursor over a ring of send times. */
#include "tmowatch.h"

#include <string.h>

void ping_tmo_init(struct tmowatch *t, int64_t wait_ns)
{
	memset(t, 0, sizeof(*t));
	t->wait_ns = wait_ns;
	t->next = 1;
}

void ping_tmo_sent(struct tmowatch *t, int64_t now)
{
	uint16_t seq;

	t->sent++;
	seq = (uint16_t)t->sent;
	t->sent_ns[seq] = now;
	t->fired[seq >> 6] &= ~(1ull << (seq & 63));
	t->answered[seq >> 6] &= ~(1ull << (seq & 63));
}

long ping_tmo_due(struct tmowatch *t, int64_t now, bool all, int64_t *waited_ns)
{
	long n = t->next;
	int64_t at;

	if (n > t->sent)
		return 0;
	at = t->sent_ns[(uint16_t)n];
	/* due, or its slot is the one the next send will overwrite */
	if (!all && now - at < t->wait_ns && t->sent - n + 1 < 65536)
		return 0;
	t->next++;
	*waited_ns = now - at;
	return n;
}

int64_t ping_tmo_next_at(const struct tmowatch *t)
{
	if (t->next > t->sent)
		return INT64_MAX;
	return t->sent_ns[(uint16_t)t->next] + t->wait_ns;
}

void ping_tmo_fire(struct tmowatch *t, uint16_t seq)
{
	t->fired[seq >> 6] |= 1ull << (seq & 63);
}

bool ping_tmo_fired(const struct tmowatch *t, uint16_t seq)
{
	return t->fired[seq >> 6] & (1ull << (seq & 63));
}

void ping_tmo_answer(struct tmowatch *t, uint16_t seq)
{
	t->answered[seq >> 6] |= 1ull << (seq & 63);
}

bool ping_tmo_answered(const struct tmowatch *t, uint16_t seq)
{
	return t->answered[seq >> 6] & (1ull << (seq & 63));
}
