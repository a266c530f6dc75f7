// SPDX-License-Identifier: MIT
/*
 * ifinfo - interfaces, addresses and counters from one rtnetlink link dump and one address
 * dump: ifconfig-style text, an `ifconfig -s` table, `ip -j -s addr` JSON, or live rates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "cli.h"
#include "ifdb.h"
#include "link.h"
#include "netns.h"
#include "nl.h"
#include "out.h"
#include "show.h"
#include "watch.h"

static const char usage[] =
	"Usage: ifinfo [OPTION]... [INTERFACE]\n"
	"Show network interfaces, their addresses and counters (one rtnetlink dump).\n"
	"\n"
	"  -a, --all             also interfaces that are down\n"
	"  -s, --short           one line per interface, like ifconfig -s / netstat -i\n"
	"  -4, --inet            only IPv4 addresses\n"
	"  -6, --inet6           only IPv6 addresses\n"
	"  -w, --watch[=SECS]    rx/tx rates every SECS seconds (default 1) until Ctrl-C\n"
	"  -c, --count N         stop --watch after N intervals (implies --watch)\n"
	"      --netns NAME      in the network namespace NAME (as ip -n NAME / ip netns exec)\n"
	"      --json            JSON: `ip -j -s addr` objects; with --watch one object per line\n"
	"      --help            this text\n"
	"      --version         version\n"
	"\n"
	"Exit status: 0 ok, 2 bad input (unknown interface or option) or a system error.\n";

enum { OPT_WATCH = ND_OPT_TOOL_BASE, OPT_NETNS };

static const struct option longopts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "short", no_argument, NULL, 's' },
	{ "inet", no_argument, NULL, '4' },
	{ "inet6", no_argument, NULL, '6' },
	{ "watch", optional_argument, NULL, 'w' },
	{ "count", required_argument, NULL, 'c' },
	{ "netns", required_argument, NULL, OPT_NETNS },
	ND_CLI_LONG_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

/* The command line: what is shown, and how --watch samples (when -w or -c asked for it). */
struct opts {
	struct ifshow_opts show;   /* -a, -4 / -6, the interface */
	struct ifwatch_opts watch; /* -w SECS, -c N */
	const char *netns;         /* --netns NAME */
	bool short_table;          /* -s */
	bool watching;             /* -w or -c */
};

static void parse_options(int argc, char *argv[], struct nd_cli *cli, struct opts *o)
{
	int opt;

	o->watch.interval = 1.0;
	o->show.family = AF_UNSPEC;
	while ((opt = getopt_long(argc, argv, ":as46w::c:" ND_CLI_SHORT_OPTIONS, longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'a': o->show.all = true; break;
		case 's': o->short_table = true; break;
		case '4': o->show.family = AF_INET; break;
		case '6': o->show.family = AF_INET6; break;
		case 'w':
			o->watching = true;
			if (optarg && (nd_parse_seconds(optarg, 86400, &o->watch.interval) ||
				       o->watch.interval < 0.01))
				nd_usage_error(
					"bad --watch value '%s': want seconds from 0.01 to 86400",
					optarg);
			break;
		case 'c':
			o->watching = true;
			if (nd_parse_u64(optarg, 1, 1000000000, &o->watch.count))
				nd_usage_error("bad --count value '%s': want a whole number from 1",
					       optarg);
			break;
		case OPT_NETNS:
			if (!nd_netns_valid_name(optarg))
				nd_usage_error(
					"bad --netns value '%s': want a name from ip netns list",
					optarg);
			o->netns = optarg;
			break;
		default: nd_cli_common(cli, opt, argv);
		}
	}
	if (optind < argc)
		o->show.name = argv[optind++];
	if (optind < argc)
		nd_usage_error("unexpected argument '%s': give at most one interface (try --help)",
			       argv[optind]);
}

/*
 * @show names no link: look for an IPv4 address labelled so, as ifconfig takes "eth0:sec";
 * then show that label's addresses on its link.  Neither: no such interface (exit 2).
 */
static void find_label(struct nd_nl *nl, struct ifdb *db, struct ifshow_opts *show)
{
	int err;

	if (strchr(show->name, ':')) {
		err = ifdb_dump_addrs(nl, db, AF_INET);
		if (err) {
			ifdb_free(db);
			nd_die(ND_EXIT_ERROR, "address dump: %s", nd_nl_strerror(err));
		}
		for (size_t i = 0; i < db->naddrs; i++) {
			const struct nd_ifaddr *a = &db->addrs[i];
			int pos = ifdb_find(db, a->ifindex);

			if ((a->has & ND_IFA_HAS_LABEL) && strcmp(a->label, show->name) == 0 &&
			    pos >= 0) {
				show->label = show->name;
				show->name = db->links[pos].name;
				return;
			}
		}
	}
	/* the db's copies of aliases live on the heap, its tables in mappings LSan does not scan */
	ifdb_free(db);
	nd_usage_error("%s: no such interface", show->name);
}

int main(int argc, char *argv[])
{
	struct nd_cli cli;
	struct opts o = { 0 };
	struct nd_nl *nl;
	struct ifdb db;
	int err;

	nd_cli_init(&cli, "ifinfo", usage);
	nd_cli_json_asked(argc, argv);
	parse_options(argc, argv, &cli, &o);
	nd_out_init(stdout, cli.json);

	/* the namespace first: every socket after this belongs to it */
	if (o.netns) {
		err = nd_netns_enter(o.netns);
		if (err)
			nd_die(ND_EXIT_ERROR, "netns %s: %s", o.netns,
			       err == -ENOENT ? "no such namespace (see ip netns list)"
					      : strerror(-err));
	}
	err = nd_nl_open(&nl, NETLINK_ROUTE);
	if (err)
		nd_die(ND_EXIT_ERROR, "netlink socket: %s", nd_nl_strerror(err));
	if (o.watching) {
		int rc = ifwatch_run(nl, &o.show, &o.watch);

		nd_nl_close(nl);
		return rc;
	}

	ifdb_init(&db);
	err = ifdb_dump_links(nl, &db);
	if (err) {
		ifdb_free(&db);
		nd_die(ND_EXIT_ERROR, "link dump: %s", nd_nl_strerror(err));
	}
	/* not a link: perhaps an IPv4 label ("eth0:sec"), found in the address dump */
	if (o.show.name && ifdb_find_name(&db, o.show.name) < 0)
		find_label(nl, &db, &o.show);
	/* the short table shows no addresses: no need to ask for them */
	if (!o.short_table && !o.show.label) {
		err = ifdb_dump_addrs(nl, &db, o.show.family);
		if (err) {
			ifdb_free(&db);
			nd_die(ND_EXIT_ERROR, "address dump: %s", nd_nl_strerror(err));
		}
	}
	nd_nl_close(nl);

	if (o.short_table)
		ifshow_short(&db, &o.show);
	else
		ifshow_long(&db, &o.show);
	ifdb_free(&db);
	nd_out_finish();
	return ferror(stdout) ? ND_EXIT_ERROR : ND_EXIT_OK;
}
