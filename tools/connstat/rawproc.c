// SPDX-License-Identifier: MIT
/*
 * RAW sockets when the kernel has no raw_diag (CONFIG_INET_RAW_DIAG unset, as on this machine's
 * kernel): sock_diag answers ENOENT for IPPROTO_RAW, and /proc/net/raw{,6} is the only place the
 * kernel lists them.  ss falls back the same way.  TCP, UDP and UNIX always come from sock_diag.
 */
#include "connstat.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* @n hex digits at *@p into *@v; advances *@p. */
static int hex(const char **p, int n, uint32_t *v)
{
	uint32_t x = 0;

	for (int i = 0; i < n; i++) {
		int d = hexval((*p)[i]);

		if (d < 0)
			return -EINVAL;
		x = x << 4 | (uint32_t)d;
	}
	*p += n;
	*v = x;
	return 0;
}

/* "0100007F:0001": the address words are the kernel's in-memory u32s, printed as numbers. */
static int endpoint(const char **p, int family, uint8_t *addr, uint16_t *port)
{
	int words = family == AF_INET ? 1 : 4;
	uint32_t w, pt;

	for (int i = 0; i < words; i++) {
		if (hex(p, 8, &w))
			return -EINVAL;
		memcpy(addr + 4 * i, &w, 4); /* host order is the kernel's order */
	}
	if (**p != ':')
		return -EINVAL;
	(*p)++;
	if (hex(p, 4, &pt))
		return -EINVAL;
	*port = (uint16_t)pt;
	return 0;
}

static const char *skip_blanks(const char *p)
{
	while (*p == ' ')
		p++;
	return p;
}

int cs_raw_parse_line(const char *line, int family, struct nd_sock *s)
{
	const char *p = skip_blanks(line);
	uint32_t st, tx, rx;
	unsigned long uid, timeout, inode;
	int n;

	memset(s, 0, offsetof(struct nd_sock, info));
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p++ != ':')
		return -EINVAL;
	p = skip_blanks(p);
	s->family = (uint8_t)family;
	s->netid = ND_RAW;
	if (endpoint(&p, family, s->laddr, &s->lport))
		return -EINVAL;
	p = skip_blanks(p);
	if (endpoint(&p, family, s->paddr, &s->pport))
		return -EINVAL;
	p = skip_blanks(p);
	if (hex(&p, 2, &st) || *p++ != ' ' || hex(&p, 8, &tx) || *p++ != ':' || hex(&p, 8, &rx))
		return -EINVAL;
	/* tr:tm->when retrnsmt uid timeout inode */
	if (sscanf(p, " %*x:%*x %*x %lu %lu %lu%n", &uid, &timeout, &inode, &n) != 3)
		return -EINVAL;
	s->state = st < ND_SS_MAX ? (uint8_t)st : ND_SS_UNKNOWN;
	s->send_q = tx;
	s->recv_q = rx;
	s->uid = (uint32_t)uid;
	s->has_uid = true;
	s->inode = (uint32_t)inode;
	s->protocol = (uint8_t)s->lport;
	return 0;
}

int cs_raw_dump(int family, uint32_t states, void (*cb)(struct nd_sock *s, void *data), void *data,
		struct nd_sock *s)
{
	FILE *f = fopen(family == AF_INET ? "/proc/net/raw" : "/proc/net/raw6", "re");
	char line[512];
	int err = 0;

	if (!f)
		return errno == ENOENT ? 0 : -errno;
	if (!fgets(line, sizeof(line), f)) { /* the header */
		fclose(f);
		return 0;
	}
	while (fgets(line, sizeof(line), f)) {
		if (cs_raw_parse_line(line, family, s)) {
			err = -EBADMSG;
			break;
		}
		if (states & (1u << s->state))
			cb(s, data);
	}
	fclose(f);
	return err;
}
