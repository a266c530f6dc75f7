/* labs/router/flows.c — per-connection close tracking for --drop-last-ack (see flows.h). */
#include "flows.h"

#include <string.h>

#define PROBES 8

void flows_init(struct flows *f)
{
	memset(f, 0, sizeof(*f));
}

/* Which end of the connection sent PI: 0 when its (address, port) is the smaller, else 1. */
static int side_of(const struct pkt_info *pi)
{
	int c = memcmp(pi->src, pi->dst, 16);

	if (c == 0)
		return pi->sport <= pi->dport ? 0 : 1;
	return c < 0 ? 0 : 1;
}

static uint32_t hash_key(const uint8_t *a, const uint8_t *b, uint16_t ap, uint16_t bp)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	int i;

	for (i = 0; i < 16; i++)
		h = (h ^ a[i]) * 16777619u;
	for (i = 0; i < 16; i++)
		h = (h ^ b[i]) * 16777619u;
	h = (h ^ ap) * 16777619u;
	return (h ^ bp) * 16777619u;
}

/* The flow of PI, found or made; never NULL. */
static struct flow *lookup(struct flows *f, const struct pkt_info *pi)
{
	int s = side_of(pi), i;
	const uint8_t *a = s ? pi->dst : pi->src, *b = s ? pi->src : pi->dst;
	uint16_t ap = s ? pi->dport : pi->sport, bp = s ? pi->sport : pi->dport;
	uint32_t h = hash_key(a, b, ap, bp);
	struct flow *victim = NULL, *fl;

	for (i = 0; i < PROBES; i++) {
		fl = &f->slot[(h + (uint32_t)i) % FLOWS_SLOTS];
		if (fl->used && fl->version == pi->version && fl->aport == ap && fl->bport == bp &&
		    !memcmp(fl->a, a, 16) && !memcmp(fl->b, b, 16))
			return fl;
		/* a free slot first, else the least recently used of the probed ones */
		if (!fl->used) {
			if (!victim || victim->used)
				victim = fl;
		} else if (!victim || (victim->used && fl->last_use < victim->last_use)) {
			victim = fl;
		}
	}
	memset(victim, 0, sizeof(*victim));
	victim->used = 1;
	victim->version = pi->version;
	memcpy(victim->a, a, 16);
	memcpy(victim->b, b, 16);
	victim->aport = ap;
	victim->bport = bp;
	victim->first_closer = -1;
	return victim;
}

int flows_is_last_ack(struct flows *f, const struct pkt_info *pi)
{
	struct flow *fl;
	int s;

	if (!pi->is_tcp)
		return 0;
	fl = lookup(f, pi);
	fl->last_use = ++f->clock;
	s = side_of(pi);
	if (pi->flags & TCPF_RST) {
		fl->used = 0;
		return 0;
	}
	if ((pi->flags & TCPF_SYN) && !(pi->flags & TCPF_ACK)) {
		/* a new connection on these four numbers: forget the old one's close */
		fl->fin_seen[0] = fl->fin_seen[1] = 0;
		fl->first_closer = -1;
		fl->dropped = 0;
		return 0;
	}
	if (pi->flags & TCPF_FIN) {
		if (!fl->fin_seen[s]) {
			fl->fin_seen[s] = 1;
			fl->fin_end[s] = pi->seq + pi->payload + 1;
			if (fl->first_closer < 0)
				fl->first_closer = s;
		}
		return 0;
	}
	if (pi->flags & TCPF_SYN || !(pi->flags & TCPF_ACK) || pi->payload)
		return 0;
	if (!fl->dropped && s == fl->first_closer && fl->fin_seen[!s] && pi->ack == fl->fin_end[!s]) {
		fl->dropped = 1;
		return 1;
	}
	return 0;
}
