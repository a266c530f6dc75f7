// SPDX-License-Identifier: MIT
/*
 * synpeer - half-open TCP connections (SYN-RECV request sockets) in the namespace it runs in.
 *
 *   synpeer -i TUN -p PORT [-n COUNT] [-4 LOCAL,REMOTE] [-6 LOCAL,REMOTE]
 *
 * Listens on LOCAL:PORT (for each family given), then writes COUNT TCP SYNs into the TUN device
 * as if REMOTE:40000.. had sent them (REMOTE must be routed via TUN), and never answers the
 * SYN-ACKs: each SYN stays a request socket, SYN-RECV, until the kernel gives up on it (about a
 * minute with the default tcp_synack_retries).  Prints "ready N" once N SYN-ACKs have come back
 * through the TUN (one per SYN), then keeps reading the TUN (the retransmitted SYN-ACKs) until
 * killed.  Run it with net.ipv4.tcp_syncookies=0 so that the kernel keeps the request sockets.
 * Only the TUN device and the namespace's own addresses are ever sent anything.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define BASE_PORT 40000

static void die(const char *what)
{
	fprintf(stderr, "synpeer: %s: %s\n", what, strerror(errno));
	exit(2);
}

static uint32_t sum16(const void *p, size_t len, uint32_t sum)
{
	const uint8_t *b = p;

	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)(b[len - 1] << 8);
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* A 24-byte SYN (MSS option) from @sport to @dport; the checksum over @pseudo_sum. */
static void tcp_syn(uint8_t *t, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t pseudo)
{
	uint16_t c;

	memset(t, 0, 24);
	t[0] = (uint8_t)(sport >> 8), t[1] = (uint8_t)sport;
	t[2] = (uint8_t)(dport >> 8), t[3] = (uint8_t)dport;
	t[4] = (uint8_t)(seq >> 24), t[5] = (uint8_t)(seq >> 16);
	t[6] = (uint8_t)(seq >> 8), t[7] = (uint8_t)seq;
	t[12] = 6 << 4;  /* data offset: 6 words */
	t[13] = 0x02;    /* SYN */
	t[14] = 0xfa, t[15] = 0xf0; /* window 64240 */
	t[20] = 2, t[21] = 4, t[22] = 0x05, t[23] = 0xb4; /* MSS 1460 */
	c = fold(sum16(t, 24, pseudo));
	t[16] = (uint8_t)(c >> 8), t[17] = (uint8_t)c;
}

static size_t syn4(uint8_t *pkt, const struct in_addr *src, const struct in_addr *dst,
		   uint16_t sport, uint16_t dport)
{
	uint32_t pseudo = 0;
	uint16_t c;

	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	pkt[3] = 44; /* total length */
	pkt[8] = 64; /* TTL */
	pkt[9] = IPPROTO_TCP;
	memcpy(pkt + 12, src, 4);
	memcpy(pkt + 16, dst, 4);
	c = fold(sum16(pkt, 20, 0));
	pkt[10] = (uint8_t)(c >> 8), pkt[11] = (uint8_t)c;
	pseudo = sum16(pkt + 12, 8, 0) + IPPROTO_TCP + 24;
	tcp_syn(pkt + 20, sport, dport, 0x10000000u + sport, pseudo);
	return 44;
}

static size_t syn6(uint8_t *pkt, const struct in6_addr *src, const struct in6_addr *dst,
		   uint16_t sport, uint16_t dport)
{
	uint32_t pseudo;

	memset(pkt, 0, 40);
	pkt[0] = 0x60;
	pkt[5] = 24; /* payload length */
	pkt[6] = IPPROTO_TCP;
	pkt[7] = 64;
	memcpy(pkt + 8, src, 16);
	memcpy(pkt + 24, dst, 16);
	pseudo = sum16(pkt + 8, 32, 0) + IPPROTO_TCP + 24;
	tcp_syn(pkt + 40, sport, dport, 0x20000000u + sport, pseudo);
	return 64;
}

static void listener(int family, const void *addr, uint16_t port)
{
	struct sockaddr_storage ss = { 0 };
	socklen_t sl;
	int one = 1, s = socket(family, SOCK_STREAM, 0);

	if (s < 0)
		die("socket");
	if (family == AF_INET) {
		struct sockaddr_in *a = (struct sockaddr_in *)&ss;

		a->sin_family = AF_INET;
		a->sin_port = htons(port);
		memcpy(&a->sin_addr, addr, 4);
		sl = sizeof(*a);
	} else {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)&ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons(port);
		memcpy(&a->sin6_addr, addr, 16);
		sl = sizeof(*a);
	}
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&ss, sl) || listen(s, 64))
		die("listen");
}

/* "LOCAL,REMOTE" into two addresses of @family. */
static void pair_of(const char *arg, int family, void *local, void *remote)
{
	char buf[128], *comma;

	snprintf(buf, sizeof(buf), "%s", arg);
	comma = strchr(buf, ',');
	if (!comma)
		goto bad;
	*comma = '\0';
	if (inet_pton(family, buf, local) == 1 && inet_pton(family, comma + 1, remote) == 1)
		return;
bad:
	fprintf(stderr, "synpeer: bad address pair \"%s\" (want LOCAL,REMOTE)\n", arg);
	exit(2);
}

/* Whether @p is a SYN-ACK from our port (IPv4 or IPv6, no extension headers). */
static bool is_synack(const uint8_t *p, ssize_t n, uint16_t port)
{
	const uint8_t *t;

	if (n >= 40 && (p[0] >> 4) == 4 && p[9] == IPPROTO_TCP)
		t = p + (p[0] & 15) * 4;
	else if (n >= 60 && (p[0] >> 4) == 6 && p[6] == IPPROTO_TCP)
		t = p + 40;
	else
		return false;
	if (t + 20 > p + n)
		return false;
	return (t[0] << 8 | t[1]) == port && (t[13] & 0x12) == 0x12;
}

int main(int argc, char *argv[])
{
	const char *tun = NULL;
	struct in_addr l4, r4;
	struct in6_addr l6, r6;
	bool v4 = false, v6 = false;
	long port = 0, count = 1;
	struct ifreq ifr = { 0 };
	uint8_t pkt[2048];
	long want, seen = 0;
	int opt, fd;

	while ((opt = getopt(argc, argv, "i:p:n:4:6:")) != -1) {
		switch (opt) {
		case 'i': tun = optarg; break;
		case 'p': port = strtol(optarg, NULL, 10); break;
		case 'n': count = strtol(optarg, NULL, 10); break;
		case '4': pair_of(optarg, AF_INET, &l4, &r4), v4 = true; break;
		case '6': pair_of(optarg, AF_INET6, &l6, &r6), v6 = true; break;
		default: return 2;
		}
	}
	if (!tun || port <= 0 || port > 65535 || count <= 0 || count > 1000 || (!v4 && !v6)) {
		fprintf(stderr, "usage: synpeer -i TUN -p PORT [-n COUNT] [-4 L,R] [-6 L,R]\n");
		return 2;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("/dev/net/tun");
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", tun);
	if (ioctl(fd, TUNSETIFF, &ifr))
		die("TUNSETIFF");
	if (v4)
		listener(AF_INET, &l4, (uint16_t)port);
	if (v6)
		listener(AF_INET6, &l6, (uint16_t)port);
	for (long i = 0; i < count; i++) {
		uint16_t sport = (uint16_t)(BASE_PORT + i);
		size_t n;

		if (v4) {
			n = syn4(pkt, &r4, &l4, sport, (uint16_t)port);
			if (write(fd, pkt, n) != (ssize_t)n)
				die("write SYN");
		}
		if (v6) {
			n = syn6(pkt, &r6, &l6, sport, (uint16_t)port);
			if (write(fd, pkt, n) != (ssize_t)n)
				die("write SYN6");
		}
	}
	want = count * (v4 + v6);
	for (;;) {
		ssize_t n = read(fd, pkt, sizeof(pkt));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			die("read");
		}
		if (is_synack(pkt, n, (uint16_t)port) && ++seen == want) {
			printf("ready %ld\n", seen);
			fflush(stdout);
		}
	}
}
