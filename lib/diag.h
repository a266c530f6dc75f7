/* SPDX-License-Identifier: MIT */
#ifndef ND_DIAG_H
#define ND_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>
#include <linux/tcp.h>

#include "nl.h"

/*
 * sock_diag: requests (inet_diag for TCP/UDP/RAW, unix_diag for UNIX) and pure parsers of the
 * kernel's answers into struct nd_sock.  The parsers never copy variable-length data: a UNIX
 * path points into the message, valid while the message is.
 */

/* What ss calls the socket's netid. */
enum nd_netid { ND_TCP, ND_UDP, ND_RAW, ND_U_STR, ND_U_DGR, ND_U_SEQ, ND_NETID_MAX };

/* Kernel socket states (TCP_ESTABLISHED .. TCP_NEW_SYN_RECV), as in include/net/tcp_states.h. */
/* clang-format off */
enum {
	ND_SS_UNKNOWN, ND_SS_ESTABLISHED, ND_SS_SYN_SENT, ND_SS_SYN_RECV, ND_SS_FIN_WAIT1,
	ND_SS_FIN_WAIT2, ND_SS_TIME_WAIT, ND_SS_CLOSE, ND_SS_CLOSE_WAIT, ND_SS_LAST_ACK,
	ND_SS_LISTEN, ND_SS_CLOSING, ND_SS_NEW_SYN_RECV, ND_SS_MAX
};
/* clang-format on */
#define ND_SS_ALL ((1u << ND_SS_MAX) - 1)

/* Extensions a request may ask for (flags, several at once). */
enum {
	ND_DIAG_INFO = 1 << 0,  /* tcp_info, the congestion control name and its numbers (BBR) */
	ND_DIAG_SKMEM = 1 << 1, /* skmem counters */
};

/* One process holding a socket (a tool fills these from its owner map, see nd_sock.owners). */
struct nd_sock_owner {
	int pid;
	const char *comm;
};

struct nd_sock {
	uint8_t family;   /* AF_INET, AF_INET6, AF_UNIX */
	uint8_t netid;    /* enum nd_netid */
	uint8_t state;    /* kernel state, ND_SS_* */
	uint8_t timer;    /* 0 off, 1 retransmit, 2 keepalive, 3 time-wait, 4 zero-window probe */
	uint8_t retrans;  /* retransmits (or probes) of the running timer */
	uint8_t shutdown; /* SHUT_* bits seen by the kernel, 0..3 */
	uint8_t protocol; /* RAW: the IP protocol of the socket */
	bool has_skmem;
	bool has_info;
	bool has_uid;
	uint32_t recv_q, send_q;
	uint32_t expires_ms;
	uint32_t uid;
	uint32_t inode;
	uint32_t ifindex;
	uint64_t cookie;
	uint16_t lport, pport; /* host order */
	uint8_t laddr[16], paddr[16];
	/* UNIX */
	uint32_t peer_inode; /* 0 when unknown */
	const char *path;    /* points into the message; NULL when unnamed */
	size_t path_len;     /* bytes of path; an abstract name starts with a NUL byte */
	/* extensions */
	uint32_t skmem[9]; /* SK_MEMINFO_* order */
	const char *cong;  /* congestion control name, into the message, NUL-terminated */
	/*
	 * The processes holding the socket, when a tool attached them (from its owner map) for a
	 * filter's pid/comm terms: never set by the parsers, which clear it.
	 */
	const struct nd_sock_owner *owners;
	size_t nowners;
	bool has_bbr; /* BBR's own numbers came (INET_DIAG_BBRINFO) */
	struct {
		uint64_t bw;          /* bandwidth estimate, bytes/s */
		uint32_t min_rtt_us;  /* min_rtt, us */
		uint32_t pacing_gain; /* gains in 1/256 */
		uint32_t cwnd_gain;
	} bbr;
	size_t info_len;      /* bytes of tcp_info the kernel sent */
	struct tcp_info info; /* zero past info_len */
};

/*
 * The most inet_diag bytecode one request carries: a netlink attribute's length is 16 bits,
 * header included, and bytecode comes in 4-byte ops.
 */
#define ND_DIAG_BC_MAX 65528

/*
 * nd_diag_inet_request - a SOCK_DIAG_BY_FAMILY dump request for @family (AF_INET/AF_INET6) and
 * @protocol (IPPROTO_TCP, IPPROTO_UDP, IPPROTO_RAW), states in @states (bit per ND_SS_*), with
 * the extensions in @ext, and the inet_diag bytecode @bc (@bclen bytes, may be 0).
 * Returns the request ready for nd_nl_dump(), or NULL when the bytecode is over ND_DIAG_BC_MAX.
 */
struct nlmsghdr *nd_diag_inet_request(struct nd_nl *nl, int family, int protocol, uint32_t states,
				      unsigned int ext, const void *bc, size_t bclen);

/* nd_diag_unix_request - the same for UNIX sockets: name, peer, queues, uid, meminfo. */
struct nlmsghdr *nd_diag_unix_request(struct nd_nl *nl, uint32_t states, unsigned int ext);

/*
 * nd_diag_parse_inet - parse one inet_diag message into @s; @protocol is the one requested
 * (the message does not always carry it).  Returns 0 or -EBADMSG for a short one or one with
 * a malformed attribute (nd_attr_parse()'s policy); an attribute of the wrong size is absent.
 */
int nd_diag_parse_inet(const struct nlmsghdr *nlh, int protocol, struct nd_sock *s);

/* nd_diag_parse_unix - parse one unix_diag message.  Returns 0 or -EBADMSG. */
int nd_diag_parse_unix(const struct nlmsghdr *nlh, struct nd_sock *s);

/* nd_sock_state_name - ss's display name of a state: "ESTAB", "UNCONN", "TIME-WAIT", ... */
const char *nd_sock_state_name(unsigned int state);

/* nd_sock_state_netstat - netstat's name: "ESTABLISHED", "TIME_WAIT", "LISTEN", ... */
const char *nd_sock_state_netstat(unsigned int state);

/* nd_netid_name - "tcp", "udp", "raw", "u_str", "u_dgr", "u_seq". */
const char *nd_netid_name(unsigned int netid);

/* nd_timer_name - ss's timer names: "off", "on", "keepalive", "timewait", "persist". */
const char *nd_timer_name(unsigned int timer);

#endif
