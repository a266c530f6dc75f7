// SPDX-License-Identifier: MIT
/* miniping's socket: open (raw, else datagram), options, kernel filters, send and receive. */
#define _GNU_SOURCE
#include "ping.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/errqueue.h>
#include <linux/filter.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "array.h"
#include "cli.h"

int ping_sock_open(int family, struct ping_sock *s)
{
	int proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;

	s->family = family;
	s->raw = true;
	s->err = 0;
	s->fd = socket(family, SOCK_RAW | SOCK_CLOEXEC, proto);
	if (s->fd >= 0)
		return 0;
	if (errno != EPERM && errno != EACCES) {
		s->err = errno;
		return -errno;
	}
	s->raw = false;
	s->fd = socket(family, SOCK_DGRAM | SOCK_CLOEXEC, proto);
	if (s->fd >= 0)
		return 0;
	s->err = errno;
	return -errno;
}

static int on(int fd, int level, int name)
{
	int one = 1;

	return setsockopt(fd, level, name, &one, sizeof(one));
}

/*
 * Raw IPv4: the process wakes only for echo replies carrying our identifier and for ICMP errors
 * that quote one of our echo requests (identifier at the quoted ICMP header).  With -v, as
 * iputils' filter always does, every ICMP message that is not an echo reply passes too, so -v
 * can show the ones nobody asked for.
 */
static int filter_v4(int fd, uint16_t ident, bool verbose)
{
	/* clang-format off */
	struct sock_filter f[] = {
		/* 0 */ BPF_STMT(BPF_LDX | BPF_B | BPF_MSH, 0),         /* X = IP header length */
		/* 1 */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, 0),          /* A = ICMP type */
		/* 2 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),   /* echo reply? */
		/* 3 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 4),          /* A = identifier */
		/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ident, 14, 15),
		/* 5 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 3, 4, 0),   /* errors: 3 4 5 11 12 */
		/* 6 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 4, 3, 0),
		/* 7 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 2, 0),
		/* 8 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 11, 1, 0),
		/* 9 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 12, 0, 10),
		/* 10 */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, 8),         /* quoted IP header */
		/* 11 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xf),
		/* 12 */ BPF_STMT(BPF_ALU | BPF_LSH | BPF_K, 2),
		/* 13 */ BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
		/* 14 */ BPF_STMT(BPF_MISC | BPF_TAX, 0),               /* X = both header lengths */
		/* 15 */ BPF_STMT(BPF_LD | BPF_B | BPF_IND, 8),         /* quoted ICMP type */
		/* 16 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 8, 0, 3),
		/* 17 */ BPF_STMT(BPF_LD | BPF_H | BPF_IND, 12),        /* quoted identifier */
		/* 18 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ident, 0, 1),
		/* 19 */ BPF_STMT(BPF_RET | BPF_K, 0xffff),
		/* 20 */ BPF_STMT(BPF_RET | BPF_K, 0),
	};
	/* clang-format on */
	struct sock_fprog prog = { .len = ND_ARRAY_SIZE(f), .filter = f };

	if (verbose) /* not an echo reply */
		f[5] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0xffff);
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* Raw IPv6: only echo replies pass (errors come through the error queue), and only ours. */
static int filter_v6(int fd, uint16_t ident)
{
	struct icmp6_filter ff;
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_H | BPF_ABS, 4), /* no IPv6 header on ICMPv6 sockets */
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ident, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { .len = ND_ARRAY_SIZE(f), .filter = f };

	ICMP6_FILTER_SETBLOCKALL(&ff);
	ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &ff);
	if (setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &ff, sizeof(ff)) < 0)
		return -1;
	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof(prog));
}

/* -I: an address of the family binds the source; anything else names an interface. */
static int source_addr(const struct ping *p, struct sockaddr_storage *ss, socklen_t *len)
{
	struct nd_addr a;

	if (!p->o->iface || nd_addr_parse(p->o->iface, p->sk.family, &a) ||
	    a.prefixlen != (a.family == AF_INET ? 32 : 128) || strchr(p->o->iface, '/'))
		return 0;
	*len = nd_sockaddr_from(ss, a.family, a.bytes, 0);
	return 1;
}

/* Whether @ss is an IPv6 link-local (unicast or multicast) address: it needs an interface. */
static bool link_local(const struct sockaddr_storage *ss)
{
	const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;

	return ss->ss_family == AF_INET6 &&
	       (IN6_IS_ADDR_LINKLOCAL(a) || IN6_IS_ADDR_MC_LINKLOCAL(a));
}

/*
 * A link-local destination without "%iface" (or a scope id) names no link.  With -I IFACE that
 * interface is the link (as iputils takes it); otherwise leave the choice to the kernel's routes
 * as iputils does, and on a datagram socket (which may refuse to send) say what is missing in
 * iputils' words.  There is no source to probe then: connecting a UDP socket to the address
 * fails with EINVAL, which once was all miniping said.
 * Returns whether the probe can connect.
 */
static bool scope_for_probe(const struct ping *p, struct sockaddr_storage *dst)
{
	struct sockaddr_in6 *d6 = (struct sockaddr_in6 *)dst;
	struct nd_addr a;

	if (!link_local(dst) || d6->sin6_scope_id)
		return true;
	if (p->o->iface && nd_addr_parse(p->o->iface, AF_INET6, &a) != 0) {
		d6->sin6_scope_id = if_nametoindex(p->o->iface);
		if (d6->sin6_scope_id)
			return true;
	}
	/* a raw socket reaches the link of the first fe80::/64 route; iputils warns only here */
	if (!p->sk.raw)
		nd_err("Warning: IPv6 link-local address on ICMP datagram socket may require ifname "
		       "or scope-id => use: address%%<ifname|scope-id>");
	return false;
}

/*
 * The probe's connect failed.  EACCES is the kernel refusing a broadcast address on a socket
 * without SO_BROADCAST: without -b ask, with -b warn and connect again, both in iputils' words.
 * Returns whether the probe is connected; otherwise @err says why.
 */
static bool broadcast(const struct ping *p, int fd, const struct sockaddr_storage *dst, char *err,
		      size_t errlen)
{
	int one = 1;

	if (errno != EACCES || p->sk.family != AF_INET) {
		snprintf(err, errlen, "connect: %s", strerror(errno));
		return false;
	}
	if (!p->o->broadcast) {
		snprintf(err, errlen,
			 "Do you want to ping broadcast? Then -b. If not, check your "
			 "local firewall rules");
		return false;
	}
	fputs("WARNING: pinging broadcast address\n", stderr); /* iputils' line, no prefix */
	if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    connect(fd, (const struct sockaddr *)dst, p->dstlen) < 0) {
		snprintf(err, errlen, "connect: %s", strerror(errno));
		return false;
	}
	return true;
}

int ping_sock_probe_source(struct ping *p, char *err, size_t errlen)
{
	struct sockaddr_storage ss, dst = p->dst;
	socklen_t len = sizeof(ss);
	int fd;

	if (!scope_for_probe(p, &dst)) {
		memset(&p->src, 0, sizeof(p->src));
		return 0;
	}
	fd = socket(p->sk.family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (source_addr(p, &ss, &len)) {
		if (bind(fd, (struct sockaddr *)&ss, len) < 0) {
			snprintf(err, errlen, "bind %s: %s", p->o->iface, strerror(errno));
			close(fd);
			return -1;
		}
	} else if (p->o->iface && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->o->iface,
					     (socklen_t)strlen(p->o->iface) + 1) < 0) {
		snprintf(err, errlen, "SO_BINDTODEVICE %s: %s", p->o->iface, strerror(errno));
		close(fd);
		return -1;
	}
	nd_sockaddr_set_port(&dst, 1025);
	if (connect(fd, (struct sockaddr *)&dst, p->dstlen) < 0 &&
	    !broadcast(p, fd, &dst, err, errlen)) {
		close(fd);
		return -1;
	}
	len = sizeof(p->src);
	if (getsockname(fd, (struct sockaddr *)&p->src, &len) < 0)
		memset(&p->src, 0, sizeof(p->src));
	close(fd);
	return 0;
}

int ping_sock_setup(struct ping *p, char *err, size_t errlen)
{
	int fd = p->sk.fd, v6 = p->sk.family == AF_INET6;
	struct sockaddr_storage ss;
	socklen_t len = 0;
	bool bound = false;

#define SETUP_FAIL(what)                                                \
	do {                                                            \
		snprintf(err, errlen, "%s: %s", what, strerror(errno)); \
		return -1;                                              \
	} while (0)

	if (on(fd, SOL_SOCKET, SO_TIMESTAMPNS) < 0)
		SETUP_FAIL("SO_TIMESTAMPNS");
	if (on(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_RECVERR : IP_RECVERR) < 0)
		SETUP_FAIL(v6 ? "IPV6_RECVERR" : "IP_RECVERR");
	if (v6 && on(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT) < 0)
		SETUP_FAIL("IPV6_RECVHOPLIMIT");
	if (v6 && p->o->explain && on(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO) < 0)
		SETUP_FAIL("IPV6_RECVPKTINFO");
	if (!v6 && !p->sk.raw && on(fd, IPPROTO_IP, IP_RECVTTL) < 0)
		SETUP_FAIL("IP_RECVTTL");
	if (p->o->ttl) {
		int t = p->o->ttl;

		if (setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
			       v6 ? IPV6_MULTICAST_HOPS : IP_MULTICAST_TTL, &t, sizeof(t)) < 0)
			SETUP_FAIL("cannot set multicast time-to-live");
		if (setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_UNICAST_HOPS : IP_TTL,
			       &t, sizeof(t)) < 0)
			SETUP_FAIL("cannot set unicast time-to-live");
	}
	if (p->o->broadcast) {
		/* iputils: a user may not flood a whole subnet */
		if (getuid() != 0 && p->interval_ms < 1000) {
			snprintf(err, errlen, "broadcast ping with too short interval: %d",
				 p->interval_ms);
			return -1;
		}
		if (on(fd, SOL_SOCKET, SO_BROADCAST) < 0)
			SETUP_FAIL("cannot set broadcasting");
	}
	if (p->o->pmtudisc >= 0 &&
	    setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_MTU_DISCOVER : IP_MTU_DISCOVER,
		       &p->o->pmtudisc, sizeof(p->o->pmtudisc)) < 0)
		SETUP_FAIL(v6 ? "IPV6_MTU_DISCOVER" : "IP_MTU_DISCOVER");
	/* as iputils: a wish, not an error when the kernel takes less */
	if (p->o->sndbuf)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &p->o->sndbuf, sizeof(p->o->sndbuf));
	if (p->o->tos >= 0) {
		int t = p->o->tos;

		if (setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ? IPV6_TCLASS : IP_TOS, &t,
			       sizeof(t)) < 0)
			SETUP_FAIL(v6 ? "setsockopt(IPV6_TCLASS)" : "setsockopt(IP_TOS)");
	}
	if (source_addr(p, &ss, &len)) {
		/* -e on a datagram socket: the kernel takes the bound port as the identifier */
		if (!p->sk.raw && p->o->ident >= 0)
			nd_sockaddr_set_port(&ss, (uint16_t)p->o->ident);
		if (bind(fd, (struct sockaddr *)&ss, len) < 0)
			SETUP_FAIL("bind icmp socket");
		bound = true;
		p->bound_addr = true;
	} else if (p->o->iface) {
		if (setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, p->o->iface,
			       (socklen_t)strlen(p->o->iface) + 1) < 0) {
			snprintf(err, errlen, "SO_BINDTODEVICE %s: %s", p->o->iface,
				 strerror(errno));
			return -1;
		}
	}
	if (p->sk.raw) {
		uint16_t id;

		if (p->o->ident >= 0)
			id = (uint16_t)p->o->ident; /* -e */
		else if (getrandom(&id, sizeof(id), 0) != sizeof(id))
			id = (uint16_t)getpid();
		p->ident = id;
		if ((v6 ? filter_v6(fd, id) : filter_v4(fd, id, p->o->verbose)) < 0)
			SETUP_FAIL("cannot install the socket filter");
	} else {
		/* the kernel owns the identifier of a datagram socket: bind now to learn it */
		if (!bound) {
			memset(&ss, 0, sizeof(ss));
			ss.ss_family = (sa_family_t)p->sk.family;
			if (p->o->ident >= 0)
				nd_sockaddr_set_port(&ss, (uint16_t)p->o->ident);
			len = nd_sockaddr_len(p->sk.family);
			if (bind(fd, (struct sockaddr *)&ss, len) < 0)
				SETUP_FAIL("bind icmp socket");
		}
		len = sizeof(ss);
		if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
			p->ident = nd_sockaddr_port(&ss);
	}
#undef SETUP_FAIL
	return 0;
}

int ping_send(struct ping *p, uint16_t seq, const struct timespec *ts)
{
	ssize_t n;

	nd_icmp_echo_stamp(p->out, (size_t)p->outlen, p->sk.family, seq, ts);
	n = sendto(p->sk.fd, p->out, (size_t)p->outlen, 0, (struct sockaddr *)&p->dst, p->dstlen);
	if (n == p->outlen)
		return 0;
	return n < 0 ? -errno : -EIO;
}

/* Receive state kept between calls: no allocation per packet. */
static uint8_t inbuf[PING_MAXPACKET];
static union {
	char buf[512];
	struct cmsghdr align;
} cbuf;

int ping_recv(struct ping *p, struct ping_rx *rx, const uint8_t **buf, size_t *len)
{
	struct iovec iov = { .iov_base = inbuf, .iov_len = sizeof(inbuf) };
	struct msghdr msg = {
		.msg_name = &rx->from,
		.msg_namelen = sizeof(rx->from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cbuf.buf,
		.msg_controllen = sizeof(cbuf.buf),
	};
	ssize_t n = recvmsg(p->sk.fd, &msg, MSG_DONTWAIT);

	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	rx->rx_ns = 0;
	rx->ttl = -1;
	rx->has_local = false;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec t;

			memcpy(&t, CMSG_DATA(c), sizeof(t));
			rx->rx_ns = (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
		} else if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_TTL) ||
			   (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_HOPLIMIT)) {
			int t;

			memcpy(&t, CMSG_DATA(c), sizeof(t));
			rx->ttl = t;
		} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			memcpy(rx->local, &pi.ipi6_addr, 16);
			rx->has_local = true;
		}
	}
	*buf = inbuf;
	*len = (size_t)n;
	if (nd_icmp_parse(inbuf, (size_t)n, p->sk.family, p->sk.raw && p->sk.family == AF_INET,
			  &rx->m))
		return 2;
	if (rx->m.has_ip)
		rx->ttl = rx->m.ttl;
	return 1;
}

static bool same_addr(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
		       ((const struct sockaddr_in *)b)->sin_addr.s_addr;
	return !memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		       &((const struct sockaddr_in6 *)b)->sin6_addr, 16);
}

int ping_recv_err(struct ping *p, struct ping_errq *e)
{
	uint8_t icmp[576];
	struct sockaddr_storage target;
	union {
		char buf[512];
		struct cmsghdr align;
	} cb;
	struct iovec iov = { .iov_base = icmp, .iov_len = sizeof(icmp) };
	struct msghdr msg = {
		.msg_name = &target,
		.msg_namelen = sizeof(target),
		.msg_iov = &iov,
		.msg_iovlen = 1,
		.msg_control = cb.buf,
		.msg_controllen = sizeof(cb.buf),
	};
	struct sock_extended_err ee;
	bool found = false;
	ssize_t n;

	memset(&target, 0, sizeof(target));
	n = recvmsg(p->sk.fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	memset(e, 0, sizeof(*e));
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if ((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
		    (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)) {
			size_t off = sizeof(ee);

			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			if (c->cmsg_len >= CMSG_LEN(off + sizeof(struct sockaddr_in6)))
				memcpy(&e->offender, CMSG_DATA(c) + off,
				       sizeof(struct sockaddr_in6));
			else if (c->cmsg_len >= CMSG_LEN(off + sizeof(struct sockaddr_in)))
				memcpy(&e->offender, CMSG_DATA(c) + off,
				       sizeof(struct sockaddr_in));
			found = true;
		}
	}
	if (!found)
		return 1; /* nothing we understand: dropped */
	e->ee_errno = (int)ee.ee_errno;
	e->type = ee.ee_type;
	e->code = ee.ee_code;
	e->info = ee.ee_info;
	if (ee.ee_origin == SO_EE_ORIGIN_LOCAL) {
		e->local = true;
		return 1;
	}
	if (ee.ee_origin != SO_EE_ORIGIN_ICMP && ee.ee_origin != SO_EE_ORIGIN_ICMP6)
		return 1;
	if (n >= ND_ICMP_HDR_LEN && same_addr(&target, &p->dst) &&
	    icmp[0] == (p->sk.family == AF_INET6 ? ND_ICMP6_ECHO_REQUEST : ND_ICMP_ECHO) &&
	    (!p->sk.raw || (uint16_t)(icmp[4] << 8 | icmp[5]) == p->ident)) {
		e->ours = true;
		e->seq = (uint16_t)(icmp[6] << 8 | icmp[7]);
	}
	return 1;
}
