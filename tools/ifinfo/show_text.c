// SPDX-License-Identifier: MIT
/* ifconfig-style text: the long blocks of `ifconfig` and the table of `ifconfig -s`. */
#include "show.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "array.h"
#include "groups.h"
#include "out.h"
#include "units.h"

#define INFINITY_LIFE_TIME 0xffffffffu

/*
 * Blocks of text are built by hand in an nd_line and printed with one call: the counters lines
 * are most of `ifinfo -a`, and printf's format parsing was a third of its instructions (callgrind).
 */

/* @v in lower-case hex, at least @min digits */
static void tb_hex(struct nd_line *t, unsigned int v, int min)
{
	char d[12];
	size_t i = sizeof(d);

	d[--i] = '\0';
	do
		d[--i] = "0123456789abcdef"[v & 15];
	while (((v >>= 4) || (int)(sizeof(d) - 1 - i) < min) && i > 0);
	nd_line_str(t, d + i);
}

/* "RX packets " N: a label, then a number */
static void tb_lu(struct nd_line *t, const char *label, uint64_t v)
{
	nd_line_str(t, label);
	nd_line_u64(t, v);
}

bool ifshow_selected(const struct nd_link *l, const struct ifshow_opts *o)
{
	if (o->name)
		return ifdb_link_named(l, o->name);
	return o->all || (l->flags & IFF_UP);
}

/* `ip -j -4 addr` lists only the links that hold an address of that family. */
static bool has_family(const struct ifdb *db, int pos, int family)
{
	for (int i = db->addr_head[pos]; i >= 0; i = db->addr_next[i])
		if (db->addrs[i].family == family)
			return true;
	return false;
}

bool ifshow_addr_selected(const struct nd_ifaddr *a, const struct ifshow_opts *o)
{
	if (a->family != AF_INET && a->family != AF_INET6)
		return false;
	if (o->label)
		return a->family == AF_INET && (a->has & ND_IFA_HAS_LABEL) &&
		       strcmp(a->label, o->label) == 0;
	return o->family == AF_UNSPEC || o->family == a->family;
}

static void append(char *buf, size_t len, size_t *at, const char *s)
{
	size_t n = strlen(s);

	if (n < len - *at) {
		memcpy(buf + *at, s, n + 1);
		*at += n;
	}
}

const char *ifshow_ifconfig_flags(unsigned int flags, char *buf, size_t len)
{
	/* net-tools' order, the 16 bits of SIOCGIFFLAGS */
	static const struct {
		unsigned int mask;
		const char *name;
	} tab[] = {
		{ IFF_UP, "UP" },
		{ IFF_BROADCAST, "BROADCAST" },
		{ IFF_DEBUG, "DEBUG" },
		{ IFF_LOOPBACK, "LOOPBACK" },
		{ IFF_POINTOPOINT, "POINTOPOINT" },
		{ IFF_NOTRAILERS, "NOTRAILERS" },
		{ IFF_RUNNING, "RUNNING" },
		{ IFF_NOARP, "NOARP" },
		{ IFF_PROMISC, "PROMISC" },
		{ IFF_ALLMULTI, "ALLMULTI" },
		{ IFF_SLAVE, "SLAVE" },
		{ IFF_MASTER, "MASTER" },
		{ IFF_MULTICAST, "MULTICAST" },
		{ IFF_DYNAMIC, "DYNAMIC" },
	};
	size_t at = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ND_ARRAY_SIZE(tab); i++) {
		if (!(flags & tab[i].mask))
			continue;
		if (at)
			append(buf, len, &at, ",");
		append(buf, len, &at, tab[i].name);
	}
	return buf;
}

const char *ifshow_short_flags(unsigned int flags, char *buf, size_t len)
{
	static const struct {
		unsigned int mask;
		char c;
	} tab[] = {
		{ IFF_ALLMULTI, 'A' },    { IFF_BROADCAST, 'B' },  { IFF_DEBUG, 'D' },
		{ IFF_LOOPBACK, 'L' },    { IFF_MULTICAST, 'M' },  { IFF_DYNAMIC, 'd' },
		{ IFF_PROMISC, 'P' },     { IFF_NOTRAILERS, 'N' }, { IFF_NOARP, 'O' },
		{ IFF_POINTOPOINT, 'P' }, { IFF_SLAVE, 's' },      { IFF_MASTER, 'm' },
		{ IFF_RUNNING, 'R' },     { IFF_UP, 'U' },
	};
	size_t at = 0;

	if (len == 0)
		return buf;
	if (!(flags & 0xffff))
		snprintf(buf, len, "[NO FLAGS]");
	else {
		for (size_t i = 0; i < ND_ARRAY_SIZE(tab) && at + 1 < len; i++)
			if (flags & tab[i].mask)
				buf[at++] = tab[i].c;
		buf[at] = '\0';
	}
	return buf;
}

/* What /proc/net/dev (and so ifconfig) folds together from the 64-bit counters. */
static uint64_t rx_drop(const struct nd_link_stats *s)
{
	return s->rx_dropped + s->rx_missed_errors;
}

static uint64_t rx_frame(const struct nd_link_stats *s)
{
	return s->rx_length_errors + s->rx_over_errors + s->rx_crc_errors + s->rx_frame_errors;
}

static uint64_t tx_carrier(const struct nd_link_stats *s)
{
	return s->tx_carrier_errors + s->tx_aborted_errors + s->tx_window_errors +
	       s->tx_heartbeat_errors;
}

/* ifconfig's scopeid is the kernel's IPv6 address-type bits, not the rtnetlink scope. */
static void v6_scope(unsigned int scope, unsigned int *id, const char **name)
{
	switch (scope) {
	case RT_SCOPE_UNIVERSE: *id = 0x00, *name = "global"; break;
	case RT_SCOPE_HOST: *id = 0x10, *name = "host"; break;
	case RT_SCOPE_LINK: *id = 0x20, *name = "link"; break;
	case RT_SCOPE_SITE: *id = 0x40, *name = "site"; break;
	default: *id = scope, *name = "unknown";
	}
}

/* Address flags and lifetimes that ifconfig cannot show, after its own fields; ends the line. */
static void addr_extras(struct nd_line *t, const struct nd_link *l, const struct nd_ifaddr *a)
{
	const char *names[16];
	uint32_t rest;
	size_t n = nd_ifa_flag_names(a->family, a->flags, names, 16, &rest);

	for (size_t i = 0; i < n; i++) {
		nd_line_str(t, i ? " " : "  ");
		nd_line_str(t, names[i]);
	}
	if (rest) {
		nd_line_str(t, "  flags ");
		tb_hex(t, rest, 2);
	}
	if ((a->has & ND_IFA_HAS_LABEL) && strcmp(a->label, l->name)) {
		nd_line_str(t, "  label ");
		nd_line_str(t, a->label);
	}
	if ((a->has & ND_IFA_HAS_CACHEINFO) && a->valid_lft != INFINITY_LIFE_TIME) {
		tb_lu(t, "  valid_lft ", a->valid_lft);
		nd_line_str(t, "sec");
	}
	if ((a->has & ND_IFA_HAS_CACHEINFO) && a->preferred_lft != INFINITY_LIFE_TIME) {
		tb_lu(t, "  preferred_lft ", a->preferred_lft);
		nd_line_str(t, "sec");
	}
	nd_line_str(t, "\n");
	nd_line_write(t);
}

/* "  label 1.2.3.4": a label, then an address */
static void tb_addr(struct nd_line *t, const char *label, int family, const void *addr)
{
	char b[ND_ADDRSTRLEN];

	nd_line_str(t, label);
	nd_line_str(t, nd_addr_fmt(family, addr, b, sizeof(b)));
}

static void text_inet(struct nd_line *t, const struct nd_link *l, const struct nd_ifaddr *a)
{
	const uint8_t *local = a->has & ND_IFA_HAS_LOCAL ? a->local : a->address;
	uint32_t mask = nd_prefix_netmask(a->prefixlen);
	static const uint8_t zero[4];

	tb_addr(t, "        inet ", AF_INET, local);
	tb_addr(t, "  netmask ", AF_INET, &mask);
	if (l->flags & IFF_BROADCAST)
		tb_addr(t, "  broadcast ", AF_INET,
			a->has & ND_IFA_HAS_BROADCAST ? a->broadcast : zero);
	if (l->flags & IFF_POINTOPOINT)
		tb_addr(t, "  destination ", AF_INET,
			a->has & ND_IFA_HAS_ADDRESS ? a->address : local);
	addr_extras(t, l, a);
}

static void text_inet6(struct nd_line *t, const struct nd_link *l, const struct nd_ifaddr *a)
{
	const uint8_t *local = a->has & ND_IFA_HAS_LOCAL ? a->local : a->address;
	unsigned int id;
	const char *scope;

	v6_scope(a->scope, &id, &scope);
	tb_addr(t, "        inet6 ", AF_INET6, local);
	tb_lu(t, "  prefixlen ", a->prefixlen);
	nd_line_str(t, "  scopeid 0x");
	tb_hex(t, id, 1);
	nd_line_str(t, "<");
	nd_line_str(t, scope);
	nd_line_str(t, ">");
	if ((a->has & ND_IFA_HAS_LOCAL) && (a->has & ND_IFA_HAS_ADDRESS) &&
	    memcmp(a->local, a->address, 16))
		tb_addr(t, "  destination ", AF_INET6, a->address);
	addr_extras(t, l, a);
}

/* The link types net-tools names without an address: its name and title for each. */
static const struct {
	unsigned short type;
	const char *name, *title;
} bare_hw[] = {
	{ ARPHRD_PPP, "ppp", "Point-to-Point Protocol" },
	{ ARPHRD_SIT, "sit", "IPv6-in-IPv4" },
	{ ARPHRD_TUNNEL, "tunnel", "IPIP Tunnel" },
};

/* ifconfig's hardware line: its name for the type, the address, txqueuelen, its title. */
static void text_hw(struct nd_line *t, const struct nd_link *l)
{
	char mac[ND_MACSTRLEN];
	char line[160];

	switch (l->type) {
	case ARPHRD_ETHER:
		nd_line_str(t, "        ether ");
		nd_line_str(t, nd_mac_fmt(l->addr, l->addr_len, mac, sizeof(mac)));
		tb_lu(t, "  txqueuelen ", l->txqlen);
		nd_line_str(t, "  (Ethernet)\n");
		return;
	case ARPHRD_LOOPBACK:
		tb_lu(t, "        loop  txqueuelen ", l->txqlen);
		nd_line_str(t, "  (Local Loopback)\n");
		return;
	case ARPHRD_INFINIBAND:
		snprintf(line, sizeof(line), "        infiniband %s  txqueuelen %u  (InfiniBand)\n",
			 nd_mac_fmt(l->addr, l->addr_len, mac, sizeof(mac)), l->txqlen);
		break;
	default: {
		char hex[16 * 3];
		size_t at = 0;

		for (size_t i = 0; i < ND_ARRAY_SIZE(bare_hw); i++)
			if (l->type == bare_hw[i].type) {
				snprintf(line, sizeof(line), "        %s  txqueuelen %u  (%s)\n",
					 bare_hw[i].name, l->txqlen, bare_hw[i].title);
				nd_line_str(t, line);
				return;
			}
		/* any other type: net-tools prints 16 bytes of the sockaddr's data, dash-separated */
		for (size_t i = 0; i < 16; i++)
			at += (size_t)snprintf(hex + at, sizeof(hex) - at, i ? "-%02x" : "%02x",
					       i < l->addr_len ? l->addr[i] : 0);
		snprintf(line, sizeof(line), "        unspec %s  txqueuelen %u  (UNSPEC)\n", hex,
			 l->txqlen);
	}
	}
	nd_line_str(t, line);
}

/*
 * ifconfig's "RX packets N  bytes B (1.2 KiB)" line, or its TX twin (@label).  Inlined: out of
 * line it cost ifinfo -a 0.6% more instructions (callgrind, 52 links).
 */
static inline __attribute__((always_inline)) void text_packets(struct nd_line *t, const char *label,
							       uint64_t packets, uint64_t bytes)
{
	char h[32];

	tb_lu(t, label, packets);
	tb_lu(t, "  bytes ", bytes);
	nd_line_str(t, " (");
	nd_line_str(t, nd_human_bytes(bytes, h, sizeof(h)));
	nd_line_str(t, ")\n");
}

static void text_stats(struct nd_line *t, const struct nd_link_stats *s)
{
	text_packets(t, "        RX packets ", s->rx_packets, s->rx_bytes);
	tb_lu(t, "        RX errors ", s->rx_errors);
	tb_lu(t, "  dropped ", rx_drop(s));
	tb_lu(t, "  overruns ", s->rx_fifo_errors);
	tb_lu(t, "  frame ", rx_frame(s));
	text_packets(t, "\n        TX packets ", s->tx_packets, s->tx_bytes);
	tb_lu(t, "        TX errors ", s->tx_errors);
	tb_lu(t, "  dropped ", s->tx_dropped);
	tb_lu(t, " overruns ", s->tx_fifo_errors);
	tb_lu(t, "  carrier ", tx_carrier(s));
	tb_lu(t, "  collisions ", s->collisions);
	nd_line_str(t, "\n");
}

/* What ip knows and ifconfig does not, on one extra line. */
static void text_extras(struct nd_line *t, const struct ifdb *db, const struct nd_link *l)
{
	char b[32];

	tb_lu(t, "        index ", (uint64_t)(unsigned int)l->ifindex);
	if (l->has & ND_LINK_HAS_OPERSTATE) {
		const char *st = nd_operstate_name(l->operstate);

		if (st) {
			nd_line_str(t, "  state ");
			nd_line_str(t, st);
		} else {
			tb_lu(t, "  state ", l->operstate);
		}
	}
	if (l->has & ND_LINK_HAS_QDISC) {
		nd_line_str(t, "  qdisc ");
		nd_line_str(t, l->qdisc);
	}
	if (l->kind[0]) {
		nd_line_str(t, "  kind ");
		nd_line_str(t, l->kind);
	}
	if (l->has & ND_LINK_HAS_MASTER) {
		nd_line_str(t, "  master ");
		nd_line_str(t, ifdb_name(db, l->master, b, sizeof(b)));
	}
	if (l->has & ND_LINK_HAS_LINK) {
		if (l->has & ND_LINK_HAS_NETNSID) {
			snprintf(b, sizeof(b), "if%d netnsid %d", l->link, l->link_netnsid);
			nd_line_str(t, "  link ");
			nd_line_str(t, b);
		} else if (l->link) {
			nd_line_str(t, "  link ");
			nd_line_str(t, ifdb_name(db, l->link, b, sizeof(b)));
		}
	}
	if ((l->has & ND_LINK_HAS_GROUP) && l->group) {
		nd_line_str(t, "  group ");
		nd_line_str(t, ifgroup_name(l->group, b, sizeof(b)));
	}
	if ((l->flags & IFF_UP) && !(l->flags & IFF_LOWER_UP))
		nd_line_str(t, "  NO-CARRIER");
	for (unsigned int i = 0; i < l->n_altnames; i++) {
		nd_line_str(t, "  altname ");
		nd_line_str(t, nd_link_altname(l, i));
	}
	/* last on the line: an alias may hold blanks (ip shows it on a line of its own) */
	if (l->ifalias) {
		nd_line_str(t, "  alias ");
		nd_line_str(t, l->ifalias);
	}
	nd_line_str(t, "\n");
}

void ifshow_text_block(const struct ifdb *db, int pos, const struct ifshow_opts *o)
{
	const struct nd_link *l = &db->links[pos];
	struct nd_line t;
	char fl[160];

	/* ifconfig shows the 16 bits of the old ioctl interface */
	nd_line_init(&t);
	nd_line_str(&t, o->label ? o->label : l->name);
	tb_lu(&t, ": flags=", l->flags & 0xffff);
	nd_line_str(&t, "<");
	nd_line_str(&t, ifshow_ifconfig_flags(l->flags, fl, sizeof(fl)));
	tb_lu(&t, ">  mtu ", l->mtu);
	nd_line_str(&t, "\n");
	nd_line_write(&t);
	for (int i = db->addr_head[pos]; i >= 0; i = db->addr_next[i])
		if (db->addrs[i].family == AF_INET && ifshow_addr_selected(&db->addrs[i], o))
			text_inet(&t, l, &db->addrs[i]);
	for (int i = db->addr_head[pos]; i >= 0; i = db->addr_next[i])
		if (db->addrs[i].family == AF_INET6 && ifshow_addr_selected(&db->addrs[i], o))
			text_inet6(&t, l, &db->addrs[i]);
	text_hw(&t, l);
	/* an alias has no counters of its own: ifconfig shows none for it */
	if (!o->label) {
		if (l->has & ND_LINK_HAS_STATS)
			text_stats(&t, &l->stats);
		text_extras(&t, db, l);
	}
	nd_line_str(&t, "\n");
	nd_line_write(&t);
	nd_line_free(&t);
}

/* Trailing digits of an interface name start here (its length when it has none). */
static size_t digits_at(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] >= '0' && s[n - 1] <= '9')
		n--;
	return n;
}

/* A name split once into its stem and trailing number, so sorting compares without parsing. */
struct sort_key {
	const char *name;
	size_t stem;
	unsigned long long num;
	int pos;
};

static int by_key(const void *x, const void *y);

int ifshow_name_cmp(const char *a, const char *b)
{
	struct sort_key ka = { a, digits_at(a), strtoull(a + digits_at(a), NULL, 10), 0 };
	struct sort_key kb = { b, digits_at(b), strtoull(b + digits_at(b), NULL, 10), 0 };

	return by_key(&ka, &kb);
}

static int by_key(const void *x, const void *y)
{
	const struct sort_key *a = x, *b = y;
	int res = strncmp(a->name, b->name, a->stem < b->stem ? a->stem : b->stem);

	if (res)
		return res;
	if (a->stem != b->stem)
		return a->stem < b->stem ? -1 : 1;
	if (a->num != b->num)
		return a->num < b->num ? -1 : 1;
	return strcmp(a->name, b->name);
}

/*
 * The links to show, in the order of the output: ifconfig lists interfaces sorted by name
 * (numbers in names compared as numbers), ip and its JSON by index, which is the dump's order.
 * Returns how many; *@out is malloc'd (NULL when there is no memory: then none are shown).
 */
static size_t selected(const struct ifdb *db, const struct ifshow_opts *o, bool sorted, int **out)
{
	int *v = malloc((db->nlinks ? db->nlinks : 1) * sizeof(*v));
	struct sort_key *k;
	size_t n = 0;

	*out = v;
	if (!v)
		return 0;
	for (size_t i = 0; i < db->nlinks; i++)
		if (ifshow_selected(&db->links[i], o))
			v[n++] = (int)i;
	if (!sorted || n < 2)
		return n;
	k = malloc(n * sizeof(*k));
	if (!k)
		return n; /* unsorted rather than nothing */
	for (size_t i = 0; i < n; i++) {
		const char *name = db->links[v[i]].name;

		k[i].name = name;
		k[i].stem = digits_at(name);
		k[i].num = strtoull(name + k[i].stem, NULL, 10);
		k[i].pos = v[i];
	}
	qsort(k, n, sizeof(*k), by_key);
	for (size_t i = 0; i < n; i++)
		v[i] = k[i].pos;
	free(k);
	return n;
}

void ifshow_long(const struct ifdb *db, const struct ifshow_opts *o)
{
	int *v;
	size_t n = selected(db, o, !nd_out_json(), &v);

	nd_out_open_array(NULL);
	for (size_t i = 0; i < n; i++) {
		if (nd_out_json() && o->family != AF_UNSPEC && !has_family(db, v[i], o->family))
			continue;
		if (nd_out_json())
			ifshow_json_link(db, v[i], o);
		else
			ifshow_text_block(db, v[i], o);
	}
	nd_out_close_array();
	free(v);
}

void ifshow_short(const struct ifdb *db, const struct ifshow_opts *o)
{
	char fl[16];
	int *v;
	size_t n = selected(db, o, true, &v);

	nd_out_text(
		"Iface      MTU    RX-OK RX-ERR RX-DRP RX-OVR    TX-OK TX-ERR TX-DRP TX-OVR Flg\n");
	nd_out_open_array(NULL);
	for (size_t i = 0; i < n; i++) {
		const struct nd_link *l = &db->links[v[i]];
		const struct nd_link_stats *s = &l->stats;

		nd_out_open_object(NULL);
		nd_out_str(ND_ANY, "iface", "%-15.15s ", o->label ? o->label : l->name);
		nd_out_uint(ND_ANY, "mtu", "%5u ", l->mtu);
		if (o->label) { /* as ifconfig -s shows an alias */
			nd_out_text("%-56s", "     - no statistics available -");
			nd_out_str(ND_ANY, "flg", "%s\n",
				   ifshow_short_flags(l->flags, fl, sizeof(fl)));
			nd_out_close_object();
			continue;
		}
		nd_out_u64(ND_ANY, "rx_ok", "%8" PRIu64 " ", s->rx_packets);
		nd_out_u64(ND_ANY, "rx_err", "%6" PRIu64 " ", s->rx_errors);
		nd_out_u64(ND_ANY, "rx_drp", "%6" PRIu64 " ", rx_drop(s));
		nd_out_u64(ND_ANY, "rx_ovr", "%-6" PRIu64 " ", s->rx_fifo_errors);
		nd_out_u64(ND_ANY, "tx_ok", "%8" PRIu64 " ", s->tx_packets);
		nd_out_u64(ND_ANY, "tx_err", "%6" PRIu64 " ", s->tx_errors);
		nd_out_u64(ND_ANY, "tx_drp", "%6" PRIu64 " ", s->tx_dropped);
		nd_out_u64(ND_ANY, "tx_ovr", "%6" PRIu64 " ", s->tx_fifo_errors);
		nd_out_str(ND_ANY, "flg", "%s\n", ifshow_short_flags(l->flags, fl, sizeof(fl)));
		nd_out_close_object();
	}
	nd_out_close_array();
	free(v);
}
