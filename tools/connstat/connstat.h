/* SPDX-License-Identifier: MIT */
#ifndef CONNSTAT_H
#define CONNSTAT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "events.h"
#include "filter.h"
#include "owners.h"
#include "proc.h"

/* What the command line asked for. */
struct cs_opts {
	bool tcp, udp, raw, unix_; /* protocols; none given means all four */
	int family;                /* AF_UNSPEC, AF_INET, AF_INET6 (-4/-6) */
	bool listen, all;          /* -l, -a */
	bool numeric;              /* -n: no service names */
	bool resolve;              /* -r: host names */
	bool procs;                /* -p */
	enum cs_owners_src owners; /* --owners: where -p looks */
	bool ext;                  /* -e */
	bool timers;               /* -o */
	bool info;                 /* -i */
	bool mem;                  /* -m */
	bool summary;              /* -s */
	bool no_header;            /* -H: no header lines (ss -H) */
	const char *netns;         /* -N, --netns NAME: the namespace to list */
	bool json;
	bool continuous; /* -c: the listing again every @interval seconds */
	double interval;
	bool events;          /* -E: TCP state changes as they happen */
	struct cs_ev_opts ev; /* -E's own options */
};

/* Per-netid counts for -s. */
struct cs_summary {
	uint64_t total[ND_NETID_MAX];
	uint64_t states[ND_NETID_MAX][ND_SS_MAX];
};

/* The state of one run, handed to the dump callbacks. */
struct cs_run {
	const struct cs_opts *o;
	const struct nd_filter *f;
	bool user_filter;                /* the expression runs here, not in the kernel */
	bool owner_terms;                /* it has pid/comm terms: attach the owners first */
	int protocol;                    /* of the inet dump in progress */
	struct cs_owners *owners;        /* -p: the source */
	const struct nd_proc_map *procs; /* -p: its last snapshot */
	struct cs_summary *sum;          /* -s: count, print nothing */
	struct nd_sock sock;             /* the socket being handled (large: tcp_info) */
};

/* print.c */
void cs_print_begin(const struct cs_opts *o);
void cs_print_section(const struct cs_opts *o, bool unix_section);
void cs_print_sock(const struct cs_run *r, const struct nd_sock *s);
void cs_print_end(const struct cs_opts *o);

/* format.c: pure text formatting of one row's pieces */
size_t cs_fmt_endpoint(char *p, size_t size, int family, const uint8_t *addr, uint16_t port,
		       const char *service, const char *host);
size_t cs_fmt_unix_path(char *p, size_t size, const char *path, size_t len);

/* rawproc.c: RAW sockets from /proc/net/raw{,6} when the kernel has no raw_diag */
int cs_raw_parse_line(const char *line, int family, struct nd_sock *s);
int cs_raw_dump(int family, uint32_t states, void (*cb)(struct nd_sock *s, void *data), void *data,
		struct nd_sock *s);

/* summary.c */
void cs_summary_add(struct cs_summary *sum, const struct nd_sock *s);
void cs_summary_print(const struct cs_summary *sum, const struct cs_opts *o);

#endif
