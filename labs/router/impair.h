/* labs/router/impair.h — what happens to each packet: lost, duplicated, delayed, held back.
 *
 * The decisions only; main.c does the reading and writing.  Every packet draws the same three
 * random numbers from a seeded generator (loss, duplicate, reorder) whatever is switched on, one
 * generator per direction, so the same seed and the same packets in each direction give the same
 * decisions however the two directions interleave: a checker can repeat a run exactly. */
#ifndef LABS_ROUTER_IMPAIR_H
#define LABS_ROUTER_IMPAIR_H

#include "flows.h"

#define PPM 1000000u /* percentages are kept in parts per million */
#define REORDER_MIN_MS 10u

struct impair_cfg {
	uint32_t delay_ms;  /* every packet waits this long */
	uint32_t loss_ppm;  /* this share is dropped */
	uint32_t dup_ppm;   /* this share is sent twice */
	uint32_t reorder_ppm; /* this share waits max(delay, REORDER_MIN_MS) ms more: later ones overtake it */
	int drop_last_ack;  /* drop the last ACK of each TCP close, once per connection */
	uint64_t seed;
};

struct impair_stats {
	uint64_t in, chatter, lost, dup, reordered, last_ack;
};

struct impair {
	struct impair_cfg cfg;
	uint64_t rng[2];      /* one generator per direction (lower address -> higher, and back) */
	struct flows flows;
	struct impair_stats st;
	int was_last_ack;     /* the packet decided last was dropped as a last ACK */
};

/* Start deciding with configuration CFG (its seed starts the generator). */
void impair_init(struct impair *im, const struct impair_cfg *cfg);

/* Decide the fate of packet PKT (LEN bytes): returns how many copies to send, 0, 1 or 2, and in
 * DELAY_NS[i] how long copy i waits.  The router's own link chatter (pkt_is_link_chatter) is
 * dropped without drawing a random number, so it cannot shift a seeded run.  *PI receives the parsed packet (for logging). */
int impair_decide(struct impair *im, const uint8_t *pkt, size_t len, uint64_t delay_ns[2],
		  struct pkt_info *pi);

/* Parse a percentage "0".."100" with at most 4 decimals into parts per million: 0 or -1. */
int impair_parse_pct(const char *s, uint32_t *ppm);

#endif
