// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "nl.h"

/*
 * nd_nl_run() is fed hand-built message streams (what the kernel would send for a dump);
 * nd_nl_dump() is run once against the real kernel, on the link table of this namespace.
 */
#define SEQ 4242
#define PORT 777

struct stream {
	char buf[4096] __attribute__((aligned(8)));
	size_t len;
};

static struct nlmsghdr *add(struct stream *s, uint16_t type, uint16_t flags, uint32_t seq,
			    uint32_t port, const void *payload, size_t plen)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(s->buf + s->len);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = flags;
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_pid = port;
	if (plen)
		memcpy(mnl_nlmsg_put_extra_header(nlh, plen), payload, plen);
	s->len += nlh->nlmsg_len;
	return nlh;
}

static void add_data(struct stream *s, int ifindex, uint16_t flags)
{
	struct ifinfomsg ifi = { .ifi_index = ifindex };

	add(s, RTM_NEWLINK, NLM_F_MULTI | flags, SEQ, PORT, &ifi, sizeof(ifi));
}

static void add_done(struct stream *s, int err)
{
	add(s, NLMSG_DONE, NLM_F_MULTI, SEQ, PORT, &err, sizeof(err));
}

struct seen {
	int n;
	int idx[16];
	int stop_after; /* return STOP after this many; 0: never */
	int fail_after; /* return ERROR (errno EIO) after this many; 0: never */
};

static int cb(const struct nlmsghdr *nlh, void *data)
{
	struct seen *s = data;
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	s->idx[s->n++] = ifi->ifi_index;
	if (s->fail_after && s->n == s->fail_after) {
		errno = EIO;
		return MNL_CB_ERROR;
	}
	if (s->stop_after && s->n == s->stop_after)
		return MNL_CB_STOP;
	return MNL_CB_OK;
}

static void test_run_dump(void **state)
{
	struct stream s = { .len = 0 };
	struct nd_nl_state st = { 0 };
	struct seen seen = { 0 };

	(void)state;
	add_data(&s, 1, 0);
	add_data(&s, 2, 0);
	add(&s, NLMSG_NOOP, 0, SEQ, PORT, NULL, 0);
	add_data(&s, 3, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), 0);
	assert_int_equal(st.done, 0);
	assert_int_equal(seen.n, 3);
	assert_int_equal(seen.idx[2], 3);
	/* the next receive ends the dump */
	s.len = 0;
	add_data(&s, 4, 0);
	add_done(&s, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), 0);
	assert_int_equal(st.done, 1);
	assert_int_equal(st.intr, 0);
	assert_int_equal(seen.n, 4);
}

static void test_run_intr(void **state)
{
	struct stream s = { .len = 0 };
	struct nd_nl_state st = { 0 };
	struct seen seen = { 0 };

	(void)state;
	add_data(&s, 1, 0);
	add_data(&s, 2, NLM_F_DUMP_INTR);
	add_done(&s, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), 0);
	assert_int_equal(st.intr, 1);
	assert_int_equal(st.done, 1);
}

static void test_run_errors(void **state)
{
	struct stream s = { .len = 0 };
	struct nd_nl_state st = { 0 };
	struct seen seen = { 0 };
	struct nlmsgerr e = { .error = -EPERM };

	(void)state;
	add(&s, NLMSG_ERROR, 0, SEQ, PORT, &e, sizeof(e));
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), -EPERM);
	assert_int_equal(st.done, 1);

	/* an ack (error 0) ends a request quietly */
	memset(&st, 0, sizeof(st));
	s.len = 0;
	e.error = 0;
	add(&s, NLMSG_ERROR, 0, SEQ, PORT, &e, sizeof(e));
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), 0);
	assert_int_equal(st.done, 1);

	/* an error code in DONE's payload */
	memset(&st, 0, sizeof(st));
	s.len = 0;
	add_done(&s, -EOPNOTSUPP);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), -EOPNOTSUPP);

	/* a truncated error message */
	memset(&st, 0, sizeof(st));
	s.len = 0;
	add(&s, NLMSG_ERROR, 0, SEQ, PORT, NULL, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), -EBADMSG);

	/* overrun */
	memset(&st, 0, sizeof(st));
	s.len = 0;
	add(&s, NLMSG_OVERRUN, 0, SEQ, PORT, NULL, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), -ENOBUFS);
	assert_int_equal(seen.n, 0);
}

static void test_run_not_ours(void **state)
{
	struct stream s = { .len = 0 };
	struct nd_nl_state st = { 0 };
	struct seen seen = { 0 };

	(void)state;
	add(&s, RTM_NEWLINK, NLM_F_MULTI, SEQ + 1, PORT, NULL, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), -EPROTO);
	s.len = 0;
	add(&s, RTM_NEWLINK, NLM_F_MULTI, SEQ, PORT + 1, NULL, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), -EPROTO);
	assert_int_equal(seen.n, 0);
}

/* A callback that stops early: later messages are skipped but DONE is still seen. */
static void test_run_stop_drains(void **state)
{
	struct stream s = { .len = 0 };
	struct nd_nl_state st = { 0 };
	struct seen seen = { .stop_after = 2 };

	(void)state;
	for (int i = 1; i <= 5; i++)
		add_data(&s, i, 0);
	add_done(&s, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), 0);
	assert_int_equal(seen.n, 2);
	assert_int_equal(st.stopped, 1);
	assert_int_equal(st.done, 1);
}

static void test_run_cb_error(void **state)
{
	struct stream s = { .len = 0 };
	struct nd_nl_state st = { 0 };
	struct seen seen = { .fail_after = 1 };

	(void)state;
	add_data(&s, 1, 0);
	add_data(&s, 2, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), -EIO);
	assert_int_equal(seen.n, 1);
}

/* A message whose length runs past the buffer is not parsed. */
static void test_run_truncated(void **state)
{
	struct stream s = { .len = 0 };
	struct nd_nl_state st = { 0 };
	struct seen seen = { 0 };

	(void)state;
	add_data(&s, 1, 0);
	add_data(&s, 2, 0);
	assert_int_equal(nd_nl_run(s.buf, s.len - 4, SEQ, PORT, cb, &seen, &st), 0);
	assert_int_equal(seen.n, 1);
	/* a length past 2 GiB (negative as an int), which mnl_nlmsg_ok() would let through */
	((struct nlmsghdr *)s.buf)->nlmsg_len = 0xf9f9f90a;
	assert_int_equal(nd_nl_run(s.buf, s.len, SEQ, PORT, cb, &seen, &st), 0);
	assert_int_equal(seen.n, 1);
}

/* The real kernel: a link dump of this namespace holds at least lo (ifindex 1). */
static int count_links(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	int *n = data;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_ERROR;
	if (ifi->ifi_index == 1)
		n[1] = 1;
	n[0]++;
	return MNL_CB_OK;
}

static void reset_count(void *data)
{
	int *n = data;

	n[0] = n[1] = 0;
}

static void test_dump_kernel(void **state)
{
	struct nd_nl *nl;
	struct nlmsghdr *req;
	struct rtgenmsg *g;
	int n[2] = { 0, 0 }, again[2] = { 0, 0 };

	(void)state;
	assert_int_equal(nd_nl_open(&nl, NETLINK_ROUTE), 0);
	assert_true(nd_nl_fd(nl) >= 0);
	req = nd_nl_request(nl, RTM_GETLINK, NLM_F_DUMP);
	g = mnl_nlmsg_put_extra_header(req, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	assert_int_equal(nd_nl_dump(nl, req, count_links, reset_count, n), 0);
	assert_true(n[0] >= 1);
	assert_int_equal(n[1], 1);
	/* the socket is clean for a second request on it */
	req = nd_nl_request(nl, RTM_GETLINK, NLM_F_DUMP);
	g = mnl_nlmsg_put_extra_header(req, sizeof(*g));
	g->rtgen_family = AF_UNSPEC;
	assert_int_equal(nd_nl_dump(nl, req, count_links, NULL, again), 0);
	assert_int_equal(again[0], n[0]);
	nd_nl_close(nl);
	nd_nl_close(NULL);
}

/* The kernel's own error for a request it refuses comes back as a negative errno. */
static void test_dump_kernel_error(void **state)
{
	struct nd_nl *nl;
	struct nlmsghdr *req;
	int n[2] = { 0, 0 };

	(void)state;
	assert_int_equal(nd_nl_open(&nl, NETLINK_ROUTE), 0);
	req = nd_nl_request(nl, 0x7ff0, NLM_F_DUMP | NLM_F_ACK); /* no such message type */
	assert_true(nd_nl_dump(nl, req, count_links, NULL, n) < 0);
	nd_nl_close(nl);
}

static void test_strerror(void **state)
{
	(void)state;
	assert_non_null(strstr(nd_nl_strerror(-ENOBUFS), "overrun"));
	assert_non_null(strstr(nd_nl_strerror(-EPERM), "CAP_NET_ADMIN"));
	assert_string_equal(nd_nl_strerror(-ENOENT), strerror(ENOENT));
}

/*
 * nd_attr_parse(): one policy for malformed attributes, and what the table's rows do, on
 * hand-made attribute streams: the payload of a message that libmnl's mnl_attr_put() fills.
 */
struct attrs {
	union {
		struct nlmsghdr h;
		uint8_t raw[512];
	} m;
};

#define ATTRS_INIT { .m.h.nlmsg_len = NLMSG_HDRLEN }
#define BUF(b) ((uint8_t *)mnl_nlmsg_get_payload(&(b)->m.h))
#define LEN(b) ((size_t)(b)->m.h.nlmsg_len - NLMSG_HDRLEN)

static void reset(struct attrs *b)
{
	mnl_nlmsg_put_header(b->m.raw);
}

/* Append an attribute (padded to 4 bytes with zeros) and return it. */
static struct nlattr *put(struct attrs *b, uint16_t type, const void *v, uint16_t n)
{
	struct nlattr *a = mnl_nlmsg_get_payload_tail(&b->m.h);

	mnl_attr_put(&b->m.h, type, n, v ? v : "");
	return a;
}

struct parsed {
	uint8_t u8;
	uint32_t u32;
	uint8_t addr[16];
	uint32_t arr[4];
	unsigned int has;
	/* what the callback saw */
	int calls;
	unsigned int last_type;
	size_t last_len;
	char text[16];
};

enum { T_U8 = 1, T_U32, T_ADDR, T_ARR, T_TEXT, T_SKIPPED, T_FAIL };

static int text_cb(unsigned int type, const void *v, size_t n, void *data)
{
	struct parsed *p = data;

	p->calls++;
	p->last_type = type;
	p->last_len = n;
	if (type == T_FAIL)
		return -ENOSPC;
	if (type == T_TEXT && n < sizeof(p->text)) {
		memcpy(p->text, v, n);
		p->text[n] = '\0';
	}
	return 0;
}

static const struct nd_attr_field rows[] = {
	ND_ATTR_U8_ROW(T_U8, struct parsed, u8, 1 << 0),
	ND_ATTR_U32_ROW(T_U32, struct parsed, u32, 1 << 1),
	ND_ATTR_FIELD(T_ADDR, struct parsed, addr, 4, ND_ATTR_EXACT, 1 << 2),
	ND_ATTR_FIELD(T_ARR, struct parsed, arr, sizeof(uint32_t[4]), ND_ATTR_UPTO, 1 << 3),
	ND_ATTR_CODE_ROW(T_TEXT),
	ND_ATTR_CODE_ROW(T_FAIL),
};
static const struct nd_attr_policy policy = ND_ATTR_POLICY(rows, text_cb);

static int parse(const struct attrs *b, size_t len, struct parsed *p)
{
	memset(p, 0, sizeof(*p));
	return nd_attr_parse(BUF(b), len, &policy, p, &p->has, p);
}

/* Every kind of row, in one well-formed stream. */
static void test_attr_rows(void **state)
{
	struct attrs b = ATTRS_INIT;
	struct parsed p;
	uint32_t v32 = 0x01020304, arr[2] = { 7, 8 }, big[6] = { 1, 2, 3, 4, 5, 6 };
	uint8_t v8 = 9, a4[4] = { 10, 0, 0, 1 }, a16[16] = { 0 };

	(void)state;
	put(&b, T_U8, &v8, 1);
	put(&b, T_U32, &v32, 4);
	put(&b, T_ADDR, a4, 4);
	put(&b, T_ARR, arr, sizeof(arr));
	put(&b, T_TEXT | NLA_F_NESTED, "abc", 3); /* the flag bits are masked off */
	put(&b, T_SKIPPED, &v32, 4);                /* no row: skipped, no call */
	put(&b, 999, &v32, 4);                      /* past the table: skipped */
	assert_int_equal(parse(&b, LEN(&b), &p), 0);
	assert_int_equal(p.has, 0xf);
	assert_int_equal(p.u8, 9);
	assert_int_equal(p.u32, 0x01020304);
	assert_memory_equal(p.addr, a4, 4);
	assert_int_equal(p.arr[0], 7);
	assert_int_equal(p.arr[1], 8);
	assert_int_equal(p.arr[2], 0);
	assert_int_equal(p.calls, 1);
	assert_int_equal(p.last_type, T_TEXT);
	assert_string_equal(p.text, "abc");

	/* wrong sizes count as absent: a short u32, an address of the other family's length */
	reset(&b);
	put(&b, T_U32, &v8, 1);
	put(&b, T_ADDR, a16, 16);
	assert_int_equal(parse(&b, LEN(&b), &p), 0);
	assert_int_equal(p.has, 0);
	assert_int_equal(p.u32, 0);
	/* a longer u32 payload gives its first 4 bytes; UPTO keeps what fits */
	reset(&b);
	put(&b, T_U32, big, 8);
	put(&b, T_ARR, big, sizeof(big));
	assert_int_equal(parse(&b, LEN(&b), &p), 0);
	assert_int_equal(p.u32, 1);
	assert_int_equal(p.arr[3], 4);
	assert_int_equal(p.has, (1 << 1) | (1 << 3));
	/* a callback's error ends the walk: the attribute after it is not taken */
	reset(&b);
	put(&b, T_FAIL, NULL, 0);
	put(&b, T_U8, &v8, 1);
	assert_int_equal(parse(&b, LEN(&b), &p), -ENOSPC);
	assert_int_equal(p.has, 0);
	/* nothing at all is fine */
	assert_int_equal(parse(&b, 0, &p), 0);
}

/* The malformed cases: each one the same way for every parser built on nd_attr_parse(). */
static void test_attr_malformed(void **state)
{
	struct attrs b = ATTRS_INIT;
	struct parsed p;
	uint32_t v32 = 5;
	uint8_t v8 = 1;
	struct nlattr *last;

	(void)state;
	/* a truncated last attribute: its nla_len runs past the bytes given */
	put(&b, T_U8, &v8, 1);
	last = put(&b, T_U32, &v32, 4);
	assert_int_equal(parse(&b, LEN(&b) - 1, &p), -EBADMSG);
	last->nla_len = (uint16_t)(NLA_HDRLEN + 40);
	assert_int_equal(parse(&b, LEN(&b), &p), -EBADMSG);
	last->nla_len = NLA_HDRLEN + 4;
	assert_int_equal(parse(&b, LEN(&b), &p), 0);
	assert_int_equal(p.u32, 5);
	/* nla_len below the header itself: 0 (it would loop forever), 2 and 3 */
	for (uint16_t n = 0; n < NLA_HDRLEN; n++) {
		last->nla_len = n;
		assert_int_equal(parse(&b, LEN(&b), &p), -EBADMSG);
	}
	last->nla_len = NLA_HDRLEN + 4;
	/* four zero bytes after the last attribute are a header of nla_len 0, not padding */
	memset(BUF(&b) + LEN(&b), 0, 4);
	assert_int_equal(parse(&b, LEN(&b) + 4, &p), -EBADMSG);
}

/* Empty payloads and padding are not errors. */
static void test_attr_empty_and_padding(void **state)
{
	struct attrs b = ATTRS_INIT;
	struct parsed p;
	uint32_t v32 = 6;

	(void)state;
	/* zero-length attributes: a field row counts them absent, a callback gets n == 0 */
	put(&b, T_U8, NULL, 0);
	put(&b, T_U32, NULL, 0);
	put(&b, T_ARR, NULL, 0);
	put(&b, T_TEXT, NULL, 0);
	assert_int_equal(parse(&b, LEN(&b), &p), 0);
	assert_int_equal(p.has & 0x7, 0);
	assert_int_equal(p.has, 1 << 3); /* UPTO takes as many as came: none, but it came */
	assert_int_equal(p.calls, 1);
	assert_int_equal(p.last_len, 0);
	/* the last attribute's own padding, counted in the length or not */
	reset(&b);
	put(&b, T_U32, &v32, 4);
	put(&b, T_TEXT, "hello", 5); /* nla_len 9, padded to 12 */
	assert_int_equal(parse(&b, LEN(&b), &p), 0);
	assert_string_equal(p.text, "hello");
	assert_int_equal(parse(&b, LEN(&b) - 3, &p), 0);
	assert_string_equal(p.text, "hello");
	assert_int_equal(p.u32, 6);
	/* 1 to 3 bytes after the last attribute: padding, ignored */
	for (size_t extra = 1; extra < NLA_HDRLEN; extra++) {
		memset(BUF(&b) + LEN(&b), 0xff, extra);
		assert_int_equal(parse(&b, LEN(&b) + extra, &p), 0);
		assert_int_equal(p.calls, 1);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_dump),
		cmocka_unit_test(test_run_intr),
		cmocka_unit_test(test_run_errors),
		cmocka_unit_test(test_run_not_ours),
		cmocka_unit_test(test_run_stop_drains),
		cmocka_unit_test(test_run_cb_error),
		cmocka_unit_test(test_run_truncated),
		cmocka_unit_test(test_dump_kernel),
		cmocka_unit_test(test_dump_kernel_error),
		cmocka_unit_test(test_strerror),
		cmocka_unit_test(test_attr_rows),
		cmocka_unit_test(test_attr_malformed),
		cmocka_unit_test(test_attr_empty_and_padding),
	};

	return cmocka_run_group_tests_name("nl", tests, NULL, NULL);
}
