// SPDX-License-Identifier: MIT
/* sockbuf sweep: TCP throughput for a ladder of buffer sizes and for autotuning. */
#include "sockbuf.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "chart.h"
#include "cli.h"
#include "out.h"
#include "sockopt.h"
#include "units.h"

static const char usage[] =
	"Usage: sockbuf sweep [--connect HOST[:PORT]] [--sizes LIST] [--time S] [--chunk SIZE]\n"
	"                     [--ascii] [--width N] [--csv] [--timeout S] [--json]\n"
	"TCP throughput for each SO_SNDBUF/SO_RCVBUF size of a ladder (both ends set to the same\n"
	"size) and for autotuning, a fixed time per step, as a table and a bar chart.\n"
	"\n"
	"  -c, --connect HOST[:PORT]  receiver is a 'sockbuf serve' peer (default: loopback, port 5301)\n"
	"  -s, --sizes LIST           sizes, comma-separated, 'auto' for autotuning\n"
	"                             (default 16Ki,64Ki,256Ki,1Mi,4Mi,auto)\n"
	"  -t, --time S               seconds per step (default 1)\n"
	"  -k, --chunk SIZE           bytes per write() (default 1Mi)\n"
	"  -a, --ascii                chart in '#' instead of Unicode blocks\n"
	"      --width N              chart width in cells (default 40)\n"
	"      --csv                  CSV for plotting\n"
	"  -w, --timeout S            bound on connects and peer answers (default 3)\n"
	"      --json                 JSON output\n"
	"      --help                 this text\n";

enum { OPT_WIDTH = SB_LOPT_TOOL };

#define MAX_STEPS 32

struct step {
	int size;           /* 0: autotuned */
	int sndbuf, rcvbuf; /* as getsockopt reports them at the end */
	uint64_t bytes;
	double seconds;
	double bps; /* bits per second */
	uint32_t rtt_us;
};

struct sweep {
	struct sb_target tgt;
	int sizes[MAX_STEPS], nsizes, chunk, width;
	double time;
	bool ascii, csv;
	struct sb_peer peer;
	char *buf;
};

struct sinkarg {
	int fd;
	uint64_t bytes;
	int err;
};

static void *sink_thread(void *arg)
{
	struct sinkarg *s = arg;

	s->err = sb_sink(s->fd, &s->bytes);
	return NULL;
}

/* Write for the step's time; returns the time the last write returned. */
static void send_for(struct sweep *sw, int fd)
{
	int64_t end = nd_now() + (int64_t)(sw->time * 1e9);
	struct timeval tv = { .tv_sec = sw->tgt.timeout_ms / 1000,
			      .tv_usec = (sw->tgt.timeout_ms % 1000) * 1000 };

	/* a peer that stops reading turns a blocked write into an error, not a hang */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (nd_now() < end) {
		ssize_t w = send(fd, sw->buf, (size_t)sw->chunk, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN)
			nd_die(ND_EXIT_ERROR, "write: the receiver stopped reading for %d ms",
			       sw->tgt.timeout_ms);
		if (w < 0)
			nd_die(ND_EXIT_ERROR, "write: %s", strerror(errno));
	}
	shutdown(fd, SHUT_WR);
}

static void run_step(struct sweep *sw, struct step *st)
{
	struct tcp_info ti;
	int64_t t0;
	int fd;

	if (sw->tgt.connect) {
		struct sb_msg m;
		uint16_t port;

		sb_ctl_send(&sw->peer.ctl, "SINK rcvbuf=%d", st->size);
		sb_peer_expect(&sw->peer, "PORT", &m, "sink");
		port = (uint16_t)sb_peer_u64(&m, "port");
		fd = sb_tcp_connect(&sw->peer.addr, port, st->size, sw->tgt.timeout_ms);
		if (fd < 0)
			nd_die(ND_EXIT_ERROR, "connect %s data port %u: %s", sw->peer.name, port,
			       strerror(-fd));
		t0 = nd_now();
		send_for(sw, fd);
		sb_peer_expect(&sw->peer, "DONE", &m, "sink");
		st->seconds = (double)(nd_now() - t0) / 1e9;
		st->bytes = sb_peer_u64(&m, "bytes");
		st->rcvbuf = (int)sb_peer_u64(&m, "rcvbuf");
	} else {
		struct sockaddr_storage lo;
		socklen_t l;
		uint16_t port;
		struct sinkarg sa = { .fd = -1 };
		pthread_t th;
		int lfd;

		sb_loopback(&lo, &l);
		lfd = sb_tcp_listen((struct sockaddr *)&lo, l, st->size, &port);
		if (lfd < 0)
			nd_die(ND_EXIT_ERROR, "listen on loopback: %s", strerror(-lfd));
		fd = sb_tcp_connect(&lo, port, st->size, sw->tgt.timeout_ms);
		if (fd < 0)
			nd_die(ND_EXIT_ERROR, "connect loopback: %s", strerror(-fd));
		sa.fd = sb_accept(lfd, sw->tgt.timeout_ms);
		close(lfd);
		if (sa.fd < 0)
			nd_die(ND_EXIT_ERROR, "accept on loopback: %s", strerror(-sa.fd));
		if (pthread_create(&th, NULL, sink_thread, &sa) != 0)
			nd_die(ND_EXIT_ERROR, "receiver thread: cannot start");
		t0 = nd_now();
		send_for(sw, fd);
		pthread_join(th, NULL);
		st->seconds = (double)(nd_now() - t0) / 1e9;
		if (sa.err)
			nd_die(ND_EXIT_ERROR, "receiver: %s", strerror(-sa.err));
		st->bytes = sa.bytes;
		nd_sock_getbuf(sa.fd, NULL, &st->rcvbuf);
		close(sa.fd);
	}
	nd_sock_getbuf(fd, &st->sndbuf, NULL);
	nd_tcp_info(fd, &ti);
	st->rtt_us = ti.tcpi_rtt;
	close(fd);
	st->bps = st->seconds > 0 ? (double)st->bytes * 8 / st->seconds : 0;
}

static const char *size_label(int size, char *buf, size_t len)
{
	if (size == 0)
		return "auto";
	return nd_human_size((uint64_t)size, buf, len);
}

static void print_step(const struct sweep *sw, const struct step *st)
{
	char lb[32], rb[32];
	bool csv = sw->csv;

	nd_out_open_object(NULL);
	if (st->size)
		nd_out_int(ND_JSON, "size", NULL, st->size);
	else
		nd_out_null(ND_JSON, "size", NULL);
	nd_out_str(ND_TEXT, NULL, csv ? "%s" : "%-10s",
		   csv ? (st->size ? "" : "auto") : size_label(st->size, lb, sizeof(lb)));
	if (csv && st->size)
		nd_out_text("%d", st->size);
	nd_out_bool(ND_JSON, "autotuned", NULL, st->size == 0);
	nd_out_int(ND_ANY, "sndbuf", csv ? ",%d" : " %10d", st->sndbuf);
	nd_out_int(ND_ANY, "rcvbuf", csv ? ",%d" : " %10d", st->rcvbuf);
	nd_out_u64(ND_ANY, "bytes", csv ? ",%" PRIu64 : " %13" PRIu64, st->bytes);
	nd_out_double(ND_ANY, "seconds", csv ? ",%.3f" : " %7.3f", st->seconds, 3);
	nd_out_double(ND_JSON, "bits_per_second", NULL, st->bps, 0);
	if (csv)
		nd_out_text(",%.0f", st->bps);
	else
		nd_out_str(ND_TEXT, NULL, " %14s", nd_human_rate(st->bps, "bit/s", rb, sizeof(rb)));
	nd_out_uint(ND_ANY, "rtt_us", csv ? ",%u\n" : " %8u\n", st->rtt_us);
	nd_out_close_object();
}

static void print_chart(const struct sweep *sw, const struct step *st, int n)
{
	double max = 0;
	char bar[3 * 200 + 1], lb[32], rb[32];

	for (int i = 0; i < n; i++)
		if (st[i].bps > max)
			max = st[i].bps;
	nd_out_text("\n");
	for (int i = 0; i < n; i++) {
		sb_chart_bar(bar, sizeof(bar), st[i].bps, max, sw->width, sw->ascii);
		nd_out_text("%-10s %s %s %s\n", size_label(st[i].size, lb, sizeof(lb)),
			    sw->ascii ? "|" : "\u2502", bar,
			    nd_human_rate(st[i].bps, "bit/s", rb, sizeof(rb)));
	}
}

int sb_sweep_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		SB_LONGOPT_CONNECT,
		{ "sizes", required_argument, NULL, 's' },
		{ "time", required_argument, NULL, 't' },
		SB_LONGOPT_CHUNK,
		{ "ascii", no_argument, NULL, 'a' },
		{ "width", required_argument, NULL, OPT_WIDTH },
		SB_LONGOPT_CSV,
		SB_LONGOPT_TIMEOUT,
		ND_CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct sweep sw = { .sizes = { 16384, 65536, 262144, 1 << 20, 4 << 20, 0 },
			    .nsizes = 6,
			    .width = 40,
			    .time = 1 };
	struct sb_opts co = { .take = SB_OPT_CONNECT | SB_OPT_TIMEOUT | SB_OPT_CHUNK | SB_OPT_CSV,
			      .tgt.timeout_ms = 3000,
			      .timeout_max = 600,
			      .chunk = 1 << 20 };
	struct step steps[MAX_STEPS];
	struct nd_cli cli;
	char hb[32];
	int opt;

	nd_cli_init(&cli, "sockbuf", usage);
	while ((opt = sb_next_opt(argc, argv, ":c:s:t:k:aw:" ND_CLI_SHORT_OPTIONS, lopts, &cli,
				  &co)) != -1) {
		switch (opt) {
		case 's': sw.nsizes = sb_parse_sizes("--sizes", optarg, sw.sizes, MAX_STEPS); break;
		case 't': sw.time = sb_parse_time_opt("--time", optarg, 3600); break;
		case 'a': sw.ascii = true; break;
		case OPT_WIDTH:
			sw.width = (int)sb_parse_num_opt("--width", "width", optarg, 1, 200, "");
			break;
		}
	}
	sb_opts_done(&co, argc, argv, cli.json);
	sw.tgt = co.tgt;
	sw.chunk = co.chunk;
	sw.csv = co.csv;
	sw.buf = calloc(1, (size_t)sw.chunk);
	if (!sw.buf)
		nd_die(ND_EXIT_ERROR, "memory: %s", strerror(ENOMEM));

	nd_out_init(stdout, cli.json);
	if (sw.tgt.connect)
		sb_peer_open(&sw.peer, &sw.tgt);
	nd_out_open_object(NULL);
	nd_out_str(ND_JSON, "mode", NULL, sw.tgt.connect ? "peer" : "loopback");
	nd_out_str(ND_JSON, "peer", NULL, sw.tgt.connect ? sw.peer.name : "127.0.0.1");
	nd_out_double(ND_JSON, "time_per_step", NULL, sw.time, 3);
	nd_out_int(ND_JSON, "chunk", NULL, sw.chunk);
	if (sw.csv) {
		nd_out_text("size,sndbuf,rcvbuf,bytes,seconds,bits_per_second,rtt_us\n");
	} else {
		nd_out_text("TCP throughput over %s, %.3g s per step, writes of %s\n",
			    sw.tgt.connect ? sw.peer.name : "loopback", sw.time,
			    nd_human_size((uint64_t)sw.chunk, hb, sizeof(hb)));
		nd_out_text("%-10s %10s %10s %13s %7s %14s %8s\n", "size", "SO_SNDBUF", "SO_RCVBUF",
			    "bytes", "seconds", "throughput", "rtt_us");
	}
	nd_out_open_array("steps");
	for (int i = 0; i < sw.nsizes; i++) {
		steps[i] = (struct step){ .size = sw.sizes[i] };
		run_step(&sw, &steps[i]);
		print_step(&sw, &steps[i]);
		nd_out_flush();
	}
	nd_out_close_array();
	if (!sw.csv)
		print_chart(&sw, steps, sw.nsizes);
	nd_out_close_object();
	if (sw.tgt.connect)
		sb_peer_close(&sw.peer);
	nd_out_finish();
	free(sw.buf);
	return ND_EXIT_OK;
}
