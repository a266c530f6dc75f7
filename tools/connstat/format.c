// SPDX-License-Identifier: MIT
/* Pure text formatting of a row's pieces, by hand: this runs once per socket. */
#include "addr.h"
#include "connstat.h"
#include "units.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

/* "10.0.0.1:80", "[fe80::1]:ssh", "0.0.0.0:*", "localhost:ssh".  @size >= ND_ADDRSTRLEN+40. */
size_t cs_fmt_endpoint(char *p, size_t size, int family, const uint8_t *addr, uint16_t port,
		       const char *service, const char *host)
{
	size_t n = 0, l;

	if (host) {
		l = strnlen(host, size - 40);
		memcpy(p, host, l);
		n = l;
	} else if (family == AF_INET) {
		n = strlen(nd_addr_fmt(AF_INET, addr, p, size - 40));
	} else {
		p[n++] = '[';
		nd_addr_fmt(AF_INET6, addr, p + n, size - n - 40);
		n += strlen(p + n);
		p[n++] = ']';
	}
	p[n++] = ':';
	if (port == 0) {
		p[n++] = '*';
	} else if (service) {
		l = strnlen(service, 32);
		memcpy(p + n, service, l);
		n += l;
	} else {
		n += nd_fmt_u64(p + n, port);
	}
	p[n] = '\0';
	return n;
}

/* A UNIX path as netstat shows it: an abstract name starts with '@', NULs inside become '@'. */
size_t cs_fmt_unix_path(char *p, size_t size, const char *path, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len && n + 1 < size; i++) {
		unsigned char c = (unsigned char)path[i];

		p[n++] = c == 0 ? '@' : (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	p[n] = '\0';
	return n;
}
