// SPDX-License-Identifier: MIT
/* Streaming RTT statistics: iputils' min/avg/max/mdev and percentiles in fixed memory. */
#include "stats.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

void nd_stats_init(struct nd_rtt_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->min_us = INT64_MAX;
	s->min_ns = INT64_MAX;
}

unsigned int nd_hist_bucket(int64_t ns)
{
	uint64_t v = ns < 0 ? 0 : (uint64_t)ns;
	unsigned int e;

	if (v < ND_HIST_SUB)
		return (unsigned int)v;
	e = 63u - (unsigned int)__builtin_clzll(v);
	if (e >= ND_HIST_MAX_EXP)
		return ND_HIST_BUCKETS - 1;
	return ND_HIST_SUB + (e - ND_HIST_SUB_BITS) * ND_HIST_SUB +
	       (unsigned int)((v >> (e - ND_HIST_SUB_BITS)) & (ND_HIST_SUB - 1));
}

void nd_hist_range(unsigned int b, int64_t *lo, int64_t *hi)
{
	unsigned int e, sub;

	if (b < ND_HIST_SUB) {
		*lo = *hi = b;
		return;
	}
	e = (b - ND_HIST_SUB) / ND_HIST_SUB + ND_HIST_SUB_BITS;
	sub = (b - ND_HIST_SUB) % ND_HIST_SUB;
	*lo = (int64_t)(((uint64_t)ND_HIST_SUB + sub) << (e - ND_HIST_SUB_BITS));
	*hi = *lo + (int64_t)(1ull << (e - ND_HIST_SUB_BITS)) - 1;
}

void nd_stats_add(struct nd_rtt_stats *s, int64_t ns, int64_t us)
{
	s->n++;
	s->sum_us += us;
	s->sum2_us += (double)us * (double)us;
	if (us < s->min_us)
		s->min_us = us;
	if (us > s->max_us)
		s->max_us = us;
	if (ns < s->min_ns)
		s->min_ns = ns;
	if (ns > s->max_ns)
		s->max_ns = ns;
	s->hist[nd_hist_bucket(ns)]++;
}

int64_t nd_isqrt(int64_t a)
{
	int64_t prev = INT64_MAX, x = a;

	/* Newton's iteration from above, as iputils' llsqrt does */
	if (x > 0) {
		while (x < prev) {
			prev = x;
			x = (x + a / x) / 2;
		}
	}
	return x < 0 ? 0 : x;
}

int nd_stats_summary(const struct nd_rtt_stats *s, struct nd_rtt_summary *out)
{
	int64_t n = (int64_t)s->n, avg, var;

	if (!n)
		return -ENODATA;
	avg = s->sum_us / n;
	/* the order of operations iputils uses, to keep its rounding for small times */
	if (s->sum_us < INT_MAX)
		var = (int64_t)((s->sum2_us - (double)((s->sum_us * s->sum_us) / n)) / (double)n);
	else
		var = (int64_t)(s->sum2_us / (double)n) - avg * avg;
	out->min_us = s->min_us;
	out->avg_us = avg;
	out->max_us = s->max_us;
	out->mdev_us = nd_isqrt(var);
	return 0;
}

int nd_stats_percentile(const struct nd_rtt_stats *s, double p, int64_t *ns)
{
	uint64_t rank, cum = 0;

	if (!s->n)
		return -ENODATA;
	if (!(p > 0))
		p = 0;
	if (p > 100)
		p = 100;
	rank = (uint64_t)ceil(p / 100.0 * (double)s->n);
	if (rank < 1)
		rank = 1;
	for (unsigned int b = 0; b < ND_HIST_BUCKETS; b++) {
		cum += s->hist[b];
		if (cum >= rank) {
			int64_t lo, hi, v;

			nd_hist_range(b, &lo, &hi);
			v = lo + (hi - lo + 1) / 2;
			if (hi == lo)
				v = lo;
			if (v < s->min_ns)
				v = s->min_ns;
			if (v > s->max_ns)
				v = s->max_ns;
			*ns = v;
			return 0;
		}
	}
	*ns = s->max_ns;
	return 0;
}
