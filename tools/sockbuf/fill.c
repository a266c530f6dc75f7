// SPDX-License-Identifier: MIT
/* sockbuf fill: write into a TCP connection whose reader does not read, and see where it goes. */
#include "sockbuf.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "out.h"
#include "sockopt.h"
#include "units.h"

static const char usage[] =
	"Usage: sockbuf fill [--connect HOST[:PORT]] [--sndbuf SIZE] [--rcvbuf SIZE] [--chunk SIZE]\n"
	"                    [--trace [--csv]] [--blocking [--delay S]] [--timeout S] [--json]\n"
	"Open a TCP connection whose receiver does not read, write non-blocking chunks until\n"
	"EAGAIN, and show where the accepted bytes sit: the sender's send queue (SIOCOUTQ, of it not\n"
	"yet sent SIOCOUTQNSD) and the receiver's receive queue (SIOCINQ).\n"
	"\n"
	"  -c, --connect HOST[:PORT]  receiver is a 'sockbuf serve' peer (default: loopback, port 5301)\n"
	"  -S, --sndbuf SIZE          SO_SNDBUF of the sender (default: autotuned)\n"
	"  -R, --rcvbuf SIZE          SO_RCVBUF of the receiver (default: autotuned)\n"
	"  -k, --chunk SIZE           bytes per write() (default 64Ki)\n"
	"  -T, --trace                the queues after every write()\n"
	"      --csv                  the trace as CSV\n"
	"  -b, --blocking             then one blocking write(): it returns once the reader drains\n"
	"  -d, --delay S              the reader starts draining S seconds later (default 1)\n"
	"  -w, --timeout S            bound on connects and peer answers (default 3)\n"
	"      --json                 JSON output\n"
	"      --help                 this text\n";

struct fill {
	struct sb_target tgt;
	int sndbuf, rcvbuf, chunk;
	bool trace, csv, blocking;
	double delay;
	/* run state */
	bool remote;
	struct sb_peer peer;
	int snd, rcv; /* rcv only on loopback */
	char *buf;
	int64_t t0;
};

struct rstate {
	int64_t inq, rcvbuf, rcv_space, bytes_received;
};

static void recv_state(struct fill *f, struct rstate *r)
{
	if (f->remote) {
		struct sb_msg m;

		if (sb_ctl_send(&f->peer.ctl, "QUERY") < 0)
			nd_die(ND_EXIT_ERROR, "peer %s: query: %s", f->peer.name, strerror(errno));
		sb_peer_expect(&f->peer, "QUEUE", &m, "query");
		r->inq = (int64_t)sb_peer_u64(&m, "inq");
		r->rcvbuf = (int64_t)sb_peer_u64(&m, "rcvbuf");
		r->rcv_space = (int64_t)sb_peer_u64(&m, "rcv_space");
		r->bytes_received = (int64_t)sb_peer_u64(&m, "bytes_received");
	} else {
		struct nd_sockq q;
		struct tcp_info ti;
		int rb = -1;

		if (nd_sock_queues(f->rcv, &q) < 0 || nd_tcp_info(f->rcv, &ti) < 0)
			nd_die(ND_EXIT_ERROR, "receiver queues: %s", strerror(errno));
		nd_sock_getbuf(f->rcv, NULL, &rb);
		r->inq = q.inq;
		r->rcvbuf = rb;
		r->rcv_space = ti.tcpi_rcv_space;
		r->bytes_received = (int64_t)ti.tcpi_bytes_received;
	}
}

static void connect_pair(struct fill *f)
{
	struct sockaddr_storage lo;
	socklen_t l;
	uint16_t port;
	int lfd;

	if (f->remote) {
		struct sb_msg m;

		sb_peer_open(&f->peer, &f->tgt);
		sb_ctl_send(&f->peer.ctl, "HOLD rcvbuf=%d", f->rcvbuf);
		sb_peer_expect(&f->peer, "PORT", &m, "hold");
		port = (uint16_t)sb_peer_u64(&m, "port");
		f->snd = sb_tcp_connect(&f->peer.addr, port, f->sndbuf, f->tgt.timeout_ms);
		if (f->snd < 0)
			nd_die(ND_EXIT_ERROR, "connect %s data port %u: %s", f->peer.name, port,
			       strerror(-f->snd));
		return;
	}
	sb_loopback(&lo, &l);
	lfd = sb_tcp_listen((struct sockaddr *)&lo, l, f->rcvbuf, &port);
	if (lfd < 0)
		nd_die(ND_EXIT_ERROR, "listen on loopback: %s", strerror(-lfd));
	f->snd = sb_tcp_connect(&lo, port, f->sndbuf, f->tgt.timeout_ms);
	if (f->snd < 0)
		nd_die(ND_EXIT_ERROR, "connect loopback: %s", strerror(-f->snd));
	f->rcv = sb_accept(lfd, f->tgt.timeout_ms);
	if (f->rcv < 0)
		nd_die(ND_EXIT_ERROR, "accept on loopback: %s", strerror(-f->rcv));
	close(lfd);
}

static void trace_header(const struct fill *f)
{
	if (!f->trace)
		return;
	if (f->csv)
		nd_out_text("write,returned,accepted,outq,unsent,inq,t_ms\n");
	else
		nd_out_text("%5s %9s %10s %10s %10s %10s %9s\n", "write", "returned", "accepted",
			    "sndq", "unsent", "rcvq", "t_ms");
	nd_out_open_array("trace");
}

static void trace_row(struct fill *f, int n, ssize_t ret, uint64_t accepted)
{
	struct nd_sockq q;
	struct rstate r;
	bool csv = f->csv;

	if (!f->trace)
		return;
	nd_sock_queues(f->snd, &q);
	recv_state(f, &r);
	nd_out_open_object(NULL);
	nd_out_int(ND_ANY, "write", csv ? "%d" : "%5d", n);
	if (ret < 0) {
		nd_out_null(ND_JSON, "returned", NULL);
		nd_out_str(ND_ANY, "error", csv ? ",EAGAIN" : " %9s", "EAGAIN");
	} else {
		nd_out_s64(ND_ANY, "returned", csv ? ",%" PRId64 : " %9" PRId64, (int64_t)ret);
	}
	nd_out_u64(ND_ANY, "accepted", csv ? ",%" PRIu64 : " %10" PRIu64, accepted);
	nd_out_s64(ND_ANY, "outq", csv ? ",%" PRId64 : " %10" PRId64, q.outq);
	nd_out_s64(ND_ANY, "unsent", csv ? ",%" PRId64 : " %10" PRId64, q.outq_nsd);
	nd_out_s64(ND_ANY, "inq", csv ? ",%" PRId64 : " %10" PRId64, r.inq);
	nd_out_double(ND_ANY, "t_ms", csv ? ",%.3f\n" : " %9.3f\n",
		      (double)(nd_now() - f->t0) / 1e6, 3);
	nd_out_close_object();
}

struct final {
	struct nd_sockq q;
	struct rstate r;
	struct tcp_info ti;
	bool settled;
};

/*
 * Wait until nothing is in flight: every sent byte acknowledged (tcpi_unacked 0) and the queues
 * unchanged over three readings 10 ms apart.  Then SIOCOUTQ + SIOCINQ count each byte once.
 */
static void settle(struct fill *f, struct final *z)
{
	int64_t deadline = nd_now() + 3000000000LL;
	int64_t prev[3] = { -1, -1, -1 };
	int stable = 0;

	z->settled = false;
	while (nd_now() < deadline) {
		nd_tcp_info(f->snd, &z->ti);
		nd_sock_queues(f->snd, &z->q);
		recv_state(f, &z->r);
		if (z->ti.tcpi_unacked == 0 && prev[0] == z->q.outq && prev[1] == z->q.outq_nsd &&
		    prev[2] == z->r.inq) {
			if (++stable >= 3) {
				z->settled = true;
				break;
			}
		} else {
			stable = 0;
		}
		prev[0] = z->q.outq;
		prev[1] = z->q.outq_nsd;
		prev[2] = z->r.inq;
		usleep(10000);
	}
}

/*
 * Write until EAGAIN; let the connection settle (acknowledgements can grow an autotuned send
 * buffer and free room), and write again, until a write right after settling gets EAGAIN.
 */
static uint64_t fill_up(struct fill *f, int *writes, int *eagains, struct final *z)
{
	uint64_t accepted = 0;
	int n = 0;

	nd_set_nonblock(f->snd, true);
	trace_header(f);
	for (int round = 0; round < 1000; round++) {
		bool none = true;

		for (;;) {
			ssize_t w =
				send(f->snd, f->buf, (size_t)f->chunk, MSG_NOSIGNAL | MSG_DONTWAIT);

			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0 && errno != EAGAIN)
				nd_die(ND_EXIT_ERROR, "write: %s", strerror(errno));
			n++;
			if (w > 0)
				accepted += (uint64_t)w;
			trace_row(f, n, w, accepted);
			if (w < 0) {
				(*eagains)++;
				break;
			}
			none = false;
		}
		if (none && round > 0)
			break; /* settled, and still full */
		settle(f, z);
	}
	if (f->trace)
		nd_out_close_array();
	*writes = n;
	return accepted;
}

struct reader {
	int fd;
	double delay;
	int64_t t_start;
	uint64_t bytes;
	int err;
};

static void *reader_thread(void *arg)
{
	struct reader *rd = arg;

	usleep((useconds_t)(rd->delay * 1e6));
	rd->t_start = sb_now_real();
	rd->err = sb_sink(rd->fd, &rd->bytes);
	return NULL;
}

static void event(const char *name, int64_t t, int64_t t0)
{
	nd_out_open_object(NULL);
	nd_out_str(ND_ANY, "event", "  %-13s", name);
	nd_out_double(ND_ANY, "t_ms", " %10.3f ms\n", (double)(t - t0) / 1e6, 3);
	nd_out_close_object();
}

static void blocking_write(struct fill *f, uint64_t accepted)
{
	struct reader rd = { .fd = f->rcv, .delay = f->delay };
	pthread_t th;
	int64_t t_fill, t_ws, t_wr, t_rs;
	uint64_t rbytes;
	ssize_t w;
	struct sb_msg m;

	t_fill = sb_now_real();
	if (f->remote) {
		sb_ctl_send(&f->peer.ctl, "DRAIN delay_ms=%d", (int)(f->delay * 1000));
		sb_peer_expect(&f->peer, "OK", &m, "drain");
	} else if (pthread_create(&th, NULL, reader_thread, &rd) != 0) {
		nd_die(ND_EXIT_ERROR, "reader thread: cannot start");
	}
	nd_set_nonblock(f->snd, false);
	t_ws = sb_now_real();
	do
		w = send(f->snd, f->buf, (size_t)f->chunk, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	t_wr = sb_now_real();
	if (w < 0)
		nd_die(ND_EXIT_ERROR, "blocking write: %s", strerror(errno));
	close(f->snd);
	f->snd = -1;
	if (f->remote) {
		sb_peer_expect(&f->peer, "DRAINING", &m, "drain");
		t_rs = (int64_t)sb_peer_u64(&m, "t");
		f->peer.ctl.timeout_ms += 10000; /* the drain itself takes its time */
		sb_peer_expect(&f->peer, "DRAINED", &m, "drain");
		rbytes = sb_peer_u64(&m, "bytes");
	} else {
		pthread_join(th, NULL);
		if (rd.err)
			nd_die(ND_EXIT_ERROR, "reader: %s", strerror(-rd.err));
		t_rs = rd.t_start;
		rbytes = rd.bytes;
	}

	nd_out_open_object("blocking");
	nd_out_text(
		"\nblocking write() of %d bytes with the buffers full; reader starts after %.3f s\n",
		f->chunk, f->delay);
	nd_out_double(ND_JSON, "delay_s", NULL, f->delay, 3);
	nd_out_open_array("events");
	/* in the order they happened */
	event("fill_done", t_fill, t_fill);
	if (t_rs < t_ws)
		event("reader_start", t_rs, t_fill);
	event("write_start", t_ws, t_fill);
	if (t_rs >= t_ws && t_rs <= t_wr)
		event("reader_start", t_rs, t_fill);
	event("write_return", t_wr, t_fill);
	if (t_rs > t_wr)
		event("reader_start", t_rs, t_fill);
	nd_out_close_array();
	nd_out_s64(ND_ANY, "returned", "write() returned %" PRId64, (int64_t)w);
	nd_out_double(ND_ANY, "blocked_ms", " after blocking %.3f ms", (double)(t_wr - t_ws) / 1e6,
		      3);
	nd_out_bool(ND_ANY, "returned_after_reader_start", "; after the reader started: %s\n",
		    t_wr >= t_rs);
	nd_out_u64(ND_ANY, "reader_bytes", "the reader drained %" PRIu64, rbytes);
	nd_out_u64(ND_ANY, "written_total", " bytes of %" PRIu64 " written\n",
		   accepted + (uint64_t)w);
	nd_out_close_object();
}

static void report(struct fill *f, uint64_t accepted, int writes, int eagains,
		   const struct final *z)
{
	int sb = -1;
	char hb[32];
	int64_t sum = z->q.outq + z->r.inq;

	nd_sock_getbuf(f->snd, &sb, NULL);
	nd_out_str(ND_ANY, "mode", "\nfill over %s", f->remote ? "peer" : "loopback");
	nd_out_str(ND_ANY, "peer", " %s", f->remote ? f->peer.name : "127.0.0.1");
	nd_out_int(ND_ANY, "chunk", ", writes of %d bytes\n", f->chunk);
	nd_out_int(ND_ANY, "sndbuf_requested", "SO_SNDBUF requested %d", f->sndbuf);
	nd_out_int(ND_ANY, "sndbuf", ", now %d;", sb);
	nd_out_int(ND_ANY, "rcvbuf_requested", " SO_RCVBUF requested %d", f->rcvbuf);
	nd_out_s64(ND_ANY, "rcvbuf", ", now %" PRId64 "   (0 = autotuned)\n", z->r.rcvbuf);
	nd_out_u64(ND_ANY, "accepted", "write() accepted %" PRIu64, accepted);
	nd_out_str(ND_TEXT, NULL, " bytes (%s)", nd_human_bytes(accepted, hb, sizeof(hb)));
	nd_out_int(ND_ANY, "writes", " in %d write() calls,", writes);
	nd_out_int(ND_ANY, "eagain", " %d returned EAGAIN\n", eagains);
	nd_out_text("where the bytes sit:\n");
	nd_out_open_object("sender");
	nd_out_s64(ND_ANY, "outq", "  sender send queue (SIOCOUTQ)        %12" PRId64 "\n",
		   z->q.outq);
	nd_out_s64(ND_ANY, "unsent", "    not yet sent (SIOCOUTQNSD)        %12" PRId64 "\n",
		   z->q.outq_nsd);
	nd_out_s64(ND_ANY, "unacked_bytes", "    sent, not acknowledged          %12" PRId64 "\n",
		   z->q.outq - z->q.outq_nsd);
	nd_out_uint(ND_ANY, "snd_wnd", "    receive window the peer offers  %12u (tcpi_snd_wnd)\n",
		    z->ti.tcpi_snd_wnd);
	nd_out_close_object();
	nd_out_open_object("receiver");
	nd_out_s64(ND_ANY, "inq", "  receiver receive queue (SIOCINQ)    %12" PRId64 "\n",
		   z->r.inq);
	nd_out_s64(ND_JSON, "rcvbuf", NULL, z->r.rcvbuf);
	nd_out_s64(ND_JSON, "rcv_space", NULL, z->r.rcv_space);
	nd_out_s64(ND_JSON, "bytes_received", NULL, z->r.bytes_received);
	nd_out_close_object();
	nd_out_s64(ND_ANY, "sum", "  SIOCOUTQ + SIOCINQ                  %12" PRId64, sum);
	nd_out_bool(ND_JSON, "accounted", NULL, sum == (int64_t)accepted);
	nd_out_text("%s\n", sum == (int64_t)accepted ? "  = accepted" : "  != accepted");
	nd_out_bool(ND_ANY, "settled", "queues settled (nothing in flight): %s\n", z->settled);
}

int sb_fill_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		SB_LONGOPT_CONNECT,
		{ "sndbuf", required_argument, NULL, 'S' },
		{ "rcvbuf", required_argument, NULL, 'R' },
		SB_LONGOPT_CHUNK,
		{ "trace", no_argument, NULL, 'T' },
		SB_LONGOPT_CSV,
		{ "blocking", no_argument, NULL, 'b' },
		{ "delay", required_argument, NULL, 'd' },
		SB_LONGOPT_TIMEOUT,
		ND_CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct fill f = { .delay = 1, .rcv = -1 };
	struct sb_opts co = { .take = SB_OPT_CONNECT | SB_OPT_TIMEOUT | SB_OPT_CHUNK | SB_OPT_CSV,
			      .tgt.timeout_ms = 3000,
			      .timeout_max = 600,
			      .chunk = 65536 };
	struct nd_cli cli;
	struct final z;
	uint64_t accepted;
	int opt, writes = 0, eagains = 0;

	nd_cli_init(&cli, "sockbuf", usage);
	while ((opt = sb_next_opt(argc, argv, ":c:S:R:k:Tbd:w:" ND_CLI_SHORT_OPTIONS, lopts, &cli,
				  &co)) != -1) {
		switch (opt) {
		case 'S': f.sndbuf = sb_parse_size_opt("--sndbuf", optarg); break;
		case 'R': f.rcvbuf = sb_parse_size_opt("--rcvbuf", optarg); break;
		case 'T': f.trace = true; break;
		case 'b': f.blocking = true; break;
		case 'd': f.delay = sb_parse_time_opt("--delay", optarg, 60); break;
		}
	}
	sb_opts_done(&co, argc, argv, cli.json);
	f.tgt = co.tgt;
	f.chunk = co.chunk;
	f.csv = co.csv;
	if (f.csv && f.blocking)
		nd_usage_error("--csv prints only the trace; drop --blocking or --csv");
	if (f.csv)
		f.trace = true;
	f.remote = f.tgt.connect != NULL;
	f.buf = calloc(1, (size_t)f.chunk);
	if (!f.buf)
		nd_die(ND_EXIT_ERROR, "memory: %s", strerror(ENOMEM));

	nd_out_init(stdout, cli.json);
	connect_pair(&f);
	nd_out_open_object(NULL);
	f.t0 = nd_now();
	accepted = fill_up(&f, &writes, &eagains, &z);
	if (!f.csv)
		report(&f, accepted, writes, eagains, &z);
	if (f.blocking && !f.csv)
		blocking_write(&f, accepted);
	nd_out_close_object();
	if (f.snd >= 0)
		close(f.snd);
	if (f.remote) {
		struct sb_msg m;

		if (!f.blocking) {
			sb_ctl_send(&f.peer.ctl, "CLOSE");
			sb_peer_expect(&f.peer, "OK", &m, "close");
		}
		sb_peer_close(&f.peer);
	}
	nd_out_finish();
	free(f.buf);
	return ND_EXIT_OK;
}
