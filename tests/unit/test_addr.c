// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "addr.h"

static void test_addr_fmt(void **state)
{
	char buf[ND_ADDRSTRLEN];
	struct in_addr a4;
	struct in6_addr a6;

	(void)state;
	inet_pton(AF_INET, "10.0.0.1", &a4);
	inet_pton(AF_INET6, "fe80::1", &a6);
	assert_string_equal(nd_addr_fmt(AF_INET, &a4, buf, sizeof(buf)), "10.0.0.1");
	assert_string_equal(nd_addr_fmt(AF_INET6, &a6, buf, sizeof(buf)), "fe80::1");
	assert_string_equal(nd_addr_fmt(AF_UNIX, &a6, buf, sizeof(buf)), "?");
	assert_string_equal(nd_addrport_fmt(AF_INET, &a4, 80, true, buf, sizeof(buf)),
			    "10.0.0.1:80");
	assert_string_equal(nd_addrport_fmt(AF_INET6, &a6, 443, true, buf, sizeof(buf)),
			    "[fe80::1]:443");
	assert_string_equal(nd_addrport_fmt(AF_INET, &a4, 0, true, buf, sizeof(buf)),
			    "10.0.0.1:*");
	assert_string_equal(nd_addrport_fmt(AF_INET, &a4, 0, false, buf, sizeof(buf)),
			    "10.0.0.1:0");
	memset(&a6, 0, sizeof(a6));
	assert_string_equal(nd_addrport_fmt(AF_INET6, &a6, 22, true, buf, sizeof(buf)),
			    "[::]:22");
	memset(&a4, 0, sizeof(a4));
	assert_string_equal(nd_addrport_fmt(AF_INET, &a4, 0, true, buf, sizeof(buf)), "0.0.0.0:*");
}

/*
 * nd_addr_fmt() formats by hand; it must print exactly what inet_ntop() prints.  Random
 * addresses with groups zeroed at random (so every shape of zero run comes up), plus the
 * special forms.
 */
static void test_addr_fmt_like_inet_ntop(void **state)
{
	static const char *const special[] = {
		"::", "::1", "::2", "1::", "1::1", "::ffff:1.2.3.4", "::1.2.3.4", "::0.0.1.0",
		"::ffff:0.0.0.0", "0:0:0:0:0:fffe:1.2.3.4", "1:0:0:1:0:0:0:1", "1:0:0:1:0:0:1:1",
		"1:0:1:0:1:0:1:0", "fe80::1", "2001:db8::ff00:42:8329", "::ffff:0:0", "::1:0:0:0",
	};
	char want[INET6_ADDRSTRLEN], got[INET6_ADDRSTRLEN];
	uint8_t a[16];
	unsigned int seed = 12345;

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(special); i++) {
		assert_int_equal(inet_pton(AF_INET6, special[i], a), 1);
		inet_ntop(AF_INET6, a, want, sizeof(want));
		assert_string_equal(nd_addr_fmt(AF_INET6, a, got, sizeof(got)), want);
	}
	for (int n = 0; n < 200000; n++) {
		unsigned int zero = (unsigned int)rand_r(&seed);

		for (int b = 0; b < 16; b++)
			a[b] = (uint8_t)rand_r(&seed);
		for (int g = 0; g < 8; g++)
			if (zero & (1u << g))
				a[2 * g] = a[2 * g + 1] = 0;
		if (n % 7 == 0) /* small values: groups without leading zeros */
			a[1] = (uint8_t)(n & 15), a[0] = 0;
		inet_ntop(AF_INET6, a, want, sizeof(want));
		nd_addr_fmt(AF_INET6, a, got, sizeof(got));
		if (strcmp(want, got))
			fail_msg("IPv6 %s printed as %s", want, got);
		inet_ntop(AF_INET, a, want, sizeof(want));
		nd_addr_fmt(AF_INET, a, got, sizeof(got));
		if (strcmp(want, got))
			fail_msg("IPv4 %s printed as %s", want, got);
	}
	/* a short buffer is cut, never overrun */
	inet_pton(AF_INET6, "2001:db8::1", a);
	assert_string_equal(nd_addr_fmt(AF_INET6, a, got, 5), "2001");
}

static void test_mac_fmt(void **state)
{
	static const uint8_t mac[] = { 0x02, 0xfc, 0x00, 0x00, 0xab, 0x01 };
	static const uint8_t ib[20] = { 0x80, [19] = 0xff };
	char buf[ND_MACSTRLEN], small[6];

	(void)state;
	assert_string_equal(nd_mac_fmt(mac, 6, buf, sizeof(buf)), "02:fc:00:00:ab:01");
	assert_string_equal(nd_mac_fmt(mac, 0, buf, sizeof(buf)), "");
	assert_string_equal(nd_mac_fmt(ib, 20, buf, sizeof(buf)),
			    "80:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:ff");
	/* a short buffer is cut at a whole byte and still terminated */
	assert_string_equal(nd_mac_fmt(mac, 6, small, sizeof(small)), "02:fc");
	assert_string_equal(nd_mac_fmt(mac, 6, small, 5), "02");
	assert_string_equal(nd_mac_fmt(mac, 6, small, 3), "02");
	assert_string_equal(nd_mac_fmt(mac, 6, small, 2), "");
}

static void test_addr_parse(void **state)
{
	static const struct {
		const char *s;
		int family;
		int err;
		int got_family;
		int prefix;
	} t[] = {
		{ "10.0.0.1", AF_UNSPEC, 0, AF_INET, 32 },
		{ "10.0.0.0/8", AF_UNSPEC, 0, AF_INET, 8 },
		{ "10.0.0.0/0", AF_UNSPEC, 0, AF_INET, 0 },
		{ "::1", AF_UNSPEC, 0, AF_INET6, 128 },
		{ "2001:db8::/32", AF_UNSPEC, 0, AF_INET6, 32 },
		{ "10.0.0.0/33", AF_UNSPEC, -EINVAL, 0, 0 },
		{ "::/129", AF_UNSPEC, -EINVAL, 0, 0 },
		{ "10.0.0.0/", AF_UNSPEC, -EINVAL, 0, 0 },
		{ "10.0.0.0/-1", AF_UNSPEC, -EINVAL, 0, 0 },
		{ "10.0.0.0/8x", AF_UNSPEC, -EINVAL, 0, 0 },
		{ "10.0.0", AF_UNSPEC, -EINVAL, 0, 0 },
		{ "300.1.1.1", AF_UNSPEC, -EINVAL, 0, 0 },
		{ "", AF_UNSPEC, -EINVAL, 0, 0 },
		{ "/8", AF_UNSPEC, -EINVAL, 0, 0 },
		{ "10.0.0.1", AF_INET6, -EINVAL, 0, 0 },
		{ "::1", AF_INET, -EINVAL, 0, 0 },
		{ "hostname", AF_UNSPEC, -EINVAL, 0, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++) {
		struct nd_addr a;
		int err = nd_addr_parse(t[i].s, t[i].family, &a);

		if (err != t[i].err)
			fail_msg("nd_addr_parse(\"%s\") = %d, want %d", t[i].s, err, t[i].err);
		if (!err) {
			assert_int_equal(a.family, t[i].got_family);
			assert_int_equal(a.prefixlen, t[i].prefix);
		}
	}
}

static void test_addr_match(void **state)
{
	struct nd_addr p;
	struct in_addr a;
	struct in6_addr b;

	(void)state;
	assert_int_equal(nd_addr_parse("10.1.0.0/15", AF_UNSPEC, &p), 0);
	inet_pton(AF_INET, "10.0.255.255", &a);
	assert_true(nd_addr_match(&p, AF_INET, &a));
	inet_pton(AF_INET, "10.1.2.3", &a);
	assert_true(nd_addr_match(&p, AF_INET, &a));
	inet_pton(AF_INET, "10.2.0.0", &a);
	assert_false(nd_addr_match(&p, AF_INET, &a));
	inet_pton(AF_INET6, "::a01:203", &b);
	assert_false(nd_addr_match(&p, AF_INET6, &b)); /* other family */
	assert_int_equal(nd_addr_parse("0.0.0.0/0", AF_UNSPEC, &p), 0);
	assert_true(nd_addr_match(&p, AF_INET, &a));
	assert_int_equal(nd_addr_parse("fe80::/10", AF_UNSPEC, &p), 0);
	inet_pton(AF_INET6, "febf::1", &b);
	assert_true(nd_addr_match(&p, AF_INET6, &b));
	inet_pton(AF_INET6, "fec0::1", &b);
	assert_false(nd_addr_match(&p, AF_INET6, &b));
}

static void test_netmask_scope(void **state)
{
	char buf[16];

	(void)state;
	assert_int_equal(nd_prefix_netmask(24), htonl(0xffffff00));
	assert_int_equal(nd_prefix_netmask(0), 0);
	assert_int_equal(nd_prefix_netmask(32), 0xffffffffu);
	assert_int_equal(nd_prefix_netmask(1), htonl(0x80000000));
	assert_string_equal(nd_scope_name(0, buf, sizeof(buf)), "global");
	assert_string_equal(nd_scope_name(253, buf, sizeof(buf)), "link");
	assert_string_equal(nd_scope_name(254, buf, sizeof(buf)), "host");
	assert_string_equal(nd_scope_name(200, buf, sizeof(buf)), "site");
	assert_string_equal(nd_scope_name(17, buf, sizeof(buf)), "17");
}

static void test_resolve_numeric(void **state)
{
	struct sockaddr_storage ss;
	char buf[ND_ADDRSTRLEN], canon[64];

	(void)state;
	assert_int_equal(nd_resolve("127.0.0.1", AF_UNSPEC, true, &ss, canon, sizeof(canon)), 0);
	assert_int_equal(ss.ss_family, AF_INET);
	assert_string_equal(nd_sockaddr_fmt((struct sockaddr *)&ss, buf, sizeof(buf)), "127.0.0.1");
	assert_int_equal(nd_resolve("::1", AF_UNSPEC, true, &ss, NULL, 0), 0);
	assert_int_equal(ss.ss_family, AF_INET6);
	assert_string_equal(nd_sockaddr_fmt((struct sockaddr *)&ss, buf, sizeof(buf)), "::1");
	assert_int_equal(nd_resolve("::1", AF_INET, true, &ss, NULL, 0) != 0, 1);
	assert_int_equal(nd_resolve("not-an-address", AF_UNSPEC, true, &ss, NULL, 0), EAI_NONAME);
}

/* A link-local address keeps its scope, as getnameinfo(NI_NUMERICHOST) writes it; others never. */
static void test_sockaddr_scope(void **state)
{
	struct sockaddr_in6 s6 = { .sin6_family = AF_INET6, .sin6_scope_id = 1 };
	char buf[ND_ADDRSTRLEN], want[NI_MAXHOST];

	(void)state;
	inet_pton(AF_INET6, "fe80::1", &s6.sin6_addr);
	assert_int_equal(getnameinfo((struct sockaddr *)&s6, sizeof(s6), want, sizeof(want), NULL, 0,
				     NI_NUMERICHOST), 0);
	assert_string_equal(nd_sockaddr_fmt((struct sockaddr *)&s6, buf, sizeof(buf)), want);
	assert_string_equal(want, "fe80::1%lo");
	s6.sin6_scope_id = 4000000;
	assert_string_equal(nd_sockaddr_fmt((struct sockaddr *)&s6, buf, sizeof(buf)),
			    "fe80::1%4000000");
	inet_pton(AF_INET6, "ff02::1", &s6.sin6_addr);
	assert_string_equal(nd_sockaddr_fmt((struct sockaddr *)&s6, buf, sizeof(buf)),
			    "ff02::1%4000000");
	inet_pton(AF_INET6, "2001:db8::1", &s6.sin6_addr);
	assert_string_equal(nd_sockaddr_fmt((struct sockaddr *)&s6, buf, sizeof(buf)),
			    "2001:db8::1");
	s6.sin6_scope_id = 0;
	inet_pton(AF_INET6, "fe80::1", &s6.sin6_addr);
	assert_string_equal(nd_sockaddr_fmt((struct sockaddr *)&s6, buf, sizeof(buf)), "fe80::1");
}

static void test_sockaddr_port(void **state)
{
	struct sockaddr_storage ss;

	(void)state;
	assert_int_equal(nd_resolve("127.0.0.1", AF_UNSPEC, true, &ss, NULL, 0), 0);
	nd_sockaddr_set_port(&ss, 4242);
	assert_int_equal(((struct sockaddr_in *)&ss)->sin_port, htons(4242));
	assert_int_equal(nd_sockaddr_port(&ss), 4242);
	assert_int_equal(nd_resolve("::1", AF_UNSPEC, true, &ss, NULL, 0), 0);
	nd_sockaddr_set_port(&ss, 65535);
	assert_int_equal(((struct sockaddr_in6 *)&ss)->sin6_port, htons(65535));
	assert_int_equal(nd_sockaddr_port(&ss), 65535);
}

/* nd_sockaddr_from builds what getaddrinfo would (compared byte for byte), with its length. */
static void test_sockaddr_from(void **state)
{
	struct sockaddr_storage got, want;
	struct in_addr a4;
	struct in6_addr a6;

	(void)state;
	inet_pton(AF_INET, "192.0.2.7", &a4);
	memset(&got, 0xa5, sizeof(got));
	assert_int_equal(nd_sockaddr_from(&got, AF_INET, &a4, 80), sizeof(struct sockaddr_in));
	memset(&want, 0, sizeof(want));
	assert_int_equal(nd_resolve("192.0.2.7", AF_INET, true, &want, NULL, 0), 0);
	nd_sockaddr_set_port(&want, 80);
	assert_memory_equal(&got, &want, sizeof(struct sockaddr_in));
	assert_int_equal(nd_sockaddr_len(AF_INET), sizeof(struct sockaddr_in));

	inet_pton(AF_INET6, "2001:db8::9", &a6);
	memset(&got, 0xa5, sizeof(got));
	assert_int_equal(nd_sockaddr_from(&got, AF_INET6, &a6, 65535), sizeof(struct sockaddr_in6));
	memset(&want, 0, sizeof(want));
	assert_int_equal(nd_resolve("2001:db8::9", AF_INET6, true, &want, NULL, 0), 0);
	nd_sockaddr_set_port(&want, 65535);
	assert_memory_equal(&got, &want, sizeof(struct sockaddr_in6));
	assert_int_equal(nd_sockaddr_len(AF_INET6), sizeof(struct sockaddr_in6));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_fmt),
		cmocka_unit_test(test_addr_fmt_like_inet_ntop),
		cmocka_unit_test(test_mac_fmt),
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_addr_match),
		cmocka_unit_test(test_netmask_scope),
		cmocka_unit_test(test_resolve_numeric),
		cmocka_unit_test(test_sockaddr_scope), cmocka_unit_test(test_sockaddr_port),
		cmocka_unit_test(test_sockaddr_from),
	};

	return cmocka_run_group_tests_name("addr", tests, NULL, NULL);
}
