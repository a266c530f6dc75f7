/* SPDX-License-Identifier: MIT */
#ifndef ND_STATS_H
#define ND_STATS_H

#include <stdint.h>

/*
 * Streaming round-trip-time statistics in fixed memory.
 *
 * min/avg/max/mdev are computed exactly as iputils ping computes them: from whole microseconds,
 * sums kept in integers, avg = sum/n, mdev = isqrt((sum2 - sum*sum/n) / n) (integer square root),
 * so the numbers print identically.
 *
 * Percentiles come from a log-linear histogram of nanoseconds: values below 2^ND_HIST_SUB_BITS
 * ns each have their own bucket (exact); above, every power of two [2^e, 2^(e+1)) is split into
 * 2^ND_HIST_SUB_BITS equal buckets.  A bucket's width is at most 1/128 of its lower bound, and
 * a percentile is reported as the bucket's midpoint clamped to [min, max], so the reported value
 * is within 1/256 (0.39 %) of a sample whose rank is the requested one (nearest-rank definition:
 * the smallest sample with at least p% of the samples at or below it).  Values at or above
 * 2^ND_HIST_MAX_EXP ns (about 73 minutes) share the last bucket.  Memory: ND_HIST_BUCKETS
 * 64-bit counters (36 KiB), whatever the number of samples.
 */
#define ND_HIST_SUB_BITS 7
#define ND_HIST_SUB      (1u << ND_HIST_SUB_BITS)
#define ND_HIST_MAX_EXP  42
#define ND_HIST_BUCKETS  (ND_HIST_SUB + (ND_HIST_MAX_EXP - ND_HIST_SUB_BITS) * ND_HIST_SUB)

struct nd_rtt_stats {
	uint64_t n; /* samples */
	int64_t min_us, max_us;
	int64_t sum_us; /* iputils: tsum */
	double sum2_us; /* iputils: tsum2 (a double there too) */
	int64_t min_ns, max_ns;
	uint64_t hist[ND_HIST_BUCKETS];
};

/* The summary as iputils prints it, all in microseconds. */
struct nd_rtt_summary {
	int64_t min_us, avg_us, max_us, mdev_us;
};

void nd_stats_init(struct nd_rtt_stats *s);

/* nd_stats_add - one sample of @ns nanoseconds; @us is the same time as iputils sees it. */
void nd_stats_add(struct nd_rtt_stats *s, int64_t ns, int64_t us);

/* nd_stats_summary - returns -ENODATA when there are no samples. */
int nd_stats_summary(const struct nd_rtt_stats *s, struct nd_rtt_summary *out);

/* nd_stats_percentile - the @p-th percentile (0 < p <= 100) in ns; -ENODATA when empty. */
int nd_stats_percentile(const struct nd_rtt_stats *s, double p, int64_t *ns);

/* The bucket of @ns and the [lo, hi] range of values a bucket holds (exposed for tests). */
unsigned int nd_hist_bucket(int64_t ns);
void nd_hist_range(unsigned int b, int64_t *lo, int64_t *hi);

/* nd_isqrt - iputils' llsqrt: Newton from above, which ends on floor(sqrt(v)) or one above it
 * (15 -> 4), so mdev prints as iputils prints it; 0 for v <= 0. */
int64_t nd_isqrt(int64_t v);

#endif
