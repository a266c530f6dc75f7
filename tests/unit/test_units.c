// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "array.h"
#include "units.h"

static void test_fmt_u64(void **state)
{
	char b[ND_U64_DIGITS + 1];

	(void)state;
	memset(b, 'x', sizeof(b));
	assert_int_equal(nd_fmt_u64(b, 4294967295u), 10);
	assert_memory_equal(b, "4294967295x", 11); /* no NUL, nothing past the digits */
	assert_int_equal(nd_fmt_u64(b, 0), 1);
	assert_int_equal(b[0], '0');
	assert_int_equal(nd_fmt_u64(b, 10), 2);
	assert_memory_equal(b, "10", 2);
	assert_int_equal(nd_fmt_u64(b, UINT64_MAX), ND_U64_DIGITS);
	assert_memory_equal(b, "18446744073709551615", ND_U64_DIGITS);
}

static void test_human_bytes(void **state)
{
	static const struct {
		uint64_t v;
		const char *want;
	} t[] = {
		{ 0, "0.0 B" },
		{ 1023, "1023.0 B" },
		{ 1024, "1024.0 B" },       /* ifconfig moves up only past the unit */
		{ 1025, "1.0 KiB" },
		{ 1048576, "1024.0 KiB" },
		{ 1048577, "1.0 MiB" },
		{ 49058, "47.9 KiB" },      /* as ifconfig printed it on this machine */
		{ 19046716, "18.1 MiB" },   /* truncated, not rounded (18.16) */
		{ 1536ull << 20, "1.5 GiB" },
		{ UINT64_MAX, "15.9 EiB" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++)
		assert_string_equal(nd_human_bytes(t[i].v, buf, sizeof(buf)), t[i].want);
}

static void test_human_size(void **state)
{
	static const struct {
		uint64_t v;
		const char *want;
	} t[] = {
		{ 0, "0 B" },        { 1, "1 B" },          { 1023, "1023 B" },
		{ 1024, "1 KiB" },   { 65536, "64 KiB" },   { 1048576, "1 MiB" },
		{ 1572864, "1.5 MiB" }, { 4194304, "4 MiB" }, { 1536, "1.5 KiB" },
		{ 16ull << 30, "16 GiB" },
	};
	char buf[32];

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++)
		assert_string_equal(nd_human_size(t[i].v, buf, sizeof(buf)), t[i].want);
}

static void test_human_rate(void **state)
{
	char buf[32];

	(void)state;
	assert_string_equal(nd_human_rate(0, "B/s", buf, sizeof(buf)), "0 B/s");
	assert_string_equal(nd_human_rate(999, "B/s", buf, sizeof(buf)), "999 B/s");
	assert_string_equal(nd_human_rate(1234, "B/s", buf, sizeof(buf)), "1.23 kB/s");
	assert_string_equal(nd_human_rate(12.5e6, "bit/s", buf, sizeof(buf)), "12.5 Mbit/s");
	assert_string_equal(nd_human_rate(250e9, "bit/s", buf, sizeof(buf)), "250 Gbit/s");
}

static void test_parse_size(void **state)
{
	static const struct {
		const char *s;
		int err;
		uint64_t v;
	} t[] = {
		{ "1500", 0, 1500 },   { "64k", 0, 64000 },    { "64K", 0, 64000 },
		{ "64Ki", 0, 65536 },  { "4M", 0, 4000000 },   { "4Mi", 0, 4194304 },
		{ "2MiB", 0, 2097152 }, { "1G", 0, 1000000000 }, { "1Gi", 0, 1073741824 },
		{ "100B", 0, 100 },    { "12q", -EINVAL, 0 },  { "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },  { "k", -EINVAL, 0 },    { "1kx", -EINVAL, 0 },
		{ "4Mix", -EINVAL, 0 }, { " 1", -EINVAL, 0 },  { "99999999999999999999", -ERANGE, 0 },
		{ "20000000000G", -ERANGE, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++) {
		uint64_t v = 0;
		int err = nd_parse_size(t[i].s, UINT64_MAX / 2, &v);

		if (err != t[i].err)
			fail_msg("nd_parse_size(\"%s\") = %d, want %d", t[i].s, err, t[i].err);
		if (!err)
			assert_int_equal(v, t[i].v);
	}
	uint64_t v;
	assert_int_equal(nd_parse_size("2k", 1999, &v), -ERANGE);
	assert_int_equal(nd_parse_size("2k", 2000, &v), 0);
}

static void test_ts(void **state)
{
	struct timespec a = { 2, 500000 }, b = { 1, 999000000 };
	int64_t t0, t1;

	(void)state;
	assert_int_equal(nd_ts_ns(&a), 2000500000);
	assert_true(nd_ts_diff_ms(&a, &b) > 1.4999 && nd_ts_diff_ms(&a, &b) < 1.5001);
	t0 = nd_now();
	t1 = nd_now();
	assert_true(t1 >= t0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fmt_u64),
		cmocka_unit_test(test_human_bytes),
		cmocka_unit_test(test_human_size),
		cmocka_unit_test(test_human_rate),
		cmocka_unit_test(test_parse_size),
		cmocka_unit_test(test_ts),
	};

	return cmocka_run_group_tests_name("units", tests, NULL, NULL);
}
