/* SPDX-License-Identifier: MIT */
#ifndef SOCKBUF_H
#define SOCKBUF_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include "cli.h"
#include "proto.h"

/* The subcommands; each parses its own options and returns the exit status. */
int sb_info_main(int argc, char **argv);
int sb_fill_main(int argc, char **argv);
int sb_sweep_main(int argc, char **argv);
int sb_udp_main(int argc, char **argv);
int sb_serve_main(int argc, char **argv);

/* Options several subcommands share. */
struct sb_target {
	const char *connect; /* HOST[:PORT] of a `sockbuf serve` peer, or NULL for loopback */
	int timeout_ms;      /* every connect and control wait is bounded by this */
};

/*
 * The options the subcommands share, parsed in one place (opts.c): -c/--connect, -w/--timeout
 * (seconds, up to timeout_max), -k/--chunk (1 to 64Mi bytes) and --csv (not with --json).  A
 * subcommand sets which it takes in @take and their defaults, puts their SB_LONGOPT_* entries in
 * its option table and their letters in its optstring, passes each option to sb_opt_common()
 * before its own, and calls sb_opts_done() after the loop.
 */
enum { SB_OPT_CONNECT = 1, SB_OPT_TIMEOUT = 2, SB_OPT_CHUNK = 4, SB_OPT_CSV = 8 };
enum { SB_LOPT_CSV = ND_OPT_TOOL_BASE, SB_LOPT_TOOL /* a subcommand's own long-only codes */ };

/* clang-format off */
#define SB_LONGOPT_CONNECT { "connect", required_argument, NULL, 'c' }
#define SB_LONGOPT_TIMEOUT { "timeout", required_argument, NULL, 'w' }
#define SB_LONGOPT_CHUNK { "chunk", required_argument, NULL, 'k' }
#define SB_LONGOPT_CSV { "csv", no_argument, NULL, SB_LOPT_CSV }
/* clang-format on */

struct sb_opts {
	unsigned int take;    /* SB_OPT_* */
	struct sb_target tgt; /* --connect, --timeout */
	double timeout_max;   /* seconds */
	int chunk;            /* --chunk */
	bool csv;             /* --csv */
};

/* sb_opt_common - take @opt (getopt's answer, @arg its argument) when it is one of o->take. */
bool sb_opt_common(struct sb_opts *o, int opt, const char *arg);

/*
 * sb_next_opt - getopt_long over a subcommand's @argv until an option that is its own: the
 * shared ones (--help, --version, --json, getopt's errors) go to nd_cli_common(), those of
 * o->take to sb_opt_common().  Returns the option (optarg set), or -1 after the last.
 */
int sb_next_opt(int argc, char **argv, const char *optstring, const struct option *lopts,
		struct nd_cli *cli, struct sb_opts *o);

/*
 * sb_opts_done - after the option loop: a usage error for an argument left over, a --chunk out
 * of bounds, or --csv with --json (@json).
 */
void sb_opts_done(const struct sb_opts *o, int argc, char **argv, bool json);

/* sb_parse_size_opt - a size option (k/M/Ki/Mi) that fits setsockopt's int, or a usage error. */
int sb_parse_size_opt(const char *opt, const char *arg);

/* sb_parse_time_opt - seconds in (0, @max], or a usage error naming @opt. */
double sb_parse_time_opt(const char *opt, const char *arg, double max);

/*
 * sb_parse_num_opt - a whole number in [@min, @max], or a usage error that names @opt, the
 * @what it is and the bounds, @unit after them unless "": "bad port for --port: 'x': expected 1
 * to 65535".
 */
uint64_t sb_parse_num_opt(const char *opt, const char *what, const char *arg, uint64_t min,
			  uint64_t max, const char *unit);

/*
 * sb_parse_size_list - a comma-separated list of sizes into @out (at most @max), "auto" as
 * @auto_value; an empty list or an empty element ("1Ki,,2Ki") is a usage error.  Returns the
 * count.  sb_parse_sizes - the same with "auto" as 0 (sweep and udp: no setsockopt).
 */
int sb_parse_size_list(const char *opt, const char *arg, int *out, int max, int auto_value);
int sb_parse_sizes(const char *opt, const char *arg, int *out, int max);

/* sb_now_real - CLOCK_REALTIME in nanoseconds (comparable between namespaces of one host). */
int64_t sb_now_real(void);

/* A connected control channel to a `sockbuf serve` peer. */
struct sb_peer {
	struct sb_ctl ctl;
	struct sockaddr_storage addr; /* the peer's address; data ports go with it */
	socklen_t alen;
	char name[80];
};

/* sb_peer_open - connect and greet, or die with one line (exit 2). */
void sb_peer_open(struct sb_peer *p, const struct sb_target *t);

/* sb_peer_expect - sb_ctl_expect, or die naming what was being asked. */
void sb_peer_expect(struct sb_peer *p, const char *verb, struct sb_msg *m, const char *what);

/* sb_peer_u64 - a numeric field of a reply, or die. */
uint64_t sb_peer_u64(const struct sb_msg *m, const char *key);

/* sb_peer_close - BYE and close. */
void sb_peer_close(struct sb_peer *p);

/*
 * sb_tcp_listen - a TCP listener on @sa (port as given, 0 for any) with SO_RCVBUF @rcvbuf set
 * before listen() so that accepted sockets inherit it and the window scale fits (0: autotune).
 * Returns the fd or -errno; the bound port goes to *@port.
 */
int sb_tcp_listen(const struct sockaddr *sa, socklen_t salen, int rcvbuf, uint16_t *port);

/* sb_tcp_connect - a TCP socket with SO_SNDBUF @sndbuf (0: autotune) connected to @sa:@port. */
int sb_tcp_connect(const struct sockaddr_storage *sa, uint16_t port, int sndbuf, int timeout_ms);

/* sb_accept - accept one connection within @timeout_ms.  Returns the fd or -errno. */
int sb_accept(int lfd, int timeout_ms);

/* sb_loopback - 127.0.0.1 with port 0. */
void sb_loopback(struct sockaddr_storage *ss, socklen_t *len);

/* Receivers, run by a local thread or by `sockbuf serve`. */

/* sb_sink - read until EOF; the byte count goes to *@bytes.  Returns 0 or -errno. */
int sb_sink(int fd, uint64_t *bytes);

struct sb_udp_rx {
	int fd;
	int rate;             /* datagrams per second the receiver reads; 0: as fast as it can */
	int64_t idle_ns;      /* give up (-ETIME) after this long without a datagram; 0: never */
	int mib6;             /* an IPv6 socket: its drops count in /proc/net/snmp6 */
	uint64_t snmp_before; /* Udp (or Udp6) RcvbufErrors when the socket was made */
	/* results */
	uint64_t received; /* data datagrams read */
	uint64_t drops;    /* SO_RXQ_OVFL: the socket's drop counter at the end */
	/* Udp RcvbufErrors delta (/proc/net/snmp), Udp6RcvbufErrors (snmp6) */
	uint64_t rcvbuf_errors;
	int rcvbuf; /* SO_RCVBUF as getsockopt reports it */
};

/* sb_udp_rcvbuf_errors - RcvbufErrors of the IPv4 (@mib6 0) or IPv6 UDP MIB, into *@out. */
int sb_udp_rcvbuf_errors(int mib6, uint64_t *out);

/* sb_udp_open - a UDP socket on @sa with SO_RCVBUF @rcvbuf (0: default) and SO_RXQ_OVFL on. */
int sb_udp_open(const struct sockaddr *sa, socklen_t salen, int rcvbuf, uint16_t *port,
		struct sb_udp_rx *rx);

/*
 * sb_udp_receive - read at rx->rate until @done_fd turns readable (the sender finished), then
 * drain, and close the count with a marker datagram sent to itself, whose SO_RXQ_OVFL value is
 * the final drop count.  Returns 0, -ETIME when rx->idle_ns passed without a datagram, or
 * -errno.  Set rx->rate and rx->idle_ns after sb_udp_open().
 */
int sb_udp_receive(struct sb_udp_rx *rx, int done_fd);

#define SB_UDP_MARKER_LEN 1

#endif
