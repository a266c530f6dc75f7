/* SPDX-License-Identifier: MIT */
#ifndef CS_OWNERS_H
#define CS_OWNERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "proc.h"

/*
 * Who owns a socket (pid, fd, process name), for -p and for -E's events.  Two sources give the
 * same answers:
 *   bpf   an iter/task_file program (owners.bpf.c) lists every socket file of every process,
 *         with the socket's inode and cookie, the processes read in parallel: 2-4x faster than
 *         /proc at 100,000 sockets.  Needs root, a build with BPF, and a kernel that loads it.
 *   proc  one scan of /proc/<pid>/fd (lib/proc): inodes only, and only the processes this user
 *         may look into.
 * A snapshot is taken by cs_owners_refresh(); lookups answer from the last snapshot.
 */
enum cs_owners_src {
	CS_OWNERS_AUTO, /* bpf when root and it loads, else proc */
	CS_OWNERS_BPF,  /* bpf or fail */
	CS_OWNERS_PROC, /* proc only */
};

struct cs_owners;

/* Flags of cs_owners_open(). */
#define CS_OWNERS_COOKIES 0x1 /* also index the snapshot by socket cookie (bpf source only) */

/*
 * cs_owners_open - choose and prepare a source (load the BPF program once, for every later
 * snapshot).  @netns_ino: with bpf, only the sockets of this network namespace (the inode
 * number of /proc/self/ns/net) are kept; 0 keeps all, which is cheaper when most sockets are
 * in one namespace (each socket's namespace is one more cache miss to read).  Returns 0, or a
 * negative errno: for
 * CS_OWNERS_BPF when the program cannot be used (-EOPNOTSUPP: a build without BPF), -ENOMEM.
 */
int cs_owners_open(struct cs_owners **ow, enum cs_owners_src src, uint64_t netns_ino,
		   unsigned int flags);

/* cs_owners_close - unload and free; NULL is allowed. */
void cs_owners_close(struct cs_owners *ow);

/* cs_owners_src_name - "bpf" or "proc": the source cs_owners_open() chose. */
const char *cs_owners_src_name(const struct cs_owners *ow);

/*
 * cs_owners_refresh - take a new snapshot of every process's sockets, replacing the last one.
 * Returns 0 or a negative errno.
 */
int cs_owners_refresh(struct cs_owners *ow);

/* cs_owners_map - the last snapshot by socket inode, for nd_proc_lookup(); NULL before any. */
const struct nd_proc_map *cs_owners_map(const struct cs_owners *ow);

/*
 * cs_owners_by_inode / cs_owners_by_cookie - the owners of a socket in the last snapshot, by
 * its inode or by its cookie (sock_diag's idiag_inode / idiag_cookie, the cookie as
 * bpf_get_socket_cookie() gives it): up to @max in @out, by pid then fd; returns how many there
 * are in all.  By cookie needs CS_OWNERS_COOKIES and the bpf source (/proc knows no cookies:
 * use the inode sock_diag reports beside the cookie); otherwise it finds nothing.
 */
size_t cs_owners_by_inode(const struct cs_owners *ow, uint64_t inode, struct nd_proc_owner *out,
			  size_t max);
size_t cs_owners_by_cookie(const struct cs_owners *ow, uint64_t cookie, struct nd_proc_owner *out,
			   size_t max);

/*
 * cs_owners_denied - how many processes the last snapshot could not look into (another
 * user's, without root): their sockets show no owner.  Always 0 with bpf.
 */
size_t cs_owners_denied(const struct cs_owners *ow);

#endif
