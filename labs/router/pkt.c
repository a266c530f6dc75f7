/* labs/router/pkt.c — IPv4/IPv6/TCP header parsing and the TTL fix-up (see pkt.h). */
#include "pkt.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The TCP header at T (LEN bytes left of the IP payload) into *PI; 0 or -1 when it is cut short. */
static int parse_tcp(const uint8_t *t, size_t len, struct pkt_info *pi)
{
	size_t doff;

	if (len < 20)
		return -1;
	doff = (size_t)(t[12] >> 4) * 4;
	if (doff < 20 || doff > len)
		return -1;
	pi->sport = rd16(t);
	pi->dport = rd16(t + 2);
	pi->seq = rd32(t + 4);
	pi->ack = rd32(t + 8);
	pi->flags = t[13] & 0x3f;
	pi->payload = (uint32_t)(len - doff);
	pi->is_tcp = 1;
	return 0;
}

static int parse_v4(const uint8_t *p, size_t len, struct pkt_info *pi)
{
	size_t ihl, total;

	if (len < 20)
		return -1;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	total = rd16(p + 2);
	if (ihl < 20 || total < ihl || total > len)
		return -1;
	pi->version = 4;
	memcpy(pi->src, p + 12, 4);
	memcpy(pi->dst, p + 16, 4);
	/* only an unfragmented datagram (MF clear, offset 0) carries a whole TCP header */
	if (p[9] == IPPROTO_TCP && (rd16(p + 6) & 0x3fff) == 0)
		(void)parse_tcp(p + ihl, total - ihl, pi);
	return 0;
}

static int parse_v6(const uint8_t *p, size_t len, struct pkt_info *pi)
{
	size_t off = 40, end;
	uint8_t next;
	int hops;

	if (len < 40)
		return -1;
	end = 40 + (size_t)rd16(p + 4);
	if (end > len)
		return -1;
	pi->version = 6;
	memcpy(pi->src, p + 8, 16);
	memcpy(pi->dst, p + 24, 16);
	next = p[6];
	/* walk hop-by-hop, routing and destination options (a bounded number of them); a fragment
	 * header or anything else ends the walk without TCP */
	for (hops = 0; hops < 8; hops++) {
		if (next == IPPROTO_TCP)
			return (void)parse_tcp(p + off, end - off, pi), 0;
		if (next != 0 && next != 43 && next != 60)
			return 0;
		if (end - off < 8)
			return 0;
		next = p[off];
		off += ((size_t)p[off + 1] + 1) * 8;
		if (off > end)
			return 0;
	}
	return 0;
}

int pkt_parse(const uint8_t *pkt, size_t len, struct pkt_info *pi)
{
	int rc = -1;

	memset(pi, 0, sizeof(*pi));
	if (len >= 1 && pkt[0] >> 4 == 4)
		rc = parse_v4(pkt, len, pi);
	else if (len >= 1 && pkt[0] >> 4 == 6)
		rc = parse_v6(pkt, len, pi);
	if (rc < 0)
		memset(pi, 0, sizeof(*pi));
	return rc;
}

int pkt_is_link_chatter(const struct pkt_info *pi)
{
	static const uint8_t bcast[4] = { 255, 255, 255, 255 };

	if (pi->version == 6)
		return pi->dst[0] == 0xff || (pi->dst[0] == 0xfe && (pi->dst[1] & 0xc0) == 0x80);
	if (pi->version == 4)
		return (pi->dst[0] & 0xf0) == 0xe0 || !memcmp(pi->dst, bcast, 4);
	return 1;
}

int pkt_ttl_inc(uint8_t *pkt, size_t len)
{
	struct pkt_info pi;
	uint32_t sum;
	uint16_t old, new;

	if (pkt_parse(pkt, len, &pi) < 0)
		return -1;
	if (pi.version == 6) {
		if (pkt[7] == 255)
			return -1;
		pkt[7]++;
		return 0;
	}
	if (pkt[8] == 255)
		return -1;
	/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') over the 16-bit word holding TTL and protocol */
	old = rd16(pkt + 8);
	pkt[8]++;
	new = rd16(pkt + 8);
	sum = (uint16_t)~rd16(pkt + 10) + (uint16_t)~old + new;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = ~sum & 0xffff;
	pkt[10] = (uint8_t)(sum >> 8);
	pkt[11] = (uint8_t)sum;
	return 0;
}

void pkt_fmt_tcp(const struct pkt_info *pi, char *buf, size_t size)
{
	char a[INET6_ADDRSTRLEN] = "?", b[INET6_ADDRSTRLEN] = "?";
	int af = pi->version == 6 ? AF_INET6 : AF_INET;

	if (size == 0)
		return;
	inet_ntop(af, pi->src, a, sizeof(a));
	inet_ntop(af, pi->dst, b, sizeof(b));
	if (af == AF_INET6)
		snprintf(buf, size, "[%s]:%u -> [%s]:%u", a, pi->sport, b, pi->dport);
	else
		snprintf(buf, size, "%s:%u -> %s:%u", a, pi->sport, b, pi->dport);
}
