/* SPDX-License-Identifier: MIT */
#ifndef IFINFO_WATCH_H
#define IFINFO_WATCH_H

#include <stdint.h>

#include "link.h"
#include "nl.h"
#include "show.h"

/* How --watch samples: what it shows comes apart, in struct ifshow_opts. */
struct ifwatch_opts {
	double interval; /* seconds between samples */
	uint64_t count;  /* intervals to show; 0 until interrupted */
};

/* Per-second rates between two samples of one link's counters. */
struct ifwatch_rate {
	double rx_bytes, rx_packets, tx_bytes, tx_packets;
};

/*
 * ifwatch_rate - the rates from @prev to @cur over @secs seconds.  A counter that went backwards
 * (the device was reset or replaced) counts as no traffic rather than a huge number.
 */
void ifwatch_rate(const struct nd_link_stats *prev, const struct nd_link_stats *cur, double secs,
		  struct ifwatch_rate *r);

/*
 * ifwatch_run - sample the links every interval and print the rates of those @show selects
 * until the count is reached or SIGINT/SIGTERM arrives.  Returns an exit status and never
 * exits itself: ND_EXIT_OK, or ND_EXIT_ERROR after one line on stderr when a dump fails or the
 * interface @show names does not exist or is gone (deleted while watched).  An interrupted dump
 * is warned about and its last pass used, as in the listing (ifdb_dump_links).
 */
int ifwatch_run(struct nd_nl *nl, const struct ifshow_opts *show, const struct ifwatch_opts *w);

#endif
