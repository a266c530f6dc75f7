// SPDX-License-Identifier: MIT
/* lib/icmp: checksum, echo build/stamp/parse, errors with quoted headers, iputils' texts. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "array.h"
#include "icmp.h"
#include "testdata.h"


static void test_checksum_rfc1071(void **state)
{
	/* RFC 1071 section 3's example: the words sum to 0xddf2, so the checksum is 0x220d */
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };
	static const uint8_t odd[] = { 0xab };
	uint8_t with[10];

	(void)state;
	assert_int_equal(nd_csum_add(0, b, sizeof(b)), 0x2ddf0);
	assert_int_equal(nd_inet_cksum(b, sizeof(b)), 0x220d);
	/* an odd byte is padded with a zero on the right */
	assert_int_equal(nd_inet_cksum(odd, 1), (uint16_t)~0xab00);
	/* a buffer holding its own checksum sums to 0 */
	memcpy(with, b, 8);
	with[8] = 0x22, with[9] = 0x0d;
	assert_int_equal(nd_inet_cksum(with, sizeof(with)), 0);
	assert_int_equal(nd_inet_cksum(NULL, 0), 0xffff);
}

static void test_echo_build_and_stamp(void **state)
{
	uint8_t buf[128];
	struct timespec ts = { .tv_sec = 1700000000, .tv_nsec = 123456789 }, back;
	uint8_t pat[2] = { 0xab, 0xcd };
	struct nd_icmp_msg m;
	int len;

	(void)state;
	len = nd_icmp_echo_build(buf, sizeof(buf), AF_INET, 0xbeef, 1, NULL, 0, 56);
	assert_int_equal(len, 64);
	assert_int_equal(buf[0], 8);
	assert_int_equal(buf[4] << 8 | buf[5], 0xbeef);
	assert_int_equal(buf[8 + 20], 20); /* iputils' default fill: byte i is i */
	assert_int_equal(nd_inet_cksum(buf, 64), 0);
	nd_icmp_echo_stamp(buf, 64, AF_INET, 0x1234, &ts);
	assert_int_equal(nd_inet_cksum(buf, 64), 0);
	assert_int_equal(nd_icmp_parse(buf, 64, AF_INET, false, &m), 0);
	assert_int_equal(m.seq, 0x1234);
	assert_int_equal(m.id, 0xbeef);
	assert_true(m.cksum_ok);
	assert_int_equal(m.data_len, 56);
	assert_true(nd_icmp_echo_time(buf + m.data_off, m.data_len, &back));
	assert_int_equal(back.tv_sec, ts.tv_sec);
	assert_int_equal(back.tv_nsec, ts.tv_nsec);
	/* a one-bit change is caught */
	buf[40] ^= 1;
	assert_int_equal(nd_icmp_parse(buf, 64, AF_INET, false, &m), 0);
	assert_false(m.cksum_ok);
	/* patterns repeat; too small a buffer is refused; ICMPv6 leaves the checksum to the kernel */
	len = nd_icmp_echo_build(buf, sizeof(buf), AF_INET6, 7, 9, pat, 2, 5);
	assert_int_equal(len, 13);
	assert_int_equal(buf[0], 128);
	assert_int_equal(buf[2] | buf[3], 0);
	assert_memory_equal(buf + 8, "\xab\xcd\xab\xcd\xab", 5);
	assert_int_equal(nd_icmp_echo_build(buf, 16, AF_INET, 1, 1, NULL, 0, 56), -EMSGSIZE);
	/* too short to carry the time: no time read back */
	assert_false(nd_icmp_echo_time(buf + 8, 15, &back));
}

static void test_parse_raw_reply(void **state)
{
	uint8_t buf[256];
	size_t n = nd_test_load("icmp_v4_echo_reply.bin", buf, sizeof(buf));
	struct nd_icmp_msg m;

	(void)state;
	assert_int_equal(n, 84);
	assert_int_equal(nd_icmp_parse(buf, n, AF_INET, true, &m), 0);
	assert_true(m.has_ip);
	assert_int_equal(m.ip_hlen, 20);
	assert_int_equal(m.ttl, 63);
	assert_int_equal(m.ip_len, 84);
	assert_memory_equal(m.src, "\x0a\x00\x00\x02", 4);
	assert_int_equal(m.type, 0);
	assert_int_equal(m.id, 0xbeef);
	assert_int_equal(m.seq, 7);
	assert_true(m.cksum_ok);
	assert_false(m.is_error);
	assert_int_equal(m.icmp_len, 64);
	assert_int_equal(m.data_off, 28);
	/* truncated inside the ICMP header, or inside the IP header */
	assert_int_equal(nd_icmp_parse(buf, 27, AF_INET, true, &m), -EBADMSG);
	assert_int_equal(nd_icmp_parse(buf, 10, AF_INET, true, &m), -EBADMSG);
	/* not IPv4 at all */
	buf[0] = 0x65;
	assert_int_equal(nd_icmp_parse(buf, n, AF_INET, true, &m), -EBADMSG);
}

static void test_parse_error_quote(void **state)
{
	uint8_t buf[256];
	size_t n = nd_test_load("icmp_v4_time_exceeded.bin", buf, sizeof(buf));
	struct nd_icmp_msg m;
	char d[128];

	(void)state;
	assert_int_equal(nd_icmp_parse(buf, n, AF_INET, true, &m), 0);
	assert_true(m.is_error);
	assert_int_equal(m.type, 11);
	assert_int_equal(m.code, 0);
	assert_true(m.cksum_ok);
	assert_true(m.has_quote);
	assert_true(m.quote.has_icmp);
	assert_int_equal(m.quote.proto, 1);
	assert_memory_equal(m.quote.dst, "\x0a\x00\x00\x02", 4);
	assert_int_equal(m.quote.type, 8);
	assert_int_equal(m.quote.id, 0xbeef);
	assert_int_equal(m.quote.seq, 7);
	assert_string_equal(nd_icmp_describe(AF_INET, m.type, m.code, 0, d, sizeof(d)),
			    "Time to live exceeded");
	/* a quote cut before its ICMP header: addresses known, no identifier */
	assert_int_equal(nd_icmp_parse(buf, n - 4, AF_INET, true, &m), 0);
	assert_true(m.has_quote);
	assert_false(m.quote.has_icmp);
	/* a quote cut inside its IP header: no quote at all */
	assert_int_equal(nd_icmp_parse(buf, 40, AF_INET, true, &m), 0);
	assert_false(m.has_quote);
}

static void test_parse_v6_error(void **state)
{
	/* ICMPv6 Destination Unreachable (address) quoting an IPv6 header and an echo request */
	uint8_t b[8 + 40 + 8] = { 1, 3, 0, 0, 0, 0, 0, 0, 0x60, 0, 0, 0, 0, 16, 58, 64 };
	struct nd_icmp_msg m;
	char d[128];

	(void)state;
	b[8 + 24 + 15] = 2; /* quoted destination ::2 */
	b[48] = 128;
	b[52] = 0x12, b[53] = 0x34, b[54] = 0xff, b[55] = 0xff;
	assert_int_equal(nd_icmp_parse(b, sizeof(b), AF_INET6, false, &m), 0);
	assert_true(m.is_error);
	assert_true(m.cksum_ok);
	assert_true(m.quote.has_icmp);
	assert_int_equal(m.quote.id, 0x1234);
	assert_int_equal(m.quote.seq, 0xffff);
	assert_int_equal(m.quote.dst[15], 2);
	assert_string_equal(nd_icmp_describe(AF_INET6, 1, 3, 0, d, sizeof(d)),
			    "Destination unreachable: Address unreachable");
	assert_string_equal(nd_icmp_describe(AF_INET6, 3, 0, 0, d, sizeof(d)),
			    "Time exceeded: Hop limit");
	assert_string_equal(nd_icmp_describe(AF_INET6, 2, 0, 1280, d, sizeof(d)),
			    "Packet too big: mtu=1280");
}

static void test_describe_v4(void **state)
{
	static const struct {
		uint8_t type, code;
		uint32_t info;
		const char *want;
	} t[] = {
		{ 3, 0, 0, "Destination Net Unreachable" },
		{ 3, 1, 0, "Destination Host Unreachable" },
		{ 3, 3, 0, "Destination Port Unreachable" },
		{ 3, 4, 1400, "Frag needed and DF set (mtu = 1400)" },
		{ 3, 13, 0, "Packet filtered" },
		{ 3, 99, 0, "Dest Unreachable, Bad Code: 99" },
		{ 11, 0, 0, "Time to live exceeded" },
		{ 11, 1, 0, "Frag reassembly time exceeded" },
		{ 12, 0, 20, "Parameter problem: pointer = 20" },
		{ 4, 0, 0, "Source Quench" },
		{ 5, 1, 0x0a000001, "Redirect Host(New nexthop: 10.0.0.1)" },
		{ 42, 0, 0, "Bad ICMP type: 42" },
	};
	char d[128];

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++)
		assert_string_equal(nd_icmp_describe(AF_INET, t[i].type, t[i].code, t[i].info, d,
						     sizeof(d)), t[i].want);
	assert_true(nd_icmp_is_error(AF_INET, 3));
	assert_false(nd_icmp_is_error(AF_INET, 0));
	assert_true(nd_icmp_is_error(AF_INET6, 1));
	assert_false(nd_icmp_is_error(AF_INET6, 129));
}

static void test_pseudo6(void **state)
{
	/* an ICMPv6 echo request ::1 -> ::1 whose checksum, with the pseudo-header, verifies */
	uint8_t a[16] = { [15] = 1 }, msg[16];
	uint16_t c;
	int len;

	(void)state;
	len = nd_icmp_echo_build(msg, sizeof(msg), AF_INET6, 1, 1, NULL, 0, 8);
	c = nd_csum_fold(nd_csum_add(nd_csum_pseudo6(a, a, (uint32_t)len, 58), msg, (size_t)len));
	msg[2] = (uint8_t)(c >> 8), msg[3] = (uint8_t)c;
	assert_int_equal(nd_csum_fold(nd_csum_add(nd_csum_pseudo6(a, a, (uint32_t)len, 58), msg,
						  (size_t)len)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_rfc1071),
		cmocka_unit_test(test_echo_build_and_stamp),
		cmocka_unit_test(test_parse_raw_reply),
		cmocka_unit_test(test_parse_error_quote),
		cmocka_unit_test(test_parse_v6_error),
		cmocka_unit_test(test_describe_v4),
		cmocka_unit_test(test_pseudo6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
