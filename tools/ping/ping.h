/* SPDX-License-Identifier: MIT */
#ifndef PING_PING_H
#define PING_PING_H

#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "addr.h"
#include "icmp.h"
#include "opts.h"
#include "seqtrack.h"
#include "stats.h"
#include "tmowatch.h"

#define PING_MAXPACKET (65535 + 512)

/* One open ICMP socket. */
struct ping_sock {
	int fd;
	int family;
	bool raw; /* SOCK_RAW; otherwise the unprivileged SOCK_DGRAM ICMP socket */
	int err;  /* errno of the failed open, when fd < 0 */
};

/* What one received message amounts to, after parsing and matching to our requests. */
struct ping_rx {
	struct nd_icmp_msg m;
	struct sockaddr_storage from;
	int64_t rx_ns;     /* kernel receive time (CLOCK_REALTIME), 0 when none */
	int ttl;           /* from the IP header or the TTL / hop limit cmsg, -1 when none */
	uint8_t local[16]; /* our address (IPv6 pktinfo, for --explain) */
	bool has_local;
	bool late; /* JSON: a reply to a request already reported as timed out */
};

/* What run.c concluded about one echo reply, for ping_report_reply(). */
struct ping_verdict {
	uint16_t seq;
	int bytes;      /* ICMP length */
	bool timed;     /* rtt_us holds the round trip */
	int64_t rtt_us; /* the one round-trip value: text, JSON and the summary print it */
	bool dup;
	bool unsent;    /* answers a sequence number never sent: ignored */
	bool bad_cksum; /* corrupt: checksum wrong */
	bool truncated; /* corrupt: shorter than what was sent */
	bool bad_stamp; /* corrupt: a send time outside the span of the send times */
	int bad_byte;   /* first data byte that differs from what was sent, -1 none */
};

struct ping {
	const struct ping_opts *o;
	struct ping_sock sk;
	struct sockaddr_storage dst;
	socklen_t dstlen;
	struct sockaddr_storage src; /* the source address the kernel would pick */
	char host[1025];             /* as given, or the canonical name */
	char dst_str[ND_ADDRSTRLEN];
	bool numeric;
	bool privileged;
	bool bound_addr; /* -I named a source address, not an interface */
	uint16_t ident;
	int interval_ms;
	bool timing; /* the payload can carry the send time */

	uint8_t *out; /* the request, built once, re-stamped per send */
	int outlen;

	long ntransmitted, nreceived, nrepeats, nchecksum, nerrors;
	long nignored; /* replies to sequence numbers never sent */
	struct seqtrack seq;
	struct nd_rtt_stats stats;
	int rtt8; /* iputils' EWMA of the RTT, in us * 8 */

	int64_t start_ns, last_send_ns; /* CLOCK_MONOTONIC */
	int64_t exit_at_ns;             /* 0 = not scheduled */
	bool exit_scheduled;
	bool explained_req, explained_reply;
	struct tmowatch *tmo; /* JSON timeout events; NULL in text mode */

	volatile sig_atomic_t *exiting, *status;
};

/* sock.c */
int ping_sock_open(int family, struct ping_sock *s);
int ping_sock_setup(struct ping *p, char *err, size_t errlen);
int ping_sock_probe_source(struct ping *p, char *err, size_t errlen);
int ping_send(struct ping *p, uint16_t seq, const struct timespec *ts);
/* Receive one message without waiting: 1 got one, 0 nothing queued, -errno on error. */
int ping_recv(struct ping *p, struct ping_rx *rx, const uint8_t **buf, size_t *len);
/* One entry of the socket's error queue (IP_RECVERR / IPV6_RECVERR). */
struct ping_errq {
	bool local; /* a local error (EMSGSIZE, ...) rather than an ICMP one */
	int ee_errno;
	uint8_t type, code;
	uint32_t info;
	struct sockaddr_storage offender;
	bool ours; /* it quotes one of our echo requests to our target */
	uint16_t seq;
};
/* Read one error-queue entry without waiting: 1 got one, 0 queue empty, -errno on error. */
int ping_recv_err(struct ping *p, struct ping_errq *e);

/* report.c */
void ping_report_header(struct ping *p);
void ping_report_reply(struct ping *p, const struct ping_rx *rx, const struct ping_verdict *v,
		       const uint8_t *data, size_t datalen);
void ping_report_error(struct ping *p, const struct sockaddr *from, uint16_t seq, uint8_t type,
		       uint8_t code, uint32_t info);
void ping_report_local_error(struct ping *p, int err, uint32_t info);
void ping_report_other(struct ping *p, const struct ping_rx *rx);
void ping_report_outstanding(struct ping *p, long seq);
void ping_report_timeout(struct ping *p, long seq, int64_t waited_ns);
void ping_report_sent(struct ping *p);
void ping_report_status(struct ping *p);
int ping_report_summary(struct ping *p);
const char *ping_addr_name(struct ping *p, const struct sockaddr *sa, char *buf, size_t len);

/* explain.c */
void explain_request(struct ping *p, const uint8_t *icmp, size_t len);
void explain_reply(struct ping *p, const uint8_t *buf, size_t len, const struct ping_rx *rx);

/* run.c */
int ping_run(struct ping *p);

#endif
