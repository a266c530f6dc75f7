// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * connstat -E: every TCP state change (tp_btf/inet_sock_set_state), keyed by the socket cookie,
 * into a ring buffer that wakes user space in batches.  What it keeps per socket lives in the
 * socket's own BPF storage.  The owner is the process that
 * connect()ed or listen()ed, remembered by cookie: the task running when a state changes is often
 * someone else (softirq, or the peer on loopback).  A connection the server has not accepted
 * yet belongs to its listener's process (this kernel has no fentry to see accept() itself).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "events_abi.h"

#define AF_INET  2
#define AF_INET6 10

/* Set by the loader before load. */
const volatile __u32 target_netns = 0; /* 0: every namespace */
const volatile __u64 wakeup_bytes = 0; /* wake user space once this much is waiting */

/* Read by the loader: records the ring had no room for. */
__u64 lost = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/* Per socket: when it entered its state, and who owns it; freed with the socket. */
struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct cs_ev_sock);
} socks SEC(".maps");

/* The owners of sockets older than the program, by cookie, from user space (taken once each). */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1 << 18);
	__type(key, __u64);
	__type(value, struct cs_ev_sock);
} seeds SEC(".maps");

/* Set by the loader before it fills seeds: until then there is nothing to look up. */
__u32 seeded = 0;

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 1 << 14);
	__type(key, struct cs_ev_lkey);
	__type(value, struct cs_ev_sock);
} listeners SEC(".maps");

static __always_inline void set_owner_current(struct cs_ev_sock *o)
{
	o->pid = bpf_get_current_pid_tgid() >> 32;
	o->flags = 0;
	bpf_get_current_comm(o->comm, sizeof(o->comm));
}

static __always_inline void copy_addrs(struct cs_ev_rec *e, const struct sock *sk)
{
	if (e->family == AF_INET) {
		__builtin_memcpy(e->laddr, &sk->__sk_common.skc_rcv_saddr, 4);
		__builtin_memcpy(e->paddr, &sk->__sk_common.skc_daddr, 4);
	} else {
		__builtin_memcpy(e->laddr, &sk->__sk_common.skc_v6_rcv_saddr, 16);
		__builtin_memcpy(e->paddr, &sk->__sk_common.skc_v6_daddr, 16);
	}
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(on_state, struct sock *sk, int oldstate, int newstate)
{
	struct cs_ev_sock own = {}, *st;
	struct cs_ev_lkey lk = {};
	struct cs_ev_rec *e;
	struct tcp_sock *tp;
	__u64 now = bpf_ktime_get_ns(), cookie;
	__u32 netns;
	__u16 family = sk->__sk_common.skc_family, lport;

	/* tcp_close() after shutdown() sets FIN-WAIT-1 again: no change, no event */
	if (oldstate == newstate || sk->sk_protocol != IPPROTO_TCP ||
	    (family != AF_INET && family != AF_INET6))
		return 0;
	/* plain loads through the kernel's types (the verifier makes them safe): no helper calls */
	netns = sk->__sk_common.skc_net.net->ns.inum;
	if (target_netns && netns != target_netns)
		return 0;
	tp = bpf_skc_to_tcp_sock(sk);
	if (!tp)
		return 0;
	cookie = bpf_get_socket_cookie(sk);
	/* inet_num is gone once the port is released (at CLOSE); inet_sport stays */
	lport = __builtin_bswap16(tp->inet_conn.icsk_inet.inet_sport);
	if (!lport)
		lport = sk->__sk_common.skc_num;
	lk.netns = netns;
	lk.port = lport;

	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		__sync_fetch_and_add(&lost, 1);
	} else {
		e->in_old_ns = 0;
	}

	st = bpf_sk_storage_get(&socks, sk, NULL, BPF_SK_STORAGE_GET_F_CREATE);
	if (st) {
		if (!st->ts_ns && seeded) { /* first seen: older than the program? */
			struct cs_ev_sock *seed = bpf_map_lookup_elem(&seeds, &cookie);

			if (seed) {
				*st = *seed;
				bpf_map_delete_elem(&seeds, &cookie);
			}
		}
		own = *st;
		if (e && st->ts_ns)
			e->in_old_ns = now - st->ts_ns;
	}
	/* connect() and listen() run in the owner's own system call */
	if (oldstate == TCP_CLOSE && (newstate == TCP_SYN_SENT || newstate == TCP_LISTEN))
		set_owner_current(&own);
	/* a connection still in the accept queue: the listener's process will accept it */
	if (!own.pid && (oldstate == TCP_LISTEN || oldstate == TCP_SYN_RECV)) {
		struct cs_ev_sock *l = bpf_map_lookup_elem(&listeners, &lk);

		if (l) {
			own = *l;
			own.flags = CS_EV_OWNER_LISTENER;
		}
	}
	/* accepted since (it has its struct socket): the listener's process is its owner now */
	if ((own.flags & CS_EV_OWNER_LISTENER) && sk->sk_socket)
		own.flags = 0;
	if (newstate == TCP_LISTEN) {
		own.ts_ns = now;
		bpf_map_update_elem(&listeners, &lk, &own, BPF_ANY);
	} else if (oldstate == TCP_LISTEN && newstate == TCP_CLOSE) {
		bpf_map_delete_elem(&listeners, &lk);
	}
	own.ts_ns = now;
	if (st)
		*st = own;
	if (!e)
		return 0;

	e->ts_ns = now;
	e->cookie = cookie;
	e->pid = own.pid;
	e->netns = netns;
	e->family = family;
	e->oldstate = oldstate;
	e->newstate = newstate;
	e->flags = own.flags;
	e->lport = lport;
	e->pport = __builtin_bswap16(sk->__sk_common.skc_dport);
	__builtin_memset(e->laddr, 0, sizeof(e->laddr));
	__builtin_memset(e->paddr, 0, sizeof(e->paddr));
	copy_addrs(e, sk);
	__builtin_memcpy(e->comm, own.comm, sizeof(e->comm));
	/* batched wake-ups: one per wakeup_bytes of records, the rest found by the reader's poll */
	if (bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= wakeup_bytes)
		bpf_ringbuf_submit(e, 0);
	else
		bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
