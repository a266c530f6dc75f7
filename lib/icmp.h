/* SPDX-License-Identifier: MIT */
#ifndef ND_ICMP_H
#define ND_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/*
 * ICMP and ICMPv6 echo and error messages: build, parse, checksum.  Pure functions: bytes in,
 * plain structs out; no I/O, no globals.  Multi-byte fields are read and written big-endian
 * byte by byte, so nothing here depends on the host's byte order or on alignment.
 */

#define ND_ICMP_HDR_LEN 8
/* The send time carried in the echo payload (a struct timespec, 16 bytes, as iputils' timeval). */
#define ND_ICMP_STAMP_LEN   16
#define ND_ICMP_MAX_V4_DATA 65507 /* 65535 - 20 (IPv4) - 8 (ICMP) */
/* 65535 - 8 (ICMPv6); the IPv6 header is not in the payload length */
#define ND_ICMP_MAX_V6_DATA 65527

/* ICMP types used here (numeric, so the header compiles without the kernel's headers). */
enum {
	ND_ICMP_ECHOREPLY = 0,
	ND_ICMP_DEST_UNREACH = 3,
	ND_ICMP_SOURCE_QUENCH = 4,
	ND_ICMP_REDIRECT = 5,
	ND_ICMP_ECHO = 8,
	ND_ICMP_TIME_EXCEEDED = 11,
	ND_ICMP_PARAMETERPROB = 12,
	ND_ICMP6_DST_UNREACH = 1,
	ND_ICMP6_PACKET_TOO_BIG = 2,
	ND_ICMP6_TIME_EXCEEDED = 3,
	ND_ICMP6_PARAM_PROB = 4,
	ND_ICMP6_ECHO_REQUEST = 128,
	ND_ICMP6_ECHO_REPLY = 129,
};

/* The Internet checksum (RFC 1071) in pieces, so a pseudo-header can be added. */
uint32_t nd_csum_add(uint32_t sum, const void *buf, size_t len);
uint16_t nd_csum_fold(uint32_t sum); /* folds the carries and complements */
/* nd_inet_cksum - the checksum of @buf; a buffer holding a correct checksum gives 0. */
uint16_t nd_inet_cksum(const void *buf, size_t len);
/* The IPv6 pseudo-header sum for an upper-layer packet of @len bytes, next header @nh. */
uint32_t nd_csum_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint32_t len, uint8_t nh);

/*
 * nd_icmp_echo_build - write an echo request into @buf (@cap bytes): 8-byte header, then
 * @datalen bytes of data.  The data is @pattern (@patlen bytes) repeated, or bytes 0,1,2,...
 * when @patlen is 0 (iputils' default).  The checksum is filled for IPv4 (the kernel fills it
 * for ICMPv6).  Returns the message length, or -EMSGSIZE when it does not fit @cap.
 */
int nd_icmp_echo_build(uint8_t *buf, size_t cap, int family, uint16_t id, uint16_t seq,
		       const uint8_t *pattern, size_t patlen, size_t datalen);

/*
 * nd_icmp_echo_stamp - set the sequence number and, when the message has room for it, the send
 * time @ts in the first 16 data bytes; then fix the IPv4 checksum.  @len is the message length.
 */
void nd_icmp_echo_stamp(uint8_t *buf, size_t len, int family, uint16_t seq,
			const struct timespec *ts);

/* Read back a send time stored by nd_icmp_echo_stamp (false when @datalen is too short). */
bool nd_icmp_echo_time(const uint8_t *data, size_t datalen, struct timespec *ts);

/* What a message quoted inside an ICMP error says about the packet that caused it. */
struct nd_icmp_quote {
	uint8_t src[16], dst[16]; /* quoted IP source / destination (4 bytes used for IPv4) */
	uint8_t proto;            /* quoted protocol / next header */
	bool has_icmp;            /* the first 8 bytes of a quoted ICMP message were there */
	uint8_t type;             /* its type, id and sequence */
	uint16_t id, seq;
};

struct nd_icmp_msg {
	int family; /* AF_INET or AF_INET6 */
	/* outer IP header, when the buffer started with one (raw IPv4 sockets) */
	bool has_ip;
	uint8_t ip_hlen, tos, ttl, ip_proto;
	uint16_t ip_len, ip_id, ip_frag, ip_cksum;
	uint8_t src[16], dst[16];
	/* ICMP header */
	uint8_t type, code;
	uint16_t cksum;            /* as received */
	bool cksum_ok;             /* IPv4: verified here; ICMPv6: true (the kernel checks it) */
	uint16_t id, seq;          /* echo request / reply */
	uint32_t info;             /* the rest-of-header word of an error: gateway, MTU, pointer */
	size_t icmp_off, icmp_len; /* where the ICMP message is in the buffer, and its length */
	size_t data_off, data_len; /* echo data */
	bool is_error;
	struct nd_icmp_quote quote; /* valid when is_error and has_quote */
	bool has_quote;
};

/* nd_icmp_is_error - whether @type of @family is an error message that quotes a packet. */
bool nd_icmp_is_error(int family, uint8_t type);

/*
 * nd_icmp_parse - parse one received message.  @with_ip: the buffer starts with an IPv4 header
 * (raw IPv4 socket); otherwise it starts with the ICMP header (datagram sockets, ICMPv6).
 * Returns 0, or -EBADMSG when the bytes are too short or not an IP/ICMP message.
 */
int nd_icmp_parse(const uint8_t *buf, size_t len, int family, bool with_ip, struct nd_icmp_msg *m);

/*
 * nd_icmp_describe - iputils' text for an error (or other message) of @type/@code, with @info
 * (the MTU, pointer or gateway as iputils prints them), e.g. "Destination Host Unreachable",
 * "Time to live exceeded", "Destination unreachable: Address unreachable".
 */
const char *nd_icmp_describe(int family, uint8_t type, uint8_t code, uint32_t info, char *buf,
			     size_t len);

#endif
