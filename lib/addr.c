// SPDX-License-Identifier: MIT
/* Addresses, prefixes, MACs and name resolution. */
#include "addr.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Dotted quad into @p (at least 16 bytes); returns the length written, without the NUL. */
static size_t fmt_v4(char *p, const uint8_t *a)
{
	size_t j = 0;

	for (int i = 0; i < 4; i++) {
		if (i)
			p[j++] = '.';
		if (a[i] >= 100)
			p[j++] = (char)('0' + a[i] / 100);
		if (a[i] >= 10)
			p[j++] = (char)('0' + a[i] / 10 % 10);
		p[j++] = (char)('0' + a[i] % 10);
	}
	p[j] = '\0';
	return j;
}

/*
 * RFC 5952 text, byte for byte what glibc's inet_ntop() prints: lowercase hex without leading
 * zeros, the longest run of two or more zero groups (the first of equal runs) as "::", and an
 * IPv4 tail for v4-mapped (::ffff:a.b.c.d) and v4-compatible (::a.b.c.d) addresses.  inet_ntop
 * goes through sprintf for every group, which was a quarter of `ifinfo -a`'s instructions.
 */
static void fmt_v6(char *p, const uint8_t *a)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int w[8];
	int best = -1, best_len = 0;
	size_t j = 0;

	for (int i = 0; i < 8; i++)
		w[i] = (unsigned int)a[2 * i] << 8 | a[2 * i + 1];
	for (int i = 0; i < 8;) {
		int k = i;

		while (k < 8 && w[k] == 0)
			k++;
		if (k - i > best_len)
			best = i, best_len = k - i;
		i = k > i ? k : i + 1;
	}
	if (best_len < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				p[j++] = ':';
			continue;
		}
		if (i)
			p[j++] = ':';
		if (i == 6 && best == 0 && (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
			fmt_v4(p + j, a + 12);
			return;
		}
		for (int shift = 12, started = 0; shift >= 0; shift -= 4) {
			unsigned int d = (w[i] >> shift) & 15;

			if (d || started || shift == 0) {
				p[j++] = hex[d];
				started = 1;
			}
		}
	}
	if (best >= 0 && best + best_len == 8)
		p[j++] = ':';
	p[j] = '\0';
}

const char *nd_addr_fmt(int family, const void *addr, char *buf, size_t len)
{
	char tmp[INET6_ADDRSTRLEN] = "?";
	size_t n;

	if (len == 0)
		return buf;
	if (family == AF_INET)
		fmt_v4(tmp, addr);
	else if (family == AF_INET6)
		fmt_v6(tmp, addr);
	/* a bounded copy: snprintf here cost as much as the formatting */
	n = strnlen(tmp, len - 1);
	memcpy(buf, tmp, n);
	buf[n] = '\0';
	return buf;
}

const char *nd_addrport_fmt(int family, const void *addr, uint16_t port, bool star, char *buf,
			    size_t len)
{
	char a[INET6_ADDRSTRLEN];
	char p[8];

	nd_addr_fmt(family, addr, a, sizeof(a));
	if (port == 0 && star)
		snprintf(p, sizeof(p), "*");
	else
		snprintf(p, sizeof(p), "%u", port);
	if (family == AF_INET6)
		snprintf(buf, len, "[%s]:%s", a, p);
	else
		snprintf(buf, len, "%s:%s", a, p);
	return buf;
}

const char *nd_mac_fmt(const uint8_t *mac, size_t n, char *buf, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t j = 0;

	if (len == 0)
		return buf;
	for (size_t i = 0; i < n; i++) {
		/* a whole byte (and its colon) and the NUL must fit */
		if (j + (i ? 3 : 2) >= len)
			break;
		if (i)
			buf[j++] = ':';
		buf[j++] = hex[mac[i] >> 4];
		buf[j++] = hex[mac[i] & 15];
	}
	buf[j] = '\0';
	return buf;
}

int nd_addr_parse(const char *s, int family, struct nd_addr *out)
{
	char tmp[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t alen = slash ? (size_t)(slash - s) : strlen(s);
	int width;

	if (alen == 0 || alen >= INET6_ADDRSTRLEN)
		return -EINVAL;
	memcpy(tmp, s, alen);
	tmp[alen] = '\0';
	memset(out, 0, sizeof(*out));
	if ((family == AF_UNSPEC || family == AF_INET) && inet_pton(AF_INET, tmp, &out->v4) == 1)
		out->family = AF_INET;
	else if ((family == AF_UNSPEC || family == AF_INET6) &&
		 inet_pton(AF_INET6, tmp, &out->v6) == 1)
		out->family = AF_INET6;
	else
		return -EINVAL;
	width = out->family == AF_INET ? 32 : 128;
	out->prefixlen = width;
	if (slash) {
		char *end;
		long p;

		if (!slash[1] || slash[1] == '-' || slash[1] == '+')
			return -EINVAL;
		p = strtol(slash + 1, &end, 10);
		if (*end || p < 0 || p > width)
			return -EINVAL;
		out->prefixlen = (int)p;
	}
	return 0;
}

bool nd_addr_match(const struct nd_addr *p, int family, const void *a)
{
	return family == p->family && nd_prefix_match(a, p->bytes, p->prefixlen);
}

uint32_t nd_prefix_netmask(int prefixlen)
{
	if (prefixlen <= 0)
		return 0;
	if (prefixlen >= 32)
		return 0xffffffffu;
	return htonl(~((1u << (32 - prefixlen)) - 1));
}

const char *nd_scope_name(unsigned int scope, char *buf, size_t len)
{
	switch (scope) {
	case 0: return "global";
	case 200: return "site";
	case 253: return "link";
	case 254: return "host";
	case 255: return "nowhere";
	}
	snprintf(buf, len, "%u", scope);
	return buf;
}

int nd_resolve(const char *host, int family, bool numeric, struct sockaddr_storage *ss, char *canon,
	       size_t canonlen)
{
	struct addrinfo hints = { .ai_family = family, .ai_flags = AI_CANONNAME };
	struct addrinfo *res;
	int err;

	if (numeric)
		hints.ai_flags |= AI_NUMERICHOST;
	hints.ai_socktype = SOCK_RAW;
	err = getaddrinfo(host, NULL, &hints, &res);
	if (err)
		return err;
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	if (canon)
		snprintf(canon, canonlen, "%s", res->ai_canonname ? res->ai_canonname : host);
	freeaddrinfo(res);
	return 0;
}

const char *nd_sockaddr_fmt(const struct sockaddr *sa, char *buf, size_t len)
{
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
	char ifname[IF_NAMESIZE];
	size_t n;

	if (sa->sa_family == AF_INET)
		return nd_addr_fmt(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, len);
	if (sa->sa_family != AF_INET6) {
		snprintf(buf, len, "?");
		return buf;
	}
	nd_addr_fmt(AF_INET6, &s6->sin6_addr, buf, len);
	/* the scope of a link-local address, as getnameinfo(NI_NUMERICHOST) and iputils show it */
	if (!s6->sin6_scope_id ||
	    !(IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr) || IN6_IS_ADDR_MC_LINKLOCAL(&s6->sin6_addr)))
		return buf;
	n = strlen(buf);
	if (if_indextoname(s6->sin6_scope_id, ifname))
		snprintf(buf + n, len - n, "%%%s", ifname);
	else
		snprintf(buf + n, len - n, "%%%u", s6->sin6_scope_id);
	return buf;
}

uint16_t nd_sockaddr_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)ss)->sin_port);
}

void nd_sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET6)
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
	else
		((struct sockaddr_in *)ss)->sin_port = htons(port);
}

socklen_t nd_sockaddr_len(int family)
{
	return family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
}

socklen_t nd_sockaddr_from(struct sockaddr_storage *ss, int family, const void *addr, uint16_t port)
{
	memset(ss, 0, sizeof(*ss));
	ss->ss_family = (sa_family_t)family;
	if (family == AF_INET6)
		memcpy(&((struct sockaddr_in6 *)ss)->sin6_addr, addr, 16);
	else
		memcpy(&((struct sockaddr_in *)ss)->sin_addr, addr, 4);
	nd_sockaddr_set_port(ss, port);
	return nd_sockaddr_len(family);
}
