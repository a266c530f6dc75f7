// SPDX-License-Identifier: MIT
/* Control protocol lines: parsing (pure), host:port parsing (pure), and line I/O with deadlines. */
#include "proto.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sockopt.h"
#include "units.h"

static int is_key_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_';
}

static int is_val_char(char ch)
{
	return ch > ' ' && ch < 0x7f && ch != '=';
}

int sb_msg_parse(const char *line, size_t len, struct sb_msg *m)
{
	size_t i = 0, k;

	memset(m, 0, sizeof(*m));
	if (len && line[len - 1] == '\r')
		len--;
	for (k = 0; i < len && line[i] >= 'A' && line[i] <= 'Z'; i++, k++) {
		if (k + 1 >= sizeof(m->verb))
			return -EINVAL;
		m->verb[k] = line[i];
	}
	if (k == 0 || (i < len && line[i] != ' '))
		return -EINVAL;
	if (strcmp(m->verb, "ERR") == 0) {
		size_t n = i < len ? len - i - 1 : 0;

		if (n >= sizeof(m->text))
			n = sizeof(m->text) - 1;
		memcpy(m->text, line + len - n, n);
		return 0;
	}
	while (i < len) {
		if (line[i] == ' ') {
			i++;
			continue;
		}
		if (m->n >= SB_KV_MAX)
			return -EINVAL;
		for (k = 0; i < len && is_key_char(line[i]); i++, k++) {
			if (k + 1 >= sizeof(m->key[0]))
				return -EINVAL;
			m->key[m->n][k] = line[i];
		}
		if (k == 0 || i >= len || line[i] != '=')
			return -EINVAL;
		i++;
		for (k = 0; i < len && is_val_char(line[i]); i++, k++) {
			if (k + 1 >= sizeof(m->val[0]))
				return -EINVAL;
			m->val[m->n][k] = line[i];
		}
		if (k == 0 || (i < len && line[i] != ' '))
			return -EINVAL;
		m->n++;
	}
	return 0;
}

int sb_msg_u64(const struct sb_msg *m, const char *key, uint64_t *v)
{
	for (int i = 0; i < m->n; i++) {
		char *end;

		if (strcmp(m->key[i], key) != 0)
			continue;
		if (m->val[i][0] < '0' || m->val[i][0] > '9')
			return -EINVAL;
		errno = 0;
		*v = strtoull(m->val[i], &end, 10);
		if (*end || errno)
			return -EINVAL;
		return 0;
	}
	return -ENOENT;
}

static int parse_port(const char *s, uint16_t *port)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (*end || errno || v == 0 || v > 65535)
		return -EINVAL;
	*port = (uint16_t)v;
	return 0;
}

static int copy_host(const char *s, size_t n, char *host, size_t hlen)
{
	if (n == 0 || n >= hlen)
		return -EINVAL;
	memcpy(host, s, n);
	host[n] = '\0';
	return 0;
}

int sb_hostport_parse(const char *s, char *host, size_t hlen, uint16_t *port, uint16_t def)
{
	const char *c;

	*port = def;
	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '[') {
		const char *e = strchr(s, ']');

		if (!e || copy_host(s + 1, (size_t)(e - s - 1), host, hlen) < 0)
			return -EINVAL;
		if (e[1] == '\0')
			return 0;
		if (e[1] != ':')
			return -EINVAL;
		return parse_port(e + 2, port);
	}
	c = strchr(s, ':');
	if (c && strchr(c + 1, ':')) /* two colons: a bare IPv6 address */
		return copy_host(s, strlen(s), host, hlen);
	if (!c)
		return copy_host(s, strlen(s), host, hlen);
	if (copy_host(s, (size_t)(c - s), host, hlen) < 0)
		return -EINVAL;
	return parse_port(c + 1, port);
}

void sb_ctl_init(struct sb_ctl *c, int fd, int timeout_ms)
{
	c->fd = fd;
	c->timeout_ms = timeout_ms;
	c->len = 0;
}

int sb_ctl_send(struct sb_ctl *c, const char *fmt, ...)
{
	char line[SB_LINE_MAX];
	va_list ap;
	int n;
	size_t off = 0;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line) - 1)
		return -EMSGSIZE;
	line[n++] = '\n';
	while (off < (size_t)n) {
		ssize_t w = send(c->fd, line + off, (size_t)n - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		off += (size_t)w;
	}
	return 0;
}

int sb_ctl_pending(const struct sb_ctl *c)
{
	return memchr(c->buf, '\n', c->len) != NULL;
}

int sb_ctl_recv(struct sb_ctl *c, struct sb_msg *m)
{
	int64_t deadline = nd_now() + (int64_t)c->timeout_ms * 1000000;

	for (;;) {
		char *nl = memchr(c->buf, '\n', c->len);

		if (nl) {
			size_t l = (size_t)(nl - c->buf);
			int r = sb_msg_parse(c->buf, l, m);

			memmove(c->buf, nl + 1, c->len - l - 1);
			c->len -= l + 1;
			return r < 0 ? -EPROTO : 0;
		}
		if (c->len >= sizeof(c->buf))
			return -EMSGSIZE; /* no line end in a full buffer: no way to resync */

		int r = nd_poll_until(c->fd, POLLIN, deadline);
		ssize_t got;

		if (r < 0)
			return r;
		got = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -errno;
		if (got == 0)
			return -ECONNRESET;
		c->len += (size_t)got;
	}
}

int sb_ctl_expect(struct sb_ctl *c, const char *verb, struct sb_msg *m)
{
	int r = sb_ctl_recv(c, m);

	if (r < 0)
		return r;
	if (strcmp(m->verb, "ERR") == 0)
		return -EREMOTEIO;
	if (strcmp(m->verb, verb) != 0)
		return -EPROTO;
	return 0;
}
