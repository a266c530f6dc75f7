// SPDX-License-Identifier: MIT
/* Answered sequence numbers (duplicates) and requests in flight. */
#include "seqtrack.h"

#include <string.h>

void ping_seq_init(struct seqtrack *t)
{
	memset(t, 0, sizeof(*t));
}

void ping_seq_sent(struct seqtrack *t, uint16_t seq)
{
	t->bits[seq >> 6] &= ~(1ull << (seq & 63));
}

bool ping_seq_seen(const struct seqtrack *t, uint16_t seq)
{
	return t->bits[seq >> 6] & (1ull << (seq & 63));
}

bool ping_seq_mark(struct seqtrack *t, uint16_t seq)
{
	uint64_t bit = 1ull << (seq & 63);
	bool was = t->bits[seq >> 6] & bit;

	t->bits[seq >> 6] |= bit;
	return was;
}

void ping_seq_ack(struct seqtrack *t, long ntransmitted, uint16_t seq)
{
	uint16_t diff = (uint16_t)((uint16_t)ntransmitted - seq);

	/* only answers to requests of the last half of the sequence space count */
	if (diff <= 0x7fff) {
		if ((int)diff + 1 > t->pipesize)
			t->pipesize = (int)diff + 1;
		if ((int16_t)(seq - t->acked) > 0 ||
		    (uint16_t)((uint16_t)ntransmitted - t->acked) > 0x7fff)
			t->acked = seq;
	}
}

int ping_seq_in_flight(const struct seqtrack *t, long ntransmitted)
{
	uint16_t diff = (uint16_t)((uint16_t)ntransmitted - t->acked);

	return diff <= 0x7fff ? diff : 0;
}

bool ping_seq_was_sent(long ntransmitted, uint16_t seq)
{
	if (ntransmitted >= 65536)
		return true;
	return ntransmitted > 0 && (long)(uint16_t)((uint16_t)ntransmitted - seq) < ntransmitted;
}

void ping_seq_stamp_sent(struct seqtrack *t, int64_t ns)
{
	if (!t->stamp_lo || ns < t->stamp_lo)
		t->stamp_lo = ns;
	if (ns > t->stamp_hi)
		t->stamp_hi = ns;
}

bool ping_seq_stamp_fits(const struct seqtrack *t, const struct timespec *ts, int64_t *ns)
{
	const int64_t G = 1000000000;
	int64_t v;

	/* whole seconds first: only a value near the window is multiplied */
	if (!t->stamp_lo || ts->tv_nsec < 0 || ts->tv_nsec >= G || ts->tv_sec < t->stamp_lo / G ||
	    ts->tv_sec > t->stamp_hi / G)
		return false;
	v = (int64_t)ts->tv_sec * G + ts->tv_nsec;
	if (v < t->stamp_lo || v > t->stamp_hi)
		return false;
	*ns = v;
	return true;
}
