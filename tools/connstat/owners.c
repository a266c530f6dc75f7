// SPDX-License-Identifier: MIT
/* Socket owners from the BPF iterator or from /proc: one snapshot, looked up by inode or cookie. */
#include "owners.h"

#include "owners_bpf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct cs_owners {
	struct cs_owners_bpf *bpf; /* NULL: the /proc source */
	uint32_t netns_ino;
	bool cookies;
	struct nd_proc_map *by_inode;
	struct nd_proc_map *by_cookie; /* bpf with CS_OWNERS_COOKIES */
};

/* The inode number of the initial pid namespace (PROC_PID_INIT_INO). */
#define INIT_PID_NS "pid:[4026531836]"

/*
 * The iterator reports pids as the initial pid namespace numbers them; /proc, netstat and ss
 * number them as the reader's pid namespace does.  Only there are the two the same.
 */
static bool in_init_pid_ns(void)
{
	char link[64];
	ssize_t n = readlink("/proc/self/ns/pid", link, sizeof(link) - 1);

	if (n < 0)
		return false;
	link[n] = '\0';
	return strcmp(link, INIT_PID_NS) == 0;
}

int cs_owners_open(struct cs_owners **out, enum cs_owners_src src, uint64_t netns_ino,
		   unsigned int flags)
{
	struct cs_owners *ow = calloc(1, sizeof(*ow));
	int err = 0;

	if (!ow)
		return -ENOMEM;
	ow->netns_ino = (uint32_t)netns_ino;
	ow->cookies = flags & CS_OWNERS_COOKIES;
	if (src == CS_OWNERS_BPF && !in_init_pid_ns())
		err = -EXDEV;
	else if (src == CS_OWNERS_BPF ||
		 (src == CS_OWNERS_AUTO && geteuid() == 0 && in_init_pid_ns()))
		err = cs_owners_bpf_open(&ow->bpf, ow->netns_ino, ow->cookies);
	if (err && src == CS_OWNERS_BPF) {
		free(ow);
		return err;
	}
	*out = ow; /* AUTO: a failed load leaves bpf NULL, the /proc source */
	return 0;
}

void cs_owners_close(struct cs_owners *ow)
{
	if (!ow)
		return;
	cs_owners_bpf_close(ow->bpf);
	nd_proc_free(ow->by_inode);
	nd_proc_free(ow->by_cookie);
	free(ow);
}

const char *cs_owners_src_name(const struct cs_owners *ow)
{
	return ow->bpf ? "bpf" : "proc";
}

/* One record of the iterator into the maps. */
static int add_rec(const struct cs_owner_rec *r, void *data)
{
	struct cs_owners *ow = data;
	char comm[sizeof(r->comm) + 1];
	int err;

	memcpy(comm, r->comm, sizeof(r->comm));
	comm[sizeof(r->comm)] = '\0';
	err = nd_proc_map_add(ow->by_inode, r->inode, (pid_t)r->tgid, r->fd, comm);
	if (!err && ow->by_cookie)
		err = nd_proc_map_add(ow->by_cookie, r->cookie, (pid_t)r->tgid, r->fd, comm);
	return err;
}

static int refresh_bpf(struct cs_owners *ow)
{
	int err = nd_proc_map_new(&ow->by_inode);

	if (!err && ow->cookies)
		err = nd_proc_map_new(&ow->by_cookie);
	if (!err)
		err = cs_owners_bpf_read(ow->bpf, add_rec, ow);
	return err;
}

int cs_owners_refresh(struct cs_owners *ow)
{
	int err;

	nd_proc_free(ow->by_inode);
	nd_proc_free(ow->by_cookie);
	ow->by_inode = ow->by_cookie = NULL;
	err = ow->bpf ? refresh_bpf(ow) : nd_proc_scan("/proc", &ow->by_inode);
	if (err) {
		nd_proc_free(ow->by_inode);
		nd_proc_free(ow->by_cookie);
		ow->by_inode = ow->by_cookie = NULL;
	}
	return err;
}

const struct nd_proc_map *cs_owners_map(const struct cs_owners *ow)
{
	return ow->by_inode;
}

size_t cs_owners_by_inode(const struct cs_owners *ow, uint64_t inode, struct nd_proc_owner *out,
			  size_t max)
{
	return ow->by_inode ? nd_proc_lookup(ow->by_inode, inode, out, max) : 0;
}

size_t cs_owners_by_cookie(const struct cs_owners *ow, uint64_t cookie, struct nd_proc_owner *out,
			   size_t max)
{
	return ow->by_cookie ? nd_proc_lookup(ow->by_cookie, cookie, out, max) : 0;
}

size_t cs_owners_denied(const struct cs_owners *ow)
{
	return ow->by_inode ? nd_proc_denied(ow->by_inode) : 0;
}
