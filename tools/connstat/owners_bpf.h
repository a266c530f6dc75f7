/* SPDX-License-Identifier: MIT */
#ifndef CS_OWNERS_BPF_H
#define CS_OWNERS_BPF_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/types.h>

#include "owners_abi.h"

/*
 * The loader of owners.bpf.c, for owners.c.  In a build without BPF every call fails with
 * -EOPNOTSUPP.
 */
struct cs_owners_bpf;

/*
 * cs_owners_bpf_open - load the iterator and attach it, keeping only sockets of the network
 * namespace @netns_ino (0: all), with their cookies when @cookies (0 otherwise).  Returns 0
 * or a negative errno (-EPERM without privilege).
 */
int cs_owners_bpf_open(struct cs_owners_bpf **b, uint32_t netns_ino, bool cookies);

/*
 * cs_owners_bpf_read - run the iterator once and call @cb for every socket file, from this
 * thread (with several CPUs the processes are read in parallel, one iterator each, and the
 * records handed over afterwards); a non-zero return from @cb stops the read and is returned.
 * Returns 0 or a negative errno.
 */
int cs_owners_bpf_read(struct cs_owners_bpf *b, int (*cb)(const struct cs_owner_rec *r, void *data),
		       void *data);

/* cs_owners_bpf_close - detach and unload; NULL is allowed. */
void cs_owners_bpf_close(struct cs_owners_bpf *b);

#endif
