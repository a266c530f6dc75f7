/* labs/router/impair.c — the per-packet decisions of the forwarder (see impair.h). */
#include "impair.h"

#include <string.h>

void impair_init(struct impair *im, const struct impair_cfg *cfg)
{
	memset(im, 0, sizeof(*im));
	im->cfg = *cfg;
	im->rng[0] = cfg->seed;
	im->rng[1] = cfg->seed ^ 0x6a09e667f3bcc908ull; /* the other direction: a stream of its own */
	flows_init(&im->flows);
}

/* splitmix64: small, fast, and the same sequence for the same seed everywhere */
static uint64_t next_rand(uint64_t *rng)
{
	uint64_t z = (*rng += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int chance(uint64_t *rng, uint32_t ppm)
{
	return next_rand(rng) % PPM < ppm;
}

/* Which of the two generators a packet draws from: one per direction between two addresses, so
 * that how a request and its reply interleave with the next request (a matter of timing, which a
 * loaded machine changes) never shifts whose turn a random number is. */
static uint64_t *stream_of(struct impair *im, const struct pkt_info *pi)
{
	return &im->rng[memcmp(pi->src, pi->dst, sizeof(pi->src)) < 0 ? 0 : 1];
}

int impair_decide(struct impair *im, const uint8_t *pkt, size_t len, uint64_t delay_ns[2],
		  struct pkt_info *pi)
{
	uint64_t base = (uint64_t)im->cfg.delay_ms * 1000000u, hold;
	int lose, dup, reorder;
	uint64_t *rng;

	im->st.in++;
	im->was_last_ack = 0;
	(void)pkt_parse(pkt, len, pi);
	if (pkt_is_link_chatter(pi)) {
		im->st.chatter++;
		return 0;
	}
	rng = stream_of(im, pi);
	lose = chance(rng, im->cfg.loss_ppm);
	dup = chance(rng, im->cfg.dup_ppm);
	reorder = chance(rng, im->cfg.reorder_ppm);
	if (im->cfg.drop_last_ack && flows_is_last_ack(&im->flows, pi)) {
		im->st.last_ack++;
		im->was_last_ack = 1;
		return 0;
	}
	if (lose) {
		im->st.lost++;
		return 0;
	}
	if (reorder) {
		hold = im->cfg.delay_ms > REORDER_MIN_MS ? im->cfg.delay_ms : REORDER_MIN_MS;
		base += hold * 1000000u;
		im->st.reordered++;
	}
	delay_ns[0] = delay_ns[1] = base;
	if (dup) {
		im->st.dup++;
		return 2;
	}
	return 1;
}

int impair_parse_pct(const char *s, uint32_t *ppm)
{
	uint64_t v = 0;
	int decimals = -1;

	if (!s || !*s)
		return -1;
	for (; *s; s++) {
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals >= 4)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		if (decimals >= 0)
			decimals++;
		if (v > 100u * 10000u)
			return -1;
	}
	if (decimals == 0)
		return -1; /* "5." */
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 4; decimals++)
		v *= 10;
	if (v > 100u * 10000u)
		return -1;
	*ppm = (uint32_t)v;
	return 0;
}
