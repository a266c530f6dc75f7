/* SPDX-License-Identifier: MIT */
#ifndef ND_SOCKOPT_H
#define ND_SOCKOPT_H

#include <linux/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

/*
 * Socket buffer and queue helpers: what a socket's buffers and queues hold right now.
 * All return 0 or a negative errno and never print.
 */

/* The queues of a socket, in bytes; -1 where the kernel does not tell (a listener, UDP NSD). */
struct nd_sockq {
	int64_t inq;      /* SIOCINQ: received, not yet read */
	int64_t outq;     /* SIOCOUTQ: written, not yet acknowledged (TCP) */
	int64_t outq_nsd; /* SIOCOUTQNSD: written, not yet sent (TCP) */
};

/* nd_sock_queues - SIOCINQ, SIOCOUTQ and SIOCOUTQNSD of @fd. */
int nd_sock_queues(int fd, struct nd_sockq *q);

/* nd_sock_getbuf - SO_SNDBUF and SO_RCVBUF as getsockopt reports them (either may be NULL). */
int nd_sock_getbuf(int fd, int *sndbuf, int *rcvbuf);

/* nd_sock_setint - setsockopt(@fd, @level, @opt) with an int. */
int nd_sock_setint(int fd, int level, int opt, int val);

/* nd_tcp_info - TCP_INFO of @fd (zeroed first, so fields an older kernel lacks read 0). */
int nd_tcp_info(int fd, struct tcp_info *ti);

/*
 * nd_poll_until - wait until @fd is ready for @events or the CLOCK_MONOTONIC time @deadline_ns
 * (see nd_now()) passes; a signal does not end the wait early.  Returns 0 when ready,
 * -ETIMEDOUT, or a negative errno from poll().
 */
int nd_poll_until(int fd, short events, int64_t deadline_ns);

/*
 * nd_connect_timeout - connect @fd to @sa, waiting at most @timeout_ms.  The socket is left
 * blocking.  Returns 0, -ETIMEDOUT, or the connect error (-ECONNREFUSED, -EHOSTUNREACH, ...).
 */
int nd_connect_timeout(int fd, const struct sockaddr *sa, socklen_t salen, int timeout_ms);

/* nd_set_nonblock - set or clear O_NONBLOCK. */
int nd_set_nonblock(int fd, bool on);

#endif
