// SPDX-License-Identifier: MIT
/*
 * ss filter expressions.  The input is "WORDS\0SOCKETS": the words (split at blanks by the
 * parser) go to nd_filter_parse(); every expression that parses is compiled, and the compiled
 * inet_diag bytecode, run by nd_filter_bc_run() the kernel's way, must select exactly what the
 * tree does (nd_filter_match) on sockets made from the bytes after the NUL.
 *
 * Host names: this file defines getaddrinfo(), so that a fuzzed "src NAME" never leaves the
 * process (no DNS query): every name starting with 'l' is 127.0.0.1 and ::1, others fail.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "filter.h"

struct fake_ai {
	struct addrinfo ai;
	struct sockaddr_in6 sa;
};

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	struct fake_ai *a = calloc(2, sizeof(*a));
	int fam = hints ? hints->ai_family : AF_UNSPEC, n = 0;

	(void)service;
	if (!a)
		return EAI_MEMORY;
	if (!node || node[0] != 'l') {
		free(a);
		return EAI_NONAME;
	}
	if (fam != AF_INET6) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&a[n].sa;

		sin->sin_family = AF_INET;
		sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		a[n].ai.ai_family = AF_INET;
		a[n].ai.ai_addrlen = sizeof(*sin);
		a[n].ai.ai_addr = (struct sockaddr *)sin;
		n++;
	}
	if (fam != AF_INET) {
		a[n].sa.sin6_family = AF_INET6;
		a[n].sa.sin6_addr = in6addr_loopback;
		a[n].ai.ai_family = AF_INET6;
		a[n].ai.ai_addrlen = sizeof(a[n].sa);
		a[n].ai.ai_addr = (struct sockaddr *)&a[n].sa;
		n++;
	}
	if (n == 2)
		a[0].ai.ai_next = &a[1].ai;
	*res = &a[0].ai;
	return 0;
}

void freeaddrinfo(struct addrinfo *res)
{
	free(res); /* the array's first element */
}

static struct nd_filter f;
/* the kernel's default ip_local_port_range; 7001 of make_sock's ports falls outside it */
enum { AUTO_LO = 32768, AUTO_HI = 60999 };
static uint8_t bc[4096];

/* Sockets near the expression's own values are likelier to hit both branches: bytes pick. */
static void make_sock(const uint8_t *p, size_t n, struct nd_sock *s)
{
	static const uint8_t v4[][4] = { { 127, 0, 0, 1 }, { 10, 0, 0, 1 }, { 0, 0, 0, 0 },
					 { 192, 168, 1, 1 } };
	static const uint16_t ports[] = { 0, 22, 80, 443, 1024, 7001, 65535, 5000 };
	uint8_t b[8] = { 0 };

	memcpy(b, p, n < sizeof(b) ? n : sizeof(b));
	memset(s, 0, sizeof(*s));
	s->family = (b[0] & 1) ? AF_INET6 : AF_INET;
	s->netid = ND_TCP;
	s->lport = (b[0] & 2) ? ports[b[1] & 7] : (uint16_t)(b[1] << 8 | b[2]);
	s->pport = (b[0] & 4) ? ports[b[3] & 7] : (uint16_t)(b[3] << 8 | b[2]);
	if (s->family == AF_INET) {
		memcpy(s->laddr, v4[b[4] & 3], 4);
		memcpy(s->paddr, v4[b[5] & 3], 4);
		s->laddr[3] ^= b[6] & 0x10 ? b[7] : 0;
	} else if (b[4] & 4) { /* v4-mapped */
		s->laddr[10] = s->laddr[11] = s->paddr[10] = s->paddr[11] = 0xff;
		memcpy(s->laddr + 12, v4[b[4] & 3], 4);
		memcpy(s->paddr + 12, v4[b[5] & 3], 4);
	} else {
		s->laddr[15] = b[4] & 1;
		s->paddr[15] = b[5] & 1;
		s->laddr[0] = b[6] & 0x80 ? 0x20 : 0;
		s->paddr[1] = b[7];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char words[1024], err[256];
	char *argv[1] = { words };
	const uint8_t *nul = memchr(data, 0, size);
	size_t wlen = nul ? (size_t)(nul - data) : size;
	const uint8_t *rest = nul ? nul + 1 : data + size;
	size_t rlen = (size_t)(data + size - rest);
	int family = AF_UNSPEC;
	ssize_t n;

	if (wlen >= sizeof(words))
		return 0;
	memcpy(words, data, wlen);
	words[wlen] = '\0';
	if (rlen > 0 && rest[0] == '4')
		family = AF_INET;
	else if (rlen > 0 && rest[0] == '6')
		family = AF_INET6;
	if (nd_filter_parse(1, argv, family, &nd_filter_names_system, &f, err, sizeof(err))) {
		if (!memchr(err, '\0', sizeof(err)) || err[0] == '\0')
			abort(); /* an error always says something */
		return 0;
	}
	if (!f.root)
		return 0;
	nd_filter_set_local_ports(&f, AUTO_LO, AUTO_HI);
	n = nd_filter_compile(f.root, bc, sizeof(bc));
	if (n < 0)
		return 0; /* too long, or a unix: condition */
	for (size_t off = 0; off < rlen || off == 0; off += 8) {
		struct nd_sock s;
		bool a, b;

		make_sock(rest + off, off < rlen ? rlen - off : 0, &s);
		/*
		 * autobound: user space takes a port in the local port range for one the kernel
		 * picked (connstat gives the tree the range); the bytecode reads the bind lock.  The
		 * model socket is bound explicitly exactly when its port is outside the range.
		 */
		a = nd_filter_bc_run(bc, (size_t)n, &s,
				     !(s.lport >= AUTO_LO && s.lport <= AUTO_HI));
		b = nd_filter_match(f.root, &s);
		if (a != b) {
			fprintf(stderr, "'%s': bytecode %d, tree %d\n", words, a, b);
			abort();
		}
		if (off >= 64)
			break;
	}
	return 0;
}
