// SPDX-License-Identifier: MIT
/* --watch: one link dump per interval, rates from the difference of the counters. */
#include "watch.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "ifdb.h"
#include "link.h"
#include "out.h"
#include "units.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t delta(uint64_t prev, uint64_t cur)
{
	return cur >= prev ? cur - prev : 0;
}

void ifwatch_rate(const struct nd_link_stats *prev, const struct nd_link_stats *cur, double secs,
		  struct ifwatch_rate *r)
{
	if (!(secs > 0)) {
		memset(r, 0, sizeof(*r));
		return;
	}
	r->rx_bytes = (double)delta(prev->rx_bytes, cur->rx_bytes) / secs;
	r->rx_packets = (double)delta(prev->rx_packets, cur->rx_packets) / secs;
	r->tx_bytes = (double)delta(prev->tx_bytes, cur->tx_bytes) / secs;
	r->tx_packets = (double)delta(prev->tx_packets, cur->tx_packets) / secs;
}

/*
 * One sample into @db.  Returns ND_EXIT_OK, or ND_EXIT_ERROR after one line on stderr when the
 * dump failed or the interface being watched is not (or no longer) there.
 */
static int sample(struct nd_nl *nl, struct ifdb *db, const struct ifshow_opts *show, bool first)
{
	int err = ifdb_dump_links(nl, db);
	char msg[128];

	if (err)
		snprintf(msg, sizeof(msg), "link dump: %s", nd_nl_strerror(err));
	else if (show->name && ifdb_find_name(db, show->name) < 0)
		snprintf(msg, sizeof(msg),
			 first ? "%s: no such interface" : "%s: the interface is gone", show->name);
	else
		return ND_EXIT_OK;
	/* as nd_die says it, without exiting: the line, and with --json the error document */
	nd_out_error(msg, ND_EXIT_ERROR);
	nd_err("%s", msg);
	return ND_EXIT_ERROR;
}

static void print_interval(const struct ifdb *prev, const struct ifdb *cur, double secs,
			   const struct ifshow_opts *show, bool tty)
{
	char b1[32], b2[32];

	if (tty && !nd_out_json())
		nd_out_text("\033[H\033[J");
	nd_out_open_object(NULL);
	nd_out_double(ND_JSON, "interval", NULL, secs, 3);
	nd_out_text("%-15s %14s %12s %14s %12s\n", "Iface", "RX", "RX pkt/s", "TX", "TX pkt/s");
	nd_out_open_array("interfaces");
	for (size_t i = 0; i < cur->nlinks; i++) {
		const struct nd_link *l = &cur->links[i];
		int p = ifdb_find(prev, l->ifindex);
		struct ifwatch_rate r;

		if (!ifshow_selected(l, show))
			continue;
		/* a link that appeared during the interval has no rate yet */
		ifwatch_rate(p >= 0 ? &prev->links[p].stats : &l->stats, &l->stats, secs, &r);
		nd_out_open_object(NULL);
		nd_out_int(ND_JSON, "ifindex", NULL, l->ifindex);
		nd_out_str(ND_ANY, "ifname", "%-15s ", l->name);
		nd_out_open_object("rx");
		nd_out_double(ND_JSON, "bytes_per_s", NULL, r.rx_bytes, 1);
		nd_out_str(ND_TEXT, NULL, "%14s ",
			   nd_human_rate(r.rx_bytes, "B/s", b1, sizeof(b1)));
		nd_out_double(ND_ANY, "packets_per_s", "%12.1f ", r.rx_packets, 1);
		nd_out_close_object();
		nd_out_open_object("tx");
		nd_out_double(ND_JSON, "bytes_per_s", NULL, r.tx_bytes, 1);
		nd_out_str(ND_TEXT, NULL, "%14s ",
			   nd_human_rate(r.tx_bytes, "B/s", b2, sizeof(b2)));
		nd_out_double(ND_ANY, "packets_per_s", "%12.1f\n", r.tx_packets, 1);
		nd_out_close_object();
		nd_out_close_object();
	}
	nd_out_close_array();
	nd_out_close_object();
	nd_out_text("\n");
	nd_out_flush();
}

static void add_ns(struct timespec *t, int64_t ns)
{
	ns += t->tv_nsec;
	t->tv_sec += ns / 1000000000;
	t->tv_nsec = ns % 1000000000;
}

int ifwatch_run(struct nd_nl *nl, const struct ifshow_opts *show, const struct ifwatch_opts *w)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct ifdb a, b, *prev = &a, *cur = &b;
	struct timespec next;
	int64_t t_prev, t_cur;
	bool tty = isatty(fileno(nd_out_stream()));
	int rc;

	/* no SA_RESTART: the sleep ends at once on Ctrl-C */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	ifdb_init(&a);
	ifdb_init(&b);
	rc = sample(nl, prev, show, true);
	t_prev = nd_now();
	clock_gettime(CLOCK_MONOTONIC, &next);
	for (uint64_t n = 0; rc == ND_EXIT_OK && !stop && (w->count == 0 || n < w->count); n++) {
		struct ifdb *t;

		add_ns(&next, (int64_t)llround(w->interval * 1e9));
		while (!stop &&
		       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
		if (stop)
			break;
		rc = sample(nl, cur, show, false);
		t_cur = nd_now();
		if (rc != ND_EXIT_OK)
			break;
		print_interval(prev, cur, (double)(t_cur - t_prev) / 1e9, show, tty);
		t = prev, prev = cur, cur = t;
		t_prev = t_cur;
	}
	ifdb_free(&a);
	ifdb_free(&b);
	return rc;
}
