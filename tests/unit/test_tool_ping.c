// SPDX-License-Identifier: MIT
/* miniping's pure parts: option parsing, and the duplicate table across the sequence wrap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "array.h"
#include "ping/opts.h"
#include "ping/seqtrack.h"
#include "ping/tmowatch.h"
#include <stdlib.h>

static struct seqtrack T;

static int parse(struct ping_opts *o, char *err, const char *a0, ...)
{
	char *argv[32];
	int argc = 0;
	va_list ap;

	argv[argc++] = (char *)"miniping";
	va_start(ap, a0);
	for (const char *a = a0; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	return ping_opts_parse(argc, argv, o, err, 256);
}

static void test_opts_ok(void **state)
{
	struct ping_opts o;
	char err[256];

	(void)state;
	assert_int_equal(parse(&o, err, "10.0.0.2", NULL), 0);
	assert_string_equal(o.host, "10.0.0.2");
	assert_int_equal(o.count, 0);
	assert_int_equal(o.interval_ms, 1000);
	assert_int_equal(o.datalen, 56);
	assert_int_equal(o.linger_ms, 10000);
	assert_int_equal(o.tos, -1);
	assert_int_equal(o.family, AF_UNSPEC);
	assert_int_equal(parse(&o, err, "-6", "-c", "3", "-i", "0.2", "-W", "1.5", "-w", "4", "-s",
			       "100", "-t", "7", "-Q", "0x10", "-I", "eth0", "-p", "ab0", "-qnDOfav",
			       "--json", "--explain", "::1", NULL), 0);
	assert_int_equal(o.family, AF_INET6);
	assert_int_equal(o.count, 3);
	assert_int_equal(o.interval_ms, 200);
	assert_true(o.interval_set);
	assert_int_equal(o.linger_ms, 1500);
	assert_int_equal(o.deadline_s, 4);
	assert_int_equal(o.datalen, 100);
	assert_int_equal(o.ttl, 7);
	assert_int_equal(o.tos, 16);
	assert_string_equal(o.iface, "eth0");
	assert_int_equal(o.patlen, 2);
	assert_int_equal(o.pattern[0], 0xab);
	assert_int_equal(o.pattern[1], 0x0);
	assert_true(o.quiet && o.numeric && o.timestamps && o.outstanding && o.flood &&
		    o.audible && o.verbose && o.json && o.explain);
	/* the largest payloads, per family */
	assert_int_equal(parse(&o, err, "-s", "65527", "-6", "::1", NULL), 0);
	assert_int_equal(parse(&o, err, "-s", "65507", "-4", "h", NULL), 0);
	assert_int_equal(parse(&o, err, "--help", NULL), 0);
	assert_true(o.help);
	assert_int_equal(parse(&o, err, "-V", NULL), 0);
	assert_true(o.version);
}

static void test_opts_bad(void **state)
{
	static const struct {
		const char *a[4];
		const char *msg;
	} t[] = {
		{ { "-c", "0", "h" }, "invalid -c value '0': out of range: 1 <= value <=" },
		{ { "-c", "abc", "h" }, "invalid -c value 'abc': not a number" },
		{ { "-s", "65528", "h" }, "invalid -s value '65528': out of range" },
		{ { "-4", "-s", "65508" }, "invalid -s value '65508': out of range: 0 <= value <= 65507" },
		{ { "-t", "0", "h" }, "invalid -t value '0'" },
		{ { "-t", "256", "h" }, "invalid -t value '256'" },
		{ { "-Q", "300", "h" }, "invalid -Q value '300'" },
		{ { "-p", "zz", "h" }, "invalid -p value 'zz': patterns must be hex digits" },
		{ { "-W", "-1", "h" }, "invalid -W value '-1'" },
		{ { "-i", "x", "h" }, "invalid -i value 'x'" },
		{ { "-x", "h" }, "unknown option -x" },
		{ { "--bogus", "h" }, "unknown option --bogus" },
		{ { "--bogus=1", "h" }, "unknown option --bogus (try --help)" },
		{ { "--json=1", "h" }, "option --json takes no argument" },
		{ { "--netns" }, "option --netns needs an argument" },
		{ { "-c" }, "option -c needs an argument" },
		{ { NULL }, "no destination" },
		{ { "a", "b" }, "extra argument 'b'" },
	};
	struct ping_opts o;
	char err[256];

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++) {
		char *argv[8] = { (char *)"miniping" };
		int argc = 1;

		for (int j = 0; j < 4 && t[i].a[j]; j++)
			argv[argc++] = (char *)t[i].a[j];
		if (!strcmp(t[i].a[0] ? t[i].a[0] : "", "-4"))
			argv[argc++] = (char *)"h";
		argv[argc] = NULL;
		err[0] = '\0';
		assert_int_equal(ping_opts_parse(argc, argv, &o, err, sizeof(err)), -1);
		if (!strstr(err, t[i].msg))
			fail_msg("case %zu: got '%s', want '%s'", i, err, t[i].msg);
	}
	/* the IPv4 limit is checked once the family is known */
	assert_int_equal(parse(&o, err, "-s", "65520", "h", NULL), 0);
	assert_int_equal(ping_opts_check_size(&o, AF_INET, err, sizeof(err)), -1);
	assert_int_equal(ping_opts_check_size(&o, AF_INET6, err, sizeof(err)), 0);
}

static void test_dup_wrap(void **state)
{
	long nt = 0;

	(void)state;
	ping_seq_init(&T);
	/* send 1..65535, then 0, 1, 2 (the wrap); answer as we go */
	for (long i = 1; i <= 65535 + 3; i++) {
		uint16_t s = (uint16_t)i;

		ping_seq_sent(&T, s);
		nt = i;
		if (i == 65535 || i == 65536 || i == 65537) {
			assert_false(ping_seq_mark(&T, s));
			ping_seq_ack(&T, nt, s);
		} else if (i < 65535) {
			assert_false(ping_seq_mark(&T, s));
		}
	}
	/* seq 1 was answered before the wrap and again now: the table forgot the old answer at
	 * the re-send, so the new one is not a duplicate, but a second copy is */
	assert_true(ping_seq_seen(&T, 1));
	assert_true(ping_seq_mark(&T, 1));
	/* 65535 and 0 were answered once: their copies are duplicates */
	assert_true(ping_seq_mark(&T, 65535));
	assert_true(ping_seq_mark(&T, 0));
	/* seq 2 was sent after the wrap and not answered: clear, though answered 65536 ago */
	assert_false(ping_seq_seen(&T, 2));
	assert_false(ping_seq_mark(&T, 2));
	assert_true(ping_seq_mark(&T, 2));
}

static void test_in_flight(void **state)
{
	(void)state;
	ping_seq_init(&T);
	assert_int_equal(ping_seq_in_flight(&T, 0), 0);
	assert_int_equal(ping_seq_in_flight(&T, 3), 3);
	ping_seq_ack(&T, 3, 2);
	assert_int_equal(ping_seq_in_flight(&T, 3), 1);
	assert_int_equal(T.pipesize, 2);
	ping_seq_ack(&T, 3, 1); /* an older answer does not move the mark back */
	assert_int_equal(ping_seq_in_flight(&T, 3), 1);
	ping_seq_ack(&T, 3, 3);
	assert_int_equal(ping_seq_in_flight(&T, 3), 0);
	/* across the wrap */
	ping_seq_ack(&T, 65537, 0);
	assert_int_equal(ping_seq_in_flight(&T, 65537), 1);
	ping_seq_ack(&T, 65537, 1);
	assert_int_equal(ping_seq_in_flight(&T, 65537), 0);
}

/* Only numbers already sent are answers: 1..n before the wrap, every number after it. */
static void test_was_sent(void **state)
{
	(void)state;
	assert_false(ping_seq_was_sent(0, 0));
	assert_false(ping_seq_was_sent(0, 1));
	assert_true(ping_seq_was_sent(1, 1));
	assert_false(ping_seq_was_sent(1, 2));
	assert_false(ping_seq_was_sent(1, 0));
	assert_true(ping_seq_was_sent(3, 1));
	assert_true(ping_seq_was_sent(3, 3));
	assert_false(ping_seq_was_sent(3, 4));
	assert_false(ping_seq_was_sent(3, 999));
	assert_false(ping_seq_was_sent(3, 65535));
	assert_true(ping_seq_was_sent(65535, 65535));
	assert_false(ping_seq_was_sent(65535, 0));
	assert_true(ping_seq_was_sent(65536, 0));
	assert_true(ping_seq_was_sent(70000, 12345));
}

/* A send stamp is believed only inside the span of stamps sent; no value overflows. */
static void test_stamp_window(void **state)
{
	const int64_t G = 1000000000;
	struct timespec ts;
	int64_t ns = -1;

	(void)state;
	ping_seq_init(&T);
	ts = (struct timespec){ .tv_sec = 1700000000, .tv_nsec = 5 };
	assert_false(ping_seq_stamp_fits(&T, &ts, &ns)); /* nothing sent yet */
	ping_seq_stamp_sent(&T, 1700000000 * G + 5);
	ping_seq_stamp_sent(&T, 1700000001 * G + 7);
	assert_true(ping_seq_stamp_fits(&T, &ts, &ns));
	assert_int_equal(ns, 1700000000 * G + 5);
	ts.tv_sec = 1700000001;
	ts.tv_nsec = 7;
	assert_true(ping_seq_stamp_fits(&T, &ts, &ns));
	ts.tv_nsec = 8; /* after the latest stamp */
	assert_false(ping_seq_stamp_fits(&T, &ts, &ns));
	ts = (struct timespec){ .tv_sec = 1700000000, .tv_nsec = 4 }; /* before the first */
	assert_false(ping_seq_stamp_fits(&T, &ts, &ns));
	static const struct timespec hostile[] = {
		{ .tv_sec = INT64_MAX, .tv_nsec = 0 },
		{ .tv_sec = INT64_MAX, .tv_nsec = INT64_MAX },
		{ .tv_sec = INT64_MIN, .tv_nsec = 0 },
		{ .tv_sec = 0, .tv_nsec = 0 },
		{ .tv_sec = 1700000000, .tv_nsec = -1 },
		{ .tv_sec = 1700000000, .tv_nsec = 1000000000 },
		{ .tv_sec = 1700000000, .tv_nsec = INT64_MAX },
	};
	for (size_t i = 0; i < ND_ARRAY_SIZE(hostile); i++)
		if (ping_seq_stamp_fits(&T, &hostile[i], &ns))
			fail_msg("hostile stamp %zu accepted", i);
	/* a wall clock stepped back: the span widens to take the new, earlier stamp */
	ping_seq_stamp_sent(&T, 1600000000 * G);
	ts = (struct timespec){ .tv_sec = 1600000000, .tv_nsec = 0 };
	assert_true(ping_seq_stamp_fits(&T, &ts, &ns));
}

/* Requests come due -W after they were sent, in order, one cursor; the bits follow the seq. */
static void test_tmo_due(void **state)
{
	static struct tmowatch t;
	int64_t w;

	(void)state;
	ping_tmo_init(&t, 1000);
	assert_int_equal(ping_tmo_next_at(&t), INT64_MAX);
	ping_tmo_sent(&t, 100);  /* 1 */
	ping_tmo_sent(&t, 600);  /* 2 */
	ping_tmo_sent(&t, 700);  /* 3 */
	assert_int_equal(ping_tmo_next_at(&t), 1100);
	assert_int_equal(ping_tmo_due(&t, 1099, false, &w), 0);
	assert_int_equal(ping_tmo_due(&t, 1100, false, &w), 1);
	assert_int_equal(w, 1000);
	assert_int_equal(ping_tmo_due(&t, 1100, false, &w), 0); /* 2 is due at 1600 */
	assert_int_equal(ping_tmo_next_at(&t), 1600);
	assert_int_equal(ping_tmo_due(&t, 1650, false, &w), 2);
	assert_int_equal(w, 1050);
	/* at exit: whatever is left, however long it waited */
	assert_int_equal(ping_tmo_due(&t, 800, true, &w), 3);
	assert_int_equal(w, 100);
	assert_int_equal(ping_tmo_due(&t, 800, true, &w), 0);
	assert_int_equal(ping_tmo_next_at(&t), INT64_MAX);
}

/* More than 65535 in flight: the oldest is settled early rather than its slot overwritten. */
static void test_tmo_ring(void **state)
{
	static struct tmowatch t;
	int64_t w;

	(void)state;
	ping_tmo_init(&t, 1000000);
	for (int i = 0; i < 65535; i++)
		ping_tmo_sent(&t, i);
	assert_int_equal(ping_tmo_due(&t, 65535, false, &w), 0); /* nothing due, room for one more */
	ping_tmo_sent(&t, 65535);                                 /* 65536 in flight: ring full */
	assert_int_equal(ping_tmo_due(&t, 65536, false, &w), 1);  /* so 1 goes before its time */
	assert_int_equal(w, 65536);
	assert_int_equal(ping_tmo_due(&t, 65536, false, &w), 0);
	ping_tmo_sent(&t, 65536);                                 /* request 65537 reuses seq 1 */
	assert_int_equal(ping_tmo_next_at(&t), 1 + 1000000);      /* 2's time, not 65537's */
}

static void test_tmo_bits(void **state)
{
	static struct tmowatch t;

	(void)state;
	ping_tmo_init(&t, 10);
	ping_tmo_sent(&t, 0);
	ping_tmo_fire(&t, 1);
	ping_tmo_answer(&t, 1);
	assert_true(ping_tmo_fired(&t, 1));
	assert_true(ping_tmo_answered(&t, 1));
	assert_false(ping_tmo_fired(&t, 2));
	for (int i = 1; i <= 65536; i++)
		ping_tmo_sent(&t, i); /* the 65537th request has seq 1 again: bits cleared */
	assert_false(ping_tmo_fired(&t, 1));
	assert_false(ping_tmo_answered(&t, 1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_opts_ok),
		cmocka_unit_test(test_opts_bad),
		cmocka_unit_test(test_dup_wrap),
		cmocka_unit_test(test_in_flight),
		cmocka_unit_test(test_was_sent),
		cmocka_unit_test(test_stamp_window),
		cmocka_unit_test(test_tmo_due),
		cmocka_unit_test(test_tmo_ring),
		cmocka_unit_test(test_tmo_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
