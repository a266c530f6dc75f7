/* labs/router/flows.h — finding the last ACK of a TCP four-way close (--drop-last-ack).
 *
 * The side that closes first sends FIN (seq j); the other side acknowledges it and later sends
 * its own FIN (seq k); the first closer answers with a pure ACK, ack = k + 1, and enters TIME-WAIT.
 * That pure ACK is "the last ACK".  Dropping it once per connection makes the passive closer
 * (in LAST-ACK) retransmit its FIN, which the TIME-WAIT side answers again. */
#ifndef LABS_ROUTER_FLOWS_H
#define LABS_ROUTER_FLOWS_H

#include "pkt.h"

#define FLOWS_SLOTS 1024

struct flow {
	int used;
	uint64_t last_use;
	uint8_t a[16], b[16];  /* the two ends, a < b (address, then port) */
	uint16_t aport, bport;
	int version;
	int fin_seen[2];       /* [0] the a side sent FIN, [1] the b side */
	uint32_t fin_end[2];   /* the sequence number that acknowledges that FIN */
	int first_closer;      /* 0 (a) or 1 (b) once a FIN passed, -1 before */
	int dropped;           /* the last ACK was dropped already */
};

struct flows {
	struct flow slot[FLOWS_SLOTS];
	uint64_t clock;
};

/* Start with no connections known. */
void flows_init(struct flows *f);

/* Account for one parsed packet (which passes in either direction) and say whether it is the last
 * ACK of a close not dropped before on this connection: 1 drop it, 0 let it pass.  Packets that
 * are not TCP always pass.  A table of FLOWS_SLOTS connections: the least recently seen of a
 * bucket makes way for a new one, so memory stays fixed whatever arrives. */
int flows_is_last_ack(struct flows *f, const struct pkt_info *pi);

#endif
