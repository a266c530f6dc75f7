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
	};

	return cmocka_run_group_tests_name("nl", tests, NULL, NULL);
}
