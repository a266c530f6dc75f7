// SPDX-License-Identifier: MIT
/* connstat's pure pieces: row formatting, the /proc/net/raw line parser, the summary counts,
 * and lib/services (port names as ss gives them). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "connstat/connstat.h"
#include "services.h"

static void test_endpoint(void **state)
{
	char b[200];
	uint8_t a4[4] = { 10, 0, 200, 1 }, z4[4] = { 0 }, a6[16];

	(void)state;
	inet_pton(AF_INET6, "fe80::1", a6);
	assert_int_equal(cs_fmt_endpoint(b, sizeof(b), AF_INET, a4, 80, NULL, NULL), 13);
	assert_string_equal(b, "10.0.200.1:80");
	cs_fmt_endpoint(b, sizeof(b), AF_INET, z4, 0, NULL, NULL);
	assert_string_equal(b, "0.0.0.0:*");
	cs_fmt_endpoint(b, sizeof(b), AF_INET6, a6, 22, "ssh", NULL);
	assert_string_equal(b, "[fe80::1]:ssh");
	cs_fmt_endpoint(b, sizeof(b), AF_INET6, a6, 65535, NULL, "router.lan");
	assert_string_equal(b, "router.lan:65535");
}

static void test_unix_path(void **state)
{
	char b[64];

	(void)state;
	cs_fmt_unix_path(b, sizeof(b), "\0abstract\0x", 11);
	assert_string_equal(b, "@abstract@x");
	cs_fmt_unix_path(b, sizeof(b), "/run/a\nb", 8);
	assert_string_equal(b, "/run/a?b");
	cs_fmt_unix_path(b, 4, "/run/long", 9);
	assert_string_equal(b, "/ru");
}

static void test_raw_lines(void **state)
{
	/* lines of /proc/net/raw and raw6 as this machine's kernel writes them */
	static const char v4[] = " 239: 0100007F:0001 00000000:0000 07 00000010:00000020 00:00000000 "
				 "00000000     0        0 10491 2 000000008e426782 0\n";
	static const char v6[] = "   92: 00000000000000000000000001000000:003A "
				 "00000000000000000000000000000000:0000 07 00000000:00000000 "
				 "00:00000000 00000000  1000        0 10493 2 000000003c42b5ef 0\n";
	static const uint8_t lo4[4] = { 127, 0, 0, 1 }, lo6[16] = { [15] = 1 };
	struct nd_sock s;

	(void)state;
	assert_int_equal(cs_raw_parse_line(v4, AF_INET, &s), 0);
	assert_int_equal(s.netid, ND_RAW);
	assert_int_equal(s.state, ND_SS_CLOSE);
	assert_memory_equal(s.laddr, lo4, 4);
	assert_int_equal(s.lport, 1);
	assert_int_equal(s.protocol, 1);
	assert_int_equal(s.send_q, 16);
	assert_int_equal(s.recv_q, 32);
	assert_int_equal(s.inode, 10491);
	assert_int_equal(cs_raw_parse_line(v6, AF_INET6, &s), 0);
	assert_memory_equal(s.laddr, lo6, 16);
	assert_int_equal(s.lport, 58);
	assert_int_equal(s.uid, 1000);
	assert_int_equal(s.inode, 10493);
	assert_int_equal(cs_raw_parse_line("  sl  local_address rem_address   st\n", AF_INET, &s),
			 -EINVAL);
	assert_int_equal(cs_raw_parse_line(" 1: 0100007F:0001 0000", AF_INET, &s), -EINVAL);
	assert_int_equal(cs_raw_parse_line(v4, AF_INET6, &s), -EINVAL);
}

static void test_summary(void **state)
{
	static struct cs_summary sum;
	struct nd_sock s = { .netid = ND_TCP, .state = ND_SS_ESTABLISHED };

	(void)state;
	cs_summary_add(&sum, &s);
	cs_summary_add(&sum, &s);
	s.state = ND_SS_NEW_SYN_RECV; /* counted as SYN-RECV */
	cs_summary_add(&sum, &s);
	s.netid = ND_U_DGR;
	s.state = ND_SS_CLOSE;
	cs_summary_add(&sum, &s);
	assert_int_equal(sum.total[ND_TCP], 3);
	assert_int_equal(sum.states[ND_TCP][ND_SS_ESTABLISHED], 2);
	assert_int_equal(sum.states[ND_TCP][ND_SS_SYN_RECV], 1);
	assert_int_equal(sum.states[ND_TCP][ND_SS_NEW_SYN_RECV], 0);
	assert_int_equal(sum.total[ND_U_DGR], 1);
}

static void test_services(void **state)
{
	static const char text[] = "# comment\n"
				   "ssh\t\t22/tcp\t\t\t# SSH\n"
				   "domain\t\t53/tcp\n"
				   "domain\t\t53/udp\n"
				   "afs3-callback\t7001/udp\n"
				   "first\t\t9000/tcp\n"
				   "second\t\t9000/tcp\n"
				   "bad line\n"
				   "eph\t\t40000/tcp\n";

	(void)state;
	assert_int_equal(nd_services_parse(text, sizeof(text) - 1), 7);
	nd_services_set_ephemeral(32768, 60999);
	assert_string_equal(nd_service_name(22, "tcp"), "ssh");
	assert_null(nd_service_name(22, "udp"));
	assert_string_equal(nd_service_name(53, "udp"), "domain");
	assert_null(nd_service_name(7001, "tcp")); /* udp only */
	assert_string_equal(nd_service_name(7001, "udp"), "afs3-callback");
	assert_string_equal(nd_service_name(9000, "tcp"), "first"); /* the first line wins */
	assert_null(nd_service_name(40000, "tcp")); /* ephemeral ports are never named */
	assert_null(nd_service_name(1, "tcp"));
}

/* A services file without one tcp/udp entry: an empty table, no name, and no qsort(NULL, 0)
 * (glibc declares its base nonnull: UBSan stops `make check` there). */
static void test_services_empty(void **state)
{
	static const char text[] = "# nothing but comments\nfoo 1/ddp\n";

	(void)state;
	assert_int_equal(nd_services_parse(text, sizeof(text) - 1), 0);
	assert_null(nd_service_name(22, "tcp"));
	assert_int_equal(nd_services_parse("", 0), 0);
	assert_null(nd_service_name(53, "udp"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_endpoint), cmocka_unit_test(test_unix_path),
		cmocka_unit_test(test_raw_lines), cmocka_unit_test(test_summary),
		cmocka_unit_test(test_services), cmocka_unit_test(test_services_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
