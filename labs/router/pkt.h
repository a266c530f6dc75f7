/* labs/router/pkt.h — reading an IP packet from the wire without trusting it.
 *
 * The impairment forwarder sees raw IPv4/IPv6 packets from a TUN device.  These calls parse just
 * what it needs (the TCP header, for --drop-last-ack) and raise the TTL / hop limit by one, never
 * reading or writing outside the bytes they are given. */
#ifndef LABS_ROUTER_PKT_H
#define LABS_ROUTER_PKT_H

#include <stddef.h>
#include <stdint.h>

enum { TCPF_FIN = 0x01, TCPF_SYN = 0x02, TCPF_RST = 0x04, TCPF_PSH = 0x08, TCPF_ACK = 0x10 };

struct pkt_info {
	int version;          /* 4 or 6; 0 when the bytes are no well-formed IP header */
	int is_tcp;           /* 1 when a whole, unfragmented TCP header follows */
	uint8_t src[16], dst[16]; /* addresses (IPv4 in the first 4 bytes, the rest zero) */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;        /* TCPF_* */
	uint32_t payload;     /* TCP payload bytes */
};

/* Parse PKT (LEN bytes) into *PI.  Returns 0 when PKT starts with a well-formed IPv4 or IPv6
 * header (is_tcp says whether the TCP fields are filled), -1 otherwise (*PI zeroed). */
int pkt_parse(const uint8_t *pkt, size_t len, struct pkt_info *pi);

/* Whether a parsed packet can only be the router's own chatter on the TUN link, never traffic it
 * forwards: not IP, or sent to a multicast, broadcast or IPv6 link-local address (the kernel's MLD
 * reports on the TUN device, for instance).  1 or 0. */
int pkt_is_link_chatter(const struct pkt_info *pi);

/* Add one to the IPv4 TTL (updating the header checksum, RFC 1624) or the IPv6 hop limit of PKT,
 * to undo the extra routing hop through the TUN device.  Returns 0 when it did, -1 when PKT is
 * not a well-formed IP header or the value is already 255 (PKT is left as it was). */
int pkt_ttl_inc(uint8_t *pkt, size_t len);

/* Format "ADDR:PORT -> ADDR:PORT" of a parsed TCP packet into BUF (SIZE bytes, always terminated). */
void pkt_fmt_tcp(const struct pkt_info *pi, char *buf, size_t size);

#endif
