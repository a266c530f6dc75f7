/* SPDX-License-Identifier: MIT */
#ifndef CS_EVENTS_H
#define CS_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "events_abi.h"
#include "filter.h"

/*
 * connstat -E: TCP state changes as they happen.  Two sources hand the same records
 * (struct cs_ev_rec) to one printer: the BPF program on inet_sock_set_state (events_bpf.c),
 * or, without BPF or root, successive sock_diag dumps diffed by cookie (events_sample.c).
 */

/* What -E was asked for. */
struct cs_ev_opts {
	int family; /* AF_UNSPEC, AF_INET, AF_INET6 */
	bool numeric, json;
	bool no_header;  /* -H */
	bool all_netns;  /* --all-netns: every namespace, not only ours */
	bool sample;     /* --sample: sock_diag even where BPF would load */
	uint64_t count;  /* stop after this many events printed; 0: no limit */
	double duration; /* stop after this many seconds; 0: no limit */
	double interval; /* sampling interval in seconds */
	const struct nd_filter *filter;
};

/* -E's long options, for the tool's getopt_long table, and their codes. */
enum {
	CS_OPT_EV_COUNT = 0x1140,
	CS_OPT_EV_DURATION,
	CS_OPT_EV_INTERVAL,
	CS_OPT_EV_SAMPLE,
	CS_OPT_EV_ALL_NETNS
};
/* clang-format off */
#define CS_EV_LONG_OPTIONS                                                  \
	{ "events", no_argument, NULL, 'E' },                              \
	{ "count", required_argument, NULL, CS_OPT_EV_COUNT },             \
	{ "duration", required_argument, NULL, CS_OPT_EV_DURATION },       \
	{ "interval", required_argument, NULL, CS_OPT_EV_INTERVAL },       \
	{ "sample", no_argument, NULL, CS_OPT_EV_SAMPLE },                 \
	{ "all-netns", no_argument, NULL, CS_OPT_EV_ALL_NETNS }
/* clang-format on */

/* cs_events_option - take option @c (one of CS_OPT_EV_*) with @arg; bad values exit 2. */
void cs_events_option(struct cs_ev_opts *o, int c, const char *arg);

/* A record handler: returns 0 to go on, anything else to stop. */
typedef int (*cs_ev_fn)(const struct cs_ev_rec *e, void *data);

/* events.c */
struct cs_opts;
/* cs_events_main - -E from the command line: checks what goes with it, then cs_events_run(). */
int cs_events_main(struct cs_opts *o, const struct nd_filter *f);
/* cs_events_run - stream events until Ctrl-C, the count or the duration; returns the exit code. */
int cs_events_run(const struct cs_ev_opts *o);
/* cs_events_build - one line saying whether this connstat has BPF, for --version. */
const char *cs_events_build(void);

/* events_bpf.c: the BPF source.  All return 0 or a negative errno. */
struct cs_evbpf;
/*
 * cs_evbpf_open - load the program (not attached yet); @netns (an inode number, 0 for all) is
 * filtered in the kernel.  -EOPNOTSUPP when this build has no BPF, -EPERM without the privilege.
 */
int cs_evbpf_open(struct cs_evbpf **out, uint32_t netns, cs_ev_fn fn, void *data);
/* cs_evbpf_attach - start seeing changes. */
int cs_evbpf_attach(struct cs_evbpf *b);
/* cs_evbpf_owner - tell the program who owns socket @cookie (sockets older than the program). */
int cs_evbpf_owner(struct cs_evbpf *b, uint64_t cookie, uint32_t pid, const char *comm,
		   bool listener, uint32_t netns, uint16_t lport);
/* cs_evbpf_poll - wait up to @timeout_ms, then hand every waiting record to the handler. */
int cs_evbpf_poll(struct cs_evbpf *b, int timeout_ms);
/*
 * cs_evbpf_lost - changes not told, so far: records the ring had no room for, and runs of the
 * program the kernel skipped (a state change in a softirq that interrupted the program on the
 * same CPU: the kernel does not nest a tracing program, it counts a recursion miss instead).
 */
uint64_t cs_evbpf_lost(const struct cs_evbpf *b);
void cs_evbpf_close(struct cs_evbpf *b);

#endif
