// SPDX-License-Identifier: MIT
/* --explain: every header field of the first request and its reply, and the checksum by hand. */
#include "ping.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "out.h"

static void field_u(const char *key, const char *label, unsigned int v, const char *note)
{
	nd_out_uint(ND_JSON, key, NULL, v);
	nd_out_text("  %-16s %u%s%s\n", label, v, note ? "  " : "", note ? note : "");
}

static void field_hex(const char *key, const char *label, unsigned int v, int digits)
{
	nd_out_uint(ND_JSON, key, NULL, v);
	nd_out_text("  %-16s 0x%0*x (%u)\n", label, digits, v, v);
}

static void field_s(const char *key, const char *label, const char *v)
{
	nd_out_str(ND_JSON, key, NULL, v);
	nd_out_text("  %-16s %s\n", label, v);
}

/*
 * The Internet checksum by hand: the 16-bit words (pseudo-header first for ICMPv6), the running
 * one's-complement sum, the carries folded back, the complement; then whether it matches.
 */
static void checksum_steps(int family, const uint8_t *icmp, size_t len, const uint8_t *src,
			   const uint8_t *dst)
{
	uint8_t tmp[2];
	uint32_t sum = 0, words = 0;
	uint16_t got = (uint16_t)(icmp[2] << 8 | icmp[3]), want;

	nd_out_open_object("checksum");
	nd_out_text("Checksum, step by step (RFC 1071): add the message as 16-bit words, with the\n"
		    "checksum field taken as 0%s; fold the carries back in; complement.\n",
		    family == AF_INET6 ? ", after an IPv6 pseudo-header (source, destination,\n"
					 "length, next header 58)"
				       : "");
	nd_out_open_array("words");
	if (family == AF_INET6) {
		uint8_t ph[40];

		memcpy(ph, src, 16);
		memcpy(ph + 16, dst, 16);
		ph[32] = (uint8_t)(len >> 24), ph[33] = (uint8_t)(len >> 16);
		ph[34] = (uint8_t)(len >> 8), ph[35] = (uint8_t)len;
		ph[36] = ph[37] = ph[38] = 0, ph[39] = 58;
		for (size_t i = 0; i < 40; i += 2, words++) {
			sum = nd_csum_add(sum, ph + i, 2);
			nd_out_uint(ND_JSON, NULL, NULL, (unsigned)(ph[i] << 8 | ph[i + 1]));
			nd_out_text("  pseudo %2zu  0x%02x%02x  sum 0x%05x\n", i / 2, ph[i],
				    ph[i + 1], sum);
		}
	}
	for (size_t i = 0; i < len; i += 2, words++) {
		tmp[0] = icmp[i];
		tmp[1] = i + 1 < len ? icmp[i + 1] : 0;
		if (i == 2)
			tmp[0] = tmp[1] = 0; /* the checksum field itself */
		sum = nd_csum_add(sum, tmp, 2);
		nd_out_uint(ND_JSON, NULL, NULL, (unsigned)(tmp[0] << 8 | tmp[1]));
		nd_out_text("  word %4zu  0x%02x%02x  sum 0x%05x%s\n", i / 2, tmp[0], tmp[1], sum,
			    i == 2         ? "  (checksum field as 0)"
			    : i + 1 >= len ? "  (odd byte, padded)"
					   : "");
	}
	nd_out_close_array();
	{
		uint32_t f = sum;

		while (f >> 16)
			f = (f & 0xffff) + (f >> 16);
		want = (uint16_t)~f;
		nd_out_uint(ND_JSON, "sum", NULL, sum);
		nd_out_uint(ND_JSON, "folded", NULL, f);
		nd_out_uint(ND_JSON, "computed", NULL, want);
		nd_out_uint(ND_JSON, "field", NULL, got);
		nd_out_bool(ND_JSON, "valid", NULL, want == got);
		nd_out_text("  fold carries   0x%05x -> 0x%04x\n", sum, f);
		nd_out_text("  complement     ~0x%04x = 0x%04x\n", f, want);
		nd_out_text("  in the packet  0x%04x  %s\n", got,
			    want == got ? "(matches)" : "(DOES NOT MATCH: corrupted)");
	}
	nd_out_close_object();
}

static void icmp_fields(int family, const uint8_t *icmp, size_t len)
{
	char d[128];

	nd_out_open_object(family == AF_INET6 ? "icmpv6" : "icmp");
	nd_out_text("%s header:\n", family == AF_INET6 ? "ICMPv6" : "ICMP");
	field_u("type", "type", icmp[0],
		nd_icmp_describe(family, icmp[0], icmp[1], 0, d, sizeof(d)));
	field_u("code", "code", icmp[1], NULL);
	field_hex("checksum", "checksum", (unsigned)(icmp[2] << 8 | icmp[3]), 4);
	field_hex("id", "identifier", (unsigned)(icmp[4] << 8 | icmp[5]), 4);
	field_u("seq", "sequence", (unsigned)(icmp[6] << 8 | icmp[7]), NULL);
	field_u("data_bytes", "data", (unsigned)(len - 8),
		len - 8 >= ND_ICMP_STAMP_LEN ? "bytes: 16-byte send time, then the pattern"
					     : "bytes (too short to carry the send time)");
	nd_out_close_object();
}

static void addr_of(int family, const void *a, char *buf, size_t len)
{
	nd_addr_fmt(family, a, buf, len);
}

static const uint8_t *sa_bytes(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET6)
		return ((const struct sockaddr_in6 *)ss)->sin6_addr.s6_addr;
	return (const uint8_t *)&((const struct sockaddr_in *)ss)->sin_addr;
}

void explain_request(struct ping *p, const uint8_t *icmp, size_t len)
{
	int fam = p->sk.family;
	char s[ND_ADDRSTRLEN], d[ND_ADDRSTRLEN];
	int ttl = p->o->ttl;
	socklen_t sl = sizeof(ttl);

	if (!ttl && getsockopt(p->sk.fd, fam == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IP,
			       fam == AF_INET6 ? IPV6_UNICAST_HOPS : IP_TTL, &ttl, &sl) < 0)
		ttl = -1;
	addr_of(fam, sa_bytes(&p->src), s, sizeof(s));
	addr_of(fam, sa_bytes(&p->dst), d, sizeof(d));
	nd_out_open_object(NULL);
	nd_out_str(ND_JSON, "event", NULL, "explain");
	nd_out_str(ND_JSON, "packet", NULL, "request");
	nd_out_text("=== explain: echo request, as sent (%s socket) ===\n",
		    p->sk.raw ? "raw" : "datagram");
	nd_out_open_object(fam == AF_INET6 ? "ipv6" : "ip");
	if (fam == AF_INET6) {
		nd_out_text("IPv6 header (the kernel writes it):\n");
		field_u("version", "version", 6, NULL);
		field_u("traffic_class", "traffic class", p->o->tos < 0 ? 0 : (unsigned)p->o->tos,
			NULL);
		field_u("payload_length", "payload length", (unsigned)len,
			"bytes (the ICMPv6 message)");
		field_u("next_header", "next header", 58, "(ICMPv6)");
		field_u("hop_limit", "hop limit", (unsigned)ttl, NULL);
	} else {
		nd_out_text("IPv4 header (the kernel writes it):\n");
		field_u("version", "version", 4, NULL);
		field_u("ihl", "header length", 5, "words of 4 bytes = 20 bytes");
		field_hex("tos", "TOS", p->o->tos < 0 ? 0 : (unsigned)p->o->tos, 2);
		field_u("total_length", "total length", (unsigned)(len + 20), "bytes");
		field_s("id", "identification", "chosen by the kernel");
		field_s("flags", "flags", "DF unless the message needs fragments");
		field_u("ttl", "TTL", (unsigned)ttl, NULL);
		field_u("protocol", "protocol", 1, "(ICMP)");
		field_s("header_checksum", "header checksum", "computed by the kernel");
	}
	field_s("source", "source", s);
	field_s("destination", "destination", d);
	nd_out_close_object();
	icmp_fields(fam, icmp, len);
	if (fam == AF_INET6) {
		/* the kernel fills the ICMPv6 checksum; compute it as it will */
		uint8_t copy[ND_ICMP_HDR_LEN + 64];
		size_t n = len < sizeof(copy) ? len : sizeof(copy);
		uint16_t c;

		memcpy(copy, icmp, n);
		if (n == len) {
			copy[2] = copy[3] = 0;
			c = nd_csum_fold(
				nd_csum_add(nd_csum_pseudo6(sa_bytes(&p->src), sa_bytes(&p->dst),
							    (uint32_t)len, 58),
					    copy, len));
			copy[2] = (uint8_t)(c >> 8), copy[3] = (uint8_t)c;
			nd_out_text(
				"(the kernel fills the ICMPv6 checksum; this is what it computes)\n");
			checksum_steps(fam, copy, len, sa_bytes(&p->src), sa_bytes(&p->dst));
		}
	} else if (!p->sk.raw) {
		nd_out_text(
			"(a datagram socket: the kernel rewrites the identifier to %u and\n"
			" recomputes the checksum; this is the checksum of the message as built)\n",
			p->ident);
		checksum_steps(fam, icmp, len, NULL, NULL);
	} else {
		checksum_steps(fam, icmp, len, NULL, NULL);
	}
	nd_out_close_object();
	nd_out_flush();
}

void explain_reply(struct ping *p, const uint8_t *buf, size_t len, const struct ping_rx *rx)
{
	const struct nd_icmp_msg *m = &rx->m;
	int fam = p->sk.family;
	char s[ND_ADDRSTRLEN], d[ND_ADDRSTRLEN];
	const uint8_t *icmp = buf + m->icmp_off;

	(void)len;

	nd_out_open_object(NULL);
	nd_out_str(ND_JSON, "event", NULL, "explain");
	nd_out_str(ND_JSON, "packet", NULL, "reply");
	nd_out_text("=== explain: echo reply, as received ===\n");
	nd_out_open_object(fam == AF_INET6 ? "ipv6" : "ip");
	if (m->has_ip) {
		uint16_t hc = nd_inet_cksum(buf, m->ip_hlen);

		nd_out_text("IPv4 header:\n");
		field_u("version", "version", 4, NULL);
		field_u("ihl", "header length", m->ip_hlen / 4u, "words of 4 bytes");
		field_hex("tos", "TOS", m->tos, 2);
		field_u("total_length", "total length", m->ip_len, "bytes");
		field_hex("id", "identification", m->ip_id, 4);
		field_hex("flags", "flags", m->ip_frag >> 13, 1);
		field_u("fragment_offset", "fragment offset", m->ip_frag & 0x1fff, NULL);
		field_u("ttl", "TTL", m->ttl, NULL);
		field_u("protocol", "protocol", m->ip_proto, "(ICMP)");
		field_hex("header_checksum", "header checksum", m->ip_cksum, 4);
		nd_out_bool(ND_JSON, "header_checksum_valid", NULL, hc == 0);
		nd_out_text("  %-16s %s\n", "",
			    hc == 0 ? "(header sums to 0xffff: valid)"
				    : "(header checksum invalid)");
		addr_of(AF_INET, m->src, s, sizeof(s));
		addr_of(AF_INET, m->dst, d, sizeof(d));
	} else {
		nd_out_text("%s header (not passed to a %s socket; what the kernel tells):\n",
			    fam == AF_INET6 ? "IPv6" : "IPv4",
			    p->sk.raw ? "raw ICMPv6" : "datagram");
		if (rx->ttl >= 0)
			field_u("ttl", fam == AF_INET6 ? "hop limit" : "TTL", (unsigned)rx->ttl,
				NULL);
		nd_sockaddr_fmt((const struct sockaddr *)&rx->from, s, sizeof(s));
		if (rx->has_local)
			addr_of(AF_INET6, rx->local, d, sizeof(d));
		else
			addr_of(fam, sa_bytes(&p->src), d, sizeof(d));
	}
	field_s("source", "source", s);
	field_s("destination", "destination", d);
	nd_out_close_object();
	icmp_fields(fam, icmp, m->icmp_len);
	if (fam == AF_INET6) {
		uint8_t src[16], dst[16];

		memcpy(src, sa_bytes(&rx->from), 16);
		memcpy(dst, rx->has_local ? rx->local : sa_bytes(&p->src), 16);
		checksum_steps(fam, icmp, m->icmp_len, src, dst);
	} else {
		checksum_steps(fam, icmp, m->icmp_len, NULL, NULL);
	}
	nd_out_close_object();
	nd_out_flush();
}
