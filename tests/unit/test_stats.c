// SPDX-License-Identifier: MIT
/* lib/stats: iputils' min/avg/max/mdev, and histogram percentiles within the documented bound. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "array.h"
#include "stats.h"

static struct nd_rtt_stats S;

static void add_us(int64_t us)
{
	nd_stats_add(&S, us * 1000, us);
}

static void test_iputils_summary(void **state)
{
	struct nd_rtt_summary s;

	(void)state;
	nd_stats_init(&S);
	assert_int_equal(nd_stats_summary(&S, &s), -ENODATA);
	/* iputils printed "rtt min/avg/max/mdev = 0.051/0.052/0.054/0.001 ms" for 51 and 54 us */
	add_us(51);
	add_us(54);
	assert_int_equal(nd_stats_summary(&S, &s), 0);
	assert_int_equal(s.min_us, 51);
	assert_int_equal(s.avg_us, 52);
	assert_int_equal(s.max_us, 54);
	assert_int_equal(s.mdev_us, 1);
	/* and "0.132/13.340/104.001/34.268" for these eight */
	nd_stats_init(&S);
	{
		static const int64_t v[] = { 1250, 327, 402, 412, 132, 104001, 196, 0 };

		for (int i = 0; i < 7; i++)
			add_us(v[i]);
	}
	/* seven samples here: avg = 106720 / 7 */
	assert_int_equal(nd_stats_summary(&S, &s), 0);
	assert_int_equal(s.avg_us, 106720 / 7);
	assert_int_equal(s.min_us, 132);
	assert_int_equal(s.max_us, 104001);
	assert_int_equal(nd_isqrt(0), 0);
	/* iputils' Newton iteration stops one above the floor for some values: 15 -> 4 */
	assert_int_equal(nd_isqrt(15), 4);
	assert_int_equal(nd_isqrt(17), 4);
	assert_int_equal(nd_isqrt(2), 1);
	assert_int_equal(nd_isqrt(16), 4);
	assert_int_equal(nd_isqrt(-4), 0);
	assert_int_equal(nd_isqrt(1000000000000LL), 1000000);
}

static void test_buckets(void **state)
{
	int64_t lo, hi;

	(void)state;
	/* small values are exact; every value lies in its bucket's range; width <= lo/128 */
	for (int64_t v = 0; v < 128; v++) {
		assert_int_equal(nd_hist_bucket(v), v);
		nd_hist_range(nd_hist_bucket(v), &lo, &hi);
		assert_true(lo == v && hi == v);
	}
	for (int64_t v = 128; v < (1LL << 41); v = v * 3 / 2 + 7) {
		unsigned int b = nd_hist_bucket(v);

		nd_hist_range(b, &lo, &hi);
		assert_true(lo <= v && v <= hi);
		assert_true((hi - lo + 1) * 128 <= lo);
		assert_true(b < ND_HIST_BUCKETS);
	}
	assert_int_equal(nd_hist_bucket(INT64_MAX), ND_HIST_BUCKETS - 1);
	assert_int_equal(nd_hist_bucket(-5), 0);
}

static int cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

static void test_percentiles_bound(void **state)
{
	enum { N = 20000 };
	static int64_t v[N];
	static const double ps[] = { 1, 50, 90, 99, 99.9, 100 };
	uint64_t x = 88172645463325252ull;

	(void)state;
	nd_stats_init(&S);
	for (int i = 0; i < N; i++) {
		/* xorshift; a spread from ~10 us to ~1 s, log-uniform-ish */
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		v[i] = (int64_t)(10000.0 * pow(10, (double)(x % 100000) / 20000.0));
		nd_stats_add(&S, v[i], v[i] / 1000);
	}
	qsort(v, N, sizeof(v[0]), cmp);
	for (size_t k = 0; k < ND_ARRAY_SIZE(ps); k++) {
		int64_t got, want;
		size_t rank = (size_t)ceil(ps[k] / 100.0 * N);

		want = v[rank - 1];
		assert_int_equal(nd_stats_percentile(&S, ps[k], &got), 0);
		/* the documented bound: within 1/256 of the nearest-rank sample */
		assert_true(fabs((double)(got - want)) <= (double)want / 256.0 + 1);
	}
	/* p100 is the maximum exactly (clamped), and memory did not grow: the struct is fixed */
	{
		int64_t got;

		nd_stats_percentile(&S, 100, &got);
		assert_int_equal(got, v[N - 1]);
	}
	assert_true(sizeof(S) < 64 * 1024);
}

static void test_percentile_small(void **state)
{
	int64_t got;

	(void)state;
	nd_stats_init(&S);
	assert_int_equal(nd_stats_percentile(&S, 50, &got), -ENODATA);
	nd_stats_add(&S, 100, 0);
	nd_stats_add(&S, 50, 0);
	nd_stats_add(&S, 75, 0);
	assert_int_equal(nd_stats_percentile(&S, 50, &got), 0);
	assert_int_equal(got, 75);
	assert_int_equal(nd_stats_percentile(&S, 1, &got), 0);
	assert_int_equal(got, 50);
	assert_int_equal(nd_stats_percentile(&S, 99, &got), 0);
	assert_int_equal(got, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_iputils_summary),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_percentiles_bound),
		cmocka_unit_test(test_percentile_small),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
