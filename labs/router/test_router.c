/* labs/router/test_router.c — unit tests of the impairment forwarder's parts: packet parsing on
 * any bytes at all, the TTL fix-up's checksum, the last-ACK detection, the queue's order and the
 * seeded decisions. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "flows.h"
#include "impair.h"
#include "pkt.h"
#include "queue.h"

/* The Internet checksum of LEN bytes (0 over a header whose checksum field is right). */
static uint16_t csum(const uint8_t *p, size_t len)
{
	uint32_t s = 0;

	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(p[i] << 8 | p[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* An IPv4 TCP packet SRC:SPORT -> DST:DPORT with FLAGS, SEQ, ACK and PAYLOAD bytes, into BUF;
 * returns its length.  The IP checksum is filled in. */
static size_t v4_tcp(uint8_t *buf, const char *src, const char *dst, uint16_t sport, uint16_t dport,
		     uint8_t flags, uint32_t seq, uint32_t ack, size_t payload)
{
	size_t len = 20 + 20 + payload;
	uint16_t c;

	memset(buf, 0, len);
	buf[0] = 0x45;
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	buf[6] = 0x40; /* DF */
	buf[8] = 63;
	buf[9] = IPPROTO_TCP;
	inet_pton(AF_INET, src, buf + 12);
	inet_pton(AF_INET, dst, buf + 16);
	c = csum(buf, 20);
	buf[10] = (uint8_t)(c >> 8);
	buf[11] = (uint8_t)c;
	buf[20] = (uint8_t)(sport >> 8), buf[21] = (uint8_t)sport;
	buf[22] = (uint8_t)(dport >> 8), buf[23] = (uint8_t)dport;
	for (int i = 0; i < 4; i++) {
		buf[24 + i] = (uint8_t)(seq >> (24 - 8 * i));
		buf[28 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	buf[32] = 5 << 4;
	buf[33] = flags;
	return len;
}

/* An IPv6 packet with one destination-options header before TCP. */
static size_t v6_tcp(uint8_t *buf, uint8_t flags, uint32_t seq)
{
	size_t len = 40 + 8 + 20;

	memset(buf, 0, len);
	buf[0] = 0x60;
	buf[5] = 28;
	buf[6] = 60; /* destination options */
	buf[7] = 64;
	inet_pton(AF_INET6, "fd00:200:1::2", buf + 8);
	inet_pton(AF_INET6, "fd00:200:2::2", buf + 24);
	buf[40] = IPPROTO_TCP;
	buf[41] = 0; /* 8 bytes */
	buf[48] = 0x9c, buf[49] = 0x40; /* 40000 */
	buf[50] = 0x13, buf[51] = 0x88; /* 5000 */
	buf[52] = (uint8_t)(seq >> 24), buf[53] = (uint8_t)(seq >> 16);
	buf[54] = (uint8_t)(seq >> 8), buf[55] = (uint8_t)seq;
	buf[60] = 5 << 4;
	buf[61] = flags;
	return len;
}

static void test_parse_v4_tcp(void **state)
{
	uint8_t b[100];
	struct pkt_info pi;
	size_t n = v4_tcp(b, "10.200.1.2", "10.200.2.2", 40000, 5000, TCPF_ACK | TCPF_PSH, 7, 9, 10);

	(void)state;
	assert_int_equal(pkt_parse(b, n, &pi), 0);
	assert_int_equal(pi.version, 4);
	assert_int_equal(pi.is_tcp, 1);
	assert_int_equal(pi.sport, 40000);
	assert_int_equal(pi.dport, 5000);
	assert_int_equal(pi.seq, 7);
	assert_int_equal(pi.ack, 9);
	assert_int_equal(pi.payload, 10);
	assert_int_equal(pi.flags, TCPF_ACK | TCPF_PSH);
}

static void test_parse_v6_ext(void **state)
{
	uint8_t b[100];
	struct pkt_info pi;
	size_t n = v6_tcp(b, TCPF_SYN, 1234);

	(void)state;
	assert_int_equal(pkt_parse(b, n, &pi), 0);
	assert_int_equal(pi.version, 6);
	assert_int_equal(pi.is_tcp, 1);
	assert_int_equal(pi.sport, 40000);
	assert_int_equal(pi.seq, 1234);
	/* an extension header that claims more than the packet holds: IP yes, TCP no */
	b[41] = 200;
	assert_int_equal(pkt_parse(b, n, &pi), 0);
	assert_int_equal(pi.is_tcp, 0);
}

/* Every prefix of a valid packet parses without reading past it; the cut ones are no TCP. */
static void test_parse_every_prefix(void **state)
{
	uint8_t b[100];
	uint8_t *copy;
	struct pkt_info pi;
	size_t n = v4_tcp(b, "10.200.1.2", "10.200.2.2", 1, 2, TCPF_ACK, 1, 1, 0);

	(void)state;
	for (size_t len = 0; len < n; len++) {
		copy = malloc(len ? len : 1); /* exact size, so ASan sees any overread */
		memcpy(copy, b, len);
		assert_int_equal(pkt_parse(copy, len, &pi), -1);
		assert_int_equal(pi.version, 0);
		assert_int_equal(pkt_ttl_inc(copy, len), -1);
		free(copy);
	}
}

static void test_parse_bad_headers(void **state)
{
	uint8_t b[100];
	struct pkt_info pi;
	size_t n = v4_tcp(b, "10.0.0.1", "10.0.0.2", 1, 2, TCPF_ACK, 1, 1, 0);

	(void)state;
	b[0] = 0x44; /* IHL 16 bytes: too short */
	assert_int_equal(pkt_parse(b, n, &pi), -1);
	b[0] = 0x45;
	b[32] = 4 << 4; /* TCP data offset 16 */
	assert_int_equal(pkt_parse(b, n, &pi), 0);
	assert_int_equal(pi.is_tcp, 0);
	b[32] = 5 << 4;
	b[7] = 8; /* a fragment at offset 64: no TCP header in it */
	assert_int_equal(pkt_parse(b, n, &pi), 0);
	assert_int_equal(pi.is_tcp, 0);
	b[0] = 0x35; /* version 3 */
	assert_int_equal(pkt_parse(b, n, &pi), -1);
}

/* Random bytes: never a crash, and is_tcp only with a version. */
static void test_parse_random(void **state)
{
	uint8_t b[128];
	struct pkt_info pi;
	struct flows *f = malloc(sizeof(*f));
	unsigned seed = 1;

	(void)state;
	assert_non_null(f);
	flows_init(f);
	for (int i = 0; i < 200000; i++) {
		size_t len = (size_t)rand_r(&seed) % sizeof(b);
		for (size_t j = 0; j < len; j++)
			b[j] = (uint8_t)rand_r(&seed);
		if (len)
			b[0] = (uint8_t)((b[0] & 0x0f) | ((i & 1) ? 0x40 : 0x60));
		if (pkt_parse(b, len, &pi) == 0)
			assert_true(pi.version == 4 || pi.version == 6);
		else
			assert_int_equal(pi.is_tcp, 0);
		(void)flows_is_last_ack(f, &pi);
		(void)pkt_ttl_inc(b, len);
	}
	free(f);
}

static void test_link_chatter(void **state)
{
	uint8_t b[100];
	struct pkt_info pi;
	struct impair_cfg cfg = { .seed = 1 };
	struct impair *im = malloc(sizeof(*im));
	uint64_t d[2];
	size_t n;

	(void)state;
	assert_non_null(im);
	impair_init(im, &cfg);
	n = v4_tcp(b, "10.200.1.2", "10.200.2.2", 1, 2, TCPF_ACK, 1, 1, 0);
	assert_int_equal(impair_decide(im, b, n, d, &pi), 1); /* forwarded traffic */
	uint64_t rng0 = im->rng[0], rng1 = im->rng[1];
	n = v4_tcp(b, "10.200.1.2", "224.0.0.22", 1, 2, TCPF_ACK, 1, 1, 0);
	assert_int_equal(impair_decide(im, b, n, d, &pi), 0);
	n = v4_tcp(b, "10.200.1.2", "255.255.255.255", 1, 2, TCPF_ACK, 1, 1, 0);
	assert_int_equal(impair_decide(im, b, n, d, &pi), 0);
	n = v6_tcp(b, TCPF_ACK, 1);
	inet_pton(AF_INET6, "ff02::16", b + 24);
	assert_int_equal(impair_decide(im, b, n, d, &pi), 0);
	inet_pton(AF_INET6, "fe80::1", b + 24);
	assert_int_equal(impair_decide(im, b, n, d, &pi), 0);
	assert_int_equal(impair_decide(im, b, 3, d, &pi), 0); /* not IP */
	assert_true(im->rng[0] == rng0 && im->rng[1] == rng1); /* none drew a random number */
	assert_int_equal(im->st.chatter, 5);
	free(im);
}

static void test_ttl_inc(void **state)
{
	uint8_t b[100];
	struct pkt_info pi;
	size_t n;

	(void)state;
	for (int ttl = 0; ttl < 255; ttl++) {
		n = v4_tcp(b, "10.200.1.2", "10.200.2.2", 1, 2, TCPF_ACK, 1, 1, 0);
		b[8] = (uint8_t)ttl;
		b[10] = b[11] = 0;
		uint16_t c = csum(b, 20);
		b[10] = (uint8_t)(c >> 8), b[11] = (uint8_t)c;
		assert_int_equal(pkt_ttl_inc(b, n), 0);
		assert_int_equal(b[8], ttl + 1);
		assert_int_equal(csum(b, 20), 0); /* the header checksum still adds up */
	}
	b[8] = 255;
	assert_int_equal(pkt_ttl_inc(b, n), -1);
	assert_int_equal(b[8], 255);
	n = v6_tcp(b, TCPF_ACK, 1);
	assert_int_equal(pkt_ttl_inc(b, n), 0);
	assert_int_equal(b[7], 65);
	assert_int_equal(pkt_parse(b, n, &pi), 0);
}

/* SEND one packet from A (client 10.200.1.2:40000) or B (server 10.200.2.2:5000); its verdict. */
static int send_pkt(struct flows *f, int from_b, uint8_t flags, uint32_t seq, uint32_t ack, size_t pl)
{
	uint8_t b[100];
	struct pkt_info pi;
	size_t n = from_b ? v4_tcp(b, "10.200.2.2", "10.200.1.2", 5000, 40000, flags, seq, ack, pl)
			  : v4_tcp(b, "10.200.1.2", "10.200.2.2", 40000, 5000, flags, seq, ack, pl);

	assert_int_equal(pkt_parse(b, n, &pi), 0);
	return flows_is_last_ack(f, &pi);
}

static void test_last_ack(void **state)
{
	struct flows *f = malloc(sizeof(*f));

	(void)state;
	assert_non_null(f);
	flows_init(f);
	/* the handshake and some data: nothing is a last ACK */
	assert_int_equal(send_pkt(f, 0, TCPF_SYN, 99, 0, 0), 0);
	assert_int_equal(send_pkt(f, 1, TCPF_SYN | TCPF_ACK, 499, 100, 0), 0);
	assert_int_equal(send_pkt(f, 0, TCPF_ACK, 100, 500, 0), 0);
	assert_int_equal(send_pkt(f, 0, TCPF_ACK | TCPF_PSH, 100, 500, 10), 0);
	assert_int_equal(send_pkt(f, 1, TCPF_ACK, 500, 110, 0), 0);
	/* A closes first: FIN j=110; B acknowledges j+1 (the passive side's ACK passes) */
	assert_int_equal(send_pkt(f, 0, TCPF_FIN | TCPF_ACK, 110, 500, 0), 0);
	assert_int_equal(send_pkt(f, 1, TCPF_ACK, 500, 111, 0), 0);
	/* B's FIN k=500; A's pure ACK k+1 is the last ACK: dropped once */
	assert_int_equal(send_pkt(f, 1, TCPF_FIN | TCPF_ACK, 500, 111, 0), 0);
	assert_int_equal(send_pkt(f, 0, TCPF_ACK, 111, 500, 0), 0); /* acks something else */
	assert_int_equal(send_pkt(f, 0, TCPF_ACK, 111, 501, 0), 1);
	/* B retransmits its FIN; A's answer from TIME-WAIT passes */
	assert_int_equal(send_pkt(f, 1, TCPF_FIN | TCPF_ACK, 500, 111, 0), 0);
	assert_int_equal(send_pkt(f, 0, TCPF_ACK, 111, 501, 0), 0);
	/* the same four numbers again: a new connection, a new last ACK */
	assert_int_equal(send_pkt(f, 0, TCPF_SYN, 9999, 0, 0), 0);
	assert_int_equal(send_pkt(f, 1, TCPF_FIN | TCPF_ACK, 7000, 10000, 0), 0);
	assert_int_equal(send_pkt(f, 0, TCPF_FIN | TCPF_ACK, 10000, 7001, 0), 0);
	/* B closed first this time: its last ACK acknowledges A's FIN, A's ACKs pass */
	assert_int_equal(send_pkt(f, 0, TCPF_ACK, 10001, 7001, 0), 0);
	assert_int_equal(send_pkt(f, 1, TCPF_ACK, 7001, 10001, 0), 1);
	/* a reset forgets the connection */
	assert_int_equal(send_pkt(f, 0, TCPF_RST, 10001, 0, 0), 0);
	assert_int_equal(send_pkt(f, 1, TCPF_ACK, 7001, 10001, 0), 0);
	free(f);
}

static void test_queue_order(void **state)
{
	struct pqueue q;
	uint8_t d[4] = { 0, 1, 2, 3 };
	uint64_t due;
	struct qpkt p;
	const uint64_t dues[] = { 50, 10, 50, 5, 10 };
	const uint8_t want[] = { 3, 1, 4, 0, 2 }; /* by time, ties in arrival order */

	(void)state;
	assert_int_equal(pq_init(&q, 5), 0);
	assert_int_equal(pq_next_due(&q, &due), -1);
	for (uint8_t i = 0; i < 5; i++) {
		d[0] = i;
		assert_int_equal(pq_push(&q, dues[i], d, 1), 0);
	}
	assert_int_equal(pq_push(&q, 1, d, 1), -1); /* full */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(pq_next_due(&q, &due), 0);
		p = pq_pop(&q);
		assert_int_equal(p.due, due);
		assert_int_equal(p.data[0], want[i]);
		free(p.data);
	}
	assert_int_equal(pq_push(&q, 1, d, 1), 0);
	pq_free(&q); /* frees what is still queued */
}

/* COUNT packets through a fresh decision maker; the verdicts (copies, delay in ms) into OUT. */
static void run_decisions(const struct impair_cfg *cfg, int count, int *out)
{
	struct impair *im = malloc(sizeof(*im));
	uint8_t b[100];
	uint64_t delay[2];
	struct pkt_info pi;
	size_t n = v4_tcp(b, "10.200.1.2", "10.200.2.2", 1, 2, TCPF_ACK, 1, 1, 5);

	assert_non_null(im);
	impair_init(im, cfg);
	for (int i = 0; i < count; i++) {
		int c = impair_decide(im, b, n, delay, &pi);
		out[i] = c * 100000 + (c ? (int)(delay[0] / 1000000u) : 0);
	}
	free(im);
}

static void test_decisions(void **state)
{
	struct impair_cfg cfg = { .delay_ms = 20, .loss_ppm = 300000, .dup_ppm = 100000,
				  .reorder_ppm = 200000, .seed = 42 };
	enum { N = 10000 };
	static int a[N], b[N];
	int lost = 0, dup = 0, held = 0;

	(void)state;
	run_decisions(&cfg, N, a);
	run_decisions(&cfg, N, b);
	assert_memory_equal(a, b, sizeof(a)); /* the same seed, the same verdicts */
	for (int i = 0; i < N; i++) {
		lost += a[i] == 0;
		dup += a[i] / 100000 == 2;
		held += a[i] && a[i] % 100000 == 40; /* 20 ms delay + 20 ms hold */
	}
	/* about 30 % lost, 10 % of the rest doubled, 20 % held back */
	assert_in_range(lost, 2700, 3300);
	assert_in_range(dup, 500, 900);
	assert_in_range(held, 1200, 1600);
	cfg.seed = 43;
	run_decisions(&cfg, N, b);
	assert_memory_not_equal(a, b, sizeof(a));
	cfg = (struct impair_cfg){ .loss_ppm = PPM, .seed = 1 };
	run_decisions(&cfg, 100, a);
	for (int i = 0; i < 100; i++)
		assert_int_equal(a[i], 0);
	cfg = (struct impair_cfg){ .reorder_ppm = PPM, .seed = 1 };
	run_decisions(&cfg, 1, a);
	assert_int_equal(a[0], 100000 + REORDER_MIN_MS); /* no delay: held the minimum */
}

/* Verdicts for 2*N packets, requests h1 -> h2 and replies h2 -> h1, in the order ORDER gives
 * ('q' a request, 'r' a reply): the request verdicts go to Q[], the reply verdicts to R[]. */
static void run_interleaved(const char *order, int *q, int *r)
{
	struct impair_cfg cfg = { .loss_ppm = 300000, .seed = 5 };
	struct impair *im = malloc(sizeof(*im));
	uint8_t b[100];
	struct pkt_info pi;
	uint64_t d[2];
	size_t n;

	assert_non_null(im);
	impair_init(im, &cfg);
	for (; *order; order++) {
		int req = *order == 'q';
		n = v4_tcp(b, req ? "10.200.1.2" : "10.200.2.2", req ? "10.200.2.2" : "10.200.1.2", 1, 2,
			   TCPF_ACK, 1, 1, 0);
		*(req ? q++ : r++) = impair_decide(im, b, n, d, &pi);
	}
	free(im);
}

/* A ping's replies may come back before or after its next request, as the machine's load has it:
 * each direction keeps its own verdicts whatever the interleaving (lab 09 compares two pings). */
static void test_directions_independent(void **state)
{
	int q1[8], r1[8], q2[8], r2[8];

	(void)state;
	run_interleaved("qrqrqrqrqrqrqrqr", q1, r1);
	run_interleaved("qqrqrrqqrqrrqqrr", q2, r2);
	assert_memory_equal(q1, q2, sizeof(q1));
	assert_memory_equal(r1, r2, sizeof(r1));
}

static void test_parse_pct(void **state)
{
	uint32_t v;

	(void)state;
	assert_int_equal(impair_parse_pct("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(impair_parse_pct("100", &v), 0);
	assert_int_equal(v, PPM);
	assert_int_equal(impair_parse_pct("2.5", &v), 0);
	assert_int_equal(v, 25000);
	assert_int_equal(impair_parse_pct("0.0001", &v), 0);
	assert_int_equal(v, 1);
	const char *bad[] = { "", "100.01", "101", "-1", "1e2", "5.", "1.2.3", "0.00001", "abc",
			      "99999999999999999999" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(impair_parse_pct(bad[i], &v), -1);
	assert_int_equal(impair_parse_pct(NULL, &v), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_v4_tcp),	cmocka_unit_test(test_parse_v6_ext),
		cmocka_unit_test(test_parse_every_prefix), cmocka_unit_test(test_parse_bad_headers),
		cmocka_unit_test(test_parse_random),	cmocka_unit_test(test_directions_independent),	cmocka_unit_test(test_ttl_inc),
		cmocka_unit_test(test_link_chatter),
		cmocka_unit_test(test_last_ack),	cmocka_unit_test(test_queue_order),
		cmocka_unit_test(test_decisions),	cmocka_unit_test(test_parse_pct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
