/* SPDX-License-Identifier: MIT */
#ifndef IFINFO_IFDB_H
#define IFINFO_IFDB_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/netlink.h>

#include "link.h"
#include "nl.h"

/*
 * The interfaces of one run: the links of the RTM_GETLINK dump, in dump order, each with the
 * addresses of the RTM_GETADDR dump that name its index, in dump order.  Lookups by index go
 * through a hash table, so joining n links with m addresses is O(n + m).
 * Fed one netlink message at a time (the dump callbacks below, or canned bytes in tests).
 */
struct ifdb {
	struct nd_link *links;
	size_t nlinks, link_cap;
	struct nd_ifaddr *addrs;
	int *addr_next; /* per address: the next address of the same link, or -1 */
	size_t naddrs, addr_cap;
	int *addr_head, *addr_tail; /* per link: first and last address, or -1 */
	int *hash;                  /* open addressing: link position + 1, 0 when free */
	size_t hash_size;           /* a power of two, at least twice nlinks */
};

void ifdb_init(struct ifdb *db);
void ifdb_free(struct ifdb *db);

/*
 * ifdb_add_link - parse an RTM_NEWLINK message and append it.  A later message for an index
 * already present replaces it.  Returns 0, -ENOMEM, or the parser's error.
 */
int ifdb_add_link(struct ifdb *db, const struct nlmsghdr *nlh);

/*
 * ifdb_add_addr - parse an RTM_NEWADDR message and attach it to its link (after all links were
 * added).  An address of an index that is not (or no longer) a link is dropped.
 */
int ifdb_add_addr(struct ifdb *db, const struct nlmsghdr *nlh);

/* mnl callbacks and nd_nl_dump() resets for the two dumps; data is the struct ifdb. */
int ifdb_link_cb(const struct nlmsghdr *nlh, void *data);
int ifdb_addr_cb(const struct nlmsghdr *nlh, void *data);
void ifdb_reset_links(void *data);
void ifdb_reset_addrs(void *data);

/*
 * ifdb_dump_links - fill @db (emptied first) from an RTM_GETLINK dump through @nl;
 * ifdb_dump_addrs - attach the addresses of @family (AF_UNSPEC: all) from an RTM_GETADDR dump.
 * A dump interrupted by concurrent changes after every retry is kept as its last pass found it,
 * with one warning on stderr, as ip does: that returns 0.  Otherwise 0 or a negative errno.
 * The one dump path of ifinfo, for its listing and for --watch alike.
 */
int ifdb_dump_links(struct nd_nl *nl, struct ifdb *db);
int ifdb_dump_addrs(struct nd_nl *nl, struct ifdb *db, int family);

/* ifdb_find - the position of the link with @ifindex, or -1. */
int ifdb_find(const struct ifdb *db, int ifindex);

/* ifdb_link_named - whether @name is @l's name or one of its alternative names. */
bool ifdb_link_named(const struct nd_link *l, const char *name);

/* ifdb_find_name - the position of the link called @name (or with that altname), or -1. */
int ifdb_find_name(const struct ifdb *db, const char *name);

/* ifdb_name - the name of @ifindex, or "if<N>" in @buf when it is unknown (as ip prints it). */
const char *ifdb_name(const struct ifdb *db, int ifindex, char *buf, size_t len);

/* Iterate over the addresses of link @pos: for (i = db->addr_head[pos]; i >= 0; i = db->addr_next[i]) */

#endif
