/* SPDX-License-Identifier: MIT */
#ifndef PING_OPTS_H
#define PING_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* miniping's options, as iputils ping means them. */
struct ping_opts {
	int family;      /* AF_UNSPEC, or AF_INET / AF_INET6 for -4 / -6 */
	long count;      /* -c: 0 = no limit */
	int interval_ms; /* -i, in ms as iputils keeps it */
	bool interval_set;
	int linger_ms;       /* -W: wait for replies after the last request (default 10 s) */
	long deadline_s;     /* -w: 0 = none */
	long datalen;        /* -s: payload bytes (default 56) */
	int ttl;             /* -t: 0 = system default */
	int tos;             /* -Q: -1 = not set */
	const char *iface;   /* -I: interface name or source address */
	uint8_t pattern[16]; /* -p: the first 16 bytes of the hex given, as iputils reads it */
	size_t patlen;
	int pmtudisc; /* -M: IP_PMTUDISC_DO/DONT/WANT/PROBE, -1 = the system's */
	int ident;    /* -e: the echo identifier, -1 = random (raw) or the kernel's */
	long mark;    /* -m: SO_MARK, -1 = none */
	int sndbuf;   /* -S: SO_SNDBUF, 0 = the default */
	long preload; /* -l: requests sent at once at the start (0 = just the first) */
	bool quiet, numeric, timestamps, outstanding, flood, audible, verbose;
	bool broadcast;    /* -b: a broadcast address may be pinged (SO_BROADCAST) */
	const char *netns; /* --netns NAME: the namespace to ping from */
	bool json, explain, help, version;
	const char *host;
};

enum { PING_OPT_EXPLAIN = 0x1100, PING_OPT_NETNS };

/*
 * ping_opts_parse - parse @argv into @o.  A pure function of its arguments (it resets getopt's
 * state itself): no output, no exit.  Returns 0, or -1 with a message "what failed: why" in
 * @err.  --help / --version set o->help / o->version and stop parsing.
 */
int ping_opts_parse(int argc, char **argv, struct ping_opts *o, char *err, size_t errlen);

/* ping_opts_check_size - -s against the family's limit (65507 IPv4, 65527 IPv6). */
int ping_opts_check_size(const struct ping_opts *o, int family, char *err, size_t errlen);

#endif
