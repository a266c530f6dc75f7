// SPDX-License-Identifier: MIT
/* The socket inode -> owners map: an open-addressing table of (inode, pid, fd), names by pid. */
#include "proc.h"

#include "mem.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/*
 * The map is one open-addressing table of (inode, pid, fd) with linear probing, an inode's
 * owners side by side in its probe run: a lookup is one cache miss, which matters when 100,000
 * sockets are looked up in the kernel's (random) dump order.  Inode 0 is no socket's and marks a
 * free slot.  Process names live in a pool, found through a small table keyed by pid.
 */
struct entry {
	uint64_t inode;
	int32_t pid;
	int32_t fd;
};

struct name {
	uint32_t pid1; /* pid + 1; 0: free */
	uint32_t off;  /* into the pool */
};

struct nd_proc_map {
	struct entry *t;
	size_t nslots; /* a power of two */
	size_t n;      /* entries */
	struct name *names;
	size_t nnames, names_used;
	char *pool; /* process names, NUL-terminated */
	size_t pool_len, pool_cap;
	int32_t last_pid; /* the last name added: a process's fds come one after another */
	size_t denied;    /* processes whose fds could not be read (EACCES, EPERM) */
};

static size_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

#define MIN_SLOTS 1024
#define MIN_NAMES 64

int nd_proc_map_new(struct nd_proc_map **out)
{
	struct nd_proc_map *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->t = nd_map_grow(NULL, 0, MIN_SLOTS * sizeof(*m->t));
	m->names = calloc(MIN_NAMES, sizeof(*m->names));
	if (!m->t || !m->names) {
		nd_map_free(m->t, MIN_SLOTS * sizeof(*m->t));
		free(m->names);
		free(m);
		return -ENOMEM;
	}
	m->nslots = MIN_SLOTS;
	m->nnames = MIN_NAMES;
	m->last_pid = -1;
	*out = m;
	return 0;
}

void nd_proc_free(struct nd_proc_map *m)
{
	if (!m)
		return;
	nd_map_free(m->t, m->nslots * sizeof(*m->t));
	free(m->names);
	free(m->pool);
	free(m);
}

size_t nd_proc_count(const struct nd_proc_map *m)
{
	return m->n;
}

size_t nd_proc_denied(const struct nd_proc_map *m)
{
	return m->denied;
}

/*
 * Where an inode's probe run starts: scattered, so that runs stay short.  (Keeping consecutive
 * inodes in adjacent slots makes adding them cheaper, but a lookup scans its whole run for
 * more owners, and consecutive inodes make one run of them all.)
 */
static size_t inode_slot(uint64_t inode, size_t nslots)
{
	return hash64(inode) & (nslots - 1);
}

static void put_entry(struct entry *t, size_t nslots, struct entry e)
{
	size_t h = inode_slot(e.inode, nslots);

	while (t[h].inode)
		h = (h + 1) & (nslots - 1);
	t[h] = e;
}

/* Twice the slots, in a fresh (zeroed, populated) mapping. */
static int grow_table(struct nd_proc_map *m)
{
	size_t n = m->nslots * 2;
	struct entry *t = nd_map_grow(NULL, 0, n * sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < m->nslots; i++)
		if (m->t[i].inode)
			put_entry(t, n, m->t[i]);
	nd_map_free(m->t, m->nslots * sizeof(*m->t));
	m->t = t;
	m->nslots = n;
	return 0;
}

static struct name *find_name(const struct nd_proc_map *m, pid_t pid)
{
	size_t h = hash64((uint64_t)pid) & (m->nnames - 1);

	while (m->names[h].pid1 && m->names[h].pid1 != (uint32_t)pid + 1)
		h = (h + 1) & (m->nnames - 1);
	return &m->names[h];
}

static int grow_names(struct nd_proc_map *m)
{
	struct nd_proc_map old = *m;

	m->nnames *= 2;
	m->names = calloc(m->nnames, sizeof(*m->names));
	if (!m->names) {
		*m = old;
		return -ENOMEM;
	}
	for (size_t i = 0; i < old.nnames; i++)
		if (old.names[i].pid1)
			*find_name(m, (pid_t)(old.names[i].pid1 - 1)) = old.names[i];
	free(old.names);
	return 0;
}

/* Remember @comm as the name of @pid, unless it has one already. */
static int add_comm(struct nd_proc_map *m, pid_t pid, const char *comm)
{
	size_t l = strlen(comm) + 1;
	struct name *nm;

	if (m->last_pid == pid)
		return 0;
	if ((m->names_used + 1) * 2 > m->nnames && grow_names(m))
		return -ENOMEM;
	nm = find_name(m, pid);
	if (nm->pid1) {
		m->last_pid = pid;
		return 0;
	}
	if (m->pool_len + l > m->pool_cap) {
		size_t cap = m->pool_cap ? m->pool_cap * 2 : 4096;
		char *p;

		while (cap < m->pool_len + l)
			cap *= 2;
		p = realloc(m->pool, cap);
		if (!p)
			return -ENOMEM;
		m->pool = p;
		m->pool_cap = cap;
	}
	memcpy(m->pool + m->pool_len, comm, l);
	*nm = (struct name){ .pid1 = (uint32_t)pid + 1, .off = (uint32_t)m->pool_len };
	m->names_used++;
	m->last_pid = pid;
	m->pool_len += l;
	return 0;
}

int nd_proc_map_add(struct nd_proc_map *m, uint64_t inode, pid_t pid, int fd, const char *comm)
{
	if (inode == 0)
		return 0;
	if (add_comm(m, pid, comm))
		return -ENOMEM;
	if ((m->n + 1) * 2 > m->nslots && grow_table(m))
		return -ENOMEM;
	put_entry(m->t, m->nslots, (struct entry){ .inode = inode, .pid = pid, .fd = fd });
	m->n++;
	return 0;
}

static bool owner_before(const struct nd_proc_owner *a, const struct nd_proc_owner *b)
{
	return a->pid < b->pid || (a->pid == b->pid && a->fd < b->fd);
}

/*
 * Put @o into the @k owners of @out (room for @max), kept in (pid, fd) order; when @out is
 * full the last one drops out.  The scan's threads and the BPF iterator find the owners of a
 * shared socket in different orders: the output must not depend on which one ran.  A socket
 * rarely has more than a couple of owners.
 */
static void insert_owner(struct nd_proc_owner *out, size_t k, size_t max, struct nd_proc_owner o)
{
	if (max == 0)
		return;
	if (k >= max) {
		if (!owner_before(&o, &out[max - 1]))
			return;
		k = max - 1;
	}
	for (; k > 0 && owner_before(&o, &out[k - 1]); k--)
		out[k] = out[k - 1];
	out[k] = o;
}

size_t nd_proc_lookup(const struct nd_proc_map *m, uint64_t inode, struct nd_proc_owner *out,
		      size_t max)
{
	size_t h = inode_slot(inode, m->nslots);
	size_t k = 0;

	if (inode == 0)
		return 0;
	for (; m->t[h].inode; h = (h + 1) & (m->nslots - 1)) {
		const struct entry *e = &m->t[h];
		const struct name *nm;

		if (e->inode != inode)
			continue;
		nm = find_name(m, e->pid);
		insert_owner(out, k++, max,
			     (struct nd_proc_owner){ .pid = e->pid,
						     .fd = e->fd,
						     .comm = nm->pid1 ? m->pool + nm->off : "" });
	}
	return k;
}

void nd_proc_map_deny(struct nd_proc_map *m)
{
	m->denied++;
}

int nd_proc_map_merge(struct nd_proc_map *into, const struct nd_proc_map *from)
{
	into->denied += from->denied;
	for (size_t i = 0; i < from->nslots; i++) {
		const struct entry *e = &from->t[i];
		const struct name *nm;
		int err;

		if (!e->inode)
			continue;
		nm = find_name(from, e->pid);
		err = nd_proc_map_add(into, e->inode, e->pid, e->fd,
				      nm->pid1 ? from->pool + nm->off : "");
		if (err)
			return err;
	}
	return 0;
}
