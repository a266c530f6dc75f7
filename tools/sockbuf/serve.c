// SPDX-License-Identifier: MIT
/*
 * sockbuf serve: the receiving peer of fill, sweep and udp on another host.
 *
 * Several clients at once, one thread each.  A session is a row of blocking steps (accept a data
 * connection, wait before a drain, read to EOF, pace UDP reads) that reads best as straight-line
 * code; a poll loop would turn each step into a state machine, and one slow client must not hold
 * the others up.  The threads share only the log (one lock: lib/out has one writer at a time) and
 * the count of clients.  Nothing from the wire is trusted: every number is range-checked and
 * refused with an ERR line that names it, every wait is bounded by --timeout, and a line longer
 * than the protocol allows ends the session.
 */
#define _GNU_SOURCE
#include "sockbuf.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "cli.h"
#include "out.h"
#include "sockopt.h"
#include "units.h"

static const char usage[] =
	"Usage: sockbuf serve [--port P] [--bind ADDR] [--once] [--timeout S] [--max-clients N] [--json]\n"
	"Wait for 'sockbuf fill|sweep|udp --connect' clients and be their receiver: hold a TCP\n"
	"connection without reading (fill), read as fast as possible (sweep), or read UDP slowly\n"
	"and count drops (udp).  Several clients at once, each in a thread of its own.\n"
	"\n"
	"  -p, --port P         control port (default 5301); data ports are ephemeral\n"
	"  -B, --bind ADDR      address to listen on (default 127.0.0.1: name another address,\n"
	"                       or 0.0.0.0 / ::, to serve other hosts; there is no authentication)\n"
	"  -1, --once           exit after the first client\n"
	"  -w, --timeout S      a client silent for S seconds is dropped; also bounds data connects\n"
	"                       (default 60)\n"
	"  -m, --max-clients N  clients served at once (default 16); one more is told it is busy\n"
	"      --json           log sessions as JSON lines\n"
	"      --help           this text\n";

/* What the wire may ask for: the kernel clamps buffers anyway, these keep the arithmetic sane. */
#define RCVBUF_MAX (1 << 30) /* SO_RCVBUF bytes */
#define RATE_MAX   10000000  /* UDP datagrams read per second */

struct session {
	struct sb_ctl ctl;
	struct sockaddr_storage local; /* our address on the control connection */
	socklen_t llen;
	int held; /* fill: the connection we do not read */
	int timeout_ms;
	const char *peer; /* the client, for the log */
};

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int clients;

/* One log line (or JSON document): event, client, detail; from any session thread. */
static void log_event(const char *ev, const char *peer, const char *detail)
{
	pthread_mutex_lock(&log_lock);
	nd_out_open_object(NULL);
	nd_out_str(ND_ANY, "event", "%s", ev);
	if (peer)
		nd_out_str(ND_ANY, "client", " %s", peer);
	if (detail)
		nd_out_str(ND_ANY, "detail", peer ? ": %s" : " %s", detail);
	nd_out_text("\n");
	nd_out_close_object();
	nd_out_flush();
	pthread_mutex_unlock(&log_lock);
}

/* Refuse what the client asked: one ERR line to it, one "rejected" line in the log. */
__attribute__((format(printf, 2, 3))) static void reject(struct session *s, const char *fmt, ...)
{
	char text[SB_LINE_MAX - 8];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	sb_ctl_send(&s->ctl, "ERR %s", text);
	log_event("rejected", s->peer, text);
}

static const char *msg_val(const struct sb_msg *m, const char *key)
{
	for (int i = 0; i < m->n; i++)
		if (strcmp(m->key[i], key) == 0)
			return m->val[i];
	return NULL;
}

/*
 * The number @key of @m in [@min, @max] into @v; otherwise the client is told which value is
 * wrong and why, and -1 comes back.
 */
static int take(struct session *s, const struct sb_msg *m, const char *key, long min, long max,
		int *v)
{
	const char *raw = msg_val(m, key);
	uint64_t u;

	if (!raw) {
		reject(s, "%s needs %s=N (%ld to %ld)", m->verb, key, min, max);
		return -1;
	}
	if (strspn(raw, "0123456789") != strlen(raw)) {
		reject(s, "%s %s=%s: not a number", m->verb, key, raw);
		return -1;
	}
	if (sb_msg_u64(m, key, &u) < 0 || u < (uint64_t)min || u > (uint64_t)max) {
		reject(s, "%s %s=%s: out of range %ld to %ld", m->verb, key, raw, min, max);
		return -1;
	}
	*v = (int)u;
	return 0;
}

/* A listener on our side of the control connection; replies PORT, then accepts. */
static int open_data(struct session *s, int rcvbuf)
{
	struct sockaddr_storage a = s->local;
	struct timeval tv = { .tv_sec = s->timeout_ms / 1000,
			      .tv_usec = s->timeout_ms % 1000 * 1000 };
	uint16_t port;
	int lfd, fd;

	nd_sockaddr_set_port(&a, 0);
	lfd = sb_tcp_listen((struct sockaddr *)&a, s->llen, rcvbuf, &port);
	if (lfd < 0) {
		sb_ctl_send(&s->ctl, "ERR listen: %s", strerror(-lfd));
		return lfd;
	}
	sb_ctl_send(&s->ctl, "PORT port=%u", port);
	fd = sb_accept(lfd, s->timeout_ms);
	close(lfd);
	if (fd < 0) {
		sb_ctl_send(&s->ctl, "ERR accept: %s", strerror(-fd));
		return fd;
	}
	/* a data connection that goes silent ends the read, as a silent client does */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	return fd;
}

/* The end of a read on a data connection, as the client is told it. */
static void send_read_error(struct session *s, const char *what, int err)
{
	if (err == -EAGAIN || err == -EWOULDBLOCK)
		reject(s, "%s: no data for %d s", what, s->timeout_ms / 1000);
	else
		sb_ctl_send(&s->ctl, "ERR %s: %s", what, strerror(-err));
}

static void do_hello(struct session *s, const struct sb_msg *m)
{
	const char *v = msg_val(m, "v");
	char mine[12];

	snprintf(mine, sizeof(mine), "%d", SB_PROTO_VERSION);
	if (v && strcmp(v, mine) != 0) {
		reject(s, "HELLO v=%s: this server speaks v=%s only", v, mine);
		return;
	}
	sb_ctl_send(&s->ctl, "HELLO v=%d", SB_PROTO_VERSION);
}

static void do_hold(struct session *s, const struct sb_msg *m)
{
	int rcvbuf;

	if (take(s, m, "rcvbuf", 0, RCVBUF_MAX, &rcvbuf) < 0)
		return;
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
		reject(s, "QUERY: no held connection");
		return;
	}
	nd_sock_getbuf(s->held, NULL, &rb);
	sb_ctl_send(&s->ctl, "QUEUE inq=%" PRId64 " rcvbuf=%d rcv_space=%u bytes_received=%llu",
		    q.inq, rb, ti.tcpi_rcv_space, (unsigned long long)ti.tcpi_bytes_received);
}

static void do_drain(struct session *s, const struct sb_msg *m)
{
	int delay, r;
	uint64_t bytes;

	if (s->held < 0) {
		reject(s, "DRAIN: no held connection");
		return;
	}
	/* a wait longer than the client's own bound on silence helps nobody */
	if (take(s, m, "delay_ms", 0, s->timeout_ms, &delay) < 0)
		return;
	sb_ctl_send(&s->ctl, "OK");
	usleep((useconds_t)delay * 1000);
	sb_ctl_send(&s->ctl, "DRAINING t=%" PRId64, sb_now_real());
	r = sb_sink(s->held, &bytes);
	close(s->held);
	s->held = -1;
	if (r < 0)
		send_read_error(s, "drain", r);
	else
		sb_ctl_send(&s->ctl, "DRAINED bytes=%" PRIu64, bytes);
}

static void do_sink(struct session *s, const struct sb_msg *m)
{
	int rcvbuf, fd, r, rb = -1;
	uint64_t bytes;

	if (take(s, m, "rcvbuf", 0, RCVBUF_MAX, &rcvbuf) < 0)
		return;
	fd = open_data(s, rcvbuf);
	if (fd < 0)
		return;
	r = sb_sink(fd, &bytes);
	nd_sock_getbuf(fd, NULL, &rb);
	close(fd);
	if (r < 0)
		send_read_error(s, "sink", r);
	else
		sb_ctl_send(&s->ctl, "DONE bytes=%" PRIu64 " rcvbuf=%d", bytes, rb);
}

static void do_udp(struct session *s, const struct sb_msg *m)
{
	struct sockaddr_storage a = s->local;
	struct sb_udp_rx rx;
	struct sb_msg sent;
	int rcvbuf, rate, fd, r;
	uint16_t port;

	if (take(s, m, "rcvbuf", 0, RCVBUF_MAX, &rcvbuf) < 0 ||
	    take(s, m, "rate", 0, RATE_MAX, &rate) < 0)
		return;
	nd_sockaddr_set_port(&a, 0);
	fd = sb_udp_open((struct sockaddr *)&a, s->llen, rcvbuf, &port, &rx);
	if (fd < 0) {
		sb_ctl_send(&s->ctl, "ERR udp socket: %s", strerror(-fd));
		return;
	}
	rx.rate = rate;
	rx.idle_ns = (int64_t)s->timeout_ms * 1000000;
	sb_ctl_send(&s->ctl, "PORT port=%u", port);
	/* the control connection turns readable when the client sends SENT */
	r = sb_udp_receive(&rx, s->ctl.fd);
	close(fd);
	if (r == -ETIME) {
		reject(s, "UDP: no datagram and no SENT for %d s", s->timeout_ms / 1000);
		return;
	}
	if (r == 0)
		r = sb_ctl_expect(&s->ctl, "SENT", &sent);
	if (r < 0) {
		sb_ctl_send(&s->ctl, "ERR udp: %s", strerror(-r));
		return;
	}
	sb_ctl_send(&s->ctl,
		    "RESULT received=%" PRIu64 " drops=%" PRIu64 " rcvbuf_errors=%" PRIu64
		    " rcvbuf=%d",
		    rx.received, rx.drops, rx.rcvbuf_errors, rx.rcvbuf);
}

/* One command; false when the session is over. */
static bool command(struct session *s, const struct sb_msg *m)
{
	if (strcmp(m->verb, "HELLO") == 0)
		do_hello(s, m);
	else if (strcmp(m->verb, "HOLD") == 0)
		do_hold(s, m);
	else if (strcmp(m->verb, "QUERY") == 0)
		do_query(s);
	else if (strcmp(m->verb, "DRAIN") == 0)
		do_drain(s, m);
	else if (strcmp(m->verb, "CLOSE") == 0) {
		if (s->held >= 0)
			close(s->held);
		s->held = -1;
		sb_ctl_send(&s->ctl, "OK");
	} else if (strcmp(m->verb, "SINK") == 0)
		do_sink(s, m);
	else if (strcmp(m->verb, "UDP") == 0)
		do_udp(s, m);
	else if (strcmp(m->verb, "BYE") == 0)
		return false;
	else
		reject(s, "unknown command %s", m->verb);
	return true;
}

/*
 * Close after refusing a client that is still sending (an endless line): stop our side, then
 * read and drop what comes until it stops or @timeout_ms passes.  Closing with unread input
 * would send a reset, and the client could lose the ERR line that tells it why.
 */
static void linger_close(int fd, int timeout_ms)
{
	int64_t deadline = nd_now() + (int64_t)timeout_ms * 1000000;
	char sink[4096];

	shutdown(fd, SHUT_WR);
	while (nd_poll_until(fd, POLLIN, deadline) == 0) {
		ssize_t n = recv(fd, sink, sizeof(sink), 0);

		if (n == 0 || (n < 0 && errno != EINTR))
			break;
	}
}

static void session(int fd, int timeout_ms, const char *peer)
{
	struct session s = { .held = -1, .timeout_ms = timeout_ms, .peer = peer };
	struct sb_msg m;

	sb_ctl_init(&s.ctl, fd, timeout_ms);
	s.llen = sizeof(s.local);
	getsockname(fd, (struct sockaddr *)&s.local, &s.llen);
	for (;;) {
		int r = sb_ctl_recv(&s.ctl, &m);

		if (r == -EPROTO) {
			reject(&s, "not a sockbuf control line");
			continue;
		}
		if (r == -EMSGSIZE) {
			reject(&s, "line longer than %d bytes: closing", SB_LINE_MAX);
			linger_close(fd, timeout_ms);
			break;
		}
		if (r == -ETIMEDOUT) {
			reject(&s, "silent for %d s: closing", timeout_ms / 1000);
			break;
		}
		if (r < 0 || !command(&s, &m))
			break;
	}
	if (s.held >= 0)
		close(s.held);
	close(fd);
}

struct client {
	int fd;
	int timeout_ms;
	char name[ND_ADDRSTRLEN];
};

static void serve_client(struct client *c)
{
	log_event("client", c->name, NULL);
	session(c->fd, c->timeout_ms, c->name);
	log_event("done", c->name, NULL);
}

static void *client_thread(void *arg)
{
	struct client *c = arg;

	serve_client(c);
	free(c);
	atomic_fetch_sub(&clients, 1);
	return NULL;
}

/* A thread for the client on @fd, or a "busy" answer when --max-clients are being served. */
static void spawn(int fd, const char *name, int timeout_ms, int max_clients)
{
	struct client *c;
	pthread_attr_t at;
	pthread_t t;

	if (atomic_load(&clients) >= max_clients || !(c = malloc(sizeof(*c)))) {
		dprintf(fd, "ERR busy: %d clients already, try again later\n", max_clients);
		log_event("refused", name, "busy");
		close(fd);
		return;
	}
	*c = (struct client){ .fd = fd, .timeout_ms = timeout_ms };
	snprintf(c->name, sizeof(c->name), "%s", name);
	atomic_fetch_add(&clients, 1);
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&t, &at, client_thread, c) != 0) {
		dprintf(fd, "ERR busy: cannot start a thread\n");
		log_event("refused", name, "no thread");
		close(fd);
		free(c);
		atomic_fetch_sub(&clients, 1);
	}
	pthread_attr_destroy(&at);
}

int sb_serve_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "port", required_argument, NULL, 'p' },
		{ "bind", required_argument, NULL, 'B' },
		{ "once", no_argument, NULL, '1' },
		SB_LONGOPT_TIMEOUT,
		{ "max-clients", required_argument, NULL, 'm' },
		ND_CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *bind_s = "127.0.0.1";
	struct sockaddr_storage ss;
	socklen_t sl;
	struct nd_cli cli;
	struct nd_addr a;
	long port = SB_PORT_DEFAULT, max_clients = 16;
	struct sb_opts co = { .take = SB_OPT_TIMEOUT,
			      .tgt.timeout_ms = 60000,
			      .timeout_max = 3600 };
	int opt, lfd, timeout_ms;
	bool once = false;
	uint16_t bound;
	char name[ND_ADDRSTRLEN];

	nd_cli_init(&cli, "sockbuf", usage);
	while ((opt = sb_next_opt(argc, argv, ":p:B:1w:m:" ND_CLI_SHORT_OPTIONS, lopts, &cli,
				  &co)) != -1) {
		switch (opt) {
		case 'p':
			port = (long)sb_parse_num_opt("--port", "port", optarg, 1, 65535, "");
			break;
		case 'B': bind_s = optarg; break;
		case '1': once = true; break;
		case 'm':
			max_clients = (long)sb_parse_num_opt("--max-clients", "number", optarg, 1,
							     1024, "");
			break;
		}
	}
	sb_opts_done(&co, argc, argv, cli.json);
	timeout_ms = co.tgt.timeout_ms;
	if (nd_addr_parse(bind_s, AF_UNSPEC, &a) < 0 ||
	    a.prefixlen != (a.family == AF_INET ? 32 : 128))
		nd_usage_error("bad address for --bind: '%s'", bind_s);

	sl = nd_sockaddr_from(&ss, a.family, a.bytes, (uint16_t)port);
	signal(SIGPIPE, SIG_IGN);
	nd_out_init(stdout, cli.json);
	lfd = sb_tcp_listen((struct sockaddr *)&ss, sl, 0, &bound);
	if (lfd < 0)
		nd_die(ND_EXIT_ERROR, "listen on %s port %ld: %s", bind_s, port, strerror(-lfd));
	nd_addrport_fmt(a.family, a.bytes, bound, false, name, sizeof(name));
	log_event("listening", NULL, name);
	for (;;) {
		struct sockaddr_storage peer;
		socklen_t pl = sizeof(peer);
		int fd = accept4(lfd, (struct sockaddr *)&peer, &pl, SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			/* out of descriptors or memory: a later accept may work again */
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				nd_err("accept: %s", strerror(errno));
				usleep(100000);
				continue;
			}
			nd_die(ND_EXIT_ERROR, "accept: %s", strerror(errno));
		}
		nd_sockaddr_fmt((struct sockaddr *)&peer, name, sizeof(name));
		if (once) {
			struct client c = { .fd = fd, .timeout_ms = timeout_ms };

			snprintf(c.name, sizeof(c.name), "%s", name);
			serve_client(&c);
			break;
		}
		spawn(fd, name, timeout_ms, (int)max_clients);
	}
	close(lfd);
	nd_out_finish();
	return ND_EXIT_OK;
}
