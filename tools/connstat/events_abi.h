/* SPDX-License-Identifier: MIT */
#ifndef CS_EVENTS_ABI_H
#define CS_EVENTS_ABI_H

/*
 * What events.bpf.c hands to user space through its ring buffer: one record per TCP state
 * change.  Included by the BPF program (types from vmlinux.h) and by the loader (types from
 * <linux/types.h>), so only fixed-size __u types appear here.
 */
#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define CS_EV_COMM_LEN 16

/* flags */
#define CS_EV_OWNER_LISTENER 1 /* owner guessed from the listener: not accepted yet */

struct cs_ev_rec {
	__u64 ts_ns;     /* bpf_ktime_get_ns() of the change (CLOCK_MONOTONIC) */
	__u64 cookie;    /* the socket cookie, as sock_diag's idiag_cookie */
	__u64 in_old_ns; /* time spent in the old state; 0 when not seen entering it */
	__u32 pid;       /* owning process (tgid); 0 when unknown */
	__u32 netns;     /* inode number of the socket's network namespace */
	__u8 laddr[16];  /* IPv4 in the first 4 bytes */
	__u8 paddr[16];
	__u16 lport; /* host order */
	__u16 pport;
	__u8 family;   /* AF_INET, AF_INET6 */
	__u8 oldstate; /* TCP_* */
	__u8 newstate;
	__u8 flags; /* CS_EV_* */
	char comm[CS_EV_COMM_LEN];
};

/* The socket table of the BPF side: cookie -> when it entered its state, and who owns it. */
struct cs_ev_sock {
	__u64 ts_ns; /* 0: owner known (seeded from user space), entry time not seen */
	__u32 pid;
	__u32 flags;
	char comm[CS_EV_COMM_LEN];
};

/* Listening sockets by namespace and port: the owner of a connection not accepted yet. */
struct cs_ev_lkey {
	__u32 netns;
	__u16 port;
	__u16 pad;
};

#endif
