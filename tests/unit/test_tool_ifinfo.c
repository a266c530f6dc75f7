// SPDX-License-Identifier: MIT
/* ifinfo's join of links and addresses, its text and JSON, and --watch's rates, fed with the
 * canned dumps of tests/data/unit/ (see tests/data/capture/rtnl_capture.sh for what they hold). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>
#include "capture.h"
#include "testdata.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "array.h"
#include "ifinfo/ifdb.h"
#include "out.h"
#include "ifinfo/show.h"
#include "units.h"
#include "ifinfo/watch.h"

struct canned {
	uint8_t *buf;
	size_t len;
};

static void load(const char *name, struct canned *c)
{
	c->buf = nd_test_load_all(name, &c->len);
}

/* Feed every message of a canned dump to @cb, as nd_nl_dump() would. */
static void feed(const char *name, mnl_cb_t cb, struct ifdb *db)
{
	struct canned c;
	size_t off = 0;

	load(name, &c);
	while (off + sizeof(struct nlmsghdr) <= c.len) {
		const struct nlmsghdr *nlh = (const struct nlmsghdr *)(c.buf + off);

		assert_true(nlh->nlmsg_len >= sizeof(*nlh) && off + nlh->nlmsg_len <= c.len);
		assert_int_equal(cb(nlh, db), MNL_CB_OK);
		off += NLMSG_ALIGN(nlh->nlmsg_len);
	}
	free(c.buf);
}

static int setup_db(void **state)
{
	struct ifdb *db = calloc(1, sizeof(*db));

	if (!db)
		return -1;
	ifdb_init(db);
	*state = db;
	return 0;
}

static int teardown_db(void **state)
{
	ifdb_free(*state);
	free(*state);
	return 0;
}

static void load_both(struct ifdb *db)
{
	feed("rtnl_link.bin", ifdb_link_cb, db);
	feed("rtnl_addr.bin", ifdb_addr_cb, db);
}

/* The addresses of @name as "a b c" (local addresses in the order they are kept). */
static void addr_list(const struct ifdb *db, const char *name, char *out, size_t len)
{
	int pos = ifdb_find_name(db, name);
	size_t at = 0;

	assert_true(pos >= 0);
	out[0] = '\0';
	for (int i = db->addr_head[pos]; i >= 0; i = db->addr_next[i]) {
		const struct nd_ifaddr *a = &db->addrs[i];
		char s[64];

		assert_int_equal(a->ifindex, db->links[pos].ifindex);
		inet_ntop(a->family, a->has & ND_IFA_HAS_LOCAL ? a->local : a->address, s, sizeof(s));
		at += (size_t)snprintf(out + at, len - at, "%s%s", at ? " " : "", s);
	}
}

static void test_join(void **state)
{
	struct ifdb *db = *state;
	char list[256], b[16];

	load_both(db);
	assert_int_equal(db->nlinks, 6);
	assert_int_equal(db->naddrs, 11);
	/* each link gets its own addresses, in dump order */
	addr_list(db, "va", list, sizeof(list));
	assert_string_equal(list, "10.1.0.1 10.1.0.9 fd00::1 fe80::ff:fe00:a");
	addr_list(db, "lo", list, sizeof(list));
	assert_string_equal(list, "127.0.0.1 ::1");
	addr_list(db, "tun0", list, sizeof(list));
	assert_string_equal(list, "10.3.0.1");
	addr_list(db, "vb", list, sizeof(list));
	assert_string_equal(list, "fe80::ff:fe00:b");
	/* lookups by index and name */
	assert_int_equal(ifdb_find(db, db->links[3].ifindex), 3);
	assert_int_equal(ifdb_find(db, 9999), -1);
	assert_int_equal(ifdb_find_name(db, "nope"), -1);
	assert_string_equal(ifdb_name(db, 1, b, sizeof(b)), "lo");
	assert_string_equal(ifdb_name(db, 9999, b, sizeof(b)), "if9999");
}

static void test_replay_and_reset(void **state)
{
	struct ifdb *db = *state;

	/* addresses before any link have nowhere to go */
	feed("rtnl_addr.bin", ifdb_addr_cb, db);
	assert_int_equal(db->naddrs, 0);
	/* a link seen twice (a dump run again) is replaced, not doubled */
	feed("rtnl_link.bin", ifdb_link_cb, db);
	feed("rtnl_link.bin", ifdb_link_cb, db);
	assert_int_equal(db->nlinks, 6);
	feed("rtnl_addr.bin", ifdb_addr_cb, db);
	assert_int_equal(db->naddrs, 11);
	/* NLM_F_DUMP_INTR: the address dump starts over from nothing */
	ifdb_reset_addrs(db);
	assert_int_equal(db->naddrs, 0);
	for (size_t i = 0; i < db->nlinks; i++)
		assert_int_equal(db->addr_head[i], -1);
	feed("rtnl_addr.bin", ifdb_addr_cb, db);
	assert_int_equal(db->naddrs, 11);
	ifdb_reset_links(db);
	assert_int_equal(db->nlinks, 0);
	assert_int_equal(ifdb_find(db, 1), -1);
	feed("rtnl_link.bin", ifdb_link_cb, db);
	assert_int_equal(db->nlinks, 6);
	assert_int_equal(ifdb_find(db, 1), 0);
}

static void test_many_links_hash(void **state)
{
	struct ifdb *db = *state;
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} m = { .h = { .nlmsg_len = sizeof(m), .nlmsg_type = RTM_NEWLINK } };

	/* indexes far apart and close together, past several table growths */
	for (int k = 0; k < 5000; k++) {
		m.i.ifi_index = k % 2 ? k : 1000000 + k * 64;
		assert_int_equal(ifdb_add_link(db, &m.h), 0);
	}
	assert_int_equal(db->nlinks, 5000);
	for (int k = 0; k < 5000; k++)
		assert_int_equal(ifdb_find(db, k % 2 ? k : 1000000 + k * 64), k);
	assert_int_equal(ifdb_find(db, 2), -1);
	/* a message that is not a link is skipped by the callback, a broken one fails it */
	m.h.nlmsg_type = RTM_NEWADDR;
	assert_int_equal(ifdb_link_cb(&m.h, db), MNL_CB_OK);
	m.h.nlmsg_type = RTM_NEWLINK;
	m.h.nlmsg_len = NLMSG_HDRLEN + 2;
	errno = 0;
	assert_int_equal(ifdb_link_cb(&m.h, db), MNL_CB_ERROR);
	assert_int_equal(errno, EBADMSG);
}

static void expect_stats(char *want, size_t len, const struct nd_link_stats *s)
{
	char rx[32], tx[32];

	snprintf(want, len,
		 "        RX packets %" PRIu64 "  bytes %" PRIu64 " (%s)\n"
		 "        RX errors 0  dropped 0  overruns 0  frame 0\n"
		 "        TX packets %" PRIu64 "  bytes %" PRIu64 " (%s)\n"
		 "        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n",
		 s->rx_packets, s->rx_bytes, nd_human_bytes(s->rx_bytes, rx, sizeof(rx)),
		 s->tx_packets, s->tx_bytes, nd_human_bytes(s->tx_bytes, tx, sizeof(tx)));
}

static void test_text_blocks(void **state)
{
	struct ifdb *db = *state;
	struct ifshow_opts o = { .family = AF_UNSPEC };
	char want[2048], stats[512];
	struct capture c;
	int va, tun;

	load_both(db);
	va = ifdb_find_name(db, "va");
	tun = ifdb_find_name(db, "tun0");

	assert_int_equal(capture_begin(&c, false), 0);
	ifshow_text_block(db, va, &o);
	nd_out_flush();
	expect_stats(stats, sizeof(stats), &db->links[va].stats);
	snprintf(want, sizeof(want),
		 "va: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1500\n"
		 "        inet 10.1.0.1  netmask 255.255.255.0  broadcast 0.0.0.0\n"
		 "        inet 10.1.0.9  netmask 255.255.255.0  broadcast 0.0.0.0  secondary  label va:1\n"
		 "        inet6 fd00::1  prefixlen 64  scopeid 0x0<global>  nodad\n"
		 "        inet6 fe80::ff:fe00:a  prefixlen 64  scopeid 0x20<link>\n"
		 "        ether 02:00:00:00:00:0a  txqueuelen 1000  (Ethernet)\n"
		 "%s"
		 "        index %d  state UP  qdisc noqueue  kind veth  link vb\n\n",
		 stats, db->links[va].ifindex);
	assert_string_equal(c.buf, want);
	capture_end(&c);

	/* -4 drops the IPv6 lines; a point-to-point link shows its destination */
	o.family = AF_INET;
	assert_int_equal(capture_begin(&c, false), 0);
	ifshow_text_block(db, tun, &o);
	nd_out_flush();
	expect_stats(stats, sizeof(stats), &db->links[tun].stats);
	snprintf(want, sizeof(want),
		 "tun0: flags=4241<UP,POINTOPOINT,NOARP,MULTICAST>  mtu 1400\n"
		 "        inet 10.3.0.1  netmask 255.255.255.255  destination 10.3.0.2\n"
		 "        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  txqueuelen 500  (UNSPEC)\n"
		 "%s"
		 "        index %d  state DOWN  qdisc pfifo_fast  kind tun  NO-CARRIER\n\n",
		 stats, db->links[tun].ifindex);
	assert_string_equal(c.buf, want);
	capture_end(&c);
}

/* ifconfig's hardware line per link type: net-tools' name for it, txqueuelen, its title. */
static void test_text_hw_lines(void **state)
{
	static const struct {
		unsigned short type;
		const char *line;
	} t[] = {
		{ ARPHRD_PPP, "        ppp  txqueuelen 500  (Point-to-Point Protocol)\n" },
		{ ARPHRD_SIT, "        sit  txqueuelen 500  (IPv6-in-IPv4)\n" },
		{ ARPHRD_TUNNEL, "        tunnel  txqueuelen 500  (IPIP Tunnel)\n" },
		{ ARPHRD_LOOPBACK, "        loop  txqueuelen 500  (Local Loopback)\n" },
		{ ARPHRD_NONE, "        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  "
			       "txqueuelen 500  (UNSPEC)\n" },
	};
	struct ifdb *db = *state;
	struct ifshow_opts o = { .family = AF_INET };
	struct capture c;
	int tun;

	load_both(db);
	tun = ifdb_find_name(db, "tun0");
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++) {
		db->links[tun].type = t[i].type;
		assert_int_equal(capture_begin(&c, false), 0);
		ifshow_text_block(db, tun, &o);
		nd_out_flush();
		if (!strstr(c.buf, t[i].line))
			fail_msg("type %u: no line '%s' in:\n%s", t[i].type, t[i].line, c.buf);
		capture_end(&c);
	}
}

static void test_selection_and_order(void **state)
{
	struct ifdb *db = *state;
	struct ifshow_opts o = { .family = AF_UNSPEC };
	struct capture c;

	load_both(db);
	/* default: up ones only, sorted by name as ifconfig does */
	assert_int_equal(capture_begin(&c, false), 0);
	ifshow_short(db, &o);
	nd_out_flush();
	assert_non_null(strstr(c.buf, "Iface      MTU    RX-OK"));
	assert_null(strstr(c.buf, "vdown"));
	assert_true(strstr(c.buf, "\nbr0 ") < strstr(c.buf, "\nlo "));
	assert_true(strstr(c.buf, "\nlo ") < strstr(c.buf, "\ntun0 "));
	assert_true(strstr(c.buf, "\ntun0 ") < strstr(c.buf, "\nva "));
	assert_non_null(strstr(c.buf, "\nlo              65536 "));
	assert_non_null(strstr(c.buf, " LRU\n"));
	assert_non_null(strstr(c.buf, " MOPU\n"));
	capture_end(&c);

	/* -a adds the interface that is down; a name picks one whatever its state */
	o.all = true;
	assert_true(ifshow_selected(&db->links[ifdb_find_name(db, "vdown")], &o));
	o.all = false;
	o.name = "vdown";
	assert_true(ifshow_selected(&db->links[ifdb_find_name(db, "vdown")], &o));
	assert_false(ifshow_selected(&db->links[ifdb_find_name(db, "lo")], &o));
}

static void test_json(void **state)
{
	struct ifdb *db = *state;
	struct ifshow_opts o = { .all = true, .family = AF_UNSPEC };
	struct capture c;

	load_both(db);
	assert_int_equal(capture_begin(&c, true), 0);
	ifshow_long(db, &o);
	nd_out_finish();
	/* index order, ip's keys and values */
	assert_true(c.buf[0] == '[');
	assert_true(strstr(c.buf, "\"ifname\":\"lo\"") < strstr(c.buf, "\"ifname\":\"vb\""));
	assert_non_null(strstr(c.buf, "\"link\":\"va\",\"ifname\":\"vb\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],\"mtu\":1500,\"qdisc\":\"noqueue\",\"master\":\"br0\",\"operstate\":\"UP\",\"group\":\"default\",\"txqlen\":1000,\"link_type\":\"ether\",\"address\":\"02:00:00:00:00:0b\",\"broadcast\":\"ff:ff:ff:ff:ff:ff\""));
	assert_non_null(strstr(c.buf, "\"flags\":[\"NO-CARRIER\",\"POINTOPOINT\",\"MULTICAST\",\"NOARP\",\"UP\"]"));
	assert_non_null(strstr(c.buf, "{\"family\":\"inet\",\"local\":\"10.3.0.1\",\"address\":\"10.3.0.2\",\"prefixlen\":32,\"scope\":\"global\",\"label\":\"tun0\",\"valid_life_time\":4294967295,\"preferred_life_time\":4294967295}"));
	assert_non_null(strstr(c.buf, "{\"family\":\"inet\",\"local\":\"10.1.0.9\",\"prefixlen\":24,\"scope\":\"global\",\"secondary\":true,\"label\":\"va:1\""));
	assert_non_null(strstr(c.buf, "\"local\":\"fd00::1\",\"prefixlen\":64,\"scope\":\"global\",\"nodad\":true,"));
	assert_non_null(strstr(c.buf, "\"broadcast\":\"10.2.0.255\""));
	assert_non_null(strstr(c.buf, "\"local\":\"10.4.0.1\",\"prefixlen\":24,\"scope\":\"global\",\"dynamic\":true,\"label\":\"vdown\""));
	assert_non_null(strstr(c.buf, "\"link_index\":"));
	assert_non_null(strstr(c.buf, "\"link_netnsid\":"));
	assert_non_null(strstr(c.buf, "\"linkinfo\":{\"info_kind\":\"veth\",\"info_slave_kind\":\"bridge\"}"));
	assert_non_null(strstr(c.buf, "\"stats64\":{\"rx\":{\"bytes\":"));
	/* TUN has no link-layer address: link_type is followed by no address or broadcast */
	assert_non_null(strstr(c.buf, "\"link_type\":\"none\",\"linkinfo\":{\"info_kind\":\"tun\"},\"addr_info\""));
	assert_string_equal(c.buf + strlen(c.buf) - 3, "}]\n");
	capture_end(&c);
}

static void test_name_order(void **state)
{
	(void)state;
	assert_true(ifshow_name_cmp("eth2", "eth10") < 0);
	assert_true(ifshow_name_cmp("eth10", "eth2") > 0);
	assert_true(ifshow_name_cmp("br0", "lo") < 0);
	assert_true(ifshow_name_cmp("va", "va0") < 0);
	assert_true(ifshow_name_cmp("va999", "vb0") < 0);
	assert_true(ifshow_name_cmp("eth01", "eth1") != 0);
	assert_int_equal(ifshow_name_cmp("lo", "lo"), 0);
}

static void test_flag_strings(void **state)
{
	char b[160];

	(void)state;
	assert_string_equal(ifshow_ifconfig_flags(4163, b, sizeof(b)), "UP,BROADCAST,RUNNING,MULTICAST");
	assert_string_equal(ifshow_ifconfig_flags(73, b, sizeof(b)), "UP,LOOPBACK,RUNNING");
	assert_string_equal(ifshow_ifconfig_flags(0, b, sizeof(b)), "");
	assert_string_equal(ifshow_short_flags(4163, b, sizeof(b)), "BMRU");
	assert_string_equal(ifshow_short_flags(IFF_UP | IFF_PROMISC, b, sizeof(b)), "PU");
	assert_string_equal(ifshow_short_flags(0, b, sizeof(b)), "[NO FLAGS]");
}

static void test_rates(void **state)
{
	struct nd_link_stats a = { 0 }, b = { 0 };
	struct ifwatch_rate r;

	(void)state;
	a.rx_bytes = 1000, b.rx_bytes = 3000;
	a.tx_packets = 10, b.tx_packets = 14;
	ifwatch_rate(&a, &b, 2.0, &r);
	assert_true(r.rx_bytes == 1000.0);
	assert_true(r.tx_packets == 2.0);
	assert_true(r.rx_packets == 0.0);
	/* counters that went back (a device replaced) are no traffic, not 2^64 */
	ifwatch_rate(&b, &a, 1.0, &r);
	assert_true(r.rx_bytes == 0.0 && r.tx_packets == 0.0);
	/* no time passed: no rate */
	ifwatch_rate(&a, &b, 0.0, &r);
	assert_true(r.rx_bytes == 0.0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_join, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_replay_and_reset, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_many_links_hash, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_text_blocks, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_text_hw_lines, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_selection_and_order, setup_db, teardown_db),
		cmocka_unit_test_setup_teardown(test_json, setup_db, teardown_db),
		cmocka_unit_test(test_name_order),
		cmocka_unit_test(test_flag_strings),
		cmocka_unit_test(test_rates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
