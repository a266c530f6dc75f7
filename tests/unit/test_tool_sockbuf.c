// SPDX-License-Identifier: MIT
/* sockbuf: the buffer rule model, chart cells, control lines and HOST:PORT parsing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "array.h"
#include "sockbuf/chart.h"
#include "sockbuf/proto.h"
#include "sockbuf/rules.h"

static const struct sb_limits lim = {
	.wmem_max = 4194304, .rmem_max = 212992, .min_sndbuf = 4608, .min_rcvbuf = 2304,
	.cap_net_admin = true,
};

static void test_rule_table(void **state)
{
	static const struct {
		enum sb_opt opt;
		int64_t req;
		int64_t want;
		enum sb_rule rule;
	} t[] = {
		{ SB_SNDBUF, 65536, 131072, SB_RULE_DOUBLED },
		{ SB_RCVBUF, 65536, 131072, SB_RULE_DOUBLED },
		{ SB_SNDBUF, 0, 4608, SB_RULE_MINIMUM },
		{ SB_SNDBUF, 1, 4608, SB_RULE_MINIMUM },
		{ SB_SNDBUF, 2303, 4608, SB_RULE_MINIMUM },   /* 4606 < 4608 */
		{ SB_SNDBUF, 2304, 4608, SB_RULE_DOUBLED },   /* exactly the minimum */
		{ SB_RCVBUF, 1024, 2304, SB_RULE_MINIMUM },
		{ SB_RCVBUF, 1152, 2304, SB_RULE_DOUBLED },
		{ SB_RCVBUF, 2048, 4096, SB_RULE_DOUBLED },
		{ SB_SNDBUF, 4194304, 8388608, SB_RULE_DOUBLED }, /* at the max: not clamped */
		{ SB_SNDBUF, 4194305, 8388608, SB_RULE_CLAMPED },
		{ SB_RCVBUF, 212993, 425984, SB_RULE_CLAMPED },   /* rmem_max, not wmem_max */
		{ SB_RCVBUF, 16 << 20, 425984, SB_RULE_CLAMPED },
		/* a negative int is a huge unsigned request to SO_*BUF: clamped */
		{ SB_SNDBUF, -1, 8388608, SB_RULE_CLAMPED },
		/* FORCE ignores the max but keeps the minimum; negative counts as 0 */
		{ SB_RCVBUFFORCE, 16 << 20, 32 << 20, SB_RULE_FORCED },
		{ SB_SNDBUFFORCE, 1 << 20, 2 << 20, SB_RULE_DOUBLED },
		{ SB_SNDBUFFORCE, -5, 4608, SB_RULE_MINIMUM },
		{ SB_RCVBUFFORCE, INT_MAX, (INT_MAX / 2) * 2, SB_RULE_INTCAP },
	};

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++) {
		struct sb_predict p = sb_rule_predict(&lim, t[i].opt, t[i].req);

		if (p.value != t[i].want || p.rule != t[i].rule)
			fail_msg("row %zu: %s(%lld) = %lld %s, want %lld %s", i, sb_opt_name(t[i].opt),
				 (long long)t[i].req, (long long)p.value, sb_rule_key(p.rule),
				 (long long)t[i].want, sb_rule_key(t[i].rule));
		assert_int_equal(p.err, 0);
	}
}

static void test_rule_unprivileged(void **state)
{
	struct sb_limits l = lim;
	struct sb_predict p;

	(void)state;
	l.cap_net_admin = false;
	p = sb_rule_predict(&l, SB_SNDBUFFORCE, 65536);
	assert_int_equal(p.err, -EPERM);
	assert_int_equal(p.rule, SB_RULE_EPERM);
	/* the plain options do not need the capability */
	p = sb_rule_predict(&l, SB_SNDBUF, 65536);
	assert_int_equal(p.err, 0);
	assert_int_equal(p.value, 131072);
}

/* With a max above INT_MAX/2 the int cap, not the max, bounds the value. */
static void test_rule_intcap(void **state)
{
	struct sb_limits l = lim;
	struct sb_predict p;

	(void)state;
	l.wmem_max = INT_MAX;
	p = sb_rule_predict(&l, SB_SNDBUF, INT_MAX);
	assert_int_equal(p.rule, SB_RULE_INTCAP);
	assert_int_equal(p.value, (int64_t)(INT_MAX / 2) * 2);
	assert_true(p.value <= INT_MAX);
}

static void test_rule_names(void **state)
{
	(void)state;
	assert_string_equal(sb_rule_name(SB_RULE_CLAMPED, SB_SNDBUF), "clamped at wmem_max, doubled");
	assert_string_equal(sb_rule_name(SB_RULE_CLAMPED, SB_RCVBUF), "clamped at rmem_max, doubled");
	assert_string_equal(sb_rule_name(SB_RULE_MINIMUM, SB_RCVBUFFORCE), "raised to SOCK_MIN_RCVBUF");
	assert_string_equal(sb_opt_name(SB_RCVBUFFORCE), "SO_RCVBUFFORCE");
	assert_true(sb_opt_is_snd(SB_SNDBUFFORCE));
	assert_false(sb_opt_is_snd(SB_RCVBUF));
}

static void test_chart_unicode(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 10, 10, 4, false), 4);
	assert_string_equal(buf, "\u2588\u2588\u2588\u2588");
	/* half of 4 cells: 2 full */
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 5, 10, 4, false), 2);
	assert_string_equal(buf, "\u2588\u2588");
	/* 2.5 cells of 4 (20 eighths): 2 full and a half block */
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 6.25, 10, 4, false), 3);
	assert_string_equal(buf, "\u2588\u2588\u258c");
	/* 1/8 cell */
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 1, 32, 4, false), 1);
	assert_string_equal(buf, "\u258f");
	/* 7/8 cell */
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 7, 8, 1, false), 1);
	assert_string_equal(buf, "\u2589");
	/* tiny but positive shows the smallest mark; zero shows nothing */
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 0.001, 1000, 10, false), 1);
	assert_string_equal(buf, "\u258f");
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 0, 10, 10, false), 0);
	assert_string_equal(buf, "");
	/* above the scale is capped; no scale draws nothing */
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 20, 10, 3, false), 3);
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 5, 0, 10, false), 0);
}

static void test_chart_ascii(void **state)
{
	char buf[128];

	(void)state;
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 10, 10, 20, true), 20);
	assert_string_equal(buf, "####################");
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 3.3, 10, 10, true), 3);
	assert_string_equal(buf, "###");
	assert_int_equal(sb_chart_bar(buf, sizeof(buf), 0.01, 10, 10, true), 1);
	assert_string_equal(buf, "#");
	/* a buffer too small for the width is refused, not overrun */
	assert_int_equal(sb_chart_bar(buf, 10, 10, 10, 40, false), -1);
}

static void test_msg_parse(void **state)
{
	struct sb_msg m;
	uint64_t v;
	static const char *const bad[] = {
		"", "hello", "HELLO v", "HELLO v=", "HELLO =1", "HELLO V=1", "HELLO v=1 x",
		"HELLO  v=1=2", "VERYLONGVERBNAMEXX a=1", "A a=1 b=2 c=3 d=4 e=5 f=6 g=7 h=8 i=9",
		"HELLO\tv=1",
	};

	(void)state;
	assert_int_equal(sb_msg_parse("HELLO v=1", 9, &m), 0);
	assert_string_equal(m.verb, "HELLO");
	assert_int_equal(m.n, 1);
	assert_int_equal(sb_msg_u64(&m, "v", &v), 0);
	assert_int_equal(v, 1);
	assert_int_equal(sb_msg_u64(&m, "w", &v), -ENOENT);

	const char *q = "QUEUE inq=113152 rcvbuf=131072 rcv_space=14480 bytes_received=113152\r";
	assert_int_equal(sb_msg_parse(q, strlen(q), &m), 0);
	assert_int_equal(m.n, 4);
	assert_int_equal(sb_msg_u64(&m, "bytes_received", &v), 0);
	assert_int_equal(v, 113152);

	assert_int_equal(sb_msg_parse("QUERY", 5, &m), 0);
	assert_int_equal(m.n, 0);
	assert_int_equal(sb_msg_parse("PORT port=x1", 12, &m), 0);
	assert_int_equal(sb_msg_u64(&m, "port", &v), -EINVAL);

	assert_int_equal(sb_msg_parse("ERR listen: Address in use", 26, &m), 0);
	assert_string_equal(m.verb, "ERR");
	assert_string_equal(m.text, "listen: Address in use");

	for (size_t i = 0; i < ND_ARRAY_SIZE(bad); i++)
		if (sb_msg_parse(bad[i], strlen(bad[i]), &m) != -EINVAL)
			fail_msg("accepted bad line '%s'", bad[i]);
}

static void test_hostport(void **state)
{
	static const struct {
		const char *s;
		int err;
		const char *host;
		uint16_t port;
	} t[] = {
		{ "10.0.0.2", 0, "10.0.0.2", 5301 },
		{ "10.0.0.2:6000", 0, "10.0.0.2", 6000 },
		{ "peer.example:1", 0, "peer.example", 1 },
		{ "[fd00::2]:6000", 0, "fd00::2", 6000 },
		{ "[fd00::2]", 0, "fd00::2", 5301 },
		{ "fd00::2", 0, "fd00::2", 5301 },
		{ "10.0.0.2:", -EINVAL, NULL, 0 },
		{ "10.0.0.2:0", -EINVAL, NULL, 0 },
		{ "10.0.0.2:65536", -EINVAL, NULL, 0 },
		{ "10.0.0.2:12q", -EINVAL, NULL, 0 },
		{ ":80", -EINVAL, NULL, 0 },
		{ "[fd00::2", -EINVAL, NULL, 0 },
		{ "[fd00::2]x", -EINVAL, NULL, 0 },
		{ "[]:80", -EINVAL, NULL, 0 },
		{ "", -EINVAL, NULL, 0 },
	};
	char host[64];
	uint16_t port;

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++) {
		int r = sb_hostport_parse(t[i].s, host, sizeof(host), &port, 5301);

		if (r != t[i].err)
			fail_msg("'%s': %d, want %d", t[i].s, r, t[i].err);
		if (r == 0) {
			assert_string_equal(host, t[i].host);
			assert_int_equal(port, t[i].port);
		}
	}
	assert_int_equal(sb_hostport_parse("averylonghostname", host, 8, &port, 1), -EINVAL);
}

/* Control lines from a hostile peer: a bad line is -EPROTO and the next one still parses; a line
 * with no end in sight is -EMSGSIZE (no way to find the next line); silence is -ETIMEDOUT. */
static void test_ctl_recv_hostile(void **state)
{
	struct sb_ctl c;
	struct sb_msg m;
	char big[3000];
	int sv[2];
	static const char lines[] = "\x01\x02 junk\nHELLO v=1\n";

	(void)state;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	sb_ctl_init(&c, sv[0], 200);
	assert_int_equal(write(sv[1], lines, sizeof(lines) - 1), (ssize_t)sizeof(lines) - 1);
	assert_int_equal(sb_ctl_recv(&c, &m), -EPROTO);
	assert_int_equal(sb_ctl_recv(&c, &m), 0);
	assert_string_equal(m.verb, "HELLO");
	assert_int_equal(sb_ctl_recv(&c, &m), -ETIMEDOUT);
	memset(big, 'A', sizeof(big));
	assert_int_equal(write(sv[1], big, sizeof(big)), (ssize_t)sizeof(big));
	assert_int_equal(sb_ctl_recv(&c, &m), -EMSGSIZE);
	close(sv[0]);
	close(sv[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_table),
		cmocka_unit_test(test_rule_unprivileged),
		cmocka_unit_test(test_rule_intcap),
		cmocka_unit_test(test_rule_names),
		cmocka_unit_test(test_chart_unicode),
		cmocka_unit_test(test_chart_ascii),
		cmocka_unit_test(test_msg_parse),
		cmocka_unit_test(test_hostport),
		cmocka_unit_test(test_ctl_recv_hostile),
	};

	return cmocka_run_group_tests_name("sockbuf", tests, NULL, NULL);
}
