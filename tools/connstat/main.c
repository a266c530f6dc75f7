// SPDX-License-Identifier: MIT
/* connstat: sockets (TCP/UDP/RAW/UNIX) from netlink sock_diag, netstat's columns, ss's filters. */
#include "connstat.h"

#include "cli.h"
#include "nl.h"
#include "out.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>

static const char usage[] =
	"Usage: connstat [options] [state NAME | exclude NAME]... [FILTER]\n"
	"List sockets from netlink sock_diag, as netstat shows them; filters as ss takes them.\n"
	"\n"
	"  -t, -u, -w, -x   TCP, UDP, RAW, UNIX sockets (default: all four)\n"
	"  -4, -6           IPv4 or IPv6 only\n"
	"  -l               listening (and unconnected) sockets only\n"
	"  -a               all sockets (default: all but listening and unconnected)\n"
	"  -n               numeric ports (no service names)\n"
	"  -r               resolve host names\n"
	"  -p               owning processes (pid/program, fd)\n"
	"  -e               extended: uid, inode, cookie\n"
	"  -o               timers (retransmit, keepalive, time-wait)\n"
	"  -i               TCP internals (tcp_info)\n"
	"  -m               socket memory (skmem)\n"
	"  -s               summary: counts per protocol and state\n"
	"      --json       JSON output\n"
	"      --help       this text\n"
	"      --version    version\n"
	"\n"
	"FILTER: sport|dport [= != < > <= >=] [:]PORT, src|dst ADDR[/PREFIX][:PORT],\n"
	"        combined with and, or, not and ( ); states: established syn-sent syn-recv\n"
	"        fin-wait-1 fin-wait-2 time-wait close close-wait last-ack listening closing\n"
	"        connected synchronized all.\n";

static void parse_options(int argc, char *argv[], struct cs_opts *o)
{
	static const struct option longopts[] = { ND_CLI_LONG_OPTIONS, { 0 } };
	struct nd_cli cli;
	int c;

	nd_cli_init(&cli, "connstat", usage);
	while ((c = getopt_long(argc, argv, ":tuwx46lanrpeoims", longopts, NULL)) != -1) {
		switch (c) {
		case 't': o->tcp = true; break;
		case 'u': o->udp = true; break;
		case 'w': o->raw = true; break;
		case 'x': o->unix_ = true; break;
		case '4': o->family = AF_INET; break;
		case '6': o->family = AF_INET6; break;
		case 'l': o->listen = true; break;
		case 'a': o->all = true; break;
		case 'n': o->numeric = true; break;
		case 'r': o->resolve = true; break;
		case 'p': o->procs = true; break;
		case 'e': o->ext = true; break;
		case 'o': o->timers = true; break;
		case 'i': o->info = true; break;
		case 'm': o->mem = true; break;
		case 's': o->summary = true; break;
		default:
			nd_cli_common(&cli, c, argv);
		}
	}
	o->json = cli.json;
	if (!o->tcp && !o->udp && !o->raw && !o->unix_) {
		o->tcp = o->udp = o->raw = true;
		o->unix_ = o->family == AF_UNSPEC;
	}
}

/* The kernel state mask: an explicit state list wins over -a / -l / the default. */
static uint32_t states_of(const struct cs_opts *o, const struct nd_filter *f)
{
	uint32_t all = (1u << ND_SS_NEW_SYN_RECV) - 1;
	uint32_t m;

	if (f->states_set)
		m = f->states;
	else if (o->all || o->summary)
		m = all;
	else if (o->listen)
		m = (1u << ND_SS_LISTEN) | (1u << ND_SS_CLOSE);
	else
		m = all & ~((1u << ND_SS_LISTEN) | (1u << ND_SS_CLOSE));
	/* request sockets are TCP_NEW_SYN_RECV in the kernel and SYN-RECV to the user */
	if (m & (1u << ND_SS_SYN_RECV))
		m |= 1u << ND_SS_NEW_SYN_RECV;
	return m;
}

static void handle(struct cs_run *r)
{
	if (r->user_filter && !nd_filter_match(r->f->root, &r->sock))
		return;
	if (r->sum) {
		cs_summary_add(r->sum, &r->sock);
		return;
	}
	cs_print_sock(r, &r->sock);
	r->printed++;
}

static void raw_cb(struct nd_sock *s, void *data)
{
	struct cs_run *r = data;

	(void)s;
	r->user_filter = r->f->root != NULL;
	handle(r);
}

static int inet_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cs_run *r = data;

	if (nd_diag_parse_inet(nlh, r->protocol, &r->sock)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	handle(r);
	return MNL_CB_OK;
}

static int unix_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cs_run *r = data;

	if (nd_diag_parse_unix(nlh, &r->sock)) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	handle(r);
	return MNL_CB_OK;
}

int main(int argc, char *argv[])
{
	static struct cs_run run;
	static struct nd_filter filter;
	static uint8_t bc[4096];
	static const int protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_RAW };
	struct cs_opts o = { 0 };
	static struct cs_summary sum;
	struct nd_nl *nl;
	char err[256];
	ssize_t bclen = 0;
	uint32_t states;
	unsigned int ext = 0;
	bool want[3], inet, unix_;
	int e;

	/* options */
	parse_options(argc, argv, &o);
	if (nd_filter_parse(argc - optind, argv + optind, o.family, &filter, err, sizeof(err)))
		nd_usage_error("%s", err);
	want[0] = o.tcp;
	want[1] = o.udp;
	want[2] = o.raw;
	unix_ = o.unix_;
	/* an inet:/inet6:/unix: prefix in the expression narrows the families, as in ss */
	if (filter.family == AF_UNIX)
		want[0] = want[1] = want[2] = false;
	else if (filter.family == AF_INET || filter.family == AF_INET6)
		o.family = filter.family, unix_ = false;
	inet = want[0] || want[1] || want[2];
	states = states_of(&o, &filter);
	if (filter.root && inet) {
		bclen = nd_filter_compile(filter.root, bc, sizeof(bc));
		if (bclen == -EOPNOTSUPP) /* a unix: condition: run it here */
			bclen = 0;
		else if (bclen < 0)
			nd_usage_error("filter: expression too long");
	}
	if (o.info && !o.summary)
		ext |= ND_DIAG_INFO;
	if (o.mem && !o.summary)
		ext |= ND_DIAG_SKMEM;
	nd_out_init(stdout, o.json);

	/* open */
	run.o = &o;
	run.f = &filter;
	run.sum = o.summary ? &sum : NULL;
	if (o.procs && !o.summary) {
		e = nd_proc_scan("/proc", &run.procs);
		if (e)
			nd_die(ND_EXIT_ERROR, "scanning /proc: %s", strerror(-e));
	}
	e = nd_nl_open(&nl, NETLINK_SOCK_DIAG);
	if (e)
		nd_die(ND_EXIT_ERROR, "opening sock_diag socket: %s", nd_nl_strerror(e));

	/* loop -> print: every socket is printed as its message arrives */
	if (!o.summary)
		cs_print_begin(&o);
	if (inet && !o.summary)
		cs_print_section(&o, false);
	for (int p = 0; p < 3; p++) {
		static const int fams[] = { AF_INET, AF_INET6 };

		if (!want[p])
			continue;
		run.protocol = protos[p];
		for (int fi = 0; fi < 2; fi++) {
			struct nlmsghdr *req;

			if (o.family != AF_UNSPEC && o.family != fams[fi])
				continue;
			req = nd_diag_inet_request(nl, fams[fi], protos[p], states, ext, bc,
						   (size_t)bclen);
			if (!req)
				nd_die(ND_EXIT_ERROR, "filter: expression too long");
			/* an expression the kernel cannot run is run here */
			run.user_filter = filter.root && bclen == 0;
			e = nd_nl_dump(nl, req, inet_cb, NULL, &run);
			/* no raw_diag in this kernel: read what /proc/net/raw lists, as ss does */
			if (e == -ENOENT && protos[p] == IPPROTO_RAW)
				e = cs_raw_dump(fams[fi], states, raw_cb, &run, &run.sock);
			if (e)
				nd_die(ND_EXIT_ERROR, "dumping %s sockets: %s",
				       nd_netid_name((unsigned int)p), nd_nl_strerror(e));
		}
	}
	if (unix_) {
		struct nlmsghdr *req = nd_diag_unix_request(nl, states, ext);

		if (!o.summary)
			cs_print_section(&o, true);
		run.user_filter = filter.root != NULL;
		e = nd_nl_dump(nl, req, unix_cb, NULL, &run);
		if (e)
			nd_die(ND_EXIT_ERROR, "dumping unix sockets: %s", nd_nl_strerror(e));
	}
	if (o.summary)
		cs_summary_print(&sum, &o);
	else
		cs_print_end(&o);
	nd_out_finish();
	nd_nl_close(nl);
	nd_proc_free(run.procs);
	return ND_EXIT_OK;
}
