// SPDX-License-Identifier: MIT
/* Addresses, prefixes, MACs and name resolution. */
#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *nd_addr_fmt(int family, const void *addr, char *buf, size_t len)
{
	if ((family != AF_INET && family != AF_INET6) ||
	    !inet_ntop(family, addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
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
	for (size_t i = 0; i < n && j + 3 <= len; i++) {
		if (i)
			buf[j++] = ':';
		buf[j++] = hex[mac[i] >> 4];
		buf[j++] = hex[mac[i] & 15];
	}
	buf[j < len ? j : len - 1] = '\0';
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
	const uint8_t *x = p->bytes, *y = a;
	int bits = p->prefixlen, i = 0;

	if (family != p->family)
		return false;
	for (; bits >= 8; bits -= 8, i++)
		if (x[i] != y[i])
			return false;
	if (bits) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits));

		if ((x[i] & mask) != (y[i] & mask))
			return false;
	}
	return true;
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

int nd_resolve(const char *host, int family, bool numeric, struct sockaddr_storage *ss,
	       char *canon, size_t canonlen)
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
	if (sa->sa_family == AF_INET)
		return nd_addr_fmt(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, buf, len);
	if (sa->sa_family == AF_INET6)
		return nd_addr_fmt(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, buf,
				   len);
	snprintf(buf, len, "?");
	return buf;
}
