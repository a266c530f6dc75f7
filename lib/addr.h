/* SPDX-License-Identifier: MIT */
#ifndef ND_ADDR_H
#define ND_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

/* An IPv4 or IPv6 address with an optional prefix length, as parsed from the command line. */
struct nd_addr {
	int family;    /* AF_INET or AF_INET6 */
	int prefixlen; /* 32/128 when none was given */
	union {
		struct in_addr v4;
		struct in6_addr v6;
		uint8_t bytes[16];
	};
};

/* Big enough for any address this module formats, with brackets, port and scope. */
#define ND_ADDRSTRLEN 72
/* Big enough for a MAC or any link-layer address up to 32 bytes. */
#define ND_MACSTRLEN (32 * 3)

/* nd_addr_fmt - @addr of @family as text (inet_ntop); "?" for an unknown family. */
const char *nd_addr_fmt(int family, const void *addr, char *buf, size_t len);

/*
 * nd_addrport_fmt - "10.0.0.1:80" or "[fe80::1]:80"; port 0 prints as "*" as netstat does when
 * @star is set.  An all-zero address prints as "0.0.0.0" / "[::]".
 */
const char *nd_addrport_fmt(int family, const void *addr, uint16_t port, bool star, char *buf,
			    size_t len);

/* nd_mac_fmt - link-layer bytes as "aa:bb:cc:dd:ee:ff" (any length); "" for length 0. */
const char *nd_mac_fmt(const uint8_t *mac, size_t n, char *buf, size_t len);

/*
 * nd_addr_parse - parse "ADDR" or "ADDR/PREFIX" for IPv4 or IPv6 (@family AF_UNSPEC for
 * either).  Returns 0 or -EINVAL (bad address, prefix past the family's width).
 */
int nd_addr_parse(const char *s, int family, struct nd_addr *out);

/* nd_addr_match - whether @a (of @family) lies inside the prefix @p. */
bool nd_addr_match(const struct nd_addr *p, int family, const void *a);

/* nd_prefix_match - whether the first @bits bits of the addresses @a and @p are equal. */
static inline bool nd_prefix_match(const void *a, const void *p, int bits)
{
	const uint8_t *x = a, *y = p;
	int i = 0;

	for (; bits >= 8; bits -= 8, i++)
		if (x[i] != y[i])
			return false;
	if (bits) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits));

		return (x[i] & mask) == (y[i] & mask);
	}
	return true;
}

/* nd_prefix_netmask - the IPv4 netmask of @prefixlen, in network order. */
uint32_t nd_prefix_netmask(int prefixlen);

/* nd_scope_name - rtnetlink scope as ip prints it: "global", "host", "link", "site", ... */
const char *nd_scope_name(unsigned int scope, char *buf, size_t len);

/*
 * nd_resolve - resolve @host for @family (AF_UNSPEC, AF_INET, AF_INET6) into @ss, numeric only
 * when @numeric.  Returns 0 or a getaddrinfo EAI_* code (use gai_strerror).  @canon, if not
 * NULL, gets the canonical name (or the host as given).
 */
int nd_resolve(const char *host, int family, bool numeric, struct sockaddr_storage *ss, char *canon,
	       size_t canonlen);

/*
 * nd_sockaddr_fmt - the address part of @sa as text; a link-local IPv6 address with a scope
 * keeps it as getnameinfo(NI_NUMERICHOST) writes it: "fe80::1%eth0" ("%3" for an index without
 * a name here).
 */
const char *nd_sockaddr_fmt(const struct sockaddr *sa, char *buf, size_t len);

/* nd_sockaddr_port - the port of an IPv6 socket address, else of an IPv4 one, in host order. */
uint16_t nd_sockaddr_port(const struct sockaddr_storage *ss);

/* nd_sockaddr_set_port - set the port of an IPv6 socket address, else of an IPv4 one. */
void nd_sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port);

/*
 * nd_sockaddr_len - the length of a socket address of @family, as bind, connect, sendto and
 * getnameinfo want it: sizeof(struct sockaddr_in6) for AF_INET6, else that of sockaddr_in.
 */
socklen_t nd_sockaddr_len(int family);

/*
 * nd_sockaddr_from - @ss zeroed, then made the socket address of @family (AF_INET or AF_INET6)
 * with the 4 or 16 address bytes at @addr and @port (host order).  Returns its length
 * (nd_sockaddr_len).
 */
socklen_t nd_sockaddr_from(struct sockaddr_storage *ss, int family, const void *addr,
			   uint16_t port);

#endif
