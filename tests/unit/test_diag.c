// SPDX-License-Identifier: MIT
/* lib/diag: the inet_diag / unix_diag parsers, fed with the canned dumps of
 * tests/data/unit/diag_*.bin (made by tests/data/capture/diag_capture.sh, whose comment lists
 * what ss showed for them). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

#include "diag.h"
#include "testdata.h"


/* Parse every data message of @buf; returns how many. */
static int parse_all(char *buf, size_t len, int protocol, struct nd_sock *out, int max)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	int left = (int)len, n = 0;

	while (mnl_nlmsg_ok(nlh, left)) {
		if (nlh->nlmsg_type == NLMSG_DONE)
			break;
		assert_true(n < max);
		if (protocol == AF_UNIX)
			assert_int_equal(nd_diag_parse_unix(nlh, &out[n]), 0);
		else
			assert_int_equal(nd_diag_parse_inet(nlh, protocol, &out[n]), 0);
		n++;
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return n;
}

static const struct nd_sock *by_inode(const struct nd_sock *s, int n, uint32_t ino)
{
	for (int i = 0; i < n; i++)
		if (s[i].inode == ino)
			return &s[i];
	return NULL;
}

static struct nd_sock socks[16];

static void test_tcp4(void **state)
{
	static char buf[32768];
	size_t len = nd_test_load("diag_tcp4_info.bin", buf, sizeof(buf));
	static const uint8_t lo[4] = { 127, 0, 0, 1 }, any[4] = { 0 };
	const struct nd_sock *s;
	int n, tw = 0;

	(void)state;
	n = parse_all(buf, len, IPPROTO_TCP, socks, 16);
	assert_int_equal(n, 8);

	s = by_inode(socks, n, 625264);
	assert_non_null(s);
	assert_int_equal(s->family, AF_INET);
	assert_int_equal(s->netid, ND_TCP);
	assert_int_equal(s->state, ND_SS_LISTEN);
	assert_int_equal(s->recv_q, 0);
	assert_int_equal(s->send_q, 16);
	assert_int_equal(s->lport, 7001);
	assert_int_equal(s->pport, 0);
	assert_memory_equal(s->laddr, lo, 4);
	assert_memory_equal(s->paddr, any, 4);

	s = by_inode(socks, n, 625285);
	assert_non_null(s);
	assert_int_equal(s->state, ND_SS_ESTABLISHED);
	assert_int_equal(s->recv_q, 5);
	assert_int_equal(s->lport, 7001);
	assert_int_equal(s->pport, 35032);
	assert_true(s->has_info);
	assert_true(s->info_len >= offsetof(struct tcp_info, tcpi_bytes_received) + 8);
	assert_int_equal(s->info.tcpi_bytes_received, 5);
	assert_int_equal(s->info.tcpi_state, ND_SS_ESTABLISHED);
	assert_true(s->has_skmem);
	assert_true(s->skmem[1] > 0); /* rcvbuf */
	assert_non_null(s->cong);
	assert_true(strlen(s->cong) > 0);

	s = by_inode(socks, n, 625271);
	assert_non_null(s);
	assert_int_equal(s->state, ND_SS_CLOSE_WAIT);
	assert_int_equal(s->recv_q, 1);
	s = by_inode(socks, n, 625270);
	assert_non_null(s);
	assert_int_equal(s->state, ND_SS_FIN_WAIT2);
	assert_int_equal(s->lport, 35014);

	for (int i = 0; i < n; i++) {
		if (socks[i].state != ND_SS_TIME_WAIT)
			continue;
		tw++;
		assert_int_equal(socks[i].inode, 0);
		assert_int_equal(socks[i].lport, 35026);
		assert_int_equal(socks[i].timer, 3);
		assert_true(socks[i].expires_ms > 0 && socks[i].expires_ms <= 60000);
		assert_false(socks[i].has_info); /* a time-wait socket has no tcp_info */
	}
	assert_int_equal(tw, 1);
}

static void test_tcp6(void **state)
{
	static char buf[32768];
	size_t len = nd_test_load("diag_tcp6.bin", buf, sizeof(buf));
	static const uint8_t lo6[16] = { [15] = 1 };
	int n, listen = 0;

	(void)state;
	n = parse_all(buf, len, IPPROTO_TCP, socks, 16);
	assert_true(n >= 5);
	for (int i = 0; i < n; i++) {
		assert_int_equal(socks[i].family, AF_INET6);
		assert_memory_equal(socks[i].laddr, lo6, 16);
		assert_false(socks[i].has_info); /* not asked for */
		if (socks[i].state == ND_SS_LISTEN) {
			listen++;
			assert_int_equal(socks[i].lport, 7002);
		}
	}
	assert_int_equal(listen, 1);
}

static void test_udp4(void **state)
{
	static char buf[32768];
	size_t len = nd_test_load("diag_udp4.bin", buf, sizeof(buf));
	int n, unconn = 0, estab = 0;

	(void)state;
	n = parse_all(buf, len, IPPROTO_UDP, socks, 16);
	assert_int_equal(n, 2);
	for (int i = 0; i < n; i++) {
		assert_int_equal(socks[i].netid, ND_UDP);
		if (socks[i].state == ND_SS_CLOSE) {
			unconn++;
			assert_int_equal(socks[i].lport, 7003);
		} else if (socks[i].state == ND_SS_ESTABLISHED) {
			estab++;
			assert_int_equal(socks[i].pport, 7003);
		}
	}
	assert_int_equal(unconn, 1);
	assert_int_equal(estab, 1);
}

static void test_unix(void **state)
{
	static char buf[32768];
	size_t len = nd_test_load("diag_unix.bin", buf, sizeof(buf));
	const struct nd_sock *s;
	int n;

	(void)state;
	n = parse_all(buf, len, AF_UNIX, socks, 16);
	assert_int_equal(n, 5);

	s = by_inode(socks, n, 625291);
	assert_non_null(s);
	assert_int_equal(s->netid, ND_U_STR);
	assert_int_equal(s->state, ND_SS_LISTEN);
	assert_int_equal(s->send_q, 8); /* the backlog, as ss shows it */
	assert_int_equal(s->path_len, strlen("/tmp/ndcap/stream.sock"));
	assert_memory_equal(s->path, "/tmp/ndcap/stream.sock", s->path_len);
	assert_int_equal(s->peer_inode, 0);

	s = by_inode(socks, n, 625292);
	assert_non_null(s);
	assert_int_equal(s->state, ND_SS_ESTABLISHED);
	assert_int_equal(s->peer_inode, 625293);
	assert_null(s->path);

	s = by_inode(socks, n, 625294);
	assert_non_null(s);
	assert_int_equal(s->netid, ND_U_DGR);
	assert_int_equal(s->state, ND_SS_CLOSE);
	assert_int_equal(s->path[0], '\0'); /* abstract */
	assert_int_equal(s->path_len, 1 + strlen("sockmaker-29065"));
	assert_memory_equal(s->path + 1, "sockmaker-29065", s->path_len - 1);

	s = by_inode(socks, n, 625295);
	assert_non_null(s);
	assert_int_equal(s->netid, ND_U_SEQ);
}

/* Malformed messages: short, wrong family, an attribute running past the end. */
static void test_malformed(void **state)
{
	static char buf[32768];
	size_t len = nd_test_load("diag_tcp4_info.bin", buf, sizeof(buf));
	struct nlmsghdr *nlh = (struct nlmsghdr *)buf;
	struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct nd_sock s;
	uint32_t saved = nlh->nlmsg_len;

	(void)state;
	assert_true(len > sizeof(*nlh) + sizeof(*m));
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(*m) - 1;
	assert_int_equal(nd_diag_parse_inet(nlh, IPPROTO_TCP, &s), -EBADMSG);
	nlh->nlmsg_len = saved;
	assert_int_equal(nd_diag_parse_unix(nlh, &s), -EBADMSG); /* an inet message */
	m->idiag_family = AF_UNIX;
	assert_int_equal(nd_diag_parse_inet(nlh, IPPROTO_TCP, &s), -EBADMSG);
	m->idiag_family = AF_INET;
	assert_int_equal(nd_diag_parse_inet(nlh, IPPROTO_TCP, &s), 0);
	/* the first attribute claims more bytes than the message holds */
	{
		struct nlattr *a = (struct nlattr *)((char *)m + NLMSG_ALIGN(sizeof(*m)));

		assert_true((char *)a + sizeof(*a) <= buf + saved);
		a->nla_len = (uint16_t)(saved + 64);
		/* an attribute that does not fit is refused (nd_attr_parse), nothing read past */
		assert_int_equal(nd_diag_parse_inet(nlh, IPPROTO_TCP, &s), -EBADMSG);
	}
}

/*
 * The attribute policy of nd_attr_parse() on sock_diag messages made by hand: a family header,
 * then attributes; @len is what nlmsg_len says (it may cut the last attribute).
 */
struct dmsg {
	union {
		struct nlmsghdr h;
		uint8_t raw[512];
	} __attribute__((aligned(4)));
	size_t len; /* what the attributes take, whatever nlmsg_len says */
};

static void dmsg_start(struct dmsg *d, const void *fam, size_t famlen)
{
	memset(d, 0, sizeof(*d));
	mnl_nlmsg_put_header(d->raw)->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	memcpy(mnl_nlmsg_put_extra_header(&d->h, famlen), fam, famlen);
	d->len = d->h.nlmsg_len;
}

/* Append an attribute with libmnl (padded to 4 bytes with zeros) and return it. */
static struct nlattr *dmsg_put(struct dmsg *d, uint16_t type, const void *v, uint16_t n)
{
	struct nlattr *a;

	d->h.nlmsg_len = (uint32_t)d->len;
	a = mnl_nlmsg_get_payload_tail(&d->h);
	mnl_attr_put(&d->h, type, n, v ? v : "");
	d->len = d->h.nlmsg_len;
	return a;
}

static void inet_start(struct dmsg *d)
{
	struct inet_diag_msg m = { .idiag_family = AF_INET, .idiag_state = ND_SS_ESTABLISHED };

	m.idiag_inode = 4711;
	dmsg_start(d, &m, sizeof(m));
}

static void test_inet_attr_policy(void **state)
{
	struct dmsg d;
	struct nd_sock s;
	uint8_t shut = 3, proto = IPPROTO_UDP;
	uint32_t mem[2] = { 11, 22 };
	struct nlattr *last;

	(void)state;
	/* well formed, the cong name's padding counted in nlmsg_len or not */
	inet_start(&d);
	dmsg_put(&d, INET_DIAG_SHUTDOWN, &shut, 1);
	dmsg_put(&d, INET_DIAG_SKMEMINFO, mem, sizeof(mem));
	dmsg_put(&d, INET_DIAG_CONG, "cubic", 6); /* nla_len 10, padded to 12 */
	assert_int_equal(nd_diag_parse_inet(&d.h, IPPROTO_TCP, &s), 0);
	assert_int_equal(s.inode, 4711);
	assert_int_equal(s.shutdown, 3);
	assert_true(s.has_skmem);
	assert_int_equal(s.skmem[1], 22);
	assert_string_equal(s.cong, "cubic");
	d.h.nlmsg_len -= 2;
	assert_int_equal(nd_diag_parse_inet(&d.h, IPPROTO_TCP, &s), 0);
	assert_string_equal(s.cong, "cubic");
	/* 1 to 3 bytes after the last attribute: padding */
	d.h.nlmsg_len = (uint32_t)d.len + 3;
	assert_int_equal(nd_diag_parse_inet(&d.h, IPPROTO_TCP, &s), 0);

	/* a truncated last attribute: refused (libmnl's loop used to drop it silently) */
	inet_start(&d);
	dmsg_put(&d, INET_DIAG_SHUTDOWN, &shut, 1);
	last = dmsg_put(&d, INET_DIAG_PROTOCOL, &proto, 1);
	d.h.nlmsg_len = (uint32_t)d.len - 4; /* the header is there, its byte is not */
	assert_int_equal(nd_diag_parse_inet(&d.h, IPPROTO_TCP, &s), -EBADMSG);
	d.h.nlmsg_len = (uint32_t)d.len;
	assert_int_equal(nd_diag_parse_inet(&d.h, IPPROTO_TCP, &s), 0);
	assert_int_equal(s.protocol, IPPROTO_UDP);
	/* nla_len below the attribute header: 0, 1, 2, 3 */
	for (uint16_t n = 0; n < NLA_HDRLEN; n++) {
		last->nla_len = n;
		assert_int_equal(nd_diag_parse_inet(&d.h, IPPROTO_TCP, &s), -EBADMSG);
	}

	/* zero-length attributes: the fields stay as the header left them, no cong */
	inet_start(&d);
	dmsg_put(&d, INET_DIAG_SHUTDOWN, NULL, 0);
	dmsg_put(&d, INET_DIAG_PROTOCOL, NULL, 0);
	dmsg_put(&d, INET_DIAG_CONG, NULL, 0);
	dmsg_put(&d, INET_DIAG_BBRINFO, NULL, 0);
	assert_int_equal(nd_diag_parse_inet(&d.h, IPPROTO_TCP, &s), 0);
	assert_int_equal(s.shutdown, 0);
	assert_int_equal(s.protocol, IPPROTO_TCP);
	assert_null(s.cong);
	assert_false(s.has_bbr);
	assert_false(s.has_info);
}

static void test_unix_attr_policy(void **state)
{
	struct unix_diag_msg m = { .udiag_family = AF_UNIX, .udiag_type = SOCK_STREAM };
	struct dmsg d;
	struct nd_sock s;
	uint32_t peer = 99, uid = 1000;
	struct nlattr *last;

	(void)state;
	m.udiag_ino = 77;
	/* a path of 5 bytes (nla_len 9, padded to 12), counted with its padding or not */
	dmsg_start(&d, &m, sizeof(m));
	dmsg_put(&d, UNIX_DIAG_PEER, &peer, 4);
	last = dmsg_put(&d, UNIX_DIAG_NAME, "/a/b\0", 5);
	assert_int_equal(nd_diag_parse_unix(&d.h, &s), 0);
	assert_int_equal(s.peer_inode, 99);
	assert_int_equal(s.path_len, 4);
	d.h.nlmsg_len -= 3;
	assert_int_equal(nd_diag_parse_unix(&d.h, &s), 0);
	assert_int_equal(s.path_len, 4);
	/* truncated: the name claims more than the message holds */
	d.h.nlmsg_len = (uint32_t)d.len;
	last->nla_len = 40;
	assert_int_equal(nd_diag_parse_unix(&d.h, &s), -EBADMSG);
	for (uint16_t n = 0; n < NLA_HDRLEN; n++) {
		last->nla_len = n;
		assert_int_equal(nd_diag_parse_unix(&d.h, &s), -EBADMSG);
	}
	/* zero-length: no uid, no name, no peer */
	dmsg_start(&d, &m, sizeof(m));
	dmsg_put(&d, UNIX_DIAG_UID, NULL, 0);
	dmsg_put(&d, UNIX_DIAG_NAME, NULL, 0);
	dmsg_put(&d, UNIX_DIAG_PEER, NULL, 0);
	assert_int_equal(nd_diag_parse_unix(&d.h, &s), 0);
	assert_false(s.has_uid);
	assert_null(s.path);
	assert_int_equal(s.peer_inode, 0);
	dmsg_put(&d, UNIX_DIAG_UID, &uid, 4);
	assert_int_equal(nd_diag_parse_unix(&d.h, &s), 0);
	assert_true(s.has_uid);
	assert_int_equal(s.uid, 1000);
}

static void test_names(void **state)
{
	(void)state;
	assert_string_equal(nd_sock_state_name(ND_SS_ESTABLISHED), "ESTAB");
	assert_string_equal(nd_sock_state_name(ND_SS_CLOSE), "UNCONN");
	assert_string_equal(nd_sock_state_name(ND_SS_NEW_SYN_RECV), "SYN-RECV");
	assert_string_equal(nd_sock_state_name(99), "UNKNOWN");
	assert_string_equal(nd_sock_state_netstat(ND_SS_TIME_WAIT), "TIME_WAIT");
	assert_string_equal(nd_sock_state_netstat(ND_SS_FIN_WAIT2), "FIN_WAIT2");
	assert_string_equal(nd_netid_name(ND_U_SEQ), "u_seq");
	assert_string_equal(nd_timer_name(2), "keepalive");
	assert_string_equal(nd_timer_name(9), "unknown");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp4),   cmocka_unit_test(test_tcp6),
		cmocka_unit_test(test_udp4),   cmocka_unit_test(test_unix),
		cmocka_unit_test(test_malformed), cmocka_unit_test(test_names),
		cmocka_unit_test(test_inet_attr_policy), cmocka_unit_test(test_unix_attr_policy),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
