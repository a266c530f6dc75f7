// SPDX-License-Identifier: MIT
/* The receiving ends: a TCP sink, and a UDP reader slower than its sender. */
#include "sockbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "sockopt.h"
#include "sysctl.h"
#include "units.h"

#define SINK_BUF (1 << 20)

int sb_sink(int fd, uint64_t *bytes)
{
	char *buf = malloc(SINK_BUF);

	*bytes = 0;
	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t r = read(fd, buf, SINK_BUF);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;

			free(buf);
			return -e;
		}
		if (r == 0)
			break;
		*bytes += (uint64_t)r;
	}
	free(buf);
	return 0;
}

/*
 * The kernel counts a datagram dropped for a full receive buffer in the MIB of the socket that
 * took it: UDP_MIB_RCVBUFERRORS of /proc/net/snmp for IPv4, of /proc/net/snmp6 for an IPv6
 * socket (an IPv4 datagram to a v4-mapped IPv6 socket goes the IPv4 way).
 */
int sb_udp_rcvbuf_errors(int mib6, uint64_t *out)
{
	return mib6 ? nd_snmp6_read("Udp6RcvbufErrors", out)
		    : nd_snmp_read("Udp", "RcvbufErrors", out);
}

int sb_udp_open(const struct sockaddr *sa, socklen_t salen, int rcvbuf, uint16_t *port,
		struct sb_udp_rx *rx)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);
	int fd = socket(sa->sa_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int r = 0;

	if (fd < 0)
		return -errno;
	memset(rx, 0, sizeof(*rx));
	rx->mib6 = sa->sa_family == AF_INET6 &&
		   !IN6_IS_ADDR_V4MAPPED(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	if (rcvbuf > 0)
		r = nd_sock_setint(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf);
	if (r == 0)
		r = nd_sock_setint(fd, SOL_SOCKET, SO_RXQ_OVFL, 1);
	if (r == 0 && bind(fd, sa, salen) < 0)
		r = -errno;
	if (r == 0 && getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		r = -errno;
	if (r == 0)
		r = nd_sock_getbuf(fd, NULL, &rx->rcvbuf);
	if (r == 0)
		r = sb_udp_rcvbuf_errors(rx->mib6, &rx->snmp_before);
	if (r < 0) {
		close(fd);
		return r;
	}
	*port = nd_sockaddr_port(&ss);
	rx->fd = fd;
	return fd;
}

/*
 * Read one datagram without waiting.  Returns its length, -EAGAIN when the queue is empty.
 * The SO_RXQ_OVFL control message (present once the socket has dropped anything) carries the
 * socket's drop counter as it was when this datagram was queued.
 */
static ssize_t read_one(int fd, char *buf, size_t len, uint64_t *drops, int flags)
{
	char cbuf[CMSG_SPACE(sizeof(uint32_t))];
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr mh = { .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf,
			     .msg_controllen = sizeof(cbuf) };
	ssize_t r;

	do
		r = recvmsg(fd, &mh, flags);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return -errno;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_RXQ_OVFL) {
			uint32_t v;

			memcpy(&v, CMSG_DATA(c), sizeof(v));
			*drops = v;
		}
	}
	return r;
}

static bool readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

/* The marker: one byte from a fresh socket to our own address, queued after all data. */
static int send_marker(int fd)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);
	int s, r = 0;

	if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		return -errno;
	s = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (sendto(s, "M", SB_UDP_MARKER_LEN, 0, (struct sockaddr *)&ss, l) < 0)
		r = -errno;
	close(s);
	return r;
}

/* Read what is queued, without waiting: @max datagrams at most (0: all).  0 or a negative errno. */
static int drain(struct sb_udp_rx *rx, char *buf, size_t len, int max)
{
	for (int i = 0; max == 0 || i < max; i++) {
		ssize_t n = read_one(rx->fd, buf, len, &rx->drops, MSG_DONTWAIT);

		if (n == -EAGAIN)
			break;
		if (n < 0)
			return (int)n;
		rx->received++;
	}
	return 0;
}

/* The receiving loop and its end, with @buf (65536 bytes) to read into. */
static int receive(struct sb_udp_rx *rx, int done_fd, char *buf, size_t len)
{
	int64_t tick = 1000000, next = nd_now(), active = next;
	int per_tick = rx->rate > 0 ? (int)(((int64_t)rx->rate + 999) / 1000) : 0;
	uint64_t after, seen = rx->received;
	int r;

	/* the slow reader: per_tick datagrams every millisecond, until the sender is done */
	while (!readable(done_fd)) {
		struct timespec ts;

		r = drain(rx, buf, len, per_tick);
		if (r < 0)
			return r;
		if (rx->received != seen) {
			seen = rx->received;
			active = nd_now();
		} else if (rx->idle_ns && nd_now() - active > rx->idle_ns) {
			return -ETIME;
		}
		if (per_tick == 0) {
			struct pollfd p[2] = { { .fd = rx->fd, .events = POLLIN },
					       { .fd = done_fd, .events = POLLIN } };

			poll(p, 2, 100);
			continue;
		}
		next += tick;
		ts.tv_sec = next / 1000000000;
		ts.tv_nsec = next % 1000000000;
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
			;
	}
	/* let datagrams still on their way arrive, then read everything that is queued */
	usleep(20000);
	r = drain(rx, buf, len, 0);
	if (r < 0)
		return r;
	/* the queue is empty now, so the marker finds room; its counter is the final one */
	r = send_marker(rx->fd);
	if (r < 0)
		return r;
	for (;;) {
		ssize_t n;

		if (nd_poll_until(rx->fd, POLLIN, nd_now() + 1000000000))
			return -ETIMEDOUT; /* the marker went missing */
		n = read_one(rx->fd, buf, len, &rx->drops, MSG_DONTWAIT);
		if (n == -EAGAIN)
			continue;
		if (n < 0)
			return (int)n;
		if (n == SB_UDP_MARKER_LEN)
			break;
		rx->received++;
	}
	r = sb_udp_rcvbuf_errors(rx->mib6, &after);
	if (r < 0)
		return r;
	rx->rcvbuf_errors = after - rx->snmp_before;
	return 0;
}

int sb_udp_receive(struct sb_udp_rx *rx, int done_fd)
{
	/* a buffer of its own per call: serve runs one receiver per client thread */
	char *buf = malloc(65536);
	int r;

	if (!buf)
		return -ENOMEM;
	r = receive(rx, done_fd, buf, 65536);
	free(buf);
	return r;
}
