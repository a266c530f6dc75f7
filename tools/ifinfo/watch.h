/* SPDX-License-Identifier: MIT */
#ifndef IFINFO_WATCH_H
#define IFINFO_WATCH_H

#include <stdint.h>

#include "link.h"
#include "nl.h"
#include "show.h"

struct watch_opts {
	double interval; /* seconds between samples */
	uint64_t count;	 /* intervals to show; 0 until interrupted */
	struct show_opts show;
};

/* Per-second rates between two samples of one link's counters. */
struct watch_rate {
	double rx_bytes, rx_packets, tx_bytes, tx_packets;
};

/*
 * watch_rate - the rates from @prev to @cur over @secs seconds.  A counter that went backwards
 * (the device was reset or replaced) counts as no traffic rather than a huge number.
 */
void watch_rate(const struct nd_link_stats *prev, const struct nd_link_stats *cur, double secs,
		struct watch_rate *r);

/*
 * watch_run - sample the links every interval and print their rates until the count is
 * reached or SIGINT/SIGTERM arrives.  Returns an exit status (after printing any error).
 */
int watch_run(struct nd_nl *nl, const struct watch_opts *w);

#endif
