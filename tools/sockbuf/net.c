// SPDX-License-Identifier: MIT
/* Option values, data sockets and the client end of the control channel. */
#define _GNU_SOURCE
#include "sockbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "cli.h"
#include "sockopt.h"
#include "units.h"

int sb_parse_size_opt(const char *opt, const char *arg)
{
	uint64_t v;
	int r = nd_parse_size(arg, INT_MAX, &v);

	if (r == -ERANGE)
		nd_usage_error("bad size for %s: '%s': larger than %d", opt, arg, INT_MAX);
	if (r < 0)
		nd_usage_error("bad size for %s: '%s': expected a number with k, M, G, Ki, Mi, Gi",
			       opt, arg);
	return (int)v;
}

double sb_parse_time_opt(const char *opt, const char *arg, double max)
{
	double v;
	int r = nd_parse_seconds(arg, max, &v);

	if (r == -ERANGE || (r == 0 && v <= 0))
		nd_usage_error("bad duration for %s: '%s': must be above 0 and at most %g s", opt,
			       arg, max);
	if (r < 0)
		nd_usage_error("bad duration for %s: '%s': expected seconds", opt, arg);
	return v;
}

uint64_t sb_parse_num_opt(const char *opt, const char *what, const char *arg, uint64_t min,
			  uint64_t max, const char *unit)
{
	uint64_t v;

	if (nd_parse_u64(arg, min, max, &v) < 0)
		nd_usage_error("bad %s for %s: '%s': expected %" PRIu64 " to %" PRIu64 "%s%s", what,
			       opt, arg, min, max, *unit ? " " : "", unit);
	return v;
}

int sb_parse_size_list(const char *opt, const char *arg, int *out, int max, int auto_value)
{
	const char *p = arg;
	int n = 0;

	do {
		size_t l = strcspn(p, ",");
		char tok[64];

		if (l == 0)
			nd_usage_error(
				"bad list for %s: '%s': an empty size (two commas, or one at an end)",
				opt, arg);
		if (l >= sizeof(tok))
			nd_usage_error("bad size for %s: '%.*s': too long", opt, (int)l, p);
		if (n >= max)
			nd_usage_error("bad list for %s: more than %d sizes", opt, max);
		memcpy(tok, p, l);
		tok[l] = '\0';
		out[n++] = strcmp(tok, "auto") == 0 ? auto_value : sb_parse_size_opt(opt, tok);
		p += l;
	} while (*p++ == ',');
	return n;
}

int sb_parse_sizes(const char *opt, const char *arg, int *out, int max)
{
	return sb_parse_size_list(opt, arg, out, max, 0);
}

int64_t sb_now_real(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return nd_ts_ns(&t);
}

void sb_loopback(struct sockaddr_storage *ss, socklen_t *len)
{
	struct in_addr lo = { .s_addr = htonl(INADDR_LOOPBACK) };

	*len = nd_sockaddr_from(ss, AF_INET, &lo, 0);
}

static uint16_t get_port(int fd)
{
	struct sockaddr_storage ss;
	socklen_t l = sizeof(ss);

	if (getsockname(fd, (struct sockaddr *)&ss, &l) < 0)
		return 0;
	return nd_sockaddr_port(&ss);
}

int sb_tcp_listen(const struct sockaddr *sa, socklen_t salen, int rcvbuf, uint16_t *port)
{
	int fd = socket(sa->sa_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r;

	if (fd < 0)
		return -errno;
	r = nd_sock_setint(fd, SOL_SOCKET, SO_REUSEADDR, 1);
	if (r == 0 && rcvbuf > 0)
		r = nd_sock_setint(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf);
	if (r == 0 && bind(fd, sa, salen) < 0)
		r = -errno;
	if (r == 0 && listen(fd, 16) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	*port = get_port(fd);
	return fd;
}

int sb_tcp_connect(const struct sockaddr_storage *sa, uint16_t port, int sndbuf, int timeout_ms)
{
	struct sockaddr_storage ss = *sa;
	socklen_t l = nd_sockaddr_len(ss.ss_family);
	int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r = 0;

	if (fd < 0)
		return -errno;
	nd_sockaddr_set_port(&ss, port);
	if (sndbuf > 0)
		r = nd_sock_setint(fd, SOL_SOCKET, SO_SNDBUF, sndbuf);
	if (r == 0)
		r = nd_connect_timeout(fd, (struct sockaddr *)&ss, l, timeout_ms);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int sb_accept(int lfd, int timeout_ms)
{
	int r = nd_poll_until(lfd, POLLIN, nd_now() + (int64_t)timeout_ms * 1000000);
	int fd;

	if (r < 0)
		return r;
	fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

void sb_peer_open(struct sb_peer *p, const struct sb_target *t)
{
	char host[256];
	uint16_t port;
	struct sb_msg m;
	int r, fd;

	if (sb_hostport_parse(t->connect, host, sizeof(host), &port, SB_PORT_DEFAULT) < 0)
		nd_usage_error("bad peer for --connect: '%s': expected HOST[:PORT]", t->connect);
	r = nd_resolve(host, AF_UNSPEC, false, &p->addr, NULL, 0);
	if (r)
		nd_usage_error("bad peer for --connect: '%s': %s", host, gai_strerror(r));
	p->alen = nd_sockaddr_len(p->addr.ss_family);
	nd_sockaddr_set_port(&p->addr, port);
	nd_addrport_fmt(p->addr.ss_family,
			p->addr.ss_family == AF_INET6
				? (void *)&((struct sockaddr_in6 *)&p->addr)->sin6_addr
				: (void *)&((struct sockaddr_in *)&p->addr)->sin_addr,
			port, false, p->name, sizeof(p->name));
	fd = sb_tcp_connect(&p->addr, port, 0, t->timeout_ms);
	if (fd == -ETIMEDOUT)
		nd_die(ND_EXIT_ERROR, "connect %s: no answer within %d ms", p->name, t->timeout_ms);
	if (fd < 0)
		nd_die(ND_EXIT_ERROR, "connect %s: %s", p->name, strerror(-fd));
	sb_ctl_init(&p->ctl, fd, t->timeout_ms);
	r = sb_ctl_send(&p->ctl, "HELLO v=%d", SB_PROTO_VERSION);
	if (r < 0)
		nd_die(ND_EXIT_ERROR, "greet %s: %s", p->name, strerror(-r));
	sb_peer_expect(p, "HELLO", &m, "greeting");
}

void sb_peer_expect(struct sb_peer *p, const char *verb, struct sb_msg *m, const char *what)
{
	int r = sb_ctl_expect(&p->ctl, verb, m);

	if (r == -EREMOTEIO)
		nd_die(ND_EXIT_ERROR, "peer %s: %s: %s", p->name, what, m->text);
	if (r == -ETIMEDOUT)
		nd_die(ND_EXIT_ERROR,
		       "peer %s: %s: no answer within %d ms (is it 'sockbuf serve'?)", p->name,
		       what, p->ctl.timeout_ms);
	if (r == -EPROTO)
		nd_die(ND_EXIT_ERROR, "peer %s: %s: unexpected reply (is it 'sockbuf serve'?)",
		       p->name, what);
	if (r < 0)
		nd_die(ND_EXIT_ERROR, "peer %s: %s: %s", p->name, what, strerror(-r));
}

uint64_t sb_peer_u64(const struct sb_msg *m, const char *key)
{
	uint64_t v;

	if (sb_msg_u64(m, key, &v) < 0)
		nd_die(ND_EXIT_ERROR, "peer: reply %s lacks a number %s", m->verb, key);
	return v;
}

void sb_peer_close(struct sb_peer *p)
{
	sb_ctl_send(&p->ctl, "BYE");
	close(p->ctl.fd);
}
