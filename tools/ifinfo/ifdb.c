// SPDX-License-Identifier: MIT
/* Links and their addresses from two rtnetlink dumps, joined by interface index in O(n). */
#include "ifdb.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "mem.h"

void ifdb_init(struct ifdb *db)
{
	memset(db, 0, sizeof(*db));
}

/* The aliases are the db's own copies (the parser's point into the message). */
static void free_aliases(struct ifdb *db)
{
	for (size_t i = 0; i < db->nlinks; i++) {
		free((char *)db->links[i].ifalias);
		db->links[i].ifalias = NULL;
	}
}

/* Copy @l's alias out of the message it points into; NULL (none shown) when memory is short. */
static void keep_alias(struct nd_link *l)
{
	if (l->ifalias) {
		l->ifalias = strndup(l->ifalias, l->ifalias_len);
		if (!l->ifalias)
			l->ifalias_len = 0;
	}
}

void ifdb_free(struct ifdb *db)
{
	free_aliases(db);
	nd_map_free(db->links, db->link_cap * sizeof(*db->links));
	nd_map_free(db->addr_head, db->link_cap * sizeof(*db->addr_head));
	nd_map_free(db->addr_tail, db->link_cap * sizeof(*db->addr_tail));
	nd_map_free(db->hash, db->hash_size * sizeof(*db->hash));
	nd_map_free(db->addrs, db->addr_cap * sizeof(*db->addrs));
	nd_map_free(db->addr_next, db->addr_cap * sizeof(*db->addr_next));
	ifdb_init(db);
}

static size_t slot_of(int ifindex, size_t size)
{
	/* Fibonacci hashing: indexes are mostly consecutive, this spreads them */
	return (size_t)(((uint32_t)ifindex * 2654435769u) >> 7) & (size - 1);
}

static void hash_put(struct ifdb *db, int ifindex, size_t pos)
{
	size_t i = slot_of(ifindex, db->hash_size);

	while (db->hash[i])
		i = (i + 1) & (db->hash_size - 1);
	db->hash[i] = (int)pos + 1;
}

int ifdb_find(const struct ifdb *db, int ifindex)
{
	size_t i;

	if (!db->hash_size)
		return -1;
	for (i = slot_of(ifindex, db->hash_size); db->hash[i]; i = (i + 1) & (db->hash_size - 1))
		if (db->links[db->hash[i] - 1].ifindex == ifindex)
			return db->hash[i] - 1;
	return -1;
}

bool ifdb_link_named(const struct nd_link *l, const char *name)
{
	if (!strcmp(l->name, name))
		return true;
	for (unsigned int i = 0; i < l->n_altnames; i++)
		if (!strcmp(nd_link_altname(l, i), name))
			return true;
	return false;
}

int ifdb_find_name(const struct ifdb *db, const char *name)
{
	for (size_t i = 0; i < db->nlinks; i++)
		if (!strcmp(db->links[i].name, name))
			return (int)i;
	/* a real name wins over another link's altname */
	for (size_t i = 0; i < db->nlinks; i++)
		if (ifdb_link_named(&db->links[i], name))
			return (int)i;
	return -1;
}

const char *ifdb_name(const struct ifdb *db, int ifindex, char *buf, size_t len)
{
	int pos = ifdb_find(db, ifindex);

	if (pos >= 0)
		return db->links[pos].name;
	snprintf(buf, len, "if%d", ifindex);
	return buf;
}

/*
 * Grow @p, an array of @n elements of @size bytes, to @cap.  The tables live in mappings of
 * their own (lib/mem): thousands of links fill megabytes, and a page fault per fresh page was a
 * quarter of ifinfo's run time.
 */
static int grow(void *pp, size_t n, size_t cap, size_t size)
{
	void **p = pp;
	void *q = nd_map_grow(*p, n * size, cap * size);

	if (!q)
		return -ENOMEM;
	*p = q;
	return 0;
}

static int grow_links(struct ifdb *db)
{
	size_t cap = db->link_cap ? db->link_cap * 2 : 64, n = db->link_cap;
	int *hash;

	if (grow(&db->links, n, cap, sizeof(*db->links)) ||
	    grow(&db->addr_head, n, cap, sizeof(*db->addr_head)) ||
	    grow(&db->addr_tail, n, cap, sizeof(*db->addr_tail)))
		return -ENOMEM; /* the run ends: ifinfo dies on ENOMEM */
	/* keep the table at most half full: a new, zeroed one */
	hash = nd_map_grow(NULL, 0, cap * 2 * sizeof(*hash));
	if (!hash)
		return -ENOMEM;
	nd_map_free(db->hash, db->hash_size * sizeof(*db->hash));
	db->hash = hash;
	db->hash_size = cap * 2;
	db->link_cap = cap;
	for (size_t i = 0; i < db->nlinks; i++)
		hash_put(db, db->links[i].ifindex, i);
	return 0;
}

int ifdb_add_link(struct ifdb *db, const struct nlmsghdr *nlh)
{
	struct nd_link *l;
	int err, pos;

	if (db->nlinks == db->link_cap && (err = grow_links(db)))
		return err;
	l = &db->links[db->nlinks];
	err = nd_link_parse(nlh, l);
	if (err)
		return err;
	keep_alias(l);
	pos = ifdb_find(db, l->ifindex);
	if (pos >= 0) {
		free((char *)db->links[pos].ifalias);
		db->links[pos] = *l;
		return 0;
	}
	db->addr_head[db->nlinks] = db->addr_tail[db->nlinks] = -1;
	hash_put(db, l->ifindex, db->nlinks);
	db->nlinks++;
	return 0;
}

int ifdb_add_addr(struct ifdb *db, const struct nlmsghdr *nlh)
{
	struct nd_ifaddr *a;
	int err, pos, me;

	if (db->naddrs == db->addr_cap) {
		size_t cap = db->addr_cap ? db->addr_cap * 2 : 128, n = db->addr_cap;

		if (grow(&db->addrs, n, cap, sizeof(*db->addrs)) ||
		    grow(&db->addr_next, n, cap, sizeof(*db->addr_next)))
			return -ENOMEM;
		db->addr_cap = cap;
	}
	a = &db->addrs[db->naddrs];
	err = nd_ifaddr_parse(nlh, a);
	if (err)
		return err;
	pos = ifdb_find(db, a->ifindex);
	if (pos < 0)
		return 0; /* its link came after the link dump: not shown */
	me = (int)db->naddrs++;
	db->addr_next[me] = -1;
	if (db->addr_tail[pos] >= 0)
		db->addr_next[db->addr_tail[pos]] = me;
	else
		db->addr_head[pos] = me;
	db->addr_tail[pos] = me;
	return 0;
}

static int to_cb(int err)
{
	if (err == -ENOMSG)
		return MNL_CB_OK; /* another message type in the dump: not ours to show */
	if (err) {
		errno = -err;
		return MNL_CB_ERROR;
	}
	return MNL_CB_OK;
}

int ifdb_link_cb(const struct nlmsghdr *nlh, void *data)
{
	return to_cb(ifdb_add_link(data, nlh));
}

int ifdb_addr_cb(const struct nlmsghdr *nlh, void *data)
{
	return to_cb(ifdb_add_addr(data, nlh));
}

void ifdb_reset_addrs(void *data)
{
	struct ifdb *db = data;

	db->naddrs = 0;
	for (size_t i = 0; i < db->nlinks; i++)
		db->addr_head[i] = db->addr_tail[i] = -1;
}

void ifdb_reset_links(void *data)
{
	struct ifdb *db = data;

	ifdb_reset_addrs(db);
	free_aliases(db);
	db->nlinks = 0;
	if (db->hash)
		memset(db->hash, 0, db->hash_size * sizeof(*db->hash));
}
