// SPDX-License-Identifier: MIT
/* Port names from /etc/services, loaded once into a sorted table. */
#include "services.h"
#include "file.h"

#include <errno.h>
#include <netdb.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct svc {
	uint16_t port;
	uint8_t udp;   /* 0 tcp, 1 udp */
	uint32_t line; /* the first line naming a port wins, as for getservbyport() */
	uint32_t name; /* offset into names */
};

static struct {
	bool loaded;
	struct svc *v;
	size_t n;
	char *names;
	int eph_lo, eph_hi;
	bool eph_loaded;
} S;

static int svc_cmp(const void *a, const void *b)
{
	const struct svc *x = a, *y = b;

	if (x->udp != y->udp)
		return x->udp - y->udp;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

int nd_services_parse(const char *buf, size_t len)
{
	size_t cap = 0, n = 0, nlen = 0;
	struct svc *v = NULL;
	char *names = malloc(len + 1);
	uint32_t line = 0;
	size_t i = 0;

	if (!names)
		return -ENOMEM;
	while (i < len) {
		size_t e = i, j;
		char name[64], proto[16];
		unsigned int port;
		char l[512];

		while (e < len && buf[e] != '\n')
			e++;
		j = e - i < sizeof(l) - 1 ? e - i : sizeof(l) - 1;
		memcpy(l, buf + i, j);
		l[j] = '\0';
		i = e + 1;
		line++;
		if (strchr(l, '#'))
			*strchr(l, '#') = '\0';
		if (sscanf(l, "%63s %u/%15s", name, &port, proto) != 3 || port > 65535)
			continue;
		if (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0)
			continue;
		if (n == cap) {
			struct svc *t = realloc(v, (cap = cap ? cap * 2 : 512) * sizeof(*v));

			if (!t) {
				free(v);
				free(names);
				return -ENOMEM;
			}
			v = t;
		}
		v[n++] = (struct svc){ .port = (uint16_t)port,
				       .udp = proto[0] == 'u',
				       .line = line,
				       .name = (uint32_t)nlen };
		memcpy(names + nlen, name, strlen(name) + 1);
		nlen += strlen(name) + 1;
	}
	if (n > 1) /* no tcp/udp entry leaves v NULL, and qsort's base must not be */
		qsort(v, n, sizeof(*v), svc_cmp);
	free(S.v);
	free(S.names);
	S.v = v;
	S.n = n;
	S.names = names;
	S.loaded = true;
	return (int)n;
}

static void load(void)
{
	size_t len;
	char *buf = nd_file_read("/etc/services", SIZE_MAX, &len);

	S.loaded = true;
	if (buf)
		nd_services_parse(buf, len);
	free(buf);
}

void nd_services_set_ephemeral(int lo, int hi)
{
	S.eph_lo = lo;
	S.eph_hi = hi;
	S.eph_loaded = true;
}

static bool ephemeral(uint16_t port)
{
	if (!S.eph_loaded) {
		FILE *f = fopen("/proc/sys/net/ipv4/ip_local_port_range", "re");

		S.eph_loaded = true;
		if (!f || fscanf(f, "%d %d", &S.eph_lo, &S.eph_hi) != 2) {
			S.eph_lo = 1024;
			S.eph_hi = 4999;
		}
		if (f)
			fclose(f);
	}
	return port >= S.eph_lo && port <= S.eph_hi;
}

const char *nd_service_name(uint16_t port, const char *proto)
{
	size_t lo = 0, hi;
	uint8_t udp = proto[0] == 'u';

	if (!S.loaded)
		load();
	if (ephemeral(port))
		return NULL;
	hi = S.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const struct svc *s = &S.v[mid];

		if (s->udp < udp || (s->udp == udp && s->port < port))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < S.n && S.v[lo].udp == udp && S.v[lo].port == port)
		return S.names + S.v[lo].name;
	return NULL;
}

const char *nd_proto_name(uint8_t proto)
{
	static char *names[256];
	static bool tried[256];

	if (!tried[proto]) {
		struct protoent *p = getprotobynumber(proto);

		tried[proto] = true;
		if (p)
			names[proto] = strdup(p->p_name);
	}
	return names[proto];
}
