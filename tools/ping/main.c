// SPDX-License-Identifier: MIT
/*
 * miniping - ICMP echo, iputils-compatible: options -> open (then drop privileges) -> resolve
 * -> set up -> loop -> summary.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "netns.h"
#include "out.h"
#include "ping.h"
#include "priv.h"

static const char usage[] =
	"Usage: miniping [options] HOST\n"
	"ICMP echo (ping) over a raw socket, or the unprivileged ICMP datagram socket.\n"
	"\n"
	"  -4, -6          IPv4 / IPv6 only\n"
	"  -a              audible: ring the bell on every reply\n"
	"  -b              allow pinging a broadcast address (SO_BROADCAST)\n"
	"  -e ID           the echo identifier (the socket's port on a datagram socket)\n"
	"  -c COUNT        stop after COUNT replies (or errors)\n"
	"  -D              print a [seconds.micros] timestamp before each line\n"
	"  -f              flood: as fast as replies come, at least 100 per second (root)\n"
	"  -I IFACE|ADDR   send from this interface or source address\n"
	"  -l PRELOAD      send PRELOAD requests at once at the start (at most 3 unless root)\n"
	"  -M do|dont|want|probe  path MTU discovery (IP_MTU_DISCOVER)\n"
	"  -m MARK         tag the requests with this firewall mark (SO_MARK)\n"
	"  -i SECONDS      interval between requests (default 1; at least 0.002 unless root)\n"
	"  -n              numeric output only, no reverse lookups\n"
	"  -O              report replies still outstanding when the next request goes\n"
	"  -p HEX          fill the payload with this pattern (its first 16 bytes)\n"
	"  -Q TOS          IPv4 ToS / IPv6 traffic class (0-255)\n"
	"  -q              quiet: only the header and the summary\n"
	"  -S SNDBUF       the socket's send buffer (SO_SNDBUF)\n"
	"  -s SIZE         payload bytes (default 56; at most 65507 IPv4, 65527 IPv6)\n"
	"  -t TTL          time to live / hop limit (1-255)\n"
	"  -v              verbose\n"
	"  -W SECONDS      wait this long for replies after the last request (default 10)\n"
	"  -w SECONDS      stop after this many seconds, whatever was sent\n"
	"      --explain   show every header field and the checksum of the first request and reply\n"
	"      --json      one JSON object per line per event, then a summary object\n"
	"      --netns NAME  ping from the network namespace NAME (as ip netns exec NAME)\n"
	"      --help, --version\n"
	"\n"
	"Exit status: 0 replies came as required, 1 none came (or fewer than -c with -w),\n"
	"2 any other error.\n";

static volatile sig_atomic_t exiting, status;

static void on_int(int sig)
{
	(void)sig;
	exiting = 1;
}

static void on_quit(int sig)
{
	(void)sig;
	status = 1;
}

static void signals(void)
{
	struct sigaction sa = { .sa_handler = on_int };
	sigset_t block;

	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_quit;
	sigaction(SIGQUIT, &sa, NULL);
	/* delivered only while waiting in ppoll, so a signal is never lost between checks */
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGQUIT);
	sigprocmask(SIG_BLOCK, &block, NULL);
}

/* RFC 6761: names under .invalid never resolve; say so without asking any server. */
static bool is_invalid_tld(const char *h)
{
	size_t n = strlen(h);

	if (n && h[n - 1] == '.')
		n--;
	return (n == 7 && !strncasecmp(h, "invalid", 7)) ||
	       (n > 8 && !strncasecmp(h + n - 8, ".invalid", 8));
}

static void resolve(struct ping *p, const struct ping_opts *o, int family)
{
	int r;

	if (is_invalid_tld(o->host))
		nd_die(ND_EXIT_ERROR, "%s: %s", o->host, "Name or service not known");
	r = nd_resolve(o->host, family, false, &p->dst, p->host, sizeof(p->host));
	if (r)
		nd_die(ND_EXIT_ERROR, "%s: %s", o->host, gai_strerror(r));
	/* iputils prints the name as given, and stays numeric when given an address */
	snprintf(p->host, sizeof(p->host), "%s", o->host);
	p->dstlen = nd_sockaddr_len(p->dst.ss_family);
	nd_sockaddr_fmt((struct sockaddr *)&p->dst, p->dst_str, sizeof(p->dst_str));
	p->numeric = o->numeric || !strcmp(o->host, p->dst_str);
	{
		struct nd_addr a;
		struct in_addr ia;

		/* an address in any form inet_aton takes ("127.1") is numeric, as for iputils */
		if (nd_addr_parse(o->host, AF_UNSPEC, &a) == 0 || inet_aton(o->host, &ia))
			p->numeric = true;
	}
}

/*
 * 0.0.0.0 is this host: the kernel sends to the source it picked (127.0.0.1 when nothing else
 * routes), and iputils names that address in its header: "PING 0.0.0.0 (127.0.0.1)".
 */
static void any_is_source(struct ping *p)
{
	struct sockaddr_in *d = (struct sockaddr_in *)&p->dst;

	if (d->sin_family != AF_INET || d->sin_addr.s_addr != INADDR_ANY ||
	    p->src.ss_family != AF_INET)
		return;
	d->sin_addr = ((const struct sockaddr_in *)&p->src)->sin_addr;
	nd_sockaddr_fmt((struct sockaddr *)&p->dst, p->dst_str, sizeof(p->dst_str));
}

/*
 * -m: SO_MARK needs CAP_NET_ADMIN, so it is set while the privileges are still there, on both
 * sockets; without them iputils warns and goes on without the mark, and so does miniping.
 */
static void set_mark(const struct ping_sock *s4, const struct ping_sock *s6, long mark)
{
	uint32_t m = (uint32_t)mark;
	int err = 0;

	if (mark < 0)
		return;
	if (s4->fd >= 0 && setsockopt(s4->fd, SOL_SOCKET, SO_MARK, &m, sizeof(m)) < 0)
		err = errno;
	if (s6->fd >= 0 && setsockopt(s6->fd, SOL_SOCKET, SO_MARK, &m, sizeof(m)) < 0)
		err = errno;
	if (err)
		nd_err("WARNING: failed to set mark: %u: %s", m, strerror(err));
}

static noreturn void no_socket(int err)
{
	if (err == EPERM || err == EACCES)
		nd_die(ND_EXIT_ERROR,
		       "socket: %s: a raw socket needs CAP_NET_RAW (setcap cap_net_raw+ep miniping) "
		       "and the ICMP datagram socket needs your group in net.ipv4.ping_group_range "
		       "(sysctl -w net.ipv4.ping_group_range='0 2147483647')",
		       strerror(err));
	nd_die(ND_EXIT_ERROR, "socket: %s", strerror(err));
}

int main(int argc, char **argv)
{
	static struct ping p;
	static uint8_t outpack[PING_MAXPACKET];
	struct ping_opts o;
	struct ping_sock s4 = { .fd = -1 }, s6 = { .fd = -1 };
	struct nd_cli cli;
	char err[512];
	int r, family;

	/* options */
	nd_cli_init(&cli, "miniping", usage);
	nd_cli_json_asked(argc, argv);
	if (ping_opts_parse(argc, argv, &o, err, sizeof(err)))
		nd_usage_error("%s", err);
	if (o.help)
		nd_cli_help(&cli);
	if (o.version)
		nd_cli_version(&cli);
	nd_out_init(stdout, o.json);
	p.o = &o;
	p.exiting = &exiting;
	p.status = &status;

	/* open: the privileged part, then drop everything before any packet is parsed */
	if (o.netns) { /* first: the sockets are the namespace's */
		r = nd_netns_enter(o.netns);
		if (r)
			nd_die(ND_EXIT_ERROR, "netns %s: %s", o.netns,
			       r == -ENOENT ? "no such namespace (see ip netns list)"
					    : strerror(-r));
	}
	p.privileged = nd_priv_is_privileged();
	if (o.family != AF_INET6)
		ping_sock_open(AF_INET, &s4);
	if (o.family != AF_INET)
		ping_sock_open(AF_INET6, &s6);
	set_mark(&s4, &s6, o.mark);
	r = nd_priv_drop();
	if (r)
		nd_die(ND_EXIT_ERROR, "dropping privileges: %s", strerror(-r));

	p.interval_ms = o.interval_ms;
	if (o.flood && !o.interval_set)
		p.interval_ms = 0;
	if (getuid() != 0 && o.preload > 3) /* iputils' MAX_DUP_CHK for users */
		nd_die(ND_EXIT_ERROR, "cannot set preload to value greater than 3: %ld", o.preload);
	/* as iputils, by the real uid: cap_net_raw or setuid lets a user ping, not flood */
	if (getuid() != 0 && p.interval_ms < 2)
		nd_die(ND_EXIT_ERROR, "cannot flood; minimal interval allowed for user is 2ms");

	/* resolve, with whichever families could be opened */
	family = o.family;
	if (family == AF_UNSPEC && s4.fd < 0 && s6.fd >= 0)
		family = AF_INET6;
	else if (family == AF_UNSPEC && s6.fd < 0 && s4.fd >= 0)
		family = AF_INET;
	resolve(&p, &o, family);
	if (p.dst.ss_family == AF_INET6) {
		p.sk = s6;
		if (s4.fd >= 0)
			close(s4.fd);
	} else {
		p.sk = s4;
		if (s6.fd >= 0)
			close(s6.fd);
	}
	if (p.sk.fd < 0)
		no_socket(p.sk.err);
	if (ping_opts_check_size(&o, p.sk.family, err, sizeof(err)))
		nd_usage_error("%s", err);
	if (o.verbose && !o.json)
		nd_err("%s socket, fd %d", p.sk.raw ? "raw" : "datagram (unprivileged)", p.sk.fd);
	if (ping_sock_probe_source(&p, err, sizeof(err)) || ping_sock_setup(&p, err, sizeof(err)))
		nd_die(ND_EXIT_ERROR, "%s", err);
	any_is_source(&p);

	p.out = outpack;
	p.outlen = nd_icmp_echo_build(outpack, sizeof(outpack), p.sk.family, p.ident, 0,
				      o.patlen ? o.pattern : NULL, o.patlen, (size_t)o.datalen);
	p.timing = o.datalen >= ND_ICMP_STAMP_LEN;
	ping_seq_init(&p.seq);
	nd_stats_init(&p.stats);
	signals();

	/* loop, then print; -p's pattern first, as iputils prints it */
	if (o.patlen && !o.quiet) {
		nd_out_text("PATTERN: 0x");
		for (size_t i = 0; i < o.patlen; i++)
			nd_out_text("%02x", o.pattern[i]);
		nd_out_text("\n");
	}
	ping_report_header(&p);
	ping_run(&p);
	return ping_report_summary(&p);
}
