// SPDX-License-Identifier: MIT
/* lib/link: the RTM_NEWLINK / RTM_NEWADDR parsers, fed with the canned dumps of tests/data/unit/
 * (made by tests/data/capture/rtnl_capture.sh, whose set-up the expectations below follow) and with
 * hand-made broken messages. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "testdata.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "link.h"
#include "nl.h"

struct canned {
	uint8_t *buf;
	size_t len;
};

static void load(const char *name, struct canned *c)
{
	c->buf = nd_test_load_all(name, &c->len);
}

/* The message after @nlh in @c (or the first with NULL), NULL at the end; each must fit. */
static const struct nlmsghdr *next_msg(const struct canned *c, const struct nlmsghdr *nlh)
{
	size_t off = nlh ? (size_t)((const uint8_t *)nlh - c->buf) + NLMSG_ALIGN(nlh->nlmsg_len) : 0;

	if (off + sizeof(struct nlmsghdr) > c->len)
		return NULL;
	nlh = (const struct nlmsghdr *)(c->buf + off);
	assert_true(nlh->nlmsg_len >= sizeof(*nlh) && off + nlh->nlmsg_len <= c->len);
	return nlh;
}

static int find_link(const char *name, struct nd_link *out)
{
	struct canned c;
	int n = 0, found = 0;

	load("rtnl_link.bin", &c);
	for (const struct nlmsghdr *m = next_msg(&c, NULL); m; m = next_msg(&c, m)) {
		struct nd_link l;

		assert_int_equal(nd_link_parse(m, &l), 0);
		n++;
		if (!strcmp(l.name, name)) {
			*out = l;
			found = 1;
		}
	}
	free(c.buf);
	assert_int_equal(n, 6); /* lo va vb br0 tun0 vdown */
	return found;
}

static void test_link_lo(void **state)
{
	struct nd_link l;
	const char *names[24];
	unsigned int rest;
	size_t n;

	(void)state;
	assert_true(find_link("lo", &l));
	assert_int_equal(l.ifindex, 1);
	assert_int_equal(l.type, ARPHRD_LOOPBACK);
	assert_true(l.flags & IFF_UP);
	assert_true(l.flags & IFF_LOOPBACK);
	assert_true(l.has & ND_LINK_HAS_MTU);
	assert_int_equal(l.mtu, 65536);
	assert_string_equal(nd_operstate_name(l.operstate), "UNKNOWN");
	assert_int_equal(l.addr_len, 6);
	assert_string_equal(l.kind, "");
	assert_true(l.has & ND_LINK_HAS_STATS);
	n = nd_link_flag_names(l.flags, names, 24, &rest);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "LOOPBACK");
	assert_string_equal(names[1], "UP");
	assert_string_equal(names[2], "LOWER_UP");
	assert_int_equal(rest, 0);
}

static void test_link_veth_pair_and_bridge(void **state)
{
	struct nd_link va, vb, br;
	char buf[ND_LLADDR_MAX * 3];

	(void)state;
	assert_true(find_link("va", &va));
	assert_true(find_link("vb", &vb));
	assert_true(find_link("br0", &br));
	assert_string_equal(va.kind, "veth");
	assert_string_equal(nd_lladdr_fmt(va.addr, va.addr_len, va.type, buf, sizeof(buf)),
			    "02:00:00:00:00:0a");
	assert_string_equal(nd_lladdr_fmt(va.brd, va.brd_len, va.type, buf, sizeof(buf)),
			    "ff:ff:ff:ff:ff:ff");
	/* the peers name each other; same namespace, so no netnsid */
	assert_true(va.has & ND_LINK_HAS_LINK);
	assert_int_equal(va.link, vb.ifindex);
	assert_int_equal(vb.link, va.ifindex);
	assert_false(va.has & ND_LINK_HAS_NETNSID);
	/* the port knows its master and the kind of its master */
	assert_true(vb.has & ND_LINK_HAS_MASTER);
	assert_int_equal(vb.master, br.ifindex);
	assert_string_equal(vb.slave_kind, "bridge");
	assert_false(va.has & ND_LINK_HAS_MASTER);
	assert_string_equal(br.kind, "bridge");
	assert_string_equal(nd_lladdr_fmt(br.addr, br.addr_len, br.type, buf, sizeof(buf)),
			    "02:00:00:00:00:b0");
	assert_string_equal(nd_operstate_name(va.operstate), "UP");
	assert_int_equal(va.txqlen, 1000);
	assert_string_equal(va.qdisc, "noqueue");
	/* the veths carried the IPv6 link-local traffic of the other end at least */
	assert_int_equal(va.stats.rx_packets, vb.stats.tx_packets);
}

static void test_link_tun_no_carrier(void **state)
{
	struct nd_link t;
	const char *names[24];
	unsigned int rest;
	char buf[16];

	(void)state;
	assert_true(find_link("tun0", &t));
	assert_int_equal(t.type, ARPHRD_NONE);
	assert_string_equal(nd_link_type_name(t.type, buf, sizeof(buf)), "none");
	assert_int_equal(t.addr_len, 0);
	assert_int_equal(t.brd_len, 0);
	assert_string_equal(t.kind, "tun");
	assert_int_equal(t.mtu, 1400);
	assert_int_equal(t.txqlen, 500);
	assert_true(t.flags & IFF_UP);
	assert_false(t.flags & IFF_RUNNING);
	assert_int_equal(nd_link_flag_names(t.flags, names, 24, &rest), 5);
	assert_string_equal(names[0], "NO-CARRIER");
	assert_string_equal(names[1], "POINTOPOINT");
	assert_string_equal(names[4], "UP");
	assert_string_equal(nd_operstate_name(t.operstate), "DOWN");
}

static void test_link_down_peer_elsewhere(void **state)
{
	struct nd_link d;

	(void)state;
	assert_true(find_link("vdown", &d));
	assert_false(d.flags & IFF_UP);
	assert_true(d.has & ND_LINK_HAS_LINK);
	assert_true(d.has & ND_LINK_HAS_NETNSID);
	assert_true(d.link_netnsid >= 0);
	assert_string_equal(nd_operstate_name(d.operstate), "DOWN");
	assert_string_equal(d.qdisc, "noop");
}

static void fmt(const struct nd_ifaddr *a, const uint8_t *ip, char *buf, size_t len)
{
	inet_ntop(a->family, ip, buf, (socklen_t)len);
}

static void test_addrs(void **state)
{
	struct canned c;
	int n = 0, seen = 0;
	char s[64];

	(void)state;
	load("rtnl_addr.bin", &c);
	for (const struct nlmsghdr *m = next_msg(&c, NULL); m; m = next_msg(&c, m)) {
		struct nd_ifaddr a;
		const char *names[16];
		uint32_t rest;
		size_t k;

		assert_int_equal(nd_ifaddr_parse(m, &a), 0);
		n++;
		k = nd_ifa_flag_names(a.family, a.flags, names, 16, &rest);
		assert_int_equal(rest, 0);
		fmt(&a, a.has & ND_IFA_HAS_LOCAL ? a.local : a.address, s, sizeof(s));
		if (!strcmp(s, "10.1.0.1")) {
			seen |= 1;
			assert_int_equal(a.family, AF_INET);
			assert_int_equal(a.prefixlen, 24);
			assert_int_equal(a.scope, RT_SCOPE_UNIVERSE);
			assert_string_equal(a.label, "va");
			assert_false(a.has & ND_IFA_HAS_BROADCAST); /* added without brd */
			assert_int_equal(a.valid_lft, 0xffffffffu);
			assert_int_equal(k, 0); /* permanent, nothing else */
		} else if (!strcmp(s, "10.1.0.9")) {
			seen |= 2;
			assert_string_equal(a.label, "va:1");
			assert_int_equal(k, 1);
			assert_string_equal(names[0], "secondary");
		} else if (!strcmp(s, "fd00::1")) {
			seen |= 4;
			assert_int_equal(a.family, AF_INET6);
			assert_int_equal(a.prefixlen, 64);
			assert_false(a.has & ND_IFA_HAS_LABEL); /* IPv6 has no labels */
			assert_int_equal(k, 1);
			assert_string_equal(names[0], "nodad");
		} else if (!strcmp(s, "10.2.0.1")) {
			seen |= 8;
			assert_true(a.has & ND_IFA_HAS_BROADCAST);
			fmt(&a, a.broadcast, s, sizeof(s));
			assert_string_equal(s, "10.2.0.255");
		} else if (!strcmp(s, "10.3.0.1")) {
			seen |= 16;
			assert_int_equal(a.prefixlen, 32);
			fmt(&a, a.address, s, sizeof(s));
			assert_string_equal(s, "10.3.0.2"); /* the peer */
		} else if (!strcmp(s, "10.4.0.1")) {
			seen |= 32;
			assert_true(a.valid_lft <= 3600 && a.valid_lft > 3000);
			assert_true(a.preferred_lft <= 1800 && a.preferred_lft > 1200);
			assert_int_equal(k, 1);
			assert_string_equal(names[0], "dynamic");
		} else if (!strcmp(s, "fe80::ff:fe00:a")) {
			seen |= 64;
			assert_int_equal(a.scope, RT_SCOPE_LINK);
		}
	}
	free(c.buf);
	assert_int_equal(seen, 127);
	assert_int_equal(n, 11);
}

/* A hand-made RTM_NEWLINK: header, ifinfomsg, then the attributes given. */
struct msg {
	struct nlmsghdr h;
	struct ifinfomsg i;
	uint8_t attrs[512];
} __attribute__((aligned(4)));

static size_t put_attr(uint8_t *p, uint16_t type, const void *v, uint16_t len)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + len), .nla_type = type };

	memcpy(p, &a, sizeof(a));
	if (len)
		memcpy(p + NLA_HDRLEN, v, len);
	return NLA_ALIGN(NLA_HDRLEN + len);
}

static void make(struct msg *m, size_t attrlen)
{
	m->h.nlmsg_type = RTM_NEWLINK;
	m->h.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + sizeof(m->i) + attrlen);
}

static void test_link_broken(void **state)
{
	struct msg m = { 0 };
	struct nd_link l;
	uint32_t mtu = 1500;
	uint16_t short_mtu = 9;
	size_t at;

	(void)state;
	/* not a link message */
	make(&m, 0);
	m.h.nlmsg_type = RTM_NEWADDR;
	assert_int_equal(nd_link_parse(&m.h, &l), -ENOMSG);
	/* shorter than its family header */
	make(&m, 0);
	m.h.nlmsg_len = NLMSG_HDRLEN + 4;
	assert_int_equal(nd_link_parse(&m.h, &l), -EBADMSG);
	/* an attribute that claims more than the message holds */
	at = put_attr(m.attrs, IFLA_MTU, &mtu, 4);
	make(&m, at);
	((struct nlattr *)m.attrs)->nla_len = 200;
	assert_int_equal(nd_link_parse(&m.h, &l), -EBADMSG);
	/* an attribute shorter than its own header */
	((struct nlattr *)m.attrs)->nla_len = 2;
	assert_int_equal(nd_link_parse(&m.h, &l), -EBADMSG);
	/* a too-short MTU is ignored, a good one is taken */
	at = put_attr(m.attrs, IFLA_MTU, &short_mtu, 2);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_false(l.has & ND_LINK_HAS_MTU);
	at = put_attr(m.attrs, IFLA_MTU, &mtu, 4);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_true(l.has & ND_LINK_HAS_MTU);
	assert_int_equal(l.mtu, 1500);
	/* a name without its NUL, and one too long, stay inside the struct, terminated */
	at = put_attr(m.attrs, IFLA_IFNAME, "abc", 3);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_string_equal(l.name, "abc");
	at = put_attr(m.attrs, IFLA_IFNAME, "0123456789abcdefghij", 20);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_string_equal(l.name, "0123456789abcde");
	/* a bad nested IFLA_LINKINFO is an error */
	{
		uint8_t inner[8] = { 40, 0, IFLA_INFO_KIND, 0, 'v', 'e', 't', 'h' };

		at = put_attr(m.attrs, IFLA_LINKINFO, inner, sizeof(inner));
		make(&m, at);
		assert_int_equal(nd_link_parse(&m.h, &l), -EBADMSG);
	}
}

/* IFLA_PROP_LIST holds IFLA_ALT_IFNAMEs: kept in order, cut (and flagged) past the room. */
/* IFLA_IFALIAS points into the message, its text up to the first NUL; none leaves NULL. */
static void test_link_ifalias(void **state)
{
	struct msg m = { 0 };
	struct nd_link l;
	size_t at;

	(void)state;
	at = put_attr(m.attrs, IFLA_IFNAME, "d0", 3);
	at += put_attr(m.attrs + at, IFLA_IFALIAS, "uplink to rack 4", 17);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_non_null(l.ifalias);
	assert_int_equal(l.ifalias_len, 16);
	assert_memory_equal(l.ifalias, "uplink to rack 4", 16);
	assert_true(l.ifalias >= (const char *)&m && l.ifalias < (const char *)&m + sizeof(m));
	/* an empty alias (the kernel's after "alias ''") is none; a second parse forgets the first */
	at = put_attr(m.attrs, IFLA_IFNAME, "d0", 3);
	at += put_attr(m.attrs + at, IFLA_IFALIAS, "", 1);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_null(l.ifalias);
	assert_int_equal(l.ifalias_len, 0);
}

static void test_link_altnames(void **state)
{
	struct msg m = { 0 };
	struct nd_link l;
	uint8_t list[400];
	size_t n = 0, at;
	char name[40];

	(void)state;
	n += put_attr(list + n, IFLA_ALT_IFNAME, "longaltname0", 13);
	n += put_attr(list + n, IFLA_ALT_IFNAME, "alt2", 5);
	n += put_attr(list + n, IFLA_ALT_IFNAME, "", 1); /* empty: skipped */
	at = put_attr(m.attrs, IFLA_PROP_LIST, list, (uint16_t)n);
	at += put_attr(m.attrs + at, IFLA_IFNAME, "d0", 3);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_string_equal(l.name, "d0");
	assert_int_equal(l.n_altnames, 2);
	assert_string_equal(nd_link_altname(&l, 0), "longaltname0");
	assert_string_equal(nd_link_altname(&l, 1), "alt2");
	assert_false(l.has & ND_LINK_ALTNAMES_CUT);

	/* a second parse into the same struct forgets the first message's names */
	at = put_attr(m.attrs, IFLA_IFNAME, "d1", 3);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_int_equal(l.n_altnames, 0);

	/* eight names of 39 bytes: six fit in 256 bytes, the rest are cut */
	n = 0;
	for (int i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "%038d%c", 0, (char)('0' + i));
		n += put_attr(list + n, IFLA_ALT_IFNAME, name, 40);
	}
	at = put_attr(m.attrs, IFLA_PROP_LIST, list, (uint16_t)n);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_int_equal(l.n_altnames, 6);
	assert_int_equal(l.altnames_len, 240);
	assert_string_equal(nd_link_altname(&l, 5), "000000000000000000000000000000000000005");
	assert_true(l.has & ND_LINK_ALTNAMES_CUT);

	/* a nested attribute running past the list is an error */
	list[0] = 250;
	at = put_attr(m.attrs, IFLA_PROP_LIST, list, 8);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), -EBADMSG);
}

/*
 * The attribute policy of nd_attr_parse() on link and address messages, the same as on
 * sock_diag's (test_diag): a truncated last attribute and nla_len 0-3 are -EBADMSG, a
 * zero-length attribute counts as absent, padding after the last attribute is fine.
 */
static void test_link_attr_policy(void **state)
{
	struct msg m = { 0 };
	struct nd_link l;
	uint32_t mtu = 9000, txq = 500;
	uint8_t oper = 6;
	size_t at, last;

	(void)state;
	/* the name's padding (nla_len 7, padded to 8) counted in nlmsg_len or not */
	at = put_attr(m.attrs, IFLA_MTU, &mtu, 4);
	last = at;
	at += put_attr(m.attrs + at, IFLA_IFNAME, "ab\0", 3);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_string_equal(l.name, "ab");
	assert_int_equal(l.mtu, 9000);
	m.h.nlmsg_len -= 1;
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_string_equal(l.name, "ab");
	/* 1 to 3 bytes after the last attribute: padding */
	for (uint32_t extra = 1; extra < NLA_HDRLEN; extra++) {
		make(&m, at + extra);
		assert_int_equal(nd_link_parse(&m.h, &l), 0);
	}
	/* a truncated last attribute: the header is there, its payload is cut */
	make(&m, at - 4);
	assert_int_equal(nd_link_parse(&m.h, &l), -EBADMSG);
	/* nla_len below the header: 0, 1, 2, 3 */
	make(&m, at);
	for (uint16_t n = 0; n < NLA_HDRLEN; n++) {
		((struct nlattr *)(m.attrs + last))->nla_len = n;
		assert_int_equal(nd_link_parse(&m.h, &l), -EBADMSG);
	}
	/* zero-length attributes: fields absent, the name empty, then a good one is taken */
	at = put_attr(m.attrs, IFLA_MTU, NULL, 0);
	at += put_attr(m.attrs + at, IFLA_OPERSTATE, NULL, 0);
	at += put_attr(m.attrs + at, IFLA_IFNAME, NULL, 0);
	at += put_attr(m.attrs + at, IFLA_ADDRESS, NULL, 0);
	at += put_attr(m.attrs + at, IFLA_LINKINFO, NULL, 0);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_false(l.has & (ND_LINK_HAS_MTU | ND_LINK_HAS_OPERSTATE));
	assert_string_equal(l.name, "");
	assert_int_equal(l.addr_len, 0);
	assert_string_equal(l.kind, "");
	at += put_attr(m.attrs + at, IFLA_TXQLEN, &txq, 4);
	at += put_attr(m.attrs + at, IFLA_OPERSTATE, &oper, 1);
	make(&m, at);
	assert_int_equal(nd_link_parse(&m.h, &l), 0);
	assert_int_equal(l.has & (ND_LINK_HAS_TXQLEN | ND_LINK_HAS_OPERSTATE),
			 ND_LINK_HAS_TXQLEN | ND_LINK_HAS_OPERSTATE);
	assert_int_equal(l.txqlen, 500);
	assert_int_equal(l.operstate, 6);
}

/* An RTM_NEWADDR by hand, and the same policy on its attributes. */
struct amsg {
	struct nlmsghdr h;
	struct ifaddrmsg i;
	uint8_t attrs[256];
} __attribute__((aligned(4)));

static void amake(struct amsg *m, int family, size_t attrlen)
{
	m->h.nlmsg_type = RTM_NEWADDR;
	m->h.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + sizeof(m->i) + attrlen);
	m->i.ifa_family = (uint8_t)family;
	m->i.ifa_index = 3;
}

static void test_ifaddr_attr_policy(void **state)
{
	struct amsg m = { 0 };
	struct nd_ifaddr a;
	static const uint8_t v4[4] = { 192, 0, 2, 1 }, v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint32_t flags = 0x100;
	size_t at;

	(void)state;
	/* addresses of the family's length are taken, the other length counts as absent */
	at = put_attr(m.attrs, IFA_LOCAL, v4, 4);
	at += put_attr(m.attrs + at, IFA_ADDRESS, v6, 16);
	at += put_attr(m.attrs + at, IFA_FLAGS, &flags, 4);
	at += put_attr(m.attrs + at, IFA_LABEL, "eth0:1", 6); /* nla_len 10, padded to 12 */
	amake(&m, AF_INET, at);
	assert_int_equal(nd_ifaddr_parse(&m.h, &a), 0);
	assert_int_equal(a.has, ND_IFA_HAS_LOCAL | ND_IFA_HAS_LABEL);
	assert_memory_equal(a.local, v4, 4);
	assert_int_equal(a.flags, 0x100);
	assert_string_equal(a.label, "eth0:1");
	amake(&m, AF_INET6, at);
	assert_int_equal(nd_ifaddr_parse(&m.h, &a), 0);
	assert_int_equal(a.has, ND_IFA_HAS_ADDRESS | ND_IFA_HAS_LABEL);
	assert_memory_equal(a.address, v6, 16);
	/* another family: flags only, the addresses left empty */
	amake(&m, AF_PACKET, at);
	assert_int_equal(nd_ifaddr_parse(&m.h, &a), 0);
	assert_int_equal(a.has, ND_IFA_HAS_LABEL);
	assert_int_equal(a.flags, 0x100);
	/* the label's padding not counted, and 1-3 bytes after it: fine */
	amake(&m, AF_INET, at - 2);
	assert_int_equal(nd_ifaddr_parse(&m.h, &a), 0);
	assert_string_equal(a.label, "eth0:1");
	amake(&m, AF_INET, at + 3);
	assert_int_equal(nd_ifaddr_parse(&m.h, &a), 0);
	/* truncated last attribute, and nla_len 0-3 */
	amake(&m, AF_INET, at - 8);
	assert_int_equal(nd_ifaddr_parse(&m.h, &a), -EBADMSG);
	amake(&m, AF_INET, at);
	for (uint16_t n = 0; n < NLA_HDRLEN; n++) {
		((struct nlattr *)m.attrs)->nla_len = n;
		assert_int_equal(nd_ifaddr_parse(&m.h, &a), -EBADMSG);
	}
	/* zero-length: absent */
	at = put_attr(m.attrs, IFA_LOCAL, NULL, 0);
	at += put_attr(m.attrs + at, IFA_FLAGS, NULL, 0);
	at += put_attr(m.attrs + at, IFA_CACHEINFO, NULL, 0);
	amake(&m, AF_INET, at);
	m.i.ifa_flags = 0x80;
	assert_int_equal(nd_ifaddr_parse(&m.h, &a), 0);
	assert_int_equal(a.has, 0);
	assert_int_equal(a.flags, 0x80);
}

static void test_group_lookup(void **state)
{
	static const char file[] = "# device group names\n"
				   "0\tdefault\n"
				   "7 seven # a comment\n"
				   "0x10\tsixteen\n"
				   "  12   twelve\r\n"
				   "bad line\n"
				   "13\n"
				   "7 seven-again\n"
				   "99999999999 huge\n"
				   "42 last";
	char buf[32];

	(void)state;
	assert_int_equal(nd_link_group_lookup(file, strlen(file), 0, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "default");
	/* a later line wins */
	assert_int_equal(nd_link_group_lookup(file, strlen(file), 7, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "seven-again");
	assert_int_equal(nd_link_group_lookup(file, strlen(file), 16, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "sixteen");
	assert_int_equal(nd_link_group_lookup(file, strlen(file), 12, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "twelve");
	/* no name, a number past 32 bits, not listed */
	assert_int_equal(nd_link_group_lookup(file, strlen(file), 13, buf, sizeof(buf)), -ENOENT);
	assert_int_equal(nd_link_group_lookup(file, strlen(file), 1215752191, buf, sizeof(buf)),
			 -ENOENT);
	assert_int_equal(nd_link_group_lookup(file, strlen(file), 5, buf, sizeof(buf)), -ENOENT);
	/* the last line needs no newline; the length bounds the text */
	assert_int_equal(nd_link_group_lookup(file, strlen(file), 42, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "last");
	assert_int_equal(nd_link_group_lookup(file, strlen(file) - 1, 42, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "las");
	/* a small buffer gets a cut, terminated name */
	assert_int_equal(nd_link_group_lookup(file, strlen(file), 16, buf, 4), 0);
	assert_string_equal(buf, "six");
}

static void test_names(void **state)
{
	char buf[64];
	const char *names[4];
	unsigned int rest;
	uint32_t r32;
	const uint8_t ip4[4] = { 192, 0, 2, 1 };

	(void)state;
	assert_string_equal(nd_link_type_name(ARPHRD_ETHER, buf, sizeof(buf)), "ether");
	assert_string_equal(nd_link_type_name(ARPHRD_LOOPBACK, buf, sizeof(buf)), "loopback");
	assert_string_equal(nd_link_type_name(4242, buf, sizeof(buf)), "[4242]");
	assert_null(nd_operstate_name(7));
	/* a tunnel's "hardware address" is an IP address */
	assert_string_equal(nd_lladdr_fmt(ip4, 4, ARPHRD_TUNNEL, buf, sizeof(buf)), "192.0.2.1");
	assert_string_equal(nd_lladdr_fmt(ip4, 4, ARPHRD_ETHER, buf, sizeof(buf)), "c0:00:02:01");
	/* a small buffer truncates at a byte boundary */
	assert_string_equal(nd_lladdr_fmt(ip4, 4, ARPHRD_ETHER, buf, 6), "c0:00");
	/* unnamed bits come back; the names stop at max */
	assert_int_equal(nd_link_flag_names(IFF_UP | IFF_RUNNING | 0x80000000u, names, 4, &rest),
			 1);
	assert_string_equal(names[0], "UP");
	assert_int_equal(rest, 0x80000000u);
	assert_int_equal(nd_link_flag_names(IFF_UP | IFF_LOOPBACK | IFF_BROADCAST, names, 2, &rest),
			 2);
	/* IPv6 calls a secondary address temporary; an IPv4 one without permanent is dynamic */
	assert_int_equal(nd_ifa_flag_names(AF_INET6, IFA_F_SECONDARY | IFA_F_PERMANENT, names, 4,
					   &r32),
			 1);
	assert_string_equal(names[0], "temporary");
	assert_int_equal(nd_ifa_flag_names(AF_INET, IFA_F_SECONDARY, names, 4, &r32), 2);
	assert_string_equal(names[0], "secondary");
	assert_string_equal(names[1], "dynamic");
	assert_int_equal(nd_ifa_flag_names(AF_INET, IFA_F_PERMANENT | 0x40000000u, names, 4, &r32),
			 0);
	assert_int_equal(r32, 0x40000000u);
}

static void test_link_dump_req(void **state)
{
	uint8_t buf[256] __attribute__((aligned(4)));
	struct nlmsghdr *req = mnl_nlmsg_put_header(buf);
	const struct ifinfomsg *ifi;
	const struct nlattr *a;
	int n = 0;

	(void)state;
	req->nlmsg_type = RTM_GETLINK;
	nd_link_dump_req(req, AF_INET6);
	assert_int_equal(req->nlmsg_len, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(*ifi)) + 8);
	ifi = mnl_nlmsg_get_payload(req);
	assert_int_equal(ifi->ifi_family, AF_INET6);
	assert_int_equal(ifi->ifi_index, 0);
	mnl_attr_for_each(a, req, sizeof(*ifi)) {
		assert_int_equal(mnl_attr_get_type(a), IFLA_EXT_MASK);
		assert_int_equal(mnl_attr_get_u32(a), RTEXT_FILTER_SKIP_STATS);
		n++;
	}
	assert_int_equal(n, 1);

	req = mnl_nlmsg_put_header(buf);
	req->nlmsg_type = RTM_GETADDR;
	nd_ifaddr_dump_req(req, AF_INET);
	assert_int_equal(req->nlmsg_len, NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifaddrmsg)));
	assert_int_equal(((const struct ifaddrmsg *)mnl_nlmsg_get_payload(req))->ifa_family, AF_INET);
	assert_int_equal(((const struct ifaddrmsg *)mnl_nlmsg_get_payload(req))->ifa_index, 0);
}

/* per message of a live dump: [0] links, [1] with IFLA_STATS64, [2] with IPv6 MIB counters */
static int count_stats(const struct nlmsghdr *nlh, void *data)
{
	unsigned int *n = data;
	const struct nlattr *a, *fam, *x;

	n[0]++;
	mnl_attr_for_each(a, nlh, sizeof(struct ifinfomsg)) {
		if (mnl_attr_get_type(a) == IFLA_STATS64 &&
		    mnl_attr_get_payload_len(a) >= sizeof(struct rtnl_link_stats64))
			n[1]++;
		if (mnl_attr_get_type(a) != IFLA_AF_SPEC)
			continue;
		mnl_attr_for_each_nested(fam, a)
			if (mnl_attr_get_type(fam) == AF_INET6)
				mnl_attr_for_each_nested(x, fam)
					if (mnl_attr_get_type(x) == IFLA_INET6_STATS ||
					    mnl_attr_get_type(x) == IFLA_INET6_ICMP6STATS)
						n[2]++;
	}
	return MNL_CB_OK;
}

/* The real kernel: the request keeps every link's counters and drops the IPv6 MIBs. */
static void test_link_dump_req_kernel(void **state)
{
	unsigned int with[3] = { 0 }, without[3] = { 0 };
	struct nd_nl *nl;
	struct nlmsghdr *req;

	(void)state;
	assert_int_equal(nd_nl_open(&nl, NETLINK_ROUTE), 0);
	req = nd_nl_request(nl, RTM_GETLINK, NLM_F_DUMP);
	nd_link_dump_req(req, AF_UNSPEC);
	assert_int_equal(nd_nl_dump(nl, req, count_stats, NULL, with), 0);
	req = nd_nl_request(nl, RTM_GETLINK, NLM_F_DUMP);
	((struct ifinfomsg *)mnl_nlmsg_put_extra_header(req, sizeof(struct ifinfomsg)))
		->ifi_family = AF_UNSPEC;
	assert_int_equal(nd_nl_dump(nl, req, count_stats, NULL, without), 0);
	nd_nl_close(nl);

	assert_true(with[0] >= 1); /* lo at least */
	assert_int_equal(with[1], with[0]);
	assert_int_equal(with[2], 0);
	assert_int_equal(without[1], without[0]);
	/* without the filter the kernel sends them (when IPv6 is on: lo has it then) */
	if (access("/proc/net/if_inet6", F_OK) == 0)
		assert_true(without[2] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_dump_req),
		cmocka_unit_test(test_link_dump_req_kernel),
		cmocka_unit_test(test_link_lo),
		cmocka_unit_test(test_link_veth_pair_and_bridge),
		cmocka_unit_test(test_link_tun_no_carrier),
		cmocka_unit_test(test_link_down_peer_elsewhere),
		cmocka_unit_test(test_addrs),
		cmocka_unit_test(test_link_broken),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_link_altnames),
		cmocka_unit_test(test_link_ifalias),
		cmocka_unit_test(test_link_attr_policy),
		cmocka_unit_test(test_ifaddr_attr_policy),
		cmocka_unit_test(test_group_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
