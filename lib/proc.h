/* SPDX-License-Identifier: MIT */
#ifndef ND_PROC_H
#define ND_PROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Socket inode -> owning processes, from one scan of /proc: every /proc/<pid>/fd is read once
 * (getdents64 + readlinkat), every "socket:[N]" link goes into an open-addressing hash keyed by
 * the inode.  A socket shared by several processes (after fork) has several owners.
 */
struct nd_proc_map;

struct nd_proc_owner {
	pid_t pid;
	int fd;
	const char *comm; /* the process name from /proc/<pid>/comm; "" when unreadable */
};

/*
 * nd_proc_scan - scan @root (normally "/proc") and build a map.  Processes that vanish or
 * cannot be read are skipped.  Returns 0 and sets *@map, or a negative errno.
 */
int nd_proc_scan(const char *root, struct nd_proc_map **map);

/*
 * nd_proc_list_pids - the processes in @root (normally "/proc"): its entries that are numbers,
 * into a new array *@pids (*@n of them, free() it).  Returns 0 or a negative errno.
 */
int nd_proc_list_pids(const char *root, int **pids, size_t *n);

/* nd_proc_free - free the map; NULL is allowed. */
void nd_proc_free(struct nd_proc_map *map);

/*
 * nd_proc_lookup - the owners of socket @inode: fills @out with the first @max of them by pid,
 * then fd, and returns how many there are in all (may exceed @max).
 */
size_t nd_proc_lookup(const struct nd_proc_map *map, uint64_t inode, struct nd_proc_owner *out,
		      size_t max);

/* nd_proc_count - how many (inode, pid, fd) entries the map holds. */
size_t nd_proc_count(const struct nd_proc_map *map);

/*
 * nd_proc_denied - how many processes the scan could not look into (their fd directory gave
 * EACCES or EPERM: another user's, without root).  Their sockets have no owner in the map.
 */
size_t nd_proc_denied(const struct nd_proc_map *map);

/*
 * nd_proc_parse_socket_link - the inode of a "socket:[12345]" link text (@len bytes, not
 * NUL-terminated).  Returns 0 and sets *@inode, or -EINVAL for anything else.
 */
int nd_proc_parse_socket_link(const char *s, size_t len, uint64_t *inode);

/*
 * nd_proc_map_new / nd_proc_map_add - build a map by hand (for tests, the scan and connstat's
 * BPF iterator).  @comm is copied; a pid keeps the first name it was given.  Inode 0 is no
 * socket's and is not stored.  Return 0 or -ENOMEM.
 */
int nd_proc_map_new(struct nd_proc_map **map);
int nd_proc_map_add(struct nd_proc_map *map, uint64_t inode, pid_t pid, int fd, const char *comm);

/*
 * nd_proc_map_merge - add every entry of @from to @into, and its count of processes denied (the
 * scan's threads each fill a map of their own).  Returns 0 or -ENOMEM.
 */
int nd_proc_map_merge(struct nd_proc_map *into, const struct nd_proc_map *from);

/* nd_proc_map_deny - count one process whose fds could not be read (see nd_proc_denied). */
void nd_proc_map_deny(struct nd_proc_map *map);

#endif
