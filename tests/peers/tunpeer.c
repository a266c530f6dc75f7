// SPDX-License-Identifier: MIT
/*
 * tunpeer - a test peer on a TUN device that answers ICMP / ICMPv6 echo requests, with faults
 * injected on chosen sequence numbers, and logs one line per thing it did so a test can assert
 * exact counts.
 *
 *   tunpeer -i TUN [options]
 *     --log FILE            write the log there (default stderr)
 *     --delay MS            delay every reply (and error) by MS milliseconds
 *     --drop SEQS           no reply                            log: "drop seq=N"
 *     --dup SEQS            reply twice                         log: "reply seq=N", "dup seq=N"
 *     --corrupt SEQS        reply with a wrong ICMP checksum    log: "corrupt seq=N"
 *     --truncate SEQS       reply with only --truncate-len data bytes   log: "truncate seq=N"
 *     --truncate-len N      (default 8)
 *     --reorder SEQS        hold the reply until after the next one     log: "reorder seq=N"
 *     --unreach SEQS        answer Destination Unreachable (host) from --router   "unreach seq=N"
 *     --ttl-exceeded SEQS   answer Time Exceeded (TTL / hop limit) from --router  "ttlx seq=N"
 *     --router ADDR         source of those errors (IPv4; default 10.0.0.254)
 *     --router6 ADDR        source of those errors (IPv6; default fd00::fe)
 *     --stray SEQS          after the reply, also send an ICMP Timestamp Reply (type 14) from
 *                           the target, a message no ping asked for (IPv4)   log: "stray seq=N"
 *   Hostile replies (checksums valid, so only the content is wrong), each instead of the reply:
 *     --stamp-max SEQS      the send time in the data set to INT64_MAX seconds  "stampmax seq=N"
 *     --stamp-zero SEQS     the send time set to 0                              "stampzero seq=N"
 *     --stamp-future SEQS   the send time moved one hour ahead               "stampfuture seq=N"
 *     --unsent SEQS         the reply carries sequence number N+30000, never sent  "unsent seq=N"
 *     --wrong-id SEQS       the reply carries another identifier             "wrongid seq=N"
 *     --oversize SEQS       the reply carries --oversize-len more data bytes  "oversize seq=N"
 *     --oversize-len N      (default 1000)
 *     --unreach-unsent SEQS Destination Unreachable from --router quoting the request with its
 *                           sequence number changed to N+30000, never sent   "unreachunsent seq=N"
 *   SEQS: "all" or a comma list of numbers and ranges: "2,5-7".
 * Every answered request not otherwise listed logs "reply seq=N".  IPv6 lines carry " v6".
 * Every line then says what the request carried, so a test can check -t, -Q, -s and -p:
 *   " ttl=T tos=Q len=L data=HEX src=ADDR" — the TTL / hop limit and ToS / traffic class it
 *   arrived with, its ICMP data length, its data bytes 16 to 31 (after the send time) in hex,
 *   and its source address.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "icmp.h"

#define MAXPKT 66000
#define QLEN 64

struct seqset {
	bool all;
	unsigned char bits[65536 / 8];
};

static struct seqset s_drop, s_dup, s_corrupt, s_trunc, s_reorder, s_unreach, s_ttlx, s_stray;
static struct seqset s_stampmax, s_stampzero, s_stampfuture, s_unsent, s_wrongid, s_oversize;
static struct seqset s_unreach_unsent;
static long oversize_len = 1000;
/* what the request being handled carried, for the log */
static unsigned int req_ttl, req_tos;
static size_t req_len;
static char req_data[33], req_src[INET6_ADDRSTRLEN];
static long delay_ms, trunc_len = 8;
static struct in_addr router4;
static struct in6_addr router6;
static FILE *logfp;

struct pending {
	bool used;
	long long due;
	size_t len;
	uint8_t data[MAXPKT];
};
static struct pending q[QLEN];
static struct {
	bool held;
	size_t len;
	uint8_t data[MAXPKT];
	unsigned int seq;
} held;

static void die(const char *what)
{
	fprintf(stderr, "tunpeer: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void parse_set(struct seqset *s, const char *arg)
{
	char *copy = strdup(arg), *tok, *save = NULL;

	if (!strcmp(arg, "all")) {
		s->all = true;
		free(copy);
		return;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		long a = strtol(tok, NULL, 10), b = dash ? strtol(dash + 1, NULL, 10) : a;

		for (long i = a; i <= b && i < 65536; i++)
			if (i >= 0)
				s->bits[i / 8] |= (unsigned char)(1 << (i % 8));
	}
	free(copy);
}

static bool in(const struct seqset *s, unsigned int seq)
{
	return s->all || (s->bits[seq / 8] & (1 << (seq % 8)));
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void logit(const char *what, unsigned int seq, bool v6)
{
	fprintf(logfp, "%s seq=%u%s ttl=%u tos=%u len=%zu data=%s src=%s\n", what, seq,
		v6 ? " v6" : "", req_ttl, req_tos, req_len, req_data, req_src);
	fflush(logfp);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void emit(int fd, const uint8_t *pkt, size_t len)
{
	if (delay_ms <= 0) {
		if (write(fd, pkt, len) < 0)
			perror("tunpeer: write");
		return;
	}
	for (int i = 0; i < QLEN; i++) {
		if (!q[i].used) {
			q[i].used = true;
			q[i].due = now_ms() + delay_ms + 1; /* whole ms: at least the delay */
			q[i].len = len;
			memcpy(q[i].data, pkt, len);
			return;
		}
	}
	fprintf(stderr, "tunpeer: delay queue full, packet dropped\n");
}

static void flush_due(int fd)
{
	long long t = now_ms();

	for (int i = 0; i < QLEN; i++)
		if (q[i].used && q[i].due <= t) {
			if (write(fd, q[i].data, q[i].len) < 0)
				perror("tunpeer: write");
			q[i].used = false;
		}
}

static int next_due(void)
{
	long long best = -1, t = now_ms();

	for (int i = 0; i < QLEN; i++)
		if (q[i].used && (best < 0 || q[i].due < best))
			best = q[i].due;
	if (best < 0)
		return -1;
	return best <= t ? 0 : (int)(best - t);
}

static void fix_v4(uint8_t *p, size_t len)
{
	size_t hl = (size_t)(p[0] & 15) * 4;

	put16(p + 2, (uint16_t)len);
	put16(p + 10, 0);
	put16(p + 10, nd_inet_cksum(p, hl));
	put16(p + hl + 2, 0);
	put16(p + hl + 2, nd_inet_cksum(p + hl, len - hl));
}

static void fix_v6(uint8_t *p, size_t len)
{
	uint8_t *icmp = p + 40;
	size_t ilen = len - 40;

	put16(p + 4, (uint16_t)ilen);
	put16(icmp + 2, 0);
	put16(icmp + 2, nd_csum_fold(nd_csum_add(nd_csum_pseudo6(p + 8, p + 24, (uint32_t)ilen, 58),
						 icmp, ilen)));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/*
 * Make the reply in @pkt (ICMP at @hl, @len bytes) hostile as asked for @seq, before its
 * checksums are made; returns the log word, or NULL when nothing was changed.
 */
static const char *make_hostile(uint8_t *pkt, size_t hl, size_t *len, unsigned int seq)
{
	uint8_t *icmp = pkt + hl, *stamp = icmp + 8;
	bool stamped = *len >= hl + 8 + 16;

	if (in(&s_stampmax, seq) && stamped) {
		put64(stamp, (uint64_t)INT64_MAX);
		return "stampmax";
	}
	if (in(&s_stampzero, seq) && stamped) {
		memset(stamp, 0, 16);
		return "stampzero";
	}
	if (in(&s_stampfuture, seq) && stamped) {
		put64(stamp, get64(stamp) + 3600);
		return "stampfuture";
	}
	if (in(&s_unsent, seq)) {
		put16(icmp + 6, (uint16_t)(seq + 30000));
		return "unsent";
	}
	if (in(&s_wrongid, seq)) {
		icmp[4] ^= 0x5a;
		return "wrongid";
	}
	if (in(&s_oversize, seq) && *len + (size_t)oversize_len <= 65535) {
		memset(pkt + *len, 0xa5, (size_t)oversize_len);
		*len += (size_t)oversize_len;
		return "oversize";
	}
	return NULL;
}

/* An ICMP error quoting @req, from the router address. */
static size_t make_error(const uint8_t *req, size_t len, bool v6, uint8_t type, uint8_t code,
			 uint8_t *out)
{
	if (v6) {
		size_t quote = len > 1280 - 48 ? 1280 - 48 : len;

		memset(out, 0, 48);
		out[0] = 0x60;
		out[6] = 58;
		out[7] = 64;
		memcpy(out + 8, &router6, 16);
		memcpy(out + 24, req + 8, 16);
		out[40] = type;
		out[41] = code;
		memcpy(out + 48, req, quote);
		fix_v6(out, 48 + quote);
		return 48 + quote;
	}
	size_t hl = (size_t)(req[0] & 15) * 4, quote = hl + 8;

	memset(out, 0, 28);
	out[0] = 0x45;
	out[8] = 64;
	out[9] = 1;
	memcpy(out + 12, &router4, 4);
	memcpy(out + 16, req + 12, 4);
	out[20] = type;
	out[21] = code;
	memcpy(out + 28, req, quote);
	fix_v4(out, 28 + quote);
	return 28 + quote;
}

static uint8_t rbuf[MAXPKT], obuf[MAXPKT];

static void handle(int fd, uint8_t *p, size_t len)
{
	bool v6;
	size_t hl, olen;
	unsigned int seq;
	uint8_t *icmp;
	const char *hostile;

	if (len < 28)
		return;
	v6 = (p[0] >> 4) == 6;
	if (v6) {
		if (len < 48 || p[6] != 58 || p[40] != ND_ICMP6_ECHO_REQUEST)
			return;
		hl = 40;
	} else {
		if ((p[0] >> 4) != 4 || p[9] != 1)
			return;
		hl = (size_t)(p[0] & 15) * 4;
		if (len < hl + 8 || p[hl] != ND_ICMP_ECHO)
			return;
	}
	icmp = p + hl;
	seq = (unsigned int)(icmp[6] << 8 | icmp[7]);
	req_ttl = v6 ? p[7] : p[8];
	req_tos = v6 ? (unsigned int)((p[0] & 15) << 4 | p[1] >> 4) : p[1];
	req_len = len - hl - 8;
	req_data[0] = '\0';
	inet_ntop(v6 ? AF_INET6 : AF_INET, v6 ? p + 8 : p + 12, req_src, sizeof(req_src));
	for (size_t i = 16; i < 32 && i < req_len; i++)
		snprintf(req_data + 2 * (i - 16), 3, "%02x", icmp[8 + i]);

	if (in(&s_drop, seq)) {
		logit("drop", seq, v6);
		return;
	}
	if (in(&s_unreach, seq) || in(&s_ttlx, seq) || in(&s_unreach_unsent, seq)) {
		bool un = !in(&s_ttlx, seq), unsent = in(&s_unreach_unsent, seq);

		olen = make_error(p, len, v6, un ? (v6 ? 1 : 3) : (v6 ? 3 : 11), un ? (v6 ? 3 : 1) : 0,
				  obuf);
		if (unsent) {
			/* the quoted request's sequence number, after the error's headers and its IP header */
			put16(obuf + (v6 ? 48 + 40 : 28 + hl) + 6, (uint16_t)(seq + 30000));
			if (v6)
				fix_v6(obuf, olen);
			else
				fix_v4(obuf, olen);
		}
		emit(fd, obuf, olen);
		logit(unsent ? "unreachunsent" : un ? "unreach" : "ttlx", seq, v6);
		return;
	}
	/* the reply: addresses swapped, fresh TTL, echo reply type */
	memcpy(obuf, p, len);
	olen = len;
	if (v6) {
		memcpy(obuf + 8, p + 24, 16);
		memcpy(obuf + 24, p + 8, 16);
		obuf[7] = 64;
		obuf[40] = ND_ICMP6_ECHO_REPLY;
	} else {
		memcpy(obuf + 12, p + 16, 4);
		memcpy(obuf + 16, p + 12, 4);
		obuf[8] = 64;
		obuf[hl] = ND_ICMP_ECHOREPLY;
	}
	if (in(&s_trunc, seq) && olen > hl + 8 + (size_t)trunc_len)
		olen = hl + 8 + (size_t)trunc_len;
	hostile = make_hostile(obuf, hl, &olen, seq);
	if (v6)
		fix_v6(obuf, olen);
	else
		fix_v4(obuf, olen);
	if (in(&s_corrupt, seq)) {
		obuf[hl + 2] ^= 0x5a;
		logit("corrupt", seq, v6);
	} else if (in(&s_trunc, seq)) {
		logit("truncate", seq, v6);
	} else if (hostile) {
		logit(hostile, seq, v6);
	} else if (in(&s_reorder, seq) && !held.held) {
		memcpy(held.data, obuf, olen);
		held.len = olen;
		held.seq = seq;
		held.held = true;
		logit("reorder", seq, v6);
		return;
	} else {
		logit("reply", seq, v6);
	}
	emit(fd, obuf, olen);
	if (in(&s_dup, seq)) {
		emit(fd, obuf, olen);
		logit("dup", seq, v6);
	}
	if (!v6 && in(&s_stray, seq)) {
		/* Timestamp Reply, id and seq of the request, three zero timestamps */
		memcpy(obuf, p, 20);
		obuf[0] = 0x45;
		memcpy(obuf + 12, p + 16, 4);
		memcpy(obuf + 16, p + 12, 4);
		obuf[8] = 64;
		memset(obuf + 20, 0, 20);
		obuf[20] = 14;
		memcpy(obuf + 24, icmp + 4, 4);
		fix_v4(obuf, 40);
		emit(fd, obuf, 40);
		logit("stray", seq, v6);
	}
	if (held.held && held.seq != seq) {
		emit(fd, held.data, held.len);
		held.held = false;
	}
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "log", required_argument, NULL, 'l' },
		{ "delay", required_argument, NULL, 'd' },
		{ "drop", required_argument, NULL, 'x' },
		{ "dup", required_argument, NULL, 'u' },
		{ "corrupt", required_argument, NULL, 'c' },
		{ "truncate", required_argument, NULL, 't' },
		{ "truncate-len", required_argument, NULL, 'T' },
		{ "reorder", required_argument, NULL, 'r' },
		{ "unreach", required_argument, NULL, 'U' },
		{ "ttl-exceeded", required_argument, NULL, 'E' },
		{ "router", required_argument, NULL, 'R' },
		{ "router6", required_argument, NULL, 'S' },
		{ "stray", required_argument, NULL, 's' },
		{ "stamp-max", required_argument, NULL, 'M' },
		{ "stamp-zero", required_argument, NULL, 'Z' },
		{ "stamp-future", required_argument, NULL, 'F' },
		{ "unsent", required_argument, NULL, 'N' },
		{ "wrong-id", required_argument, NULL, 'I' },
		{ "oversize", required_argument, NULL, 'O' },
		{ "oversize-len", required_argument, NULL, 'L' },
		{ "unreach-unsent", required_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ifname = NULL;
	struct ifreq ifr;
	int fd, c;

	logfp = stderr;
	inet_pton(AF_INET, "10.0.0.254", &router4);
	inet_pton(AF_INET6, "fd00::fe", &router6);
	while ((c = getopt_long(argc, argv, "i:", lo, NULL)) != -1) {
		switch (c) {
		case 'i': ifname = optarg; break;
		case 'l':
			logfp = fopen(optarg, "w");
			if (!logfp)
				die(optarg);
			break;
		case 'd': delay_ms = strtol(optarg, NULL, 10); break;
		case 'x': parse_set(&s_drop, optarg); break;
		case 'u': parse_set(&s_dup, optarg); break;
		case 'c': parse_set(&s_corrupt, optarg); break;
		case 't': parse_set(&s_trunc, optarg); break;
		case 'T': trunc_len = strtol(optarg, NULL, 10); break;
		case 'r': parse_set(&s_reorder, optarg); break;
		case 'U': parse_set(&s_unreach, optarg); break;
		case 'E': parse_set(&s_ttlx, optarg); break;
		case 's': parse_set(&s_stray, optarg); break;
		case 'M': parse_set(&s_stampmax, optarg); break;
		case 'Z': parse_set(&s_stampzero, optarg); break;
		case 'F': parse_set(&s_stampfuture, optarg); break;
		case 'N': parse_set(&s_unsent, optarg); break;
		case 'I': parse_set(&s_wrongid, optarg); break;
		case 'O': parse_set(&s_oversize, optarg); break;
		case 'L': oversize_len = strtol(optarg, NULL, 10); break;
		case 'V': parse_set(&s_unreach_unsent, optarg); break;
		case 'R':
			if (inet_pton(AF_INET, optarg, &router4) != 1)
				die("--router");
			break;
		case 'S':
			if (inet_pton(AF_INET6, optarg, &router6) != 1)
				die("--router6");
			break;
		default:
			fprintf(stderr, "tunpeer: bad option (see the comment at the top)\n");
			return 2;
		}
	}
	if (!ifname) {
		fprintf(stderr, "tunpeer: -i TUN is required\n");
		return 2;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("/dev/net/tun");
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		die("TUNSETIFF");
	signal(SIGPIPE, SIG_IGN);
	fprintf(logfp, "ready\n");
	fflush(logfp);
	for (;;) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int n = poll(&pfd, 1, next_due());

		if (n < 0 && errno != EINTR)
			die("poll");
		flush_due(fd);
		if (n > 0 && (pfd.revents & POLLIN)) {
			ssize_t r = read(fd, rbuf, sizeof(rbuf));

			if (r < 0) {
				if (errno == EINTR || errno == EAGAIN)
					continue;
				die("read");
			}
			handle(fd, rbuf, (size_t)r);
		}
	}
}
