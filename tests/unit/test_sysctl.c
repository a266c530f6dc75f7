// SPDX-License-Identifier: MIT
/* lib/sysctl: /proc/sys values and /proc/net/snmp counters from canned text. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "sysctl.h"

static void test_sysctl_parse(void **state)
{
	int64_t v[3] = { 0 };

	(void)state;
	assert_int_equal(nd_sysctl_parse("212992\n", 7, v, 3), 1);
	assert_int_equal(v[0], 212992);
	assert_int_equal(nd_sysctl_parse("4096\t131072\t33554432\n", 21, v, 3), 3);
	assert_int_equal(v[0], 4096);
	assert_int_equal(v[1], 131072);
	assert_int_equal(v[2], 33554432);
	/* only the bytes given count: no NUL needed */
	assert_int_equal(nd_sysctl_parse("12345", 3, v, 3), 1);
	assert_int_equal(v[0], 123);
	assert_int_equal(nd_sysctl_parse("-1\n", 3, v, 1), 1);
	assert_int_equal(v[0], -1);
	assert_int_equal(nd_sysctl_parse("", 0, v, 3), -EINVAL);
	assert_int_equal(nd_sysctl_parse(" \n", 2, v, 3), -EINVAL);
	assert_int_equal(nd_sysctl_parse("12q\n", 4, v, 3), -EINVAL);
	assert_int_equal(nd_sysctl_parse("cubic reno\n", 11, v, 3), -EINVAL);
	assert_int_equal(nd_sysctl_parse("1 2 3 4\n", 8, v, 3), -EINVAL);
	assert_int_equal(nd_sysctl_parse("-\n", 2, v, 3), -EINVAL);
	assert_int_equal(nd_sysctl_parse("99999999999999999999\n", 21, v, 3), -EINVAL);
}

static void test_sysctl_path(void **state)
{
	char buf[64];

	(void)state;
	assert_int_equal(nd_sysctl_path("net.core.rmem_max", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/proc/sys/net/core/rmem_max");
	assert_int_equal(nd_sysctl_path("net/ipv4/tcp_rmem", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "/proc/sys/net/ipv4/tcp_rmem");
	assert_int_equal(nd_sysctl_path("net.core.rmem_max", buf, 20), -ENAMETOOLONG);
}

/* As this machine's /proc/net/snmp has it (kernel 6.18), trimmed. */
static const char snmp[] =
	"Ip: Forwarding DefaultTTL InReceives\n"
	"Ip: 2 64 1234\n"
	"Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
	"Udp: 40021 3 19768 40029 19768 0 0 0 0\n"
	"UdpLite: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
	"UdpLite: 0 0 0 0 7 0 0 0 0\n";

static void test_snmp_parse(void **state)
{
	uint64_t v = 0;
	size_t n = sizeof(snmp) - 1;

	(void)state;
	assert_int_equal(nd_snmp_parse(snmp, n, "Udp", "RcvbufErrors", &v), 0);
	assert_int_equal(v, 19768);
	assert_int_equal(nd_snmp_parse(snmp, n, "Udp", "InDatagrams", &v), 0);
	assert_int_equal(v, 40021);
	assert_int_equal(nd_snmp_parse(snmp, n, "Udp", "MemErrors", &v), 0);
	assert_int_equal(v, 0);
	/* "Udp" must not match "UdpLite" */
	assert_int_equal(nd_snmp_parse(snmp, n, "UdpLite", "RcvbufErrors", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(nd_snmp_parse(snmp, n, "Ip", "InReceives", &v), 0);
	assert_int_equal(v, 1234);
	assert_int_equal(nd_snmp_parse(snmp, n, "Udp", "NoSuch", &v), -ENOENT);
	assert_int_equal(nd_snmp_parse(snmp, n, "Tcp", "RtoMin", &v), -ENOENT);
	/* a header without its value line, a value line with too few numbers, a non-number */
	static const char cut[] = "Udp: InDatagrams RcvbufErrors\n";
	static const char shortv[] = "Udp: InDatagrams RcvbufErrors\nUdp: 5\n";
	static const char bad[] = "Udp: InDatagrams RcvbufErrors\nUdp: 5 x\n";
	static const char other[] = "Udp: InDatagrams RcvbufErrors\nTcp: 5 6\n";

	assert_int_equal(nd_snmp_parse(cut, sizeof(cut) - 1, "Udp", "RcvbufErrors", &v), -EINVAL);
	assert_int_equal(nd_snmp_parse(shortv, sizeof(shortv) - 1, "Udp", "RcvbufErrors", &v), -EINVAL);
	assert_int_equal(nd_snmp_parse(bad, sizeof(bad) - 1, "Udp", "RcvbufErrors", &v), -EINVAL);
	assert_int_equal(nd_snmp_parse(other, sizeof(other) - 1, "Udp", "RcvbufErrors", &v), -EINVAL);
	assert_int_equal(nd_snmp_parse("", 0, "Udp", "RcvbufErrors", &v), -ENOENT);
}

/* A line of 5,000 fields, the one asked for last: found in one pass; one value short: -EINVAL. */
static void test_snmp_long_line(void **state)
{
	enum { N = 5000 };
	size_t cap = N * 16 + 64, len = 0;
	char *t = malloc(cap);
	uint64_t v = 0;

	(void)state;
	assert_non_null(t);
	len += (size_t)snprintf(t + len, cap - len, "Udp:");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(t + len, cap - len, " F%d", i);
	len += (size_t)snprintf(t + len, cap - len, " Last\nUdp:");
	for (int i = 0; i < N; i++)
		len += (size_t)snprintf(t + len, cap - len, " %d", i);
	len += (size_t)snprintf(t + len, cap - len, " 77\n");
	assert_int_equal(nd_snmp_parse(t, len, "Udp", "Last", &v), 0);
	assert_int_equal(v, 77);
	assert_int_equal(nd_snmp_parse(t, len, "Udp", "F4321", &v), 0);
	assert_int_equal(v, 4321);
	/* cut the last value off: the name has none */
	assert_int_equal(nd_snmp_parse(t, len - 4, "Udp", "Last", &v), -EINVAL);
	free(t);
}

/* As this machine's /proc/net/snmp6 has it (kernel 6.18), trimmed. */
static const char snmp6[] = "Ip6InReceives                   \t7\n"
			    "Udp6InDatagrams                 \t12\n"
			    "Udp6RcvbufErrors                \t5106\n"
			    "Udp6SndbufErrors                \t0\n"
			    "UdpLite6RcvbufErrors            \t3\n"
			    "Udp6InCsumErrors 18446744073709551615\n"
			    "Udp6Bad                         \tx12\n"
			    "Udp6Huge                        \t184467440737095516160\n"
			    "Udp6Tail                        \t1 2\n"
			    "Udp6Last 42";

static void test_snmp6_parse(void **state)
{
	size_t n = sizeof(snmp6) - 1;
	uint64_t v = 0;

	(void)state;
	assert_int_equal(nd_snmp6_parse(snmp6, n, "Udp6RcvbufErrors", &v), 0);
	assert_int_equal(v, 5106);
	assert_int_equal(nd_snmp6_parse(snmp6, n, "UdpLite6RcvbufErrors", &v), 0);
	assert_int_equal(v, 3);
	/* a prefix of a name is not that name */
	assert_int_equal(nd_snmp6_parse(snmp6, n, "Udp6Rcvbuf", &v), -ENOENT);
	assert_int_equal(nd_snmp6_parse(snmp6, n, "Udp6InCsumErrors", &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(nd_snmp6_parse(snmp6, n, "Udp6Bad", &v), -EINVAL);
	assert_int_equal(nd_snmp6_parse(snmp6, n, "Udp6Huge", &v), -EINVAL);
	assert_int_equal(nd_snmp6_parse(snmp6, n, "Udp6Tail", &v), -EINVAL);
	assert_int_equal(nd_snmp6_parse(snmp6, n, "Udp6Last", &v), 0);
	assert_int_equal(v, 42);
	/* the length bounds the text: "Udp6Last 4" */
	assert_int_equal(nd_snmp6_parse(snmp6, n - 1, "Udp6Last", &v), 0);
	assert_int_equal(v, 4);
	assert_int_equal(nd_snmp6_parse(snmp6, 0, "Udp6Last", &v), -ENOENT);
}

/* The readers on this machine: the values exist and parse. */
static void test_read_live(void **state)
{
	int64_t v[3];
	uint64_t u;

	(void)state;
	assert_int_equal(nd_sysctl_read("net.ipv4.tcp_rmem", v, 3), 3);
	assert_true(v[0] <= v[1] && v[1] <= v[2]);
	assert_int_equal(nd_sysctl_read("net.no.such_thing", v, 3), -ENOENT);
	assert_int_equal(nd_snmp_read("Udp", "RcvbufErrors", &u), 0);
	if (access("/proc/net/snmp6", R_OK) == 0)
		assert_int_equal(nd_snmp6_read("Udp6RcvbufErrors", &u), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sysctl_parse),
		cmocka_unit_test(test_sysctl_path),
		cmocka_unit_test(test_snmp_parse),
		cmocka_unit_test(test_snmp_long_line),
		cmocka_unit_test(test_snmp6_parse),
		cmocka_unit_test(test_read_live),
	};

	return cmocka_run_group_tests_name("sysctl", tests, NULL, NULL);
}
