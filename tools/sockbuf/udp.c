// SPDX-License-Identifier: MIT
/* sockbuf udp: a UDP sender faster than its receiver, drops per SO_RCVBUF size. */
#define _GNU_SOURCE
#include "sockbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <netinet/in.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "addr.h"
#include "cli.h"
#include "out.h"
#include "units.h"

static const char usage[] =
	"Usage: sockbuf udp [--connect HOST[:PORT] | -6] [--sizes LIST] [--count N] [--size BYTES]\n"
	"                   [--rate N] [--timeout S] [--json]\n"
	"A UDP sender sends as fast as it can to a receiver that reads only --rate datagrams per\n"
	"second, once per SO_RCVBUF size of a ladder: sent, received, dropped (the socket's\n"
	"SO_RXQ_OVFL counter, and the RcvbufErrors delta on the receiving host: Udp of\n"
	"/proc/net/snmp for IPv4, Udp6RcvbufErrors of /proc/net/snmp6 for IPv6), loss.\n"
	"\n"
	"  -c, --connect HOST[:PORT]  receiver is a 'sockbuf serve' peer (default: loopback, port 5301)\n"
	"  -6, --ipv6                 loopback over ::1 instead of 127.0.0.1\n"
	"  -s, --sizes LIST           SO_RCVBUF sizes, comma-separated, 'auto' for the default\n"
	"                             (default 4Ki,16Ki,64Ki,256Ki,1Mi,auto)\n"
	"  -n, --count N              datagrams per step (default 20000)\n"
	"  -l, --size BYTES           datagram payload (default 1000)\n"
	"  -r, --rate N               datagrams per second the receiver reads (default 20000)\n"
	"  -w, --timeout S            bound on connects and peer answers (default 3)\n"
	"      --json                 JSON output\n"
	"      --help                 this text\n";

#define MAX_STEPS 32

struct udp {
	struct sb_target tgt;
	int sizes[MAX_STEPS], nsizes;
	uint64_t count;
	int size, rate;
	bool ipv6; /* loopback over ::1 */
	struct sb_peer peer;
	char buf[65536];
};

struct result {
	int requested;
	uint64_t sent;
	struct sb_udp_rx rx;
};

struct rxjob {
	struct sb_udp_rx rx;
	int done_fd;
	int err;
};

static void *rxjob_thread(void *arg)
{
	struct rxjob *j = arg;

	j->err = sb_udp_receive(&j->rx, j->done_fd);
	return NULL;
}

static uint64_t blast(struct udp *u, const struct sockaddr_storage *dst, uint16_t port)
{
	struct sockaddr_storage ss = *dst;
	socklen_t l = nd_sockaddr_len(ss.ss_family);
	int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	uint64_t sent = 0;

	if (fd < 0)
		nd_die(ND_EXIT_ERROR, "socket udp: %s", strerror(errno));
	nd_sockaddr_set_port(&ss, port);
	if (connect(fd, (struct sockaddr *)&ss, l) < 0)
		nd_die(ND_EXIT_ERROR, "connect udp: %s", strerror(errno));
	for (uint64_t i = 0; i < u->count; i++) {
		ssize_t w = send(fd, u->buf, (size_t)u->size, 0);

		if (w == u->size)
			sent++;
		else if (w < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR &&
			 errno != ECONNREFUSED)
			nd_die(ND_EXIT_ERROR, "send udp: %s", strerror(errno));
	}
	close(fd);
	return sent;
}

static void run_step(struct udp *u, struct result *r)
{
	if (u->tgt.connect) {
		struct sb_msg m;
		uint16_t port;

		sb_ctl_send(&u->peer.ctl, "UDP rcvbuf=%d rate=%d", r->requested, u->rate);
		sb_peer_expect(&u->peer, "PORT", &m, "udp");
		port = (uint16_t)sb_peer_u64(&m, "port");
		r->sent = blast(u, &u->peer.addr, port);
		sb_ctl_send(&u->peer.ctl, "SENT count=%" PRIu64, r->sent);
		sb_peer_expect(&u->peer, "RESULT", &m, "udp");
		r->rx.received = sb_peer_u64(&m, "received");
		r->rx.drops = sb_peer_u64(&m, "drops");
		r->rx.rcvbuf_errors = sb_peer_u64(&m, "rcvbuf_errors");
		r->rx.rcvbuf = (int)sb_peer_u64(&m, "rcvbuf");
	} else {
		struct sockaddr_storage lo;
		socklen_t l;
		uint16_t port;
		struct rxjob j;
		int p[2], fd;
		pthread_t th;

		if (u->ipv6)
			l = nd_sockaddr_from(&lo, AF_INET6, &in6addr_loopback, 0);
		else
			sb_loopback(&lo, &l);
		fd = sb_udp_open((struct sockaddr *)&lo, l, r->requested, &port, &j.rx);
		if (fd < 0)
			nd_die(ND_EXIT_ERROR, "udp receiver on loopback: %s", strerror(-fd));
		if (pipe2(p, O_CLOEXEC) < 0)
			nd_die(ND_EXIT_ERROR, "pipe: %s", strerror(errno));
		j.rx.rate = u->rate;
		j.done_fd = p[0];
		if (pthread_create(&th, NULL, rxjob_thread, &j) != 0)
			nd_die(ND_EXIT_ERROR, "receiver thread: cannot start");
		r->sent = blast(u, &lo, port);
		if (write(p[1], "x", 1) != 1)
			nd_die(ND_EXIT_ERROR, "pipe: %s", strerror(errno));
		pthread_join(th, NULL);
		close(p[0]);
		close(p[1]);
		close(fd);
		if (j.err)
			nd_die(ND_EXIT_ERROR, "udp receiver: %s", strerror(-j.err));
		r->rx = j.rx;
	}
}

/* Whether the receiver's drops count in the IPv6 UDP MIB (see sb_udp_rcvbuf_errors). */
static bool mib6(const struct udp *u)
{
	const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)&u->peer.addr;

	if (!u->tgt.connect)
		return u->ipv6;
	return u->peer.addr.ss_family == AF_INET6 && !IN6_IS_ADDR_V4MAPPED(&in6->sin6_addr);
}

static void print_result(const struct result *r)
{
	char hb[32];
	double loss =
		r->sent ? 100.0 *
				  (double)(r->sent -
					   (r->rx.received < r->sent ? r->rx.received : r->sent)) /
				  (double)r->sent
			: 0;
	int64_t other = (int64_t)r->sent - (int64_t)r->rx.received - (int64_t)r->rx.drops;

	nd_out_open_object(NULL);
	if (r->requested)
		nd_out_int(ND_JSON, "requested", NULL, r->requested);
	else
		nd_out_null(ND_JSON, "requested", NULL);
	nd_out_str(ND_TEXT, NULL, "%-10s",
		   r->requested ? nd_human_size((uint64_t)r->requested, hb, sizeof(hb))
				: "default");
	nd_out_int(ND_ANY, "rcvbuf", " %10d", r->rx.rcvbuf);
	nd_out_u64(ND_ANY, "sent", " %8" PRIu64, r->sent);
	nd_out_u64(ND_ANY, "received", " %9" PRIu64, r->rx.received);
	nd_out_u64(ND_ANY, "drops", " %8" PRIu64, r->rx.drops);
	nd_out_u64(ND_ANY, "rcvbuf_errors", " %14" PRIu64, r->rx.rcvbuf_errors);
	nd_out_s64(ND_ANY, "lost_elsewhere", " %9" PRId64, other);
	nd_out_double(ND_ANY, "loss_percent", " %7.2f%%\n", loss, 2);
	nd_out_close_object();
}

int sb_udp_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		SB_LONGOPT_CONNECT,
		{ "sizes", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'n' },
		{ "size", required_argument, NULL, 'l' },
		{ "rate", required_argument, NULL, 'r' },
		SB_LONGOPT_TIMEOUT,
		{ "ipv6", no_argument, NULL, '6' },
		ND_CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	static struct udp u = { .sizes = { 4096, 16384, 65536, 262144, 1 << 20, 0 },
				.nsizes = 6,
				.count = 20000,
				.size = 1000,
				.rate = 20000 };
	struct sb_opts co = { .take = SB_OPT_CONNECT | SB_OPT_TIMEOUT,
			      .tgt.timeout_ms = 3000,
			      .timeout_max = 600 };
	struct nd_cli cli;
	int opt;

	nd_cli_init(&cli, "sockbuf", usage);
	while ((opt = sb_next_opt(argc, argv, ":c:s:n:l:r:w:6" ND_CLI_SHORT_OPTIONS, lopts, &cli,
				  &co)) != -1) {
		switch (opt) {
		case '6': u.ipv6 = true; break;
		case 's': u.nsizes = sb_parse_sizes("--sizes", optarg, u.sizes, MAX_STEPS); break;
		case 'n':
			u.count = sb_parse_num_opt("--count", "count", optarg, 1, 100000000, "");
			break;
		case 'l':
			u.size = (int)sb_parse_num_opt("--size", "size", optarg, 2, 65000, "bytes");
			break;
		case 'r':
			/* 0 would read nothing (it once read without any limit): refused */
			u.rate = (int)sb_parse_num_opt("--rate", "rate", optarg, 1, 10000000,
						       "datagrams/s");
			break;
		}
	}
	sb_opts_done(&co, argc, argv, cli.json);
	u.tgt = co.tgt;
	if (u.ipv6 && u.tgt.connect)
		nd_usage_error(
			"-6 picks the loopback address: give an IPv6 peer to --connect instead");

	nd_out_init(stdout, cli.json);
	if (u.tgt.connect)
		sb_peer_open(&u.peer, &u.tgt);
	nd_out_open_object(NULL);
	nd_out_str(ND_ANY, "mode", "UDP to a slow receiver over %s",
		   u.tgt.connect ? "peer" : "loopback");
	nd_out_str(ND_ANY, "peer", " %s",
		   u.tgt.connect ? u.peer.name
		   : u.ipv6      ? "::1"
				 : "127.0.0.1");
	nd_out_u64(ND_ANY, "count", ": %" PRIu64 " datagrams", u.count);
	nd_out_int(ND_ANY, "size", " of %d bytes per step", u.size);
	nd_out_int(ND_ANY, "rate", ", the receiver reads %d/s\n", u.rate);
	nd_out_str(ND_ANY, "rcvbuf_errors_counter", "RcvbufErrors+ is the delta of %s\n",
		   mib6(&u) ? "Udp6RcvbufErrors in /proc/net/snmp6"
			    : "Udp RcvbufErrors in /proc/net/snmp");
	nd_out_text("%-10s %10s %8s %9s %8s %14s %9s %8s\n", "requested", "SO_RCVBUF", "sent",
		    "received", "dropped", "RcvbufErrors+", "elsewhere", "loss");
	nd_out_open_array("steps");
	for (int i = 0; i < u.nsizes; i++) {
		struct result r = { .requested = u.sizes[i] };

		run_step(&u, &r);
		print_result(&r);
		nd_out_flush();
	}
	nd_out_close_array();
	nd_out_close_object();
	if (u.tgt.connect)
		sb_peer_close(&u.peer);
	nd_out_finish();
	return ND_EXIT_OK;
}
