/* SPDX-License-Identifier: MIT */
#ifndef PING_TMOWATCH_H
#define PING_TMOWATCH_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Which requests went unanswered for the reply timeout (-W), for the JSON "timeout" events, in
 * fixed memory: the send time of the last 65536 requests (one per 16-bit sequence number,
 * 512 KiB, all touched at init so the footprint never grows) and two bits per sequence number
 * (timed out; answered by an error).  Requests are numbered 1, 2, ... in send order; since every request waits
 * the same time, they come due in that order too, so one cursor walks them.
 */
struct tmowatch {
	int64_t wait_ns;        /* the reply timeout */
	long sent;              /* requests sent */
	long next;              /* the oldest request not yet settled */
	int64_t sent_ns[65536]; /* by request number mod 65536 */
	uint64_t fired[65536 / 64];
	uint64_t answered[65536 / 64];
};

void ping_tmo_init(struct tmowatch *t, int64_t wait_ns);
/* Request number t->sent + 1 went at @now (any monotonic clock). */
void ping_tmo_sent(struct tmowatch *t, int64_t now);
/*
 * ping_tmo_due - the oldest unsettled request whose wait is over at @now, or whose slot the next
 * send needs (65535 requests later), or any unsettled one when @all (at exit); it is then
 * settled.  Returns its number (0 when none) and how long it waited by @now in @waited_ns.
 */
long ping_tmo_due(struct tmowatch *t, int64_t now, bool all, int64_t *waited_ns);
/* When the oldest unsettled request comes due (INT64_MAX when none is in flight). */
int64_t ping_tmo_next_at(const struct tmowatch *t);
/* Mark @seq as reported timed out; ask whether it was (a reply that comes later is late). */
void ping_tmo_fire(struct tmowatch *t, uint16_t seq);
bool ping_tmo_fired(const struct tmowatch *t, uint16_t seq);
/* An ICMP error answered @seq: it is settled, no timeout follows. */
void ping_tmo_answer(struct tmowatch *t, uint16_t seq);
bool ping_tmo_answered(const struct tmowatch *t, uint16_t seq);

#endif
