// SPDX-License-Identifier: MIT
/* miniping option parsing: argv -> struct ping_opts, with iputils' meanings and limits. */
#include "opts.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>

#include "array.h"
#include "cli.h"
#include "errbuf.h"
#include "icmp.h"
#include "netns.h"

static const char optstring[] = ":46abc:De:fhI:i:l:M:m:nOp:qQ:S:s:t:vVw:W:";

static const struct option longopts[] = {
	{ "explain", no_argument, NULL, PING_OPT_EXPLAIN },
	{ "netns", required_argument, NULL, PING_OPT_NETNS },
	ND_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static int num(const char *s, char opt, long min, long max, long *out, char *err, size_t len)
{
	int r = nd_parse_int(s, min, max, out);

	if (r == -ERANGE)
		return nd_errf(err, len, -1,
			       "invalid -%c value '%s': out of range: %ld <= value <= %ld", opt, s,
			       min, max);
	if (r)
		return nd_errf(err, len, -1, "invalid -%c value '%s': not a number", opt, s);
	return 0;
}

/* Seconds as iputils reads them (a decimal number), returned in ms. */
static int seconds_ms(const char *s, char opt, double min_s, int *ms, char *err, size_t len)
{
	double v;
	char *end;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || isnan(v))
		return nd_errf(err, len, -1, "invalid -%c value '%s': not a number of seconds", opt,
			       s);
	if (v < min_s || v > (double)(INT_MAX / 1000))
		return nd_errf(err, len, -1, "invalid -%c value '%s': out of range", opt, s);
	*ms = (int)(v * 1000);
	return 0;
}

static int pattern(const char *s, struct ping_opts *o, char *err, size_t len)
{
	size_t n = strlen(s);

	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return nd_errf(err, len, -1,
				       "invalid -p value '%s': patterns must be hex digits", s);
	if (n == 0)
		return nd_errf(err, len, -1, "invalid -p value '': patterns must be hex digits");
	/* as iputils' sscanf("%2x" x 16): the first 16 bytes count, the rest is not read */
	if (n > 2 * sizeof(o->pattern))
		n = 2 * sizeof(o->pattern);
	o->patlen = 0;
	for (size_t i = 0; i < n; i += 2) {
		char b[3] = { s[i], i + 1 < n ? s[i + 1] : '\0', '\0' };

		o->pattern[o->patlen++] = (uint8_t)strtoul(b, NULL, 16);
	}
	return 0;
}

static void defaults(struct ping_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->family = AF_UNSPEC;
	o->interval_ms = 1000;
	o->linger_ms = 10000;
	o->datalen = 56;
	o->tos = -1;
	o->pmtudisc = -1;
	o->ident = -1;
	o->mark = -1;
}

int ping_opts_parse(int argc, char **argv, struct ping_opts *o, char *err, size_t errlen)
{
	long v;
	int c;

	defaults(o);
	optind = 0; /* full reset of getopt, so the parser can run more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
		switch (c) {
		case '4': o->family = AF_INET; break;
		case '6': o->family = AF_INET6; break;
		case 'a': o->audible = true; break;
		case 'b': o->broadcast = true; break;
		case 'D': o->timestamps = true; break;
		case 'f': o->flood = true; break;
		case 'n': o->numeric = true; break;
		case 'O': o->outstanding = true; break;
		case 'q': o->quiet = true; break;
		case 'v': o->verbose = true; break;
		case 'c':
			if (num(optarg, 'c', 1, LONG_MAX, &o->count, err, errlen))
				return -1;
			break;
		case 'i':
			if (seconds_ms(optarg, 'i', 0, &o->interval_ms, err, errlen))
				return -1;
			o->interval_set = true;
			break;
		case 'W':
			if (seconds_ms(optarg, 'W', 0, &o->linger_ms, err, errlen))
				return -1;
			if (o->linger_ms == 0)
				o->linger_ms = 1; /* "-W 0.0001": as short as can be, not forever */
			break;
		case 'w':
			if (num(optarg, 'w', 0, INT_MAX, &o->deadline_s, err, errlen))
				return -1;
			break;
		case 's':
			if (num(optarg, 's', 0, ND_ICMP_MAX_V6_DATA, &o->datalen, err, errlen))
				return -1;
			break;
		case 't':
			if (num(optarg, 't', 1, 255, &v, err, errlen))
				return -1;
			o->ttl = (int)v;
			break;
		case 'Q':
			if (num(optarg, 'Q', 0, 255, &v, err, errlen))
				return -1;
			o->tos = (int)v;
			break;
		case 'M': {
			static const struct {
				const char *name;
				int v;
			} modes[] = { { "do", IP_PMTUDISC_DO },
				      { "dont", IP_PMTUDISC_DONT },
				      { "want", IP_PMTUDISC_WANT },
				      { "probe", IP_PMTUDISC_PROBE } };

			o->pmtudisc = -1;
			for (size_t i = 0; i < ND_ARRAY_SIZE(modes); i++)
				if (strcmp(optarg, modes[i].name) == 0)
					o->pmtudisc = modes[i].v;
			if (o->pmtudisc < 0)
				return nd_errf(err, errlen, -1, "invalid -M argument: %s", optarg);
			break;
		}
		case 'e':
			if (num(optarg, 'e', 0, 65535, &v, err, errlen))
				return -1;
			o->ident = (int)v;
			break;
		case 'm':
			if (num(optarg, 'm', 0, 4294967295L, &o->mark, err, errlen))
				return -1;
			break;
		case 'S':
			if (num(optarg, 'S', 1, INT_MAX, &v, err, errlen))
				return -1;
			o->sndbuf = (int)v;
			break;
		case 'l':
			if (num(optarg, 'l', 1, 65536, &o->preload, err, errlen))
				return -1;
			break;
		case 'I':
			if (!*optarg)
				return nd_errf(err, errlen, -1, "invalid -I value '': empty");
			o->iface = optarg;
			break;
		case 'p':
			if (pattern(optarg, o, err, errlen))
				return -1;
			break;
		case PING_OPT_EXPLAIN: o->explain = true; break;
		case PING_OPT_NETNS:
			if (!nd_netns_valid_name(optarg))
				return nd_errf(err, errlen, -1,
					       "invalid --netns value '%s': want a name from "
					       "ip netns list",
					       optarg);
			o->netns = optarg;
			break;
		default:
			/* --json, -h/--help, -V/--version and getopt's errors: lib/cli's words */
			switch (nd_cli_classify(c, argv, err, errlen)) {
			case ND_CLI_JSON: o->json = true; break;
			case ND_CLI_HELP: o->help = true; return 0;
			case ND_CLI_VERSION: o->version = true; return 0;
			case ND_CLI_BAD: return -1;
			case ND_CLI_NONE: /* in optstring but not handled above: a bug here */
			default: return nd_errf(err, errlen, -1, "option %d not handled", c);
			}
			break;
		}
	}
	if (optind >= argc)
		return nd_errf(err, errlen, -1, "no destination: usage: miniping [options] HOST");
	if (optind + 1 < argc)
		return nd_errf(err, errlen, -1, "extra argument '%s': one destination only",
			       argv[optind + 1]);
	o->host = argv[optind];
	return ping_opts_check_size(o, o->family, err, errlen);
}

int ping_opts_check_size(const struct ping_opts *o, int family, char *err, size_t errlen)
{
	if (family == AF_INET && o->datalen > ND_ICMP_MAX_V4_DATA)
		return nd_errf(err, errlen, -1,
			       "invalid -s value '%ld': out of range: 0 <= value <= %d for IPv4",
			       o->datalen, ND_ICMP_MAX_V4_DATA);
	return 0;
}
