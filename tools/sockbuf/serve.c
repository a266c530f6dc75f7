// SPDX-License-Identifier: MIT
/* sockbuf serve: the receiving peer of fill, sweep and udp on another host. */
#define _GNU_SOURCE
#include "sockbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "cli.h"
#include "out.h"
#include "sockopt.h"
#include "units.h"

static const char usage[] =
	"Usage: sockbuf serve [--port P] [--bind ADDR] [--once] [--timeout S] [--json]\n"
	"Wait for 'sockbuf fill|sweep|udp --connect' clients and be their receiver: hold a TCP\n"
	"connection without reading (fill), read as fast as possible (sweep), or read UDP slowly\n"
	"and count drops (udp).  One client at a time.\n"
	"\n"
	"  -p, --port P      control port (default 5301); data ports are ephemeral\n"
	"  -B, --bind ADDR   address to listen on (default 0.0.0.0)\n"
	"  -1, --once        exit after the first client\n"
	"  -w, --timeout S   bound on a client's silence and on data connects (default 60)\n"
	"      --json        log sessions as JSON lines\n"
	"      --help        this text\n";

struct session {
	struct sb_ctl ctl;
	struct sockaddr_storage local; /* our address on the control connection */
	socklen_t llen;
	int held;                      /* fill: the connection we do not read */
	int data_timeout_ms;
};

static void log_event(const char *ev, const char *detail)
{
	nd_out_open_object(NULL);
	nd_out_str(ND_ANY, "event", "%s", ev);
	nd_out_str(ND_ANY, "detail", " %s\n", detail);
	nd_out_close_object();
	nd_out_flush();
}

static int msg_int(const struct sb_msg *m, const char *key, int *v)
{
	uint64_t u;

	if (sb_msg_u64(m, key, &u) < 0 || u > 0x7fffffff)
		return -EINVAL;
	*v = (int)u;
	return 0;
}

/* A listener on our side of the control connection; replies PORT, then accepts. */
static int open_data(struct session *s, int rcvbuf)
{
	struct sockaddr_storage a = s->local;
	uint16_t port;
	int lfd, fd;

	nd_sockaddr_set_port(&a, 0);
	lfd = sb_tcp_listen((struct sockaddr *)&a, s->llen, rcvbuf, &port);
	if (lfd < 0) {
		sb_ctl_send(&s->ctl, "ERR listen: %s", strerror(-lfd));
		return lfd;
	}
	sb_ctl_send(&s->ctl, "PORT port=%u", port);
	fd = sb_accept(lfd, s->data_timeout_ms);
	close(lfd);
	if (fd < 0)
		sb_ctl_send(&s->ctl, "ERR accept: %s", strerror(-fd));
	return fd;
}

static void do_hold(struct session *s, const struct sb_msg *m)
{
	int rcvbuf = 0;

	if (msg_int(m, "rcvbuf", &rcvbuf) < 0) {
		sb_ctl_send(&s->ctl, "ERR HOLD needs rcvbuf=N");
		return;
	}
	if (s->held >= 0)
		close(s->held);
	s->held = open_data(s, rcvbuf);
}

static void do_query(struct session *s)
{
	struct nd_sockq q;
	struct tcp_info ti;
	int rb = -1;

	if (s->held < 0 || nd_sock_queues(s->held, &q) < 0 || nd_tcp_info(s->held, &ti) < 0) {
		sb_ctl_send(&s->ctl, "ERR no held connection");
		return;
	}
	nd_sock_getbuf(s->held, NULL, &rb);
	sb_ctl_send(&s->ctl, "QUEUE inq=%" PRId64 " rcvbuf=%d rcv_space=%u bytes_received=%llu",
		    q.inq, rb, ti.tcpi_rcv_space, (unsigned long long)ti.tcpi_bytes_received);
}

static void do_drain(struct session *s, const struct sb_msg *m)
{
	int delay = 0, r;
	uint64_t bytes;

	if (s->held < 0 || msg_int(m, "delay_ms", &delay) < 0) {
		sb_ctl_send(&s->ctl, "ERR DRAIN needs a held connection and delay_ms=N");
		return;
	}
	sb_ctl_send(&s->ctl, "OK");
	usleep((useconds_t)delay * 1000);
	sb_ctl_send(&s->ctl, "DRAINING t=%" PRId64, sb_now_real());
	r = sb_sink(s->held, &bytes);
	close(s->held);
	s->held = -1;
	if (r < 0)
		sb_ctl_send(&s->ctl, "ERR drain: %s", strerror(-r));
	else
		sb_ctl_send(&s->ctl, "DRAINED bytes=%" PRIu64, bytes);
}

static void do_sink(struct session *s, const struct sb_msg *m)
{
	int rcvbuf = 0, fd, r, rb = -1;
	uint64_t bytes;

	if (msg_int(m, "rcvbuf", &rcvbuf) < 0) {
		sb_ctl_send(&s->ctl, "ERR SINK needs rcvbuf=N");
		return;
	}
	fd = open_data(s, rcvbuf);
	if (fd < 0)
		return;
	r = sb_sink(fd, &bytes);
	nd_sock_getbuf(fd, NULL, &rb);
	close(fd);
	if (r < 0)
		sb_ctl_send(&s->ctl, "ERR sink: %s", strerror(-r));
	else
		sb_ctl_send(&s->ctl, "DONE bytes=%" PRIu64 " rcvbuf=%d", bytes, rb);
}

static void do_udp(struct session *s, const struct sb_msg *m)
{
	struct sockaddr_storage a = s->local;
	struct sb_udp_rx rx;
	struct sb_msg sent;
	int rcvbuf = 0, rate = 0, fd, r;
	uint16_t port;

	if (msg_int(m, "rcvbuf", &rcvbuf) < 0 || msg_int(m, "rate", &rate) < 0) {
		sb_ctl_send(&s->ctl, "ERR UDP needs rcvbuf=N rate=N");
		return;
	}
	nd_sockaddr_set_port(&a, 0);
	fd = sb_udp_open((struct sockaddr *)&a, s->llen, rcvbuf, &port, &rx);
	if (fd < 0) {
		sb_ctl_send(&s->ctl, "ERR udp socket: %s", strerror(-fd));
		return;
	}
	rx.rate = rate;
	sb_ctl_send(&s->ctl, "PORT port=%u", port);
	/* the control connection turns readable when the client sends SENT */
	r = sb_udp_receive(&rx, s->ctl.fd);
	close(fd);
	if (r == 0)
		r = sb_ctl_expect(&s->ctl, "SENT", &sent);
	if (r < 0) {
		sb_ctl_send(&s->ctl, "ERR udp: %s", strerror(-r));
		return;
	}
	sb_ctl_send(&s->ctl,
		    "RESULT received=%" PRIu64 " drops=%" PRIu64 " rcvbuf_errors=%" PRIu64 " rcvbuf=%d",
		    rx.received, rx.drops, rx.rcvbuf_errors, rx.rcvbuf);
}

static void session(int fd, int timeout_ms)
{
	struct session s = { .held = -1, .data_timeout_ms = timeout_ms };
	struct sb_msg m;

	sb_ctl_init(&s.ctl, fd, timeout_ms);
	s.llen = sizeof(s.local);
	getsockname(fd, (struct sockaddr *)&s.local, &s.llen);
	for (;;) {
		int r = sb_ctl_recv(&s.ctl, &m);

		if (r == -EPROTO) {
			sb_ctl_send(&s.ctl, "ERR not a sockbuf control line");
			break;
		}
		if (r < 0)
			break;
		if (strcmp(m.verb, "HELLO") == 0)
			sb_ctl_send(&s.ctl, "HELLO v=%d", SB_PROTO_VERSION);
		else if (strcmp(m.verb, "HOLD") == 0)
			do_hold(&s, &m);
		else if (strcmp(m.verb, "QUERY") == 0)
			do_query(&s);
		else if (strcmp(m.verb, "DRAIN") == 0)
			do_drain(&s, &m);
		else if (strcmp(m.verb, "CLOSE") == 0) {
			if (s.held >= 0)
				close(s.held);
			s.held = -1;
			sb_ctl_send(&s.ctl, "OK");
		} else if (strcmp(m.verb, "SINK") == 0)
			do_sink(&s, &m);
		else if (strcmp(m.verb, "UDP") == 0)
			do_udp(&s, &m);
		else if (strcmp(m.verb, "BYE") == 0)
			break;
		else
			sb_ctl_send(&s.ctl, "ERR unknown command %s", m.verb);
	}
	if (s.held >= 0)
		close(s.held);
	close(fd);
}

int sb_serve_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'B' },
		{ "once", no_argument, NULL, '1' },
		{ "timeout", required_argument, NULL, 'w' },
		ND_CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *bind_s = "0.0.0.0";
	struct sockaddr_storage ss;
	socklen_t sl;
	struct nd_cli cli;
	struct nd_addr a;
	long port = SB_PORT_DEFAULT;
	int opt, lfd, timeout_ms = 60000;
	bool once = false;
	uint16_t bound;
	char name[ND_ADDRSTRLEN];

	nd_cli_init(&cli, "sockbuf", usage);
	while ((opt = getopt_long(argc, argv, ":p:B:1w:", lopts, NULL)) != -1) {
		if (nd_cli_common(&cli, opt, argv))
			continue;
		switch (opt) {
		case 'p':
			if (nd_parse_int(optarg, 1, 65535, &port) < 0)
				nd_usage_error("bad port for --port: '%s': expected 1 to 65535", optarg);
			break;
		case 'B': bind_s = optarg; break;
		case '1': once = true; break;
		case 'w': timeout_ms = (int)(sb_parse_time_opt("--timeout", optarg, 3600) * 1000); break;
		}
	}
	if (optind < argc)
		nd_usage_error("unexpected argument '%s' (try --help)", argv[optind]);
	if (nd_addr_parse(bind_s, AF_UNSPEC, &a) < 0 || a.prefixlen != (a.family == AF_INET ? 32 : 128))
		nd_usage_error("bad address for --bind: '%s'", bind_s);

	memset(&ss, 0, sizeof(ss));
	if (a.family == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a.v6;
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = a.v4;
		sl = sizeof(*s4);
	}
	nd_sockaddr_set_port(&ss, (uint16_t)port);
	signal(SIGPIPE, SIG_IGN);
	nd_out_init(stdout, cli.json);
	lfd = sb_tcp_listen((struct sockaddr *)&ss, sl, 0, &bound);
	if (lfd < 0)
		nd_die(ND_EXIT_ERROR, "listen on %s port %ld: %s", bind_s, port, strerror(-lfd));
	nd_addrport_fmt(a.family, a.bytes, bound, false, name, sizeof(name));
	log_event("listening", name);
	for (;;) {
		struct sockaddr_storage peer;
		socklen_t pl = sizeof(peer);
		int fd = accept4(lfd, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			nd_die(ND_EXIT_ERROR, "accept: %s", strerror(errno));
		}
		nd_sockaddr_fmt((struct sockaddr *)&peer, name, sizeof(name));
		log_event("client", name);
		session(fd, timeout_ms);
		log_event("done", name);
		if (once)
			break;
	}
	close(lfd);
	nd_out_finish();
	return ND_EXIT_OK;
}
