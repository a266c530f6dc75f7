// SPDX-License-Identifier: MIT
/* One link as `ip -j -s addr` prints it: the same keys, values and order. */
#include "show.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>

#include "addr.h"
#include "groups.h"
#include "out.h"

static void json_flags(const struct ifdb *db, const struct nd_link *l)
{
	const char *names[24];
	unsigned int rest;
	size_t n = nd_link_flag_names(l->flags, names, 24, &rest);

	nd_out_open_array("flags");
	for (size_t i = 0; i < n; i++)
		nd_out_str(ND_JSON, NULL, NULL, names[i]);
	if (rest) {
		char hex[16];

		snprintf(hex, sizeof(hex), "%x", rest);
		nd_out_str(ND_JSON, NULL, NULL, hex);
	}
	/* M-DOWN: the lower device in this namespace is down */
	if ((l->has & ND_LINK_HAS_LINK) && !(l->has & ND_LINK_HAS_NETNSID) && l->link) {
		int pos = ifdb_find(db, l->link);

		if (pos < 0 || !(db->links[pos].flags & IFF_UP))
			nd_out_str(ND_JSON, NULL, NULL, "M-DOWN");
	}
	nd_out_close_array();
}

static void json_addr(const struct nd_ifaddr *a)
{
	char b[ND_ADDRSTRLEN];
	const uint8_t *local = a->has & ND_IFA_HAS_LOCAL ? a->local : a->address;
	const char *names[16];
	uint32_t rest;
	size_t n;

	nd_out_open_object(NULL);
	nd_out_str(ND_JSON, "family", NULL, a->family == AF_INET ? "inet" : "inet6");
	nd_out_str(ND_JSON, "local", NULL, nd_addr_fmt(a->family, local, b, sizeof(b)));
	if ((a->has & ND_IFA_HAS_LOCAL) && (a->has & ND_IFA_HAS_ADDRESS) &&
	    memcmp(a->local, a->address, a->family == AF_INET ? 4 : 16))
		nd_out_str(ND_JSON, "address", NULL,
			   nd_addr_fmt(a->family, a->address, b, sizeof(b)));
	nd_out_uint(ND_JSON, "prefixlen", NULL, a->prefixlen);
	if (a->has & ND_IFA_HAS_BROADCAST)
		nd_out_str(ND_JSON, "broadcast", NULL,
			   nd_addr_fmt(a->family, a->broadcast, b, sizeof(b)));
	if (a->has & ND_IFA_HAS_ANYCAST)
		nd_out_str(ND_JSON, "anycast", NULL,
			   nd_addr_fmt(a->family, a->anycast, b, sizeof(b)));
	nd_out_str(ND_JSON, "scope", NULL, nd_scope_name(a->scope, b, sizeof(b)));
	n = nd_ifa_flag_names(a->family, a->flags, names, 16, &rest);
	for (size_t i = 0; i < n; i++)
		nd_out_bool(ND_JSON, names[i], NULL, true);
	if (rest) {
		snprintf(b, sizeof(b), "%02x", rest);
		nd_out_str(ND_JSON, "ifa_flags", NULL, b);
	}
	if (a->has & ND_IFA_HAS_LABEL)
		nd_out_str(ND_JSON, "label", NULL, a->label);
	if (a->has & ND_IFA_HAS_CACHEINFO) {
		nd_out_uint(ND_JSON, "valid_life_time", NULL, a->valid_lft);
		nd_out_uint(ND_JSON, "preferred_life_time", NULL, a->preferred_lft);
	}
	nd_out_close_object();
}

/* One direction of stats64: six counters named in ip -j -s's order, "compressed" when not 0. */
static void json_dir(const char *key, const char *const names[6], const uint64_t v[6],
		     uint64_t compressed)
{
	nd_out_open_object(key);
	for (size_t i = 0; i < 6; i++)
		nd_out_u64(ND_JSON, names[i], NULL, v[i]);
	if (compressed)
		nd_out_u64(ND_JSON, "compressed", NULL, compressed);
	nd_out_close_object();
}

static void json_stats(const struct nd_link_stats *s)
{
	static const char *const rx[6] = { "bytes",   "packets",     "errors",
					   "dropped", "over_errors", "multicast" };
	static const char *const tx[6] = { "bytes",   "packets",        "errors",
					   "dropped", "carrier_errors", "collisions" };

	nd_out_open_object("stats64");
	json_dir("rx", rx,
		 (const uint64_t[6]){ s->rx_bytes, s->rx_packets, s->rx_errors, s->rx_dropped,
				      s->rx_over_errors, s->multicast },
		 s->rx_compressed);
	json_dir("tx", tx,
		 (const uint64_t[6]){ s->tx_bytes, s->tx_packets, s->tx_errors, s->tx_dropped,
				      s->tx_carrier_errors, s->collisions },
		 s->tx_compressed);
	nd_out_close_object();
}

/*
 * With -4 or -6, `ip -j -4 addr` drops link_type, address and broadcast; with -6 it also asks
 * the kernel for the AF_INET6 view of links (inet6_fill_ifinfo), which carries no qdisc, group,
 * master, altnames, link_netnsid or proto_down.  ifinfo dumps the full view once and leaves out
 * the same keys.
 */
void ifshow_json_link(const struct ifdb *db, int pos, const struct ifshow_opts *o)
{
	const struct nd_link *l = &db->links[pos];
	bool v6 = o->family == AF_INET6, lladdr = o->family == AF_UNSPEC;
	char b[ND_MACSTRLEN];
	char g[64];

	nd_out_open_object(NULL);
	nd_out_int(ND_JSON, "ifindex", NULL, l->ifindex);
	if (l->has & ND_LINK_HAS_LINK) {
		if (!l->link)
			nd_out_null(ND_JSON, "link", NULL);
		else if (l->has & ND_LINK_HAS_NETNSID)
			nd_out_int(ND_JSON, "link_index", NULL, l->link);
		else
			nd_out_str(ND_JSON, "link", NULL, ifdb_name(db, l->link, b, sizeof(b)));
	}
	nd_out_str(ND_JSON, "ifname", NULL, l->name);
	json_flags(db, l);
	if (l->has & ND_LINK_HAS_MTU)
		nd_out_uint(ND_JSON, "mtu", NULL, l->mtu);
	if ((l->has & ND_LINK_HAS_QDISC) && !v6)
		nd_out_str(ND_JSON, "qdisc", NULL, l->qdisc);
	if ((l->has & ND_LINK_HAS_MASTER) && !v6)
		nd_out_str(ND_JSON, "master", NULL, ifdb_name(db, l->master, b, sizeof(b)));
	if (l->has & ND_LINK_HAS_OPERSTATE) {
		const char *st = nd_operstate_name(l->operstate);

		if (st)
			nd_out_str(ND_JSON, "operstate", NULL, st);
		else
			nd_out_uint(ND_JSON, "operstate_index", NULL, l->operstate);
	}
	if ((l->has & ND_LINK_HAS_GROUP) && !v6)
		nd_out_str(ND_JSON, "group", NULL, ifgroup_name(l->group, g, sizeof(g)));
	if ((l->has & ND_LINK_HAS_TXQLEN) && l->txqlen)
		nd_out_uint(ND_JSON, "txqlen", NULL, l->txqlen);
	if (lladdr) {
		nd_out_str(ND_JSON, "link_type", NULL, nd_link_type_name(l->type, b, sizeof(b)));
		if (l->addr_len)
			nd_out_str(ND_JSON, "address", NULL,
				   nd_lladdr_fmt(l->addr, l->addr_len, l->type, b, sizeof(b)));
		if (l->brd_len) {
			if (l->flags & IFF_POINTOPOINT)
				nd_out_bool(ND_JSON, "link_pointtopoint", NULL, true);
			nd_out_str(ND_JSON, "broadcast", NULL,
				   nd_lladdr_fmt(l->brd, l->brd_len, l->type, b, sizeof(b)));
		}
		if (l->perm_len &&
		    (l->perm_len != l->addr_len || memcmp(l->perm, l->addr, l->perm_len)))
			nd_out_str(ND_JSON, "permaddr", NULL,
				   nd_lladdr_fmt(l->perm, l->perm_len, l->type, b, sizeof(b)));
	}
	if ((l->has & ND_LINK_HAS_NETNSID) && !v6)
		nd_out_int(ND_JSON, "link_netnsid", NULL, l->link_netnsid);
	if ((l->has & ND_LINK_HAS_PROTO_DOWN) && l->proto_down && !v6)
		nd_out_bool(ND_JSON, "proto_down", NULL, true);
	/* ip shows linkinfo only with -d; it is ifinfo's one addition */
	if (l->kind[0] || l->slave_kind[0]) {
		nd_out_open_object("linkinfo");
		if (l->kind[0])
			nd_out_str(ND_JSON, "info_kind", NULL, l->kind);
		if (l->slave_kind[0])
			nd_out_str(ND_JSON, "info_slave_kind", NULL, l->slave_kind);
		nd_out_close_object();
	}
	if (l->ifalias && !v6)
		nd_out_str(ND_JSON, "ifalias", NULL, l->ifalias);
	if (l->n_altnames && !v6) {
		nd_out_open_array("altnames");
		for (unsigned int i = 0; i < l->n_altnames; i++)
			nd_out_str(ND_JSON, NULL, NULL, nd_link_altname(l, i));
		nd_out_close_array();
	}
	nd_out_open_array("addr_info");
	for (int i = db->addr_head[pos]; i >= 0; i = db->addr_next[i]) {
		const struct nd_ifaddr *a = &db->addrs[i];

		if (ifshow_addr_selected(a, o))
			json_addr(a);
	}
	nd_out_close_array();
	if (l->has & ND_LINK_HAS_STATS)
		json_stats(&l->stats);
	nd_out_close_object();
}
