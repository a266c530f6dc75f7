/* SPDX-License-Identifier: MIT */
#ifndef PING_SEQTRACK_H
#define PING_SEQTRACK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

/*
 * Which sequence numbers were answered, in fixed memory: one bit per 16-bit sequence number
 * (8 KiB), cleared when that number is sent again, so duplicates are found across the wrap from
 * 65535 to 0 exactly as iputils' rcvd table finds them.  Also iputils' "acked" mark, from which
 * the number of requests in flight and the pipe size come.
 */
struct seqtrack {
	uint64_t bits[65536 / 64];
	uint16_t acked; /* latest acknowledged sequence number */
	int pipesize;   /* most requests seen in flight at once */
	/* earliest and latest send stamp (CLOCK_REALTIME ns), 0: none */
	int64_t stamp_lo, stamp_hi;
};

void ping_seq_init(struct seqtrack *t);
/* A request with @seq is about to be sent: forget any earlier answer to that number. */
void ping_seq_sent(struct seqtrack *t, uint16_t seq);
bool ping_seq_seen(const struct seqtrack *t, uint16_t seq);
/* Mark @seq answered; returns true when it already was (a duplicate). */
bool ping_seq_mark(struct seqtrack *t, uint16_t seq);
/* An answer (reply or error) to @seq came while @ntransmitted requests had been sent. */
void ping_seq_ack(struct seqtrack *t, long ntransmitted, uint16_t seq);
/* Requests sent after the latest acknowledged one. */
int ping_seq_in_flight(const struct seqtrack *t, long ntransmitted);

/*
 * ping_seq_was_sent - whether @seq is among the @ntransmitted requests sent so far (numbered
 * from 1, modulo 65536).  A reply to any other number answers nothing of ours and counts for
 * nothing.
 */
bool ping_seq_was_sent(long ntransmitted, uint16_t seq);

/* ping_seq_stamp_sent - a request left carrying the send stamp @ns (CLOCK_REALTIME). */
void ping_seq_stamp_sent(struct seqtrack *t, int64_t ns);

/*
 * ping_seq_stamp_fits - whether the send stamp @ts a reply carries back lies between the
 * earliest and the latest stamp sent (a wall clock stepped back widens that span, it never breaks
 * it); sets @ns to it.  Any other stamp is corrupt: INT64_MAX or 0 seconds never reach the
 * arithmetic.
 */
bool ping_seq_stamp_fits(const struct seqtrack *t, const struct timespec *ts, int64_t *ns);

#endif
