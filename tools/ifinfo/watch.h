/* SPDX-License-Identifier: MIT */
#ifndef IFINFO_WATCH_H
#define IFINFO_WATCH_H

#include <stdint.h>

#include "link.h"
#include "nl.h"
#include "show.h"

struct ifwatch_opts {
	double interval; /* seconds between samples */
	uint64_t count;	 /* intervals to show; 0 until interrupted */
	struct ifshow_opts show;
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
 * ifwatch_run - sample the links every interval and print their rates until the count is
 * reached or SIGINT/SIGTERM arrives.  Returns an exit status (after printing any error).
 */
int ifwatch_run(struct nd_nl *nl, const struct ifwatch_opts *w);

#endif
