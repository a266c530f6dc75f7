// SPDX-License-Identifier: MIT
/* ICMP / ICMPv6 echo and error messages: build, parse, checksum (pure). */
#include "icmp.h"
#include "addr.h"
#include "array.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static inline uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

uint32_t nd_csum_add(uint32_t sum, const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint64_t s = sum;

	/* 16-bit big-endian words; a 64-bit accumulator cannot overflow for any IP length */
	while (len >= 2) {
		s += get16(p);
		p += 2;
		len -= 2;
	}
	if (len)
		s += (uint32_t)p[0] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

uint16_t nd_csum_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint16_t nd_inet_cksum(const void *buf, size_t len)
{
	return nd_csum_fold(nd_csum_add(0, buf, len));
}

uint32_t nd_csum_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint32_t len, uint8_t nh)
{
	/* clang-format off */
	uint8_t tail[8] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8),
			    (uint8_t)len, 0, 0, 0, nh };
	/* clang-format on */
	uint32_t s = nd_csum_add(0, src, 16);

	s = nd_csum_add(s, dst, 16);
	return nd_csum_add(s, tail, sizeof(tail));
}

int nd_icmp_echo_build(uint8_t *buf, size_t cap, int family, uint16_t id, uint16_t seq,
		       const uint8_t *pattern, size_t patlen, size_t datalen)
{
	size_t len = ND_ICMP_HDR_LEN + datalen;
	uint8_t *d = buf + ND_ICMP_HDR_LEN;

	if (len > cap || len > 65535)
		return -EMSGSIZE;
	buf[0] = family == AF_INET6 ? ND_ICMP6_ECHO_REQUEST : ND_ICMP_ECHO;
	buf[1] = 0;
	put16(buf + 2, 0);
	put16(buf + 4, id);
	put16(buf + 6, seq);
	for (size_t i = 0; i < datalen; i++)
		d[i] = patlen ? pattern[i % patlen] : (uint8_t)i;
	if (family != AF_INET6)
		put16(buf + 2, nd_inet_cksum(buf, len));
	return (int)len;
}

void nd_icmp_echo_stamp(uint8_t *buf, size_t len, int family, uint16_t seq,
			const struct timespec *ts)
{
	put16(buf + 6, seq);
	if (ts && len >= ND_ICMP_HDR_LEN + ND_ICMP_STAMP_LEN) {
		put64(buf + 8, (uint64_t)ts->tv_sec);
		put64(buf + 16, (uint64_t)ts->tv_nsec);
	}
	if (family != AF_INET6) {
		put16(buf + 2, 0);
		put16(buf + 2, nd_inet_cksum(buf, len));
	}
}

bool nd_icmp_echo_time(const uint8_t *data, size_t datalen, struct timespec *ts)
{
	if (datalen < ND_ICMP_STAMP_LEN)
		return false;
	ts->tv_sec = (time_t)get64(data);
	ts->tv_nsec = (long)get64(data + 8);
	return true;
}

bool nd_icmp_is_error(int family, uint8_t type)
{
	if (family == AF_INET6)
		return type < 128;
	switch (type) {
	case ND_ICMP_DEST_UNREACH:
	case ND_ICMP_SOURCE_QUENCH:
	case ND_ICMP_REDIRECT:
	case ND_ICMP_TIME_EXCEEDED:
	case ND_ICMP_PARAMETERPROB: return true;
	}
	return false;
}

/* The packet quoted after an error's 8-byte header: its IP header and first 8 payload bytes. */
static void parse_quote(const uint8_t *q, size_t len, int family, struct nd_icmp_msg *m)
{
	struct nd_icmp_quote *o = &m->quote;
	size_t hl;

	memset(o, 0, sizeof(*o));
	if (family == AF_INET6) {
		if (len < 40 || (q[0] >> 4) != 6)
			return;
		memcpy(o->src, q + 8, 16);
		memcpy(o->dst, q + 24, 16);
		o->proto = q[6];
		hl = 40;
	} else {
		if (len < 20 || (q[0] >> 4) != 4 || (q[0] & 15) < 5)
			return;
		hl = (size_t)(q[0] & 15) * 4;
		if (len < hl)
			return;
		memcpy(o->src, q + 12, 4);
		memcpy(o->dst, q + 16, 4);
		o->proto = q[9];
	}
	m->has_quote = true;
	if (len >= hl + 8 && o->proto == (family == AF_INET6 ? 58 : 1)) {
		o->has_icmp = true;
		o->type = q[hl];
		o->id = get16(q + hl + 4);
		o->seq = get16(q + hl + 6);
	}
}

int nd_icmp_parse(const uint8_t *buf, size_t len, int family, bool with_ip, struct nd_icmp_msg *m)
{
	size_t off = 0;
	const uint8_t *p;

	memset(m, 0, sizeof(*m));
	m->family = family;
	if (with_ip) {
		size_t hl;

		if (family != AF_INET || len < 20 || (buf[0] >> 4) != 4 || (buf[0] & 15) < 5)
			return -EBADMSG;
		hl = (size_t)(buf[0] & 15) * 4;
		if (len < hl)
			return -EBADMSG;
		m->has_ip = true;
		m->ip_hlen = (uint8_t)hl;
		m->tos = buf[1];
		m->ip_len = get16(buf + 2);
		m->ip_id = get16(buf + 4);
		m->ip_frag = get16(buf + 6);
		m->ttl = buf[8];
		m->ip_proto = buf[9];
		m->ip_cksum = get16(buf + 10);
		memcpy(m->src, buf + 12, 4);
		memcpy(m->dst, buf + 16, 4);
		off = hl;
	}
	if (len - off < ND_ICMP_HDR_LEN)
		return -EBADMSG;
	p = buf + off;
	m->icmp_off = off;
	m->icmp_len = len - off;
	m->type = p[0];
	m->code = p[1];
	m->cksum = get16(p + 2);
	m->cksum_ok = family == AF_INET6 || nd_inet_cksum(p, m->icmp_len) == 0;
	m->is_error = nd_icmp_is_error(family, m->type);
	if (m->is_error) {
		m->info = get32(p + 4);
		parse_quote(p + 8, m->icmp_len - 8, family, m);
	} else {
		m->id = get16(p + 4);
		m->seq = get16(p + 6);
		m->data_off = off + ND_ICMP_HDR_LEN;
		m->data_len = m->icmp_len - ND_ICMP_HDR_LEN;
	}
	return 0;
}

static const char *unreach4(uint8_t code)
{
	static const char *const s[] = {
		"Destination Net Unreachable",
		"Destination Host Unreachable",
		"Destination Protocol Unreachable",
		"Destination Port Unreachable",
		NULL, /* frag needed: has the MTU */
		"Source Route Failed",
		"Destination Net Unknown",
		"Destination Host Unknown",
		"Source Host Isolated",
		"Destination Net Prohibited",
		"Destination Host Prohibited",
		"Destination Net Unreachable for Type of Service",
		"Destination Host Unreachable for Type of Service",
		"Packet filtered",
		"Precedence Violation",
		"Precedence Cutoff",
	};

	return code < ND_ARRAY_SIZE(s) ? s[code] : NULL;
}

static const char *describe4(uint8_t type, uint8_t code, uint32_t info, char *buf, size_t len)
{
	static const char *const redirect[] = { "Redirect Network", "Redirect Host",
						"Redirect Type of Service and Network",
						"Redirect Type of Service and Host" };
	const char *s;

	switch (type) {
	case ND_ICMP_ECHOREPLY: return "Echo Reply";
	case ND_ICMP_ECHO: return "Echo Request";
	case ND_ICMP_DEST_UNREACH:
		if (code == 4)
			snprintf(buf, len, "Frag needed and DF set (mtu = %u)", info);
		else if ((s = unreach4(code)))
			snprintf(buf, len, "%s", s);
		else
			snprintf(buf, len, "Dest Unreachable, Bad Code: %d", code);
		return buf;
	case ND_ICMP_SOURCE_QUENCH: return "Source Quench";
	case ND_ICMP_REDIRECT: {
		struct in_addr a = { htonl(info) };
		char ab[INET_ADDRSTRLEN];
		char cb[40];

		nd_addr_fmt(AF_INET, &a, ab, sizeof(ab));
		if (code < 4)
			snprintf(cb, sizeof(cb), "%s", redirect[code]);
		else
			snprintf(cb, sizeof(cb), "Redirect, Bad Code: %d", code);
		snprintf(buf, len, "%s(New nexthop: %s)", cb, ab);
		return buf;
	}
	case ND_ICMP_TIME_EXCEEDED:
		if (code == 0)
			return "Time to live exceeded";
		if (code == 1)
			return "Frag reassembly time exceeded";
		snprintf(buf, len, "Time exceeded, Bad Code: %d", code);
		return buf;
	case ND_ICMP_PARAMETERPROB:
		snprintf(buf, len, "Parameter problem: pointer = %u", info);
		return buf;
	case 13: return "Timestamp";
	case 14: return "Timestamp Reply";
	case 15: return "Information Request";
	case 16: return "Information Reply";
	case 17: return "Address Mask Request";
	case 18: return "Address Mask Reply";
	}
	snprintf(buf, len, "Bad ICMP type: %d", type);
	return buf;
}

static const char *describe6(uint8_t type, uint8_t code, uint32_t info, char *buf, size_t len)
{
	static const char *const unreach[] = { "No route",
					       "Administratively prohibited",
					       "Beyond scope of source address",
					       "Address unreachable",
					       "Port unreachable",
					       "Source address failed ingress/egress policy",
					       "Reject route to destination" };
	static const char *const param[] = { "Wrong header field ", "Unknown header ",
					     "Unknown option " };

	switch (type) {
	case ND_ICMP6_DST_UNREACH:
		if (code < 7)
			snprintf(buf, len, "Destination unreachable: %s", unreach[code]);
		else
			snprintf(buf, len, "Destination unreachable: Unknown code %d", code);
		return buf;
	case ND_ICMP6_PACKET_TOO_BIG:
		if (code)
			snprintf(buf, len, "Packet too big: mtu=%u, code=%d", info, code);
		else
			snprintf(buf, len, "Packet too big: mtu=%u", info);
		return buf;
	case ND_ICMP6_TIME_EXCEEDED:
		if (code == 0)
			return "Time exceeded: Hop limit";
		if (code == 1)
			return "Time exceeded: Defragmentation failure";
		snprintf(buf, len, "Time exceeded: code %d", code);
		return buf;
	case ND_ICMP6_PARAM_PROB:
		if (code < 3)
			snprintf(buf, len, "Parameter problem: %sat %u", param[code], info);
		else
			snprintf(buf, len, "Parameter problem: code %d at %u", code, info);
		return buf;
	case ND_ICMP6_ECHO_REQUEST: return "Echo request";
	case ND_ICMP6_ECHO_REPLY: return "Echo reply";
	case 130: return "MLD Query";
	case 131: return "MLD Report";
	case 132: return "MLD Reduction";
	}
	snprintf(buf, len, "unknown icmp type: %u", type);
	return buf;
}

const char *nd_icmp_describe(int family, uint8_t type, uint8_t code, uint32_t info, char *buf,
			     size_t len)
{
	if (family == AF_INET6)
		return describe6(type, code, info, buf, len);
	return describe4(type, code, info, buf, len);
}
