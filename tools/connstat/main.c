// SPDX-License-Identifier: MIT
/* connstat: sockets (TCP/UDP/RAW/UNIX) from netlink sock_diag, netstat's columns, ss's filters. */
#include "connstat.h"
#include "array.h"
#include "events.h"

#include "cli.h"
#include "netns.h"
#include "nl.h"
#include "out.h"
#include "sysctl.h"

#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
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
	"  -H               no header lines (as ss -H)\n"
	"  -N, --netns NAME the sockets of network namespace NAME (as ss -N)\n"
	"  -c, --continuous[=SECS]  the listing again every SECS seconds (default 1), as netstat -c\n"
	"      --owners=SRC where -p looks: auto (a BPF iterator when root, else /proc), bpf, proc\n"
	"  -E, --events     TCP state changes as they happen (BPF when root, else sampling)\n"
	"      --count N    with -E: stop after N events\n"
	"      --duration SECS  with -E: stop after SECS seconds\n"
	"      --interval SECS  with -E: sampling interval without BPF (default 0.1)\n"
	"      --sample     with -E: sample sock_diag even where BPF would load\n"
	"      --all-netns  with -E: every network namespace, not only connstat's own\n"
	"      --json       JSON output\n"
	"      --help       this text\n"
	"      --version    version\n"
	"\n"
	"FILTER: sport|dport [= != < > <= >=] [:]PORT, src|dst ADDR[/PREFIX][:PORT], autobound,\n"
	"        uid N|USER, pid N, comm NAME (owners, as lsof -a -u/-p/-c),\n"
	"        combined with and, or, not and ( ); states: established syn-sent syn-recv\n"
	"        fin-wait-1 fin-wait-2 time-wait close close-wait last-ack listening closing\n"
	"        connected synchronized all.\n";

enum { OPT_CONTINUOUS = ND_OPT_TOOL_BASE };
enum { OPT_OWNERS = ND_OPT_TOOL_BASE + 0x20 };

static enum cs_owners_src owners_src(const char *arg)
{
	static const char *const names[] = {
		[CS_OWNERS_AUTO] = "auto", [CS_OWNERS_BPF] = "bpf", [CS_OWNERS_PROC] = "proc"
	};

	for (size_t i = 0; i < ND_ARRAY_SIZE(names); i++)
		if (strcmp(arg, names[i]) == 0)
			return (enum cs_owners_src)i;
	nd_usage_error("bad --owners value '%s': want auto, bpf or proc", arg);
}

/* Whether @s reads as a number (a -c interval), not as a filter word. */
static bool numeric_arg(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	return (*s >= '0' && *s <= '9') || *s == '.';
}

static void set_interval(struct cs_opts *o, const char *arg)
{
	o->continuous = true;
	if (arg && (nd_parse_seconds(arg, 86400, &o->interval) || o->interval < 0.01))
		nd_usage_error("bad -c value '%s': want seconds from 0.01 to 86400", arg);
}

/*
 * -c takes its interval as netstat's trailing delay does, in the next word ("-c 2"), or joined
 * ("-c2", "-tanc2", "--continuous=2").  getopt cannot take an optional argument from the next
 * word, so the interval is taken out of argv here, before getopt and the filter parser see it.
 * @optstring is getopt's: the argument of an option that takes one ("-Nc") is not a -c.
 */
static int take_interval(int argc, char *argv[], const char *optstring, struct cs_opts *o)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		char *a = argv[i], *c;
		bool last = false;

		if (a[0] != '-' || !a[1])
			continue;
		if (a[1] == '-') {
			last = strcmp(a, "--continuous") == 0;
		} else {
			for (c = a + 1; *c && *c != 'c'; c++) {
				const char *d = *c == ':' ? NULL : strchr(optstring, *c);

				/* its argument: the rest of the word, or the next word */
				if (d && d[1] == ':') {
					i += !c[1];
					break;
				}
			}
			if (*c != 'c')
				continue;
			if (c[1] && numeric_arg(c + 1)) { /* joined: the rest of the cluster */
				set_interval(o, c + 1);
				c[1] = '\0';
				continue;
			}
			last = !c[1];
		}
		if (last && i + 1 < argc && numeric_arg(argv[i + 1])) {
			set_interval(o, argv[i + 1]);
			memmove(&argv[i + 1], &argv[i + 2], (size_t)(argc - i - 2) * sizeof(*argv));
			argv[--argc] = NULL;
		}
	}
	return argc;
}

static int parse_options(int argc, char *argv[], struct cs_opts *o)
{
	/* clang-format off */
	static const struct option longopts[] = {
		{ "continuous", optional_argument, NULL, OPT_CONTINUOUS },
		{ "owners", required_argument, NULL, OPT_OWNERS }, CS_EV_LONG_OPTIONS,
		{ "netns", required_argument, NULL, 'N' },
		ND_CLI_LONG_OPTIONS, { 0 }
	};
	/* clang-format on */
	static const char optstring[] = ":tuwx46lanrpeoimscEHN:" ND_CLI_SHORT_OPTIONS;
	struct nd_cli cli;
	int c;

	nd_cli_init(&cli, "connstat", usage);
	argc = take_interval(argc, argv, optstring, o);
	while ((c = getopt_long(argc, argv, optstring, longopts, NULL)) != -1) {
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
		case 'H': o->no_header = true; break;
		case 'N':
			if (!nd_netns_valid_name(optarg))
				nd_usage_error("bad -N value '%s': want a name from ip netns list",
					       optarg);
			o->netns = optarg;
			break;
		case 'c': o->continuous = true; break;
		case OPT_CONTINUOUS: set_interval(o, optarg); break;
		case OPT_OWNERS: o->owners = owners_src(optarg); break;
		case 'E': o->events = true; break;
		case CS_OPT_EV_COUNT:
		case CS_OPT_EV_DURATION:
		case CS_OPT_EV_INTERVAL:
		case CS_OPT_EV_SAMPLE:
		case CS_OPT_EV_ALL_NETNS: cs_events_option(&o->ev, c, optarg); break;
		case 'V':
		case ND_OPT_VERSION: /* which build this is: with BPF or without */
			printf("connstat (netdiag) %s\n%s\n", ND_VERSION, cs_events_build());
			exit(ND_EXIT_OK);
		default: nd_cli_common(&cli, c, argv);
		}
	}
	o->json = cli.json;
	if (o->events && o->continuous)
		nd_usage_error("-c and -E do not go together: -E streams already");
	if (o->events && !o->udp && !o->raw && !o->unix_)
		o->tcp = true; /* -E is TCP's */
	if (!o->tcp && !o->udp && !o->raw && !o->unix_) {
		o->tcp = o->udp = o->raw = true;
		o->unix_ = o->family == AF_UNSPEC;
	}
	return argc;
}

/* The kernel state mask: an explicit state list wins over -a / -l / the default. */
static uint32_t states_of(const struct cs_opts *o, const struct nd_filter *f)
{
	uint32_t m;

	if (f->states_set)
		m = f->states;
	else if (o->all || o->summary)
		m = ND_SS_ALL;
	else if (o->listen)
		m = (1u << ND_SS_LISTEN) | (1u << ND_SS_CLOSE);
	else
		m = ND_SS_CONNECTED;
	/* request sockets are TCP_NEW_SYN_RECV in the kernel and SYN-RECV to the user */
	if (m & (1u << ND_SS_SYN_RECV))
		m |= 1u << ND_SS_NEW_SYN_RECV;
	return m;
}

/*
 * "autobound" as ss means it: the kernel's bytecode asks whether the port was bound explicitly,
 * the expression run again here whether the port lies in ip_local_port_range.  Returns whether
 * the expression holds an "autobound" (and so must run here too).
 */
static bool set_local_ports(struct nd_filter *f)
{
	int64_t r[2];

	if (nd_sysctl_read("net.ipv4.ip_local_port_range", r, 2) != 2 || r[0] < 0 || r[1] > 65535)
		r[0] = 0, r[1] = 65535;
	return nd_filter_set_local_ports(f, (uint16_t)r[0], (uint16_t)r[1]);
}

/*
 * The expression's pid/comm terms match the processes holding the socket: attach them from the
 * owner map (the same one -p prints from) before it runs.
 */
static void attach_owners(struct cs_run *r)
{
	static struct nd_proc_owner ow[256];
	static struct nd_sock_owner so[256];
	size_t n = r->procs ? nd_proc_lookup(r->procs, r->sock.inode, ow, 256) : 0;

	if (n > 256)
		n = 256;
	for (size_t i = 0; i < n; i++)
		so[i] = (struct nd_sock_owner){ .pid = (int)ow[i].pid, .comm = ow[i].comm };
	r->sock.owners = so;
	r->sock.nowners = n;
}

/*
 * Whether the expression must run here for a dump: when there is one, unless the kernel ran all
 * of it (bytecode went with the request and holds no "autobound").
 */
static bool filter_here(const struct nd_filter *f, bool kernel_ran)
{
	return f->root != NULL && !kernel_ran;
}

static void handle(struct cs_run *r)
{
	if (r->user_filter && r->owner_terms)
		attach_owners(r);
	if (r->user_filter && !nd_filter_match(r->f->root, &r->sock))
		return;
	if (r->sum) {
		cs_summary_add(r->sum, &r->sock);
		return;
	}
	cs_print_sock(r, &r->sock);
}

static void raw_cb(struct nd_sock *s, void *data)
{
	struct cs_run *r = data;

	(void)s;
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

/* What each listing asks the kernel for, worked out once from the options and the filter. */
struct plan {
	bool want[ND_RAW + 1]; /* by enum nd_netid: ND_TCP, ND_UDP, ND_RAW */
	bool inet, unix_;
	uint32_t states;
	unsigned int ext;
	bool autobound; /* the expression says "autobound": it runs here after the kernel too */
	uint8_t bc[ND_DIAG_BC_MAX];
	ssize_t bclen;
};

static void make_plan(struct cs_opts *o, struct nd_filter *filter, struct plan *pl)
{
	pl->want[ND_TCP] = o->tcp;
	pl->want[ND_UDP] = o->udp;
	pl->want[ND_RAW] = o->raw;
	pl->unix_ = o->unix_;
	/* an inet:/inet6:/unix: prefix in the expression narrows the families, as in ss */
	if (filter->family == AF_UNIX)
		pl->want[ND_TCP] = pl->want[ND_UDP] = pl->want[ND_RAW] = false;
	else if (filter->family == AF_INET || filter->family == AF_INET6)
		o->family = filter->family, pl->unix_ = false;
	pl->inet = pl->want[ND_TCP] || pl->want[ND_UDP] || pl->want[ND_RAW];
	pl->autobound = set_local_ports(filter);
	pl->states = states_of(o, filter);
	pl->bclen = 0;
	if (filter->root && pl->inet) {
		pl->bclen = nd_filter_compile(filter->root, pl->bc, sizeof(pl->bc));
		if (pl->bclen == -EOPNOTSUPP) /* a unix: condition: run it here */
			pl->bclen = 0;
		else if (pl->bclen < 0)
			nd_usage_error(
				"filter: expression too long: its inet_diag bytecode is over "
				"the %d bytes the kernel takes in one request",
				ND_DIAG_BC_MAX);
	}
	pl->ext = 0;
	if (o->info && !o->summary)
		pl->ext |= ND_DIAG_INFO;
	if (o->mem && !o->summary)
		pl->ext |= ND_DIAG_SKMEM;
}

/*
 * -p: a snapshot of the owners before each listing.  Like netstat, say once that another
 * user's processes could not be looked into, rather than show their sockets without owners.
 */
static void refresh_owners(struct cs_run *run)
{
	static bool warned;
	int e = cs_owners_refresh(run->owners);

	if (e)
		nd_die(ND_EXIT_ERROR, "finding socket owners (%s): %s",
		       cs_owners_src_name(run->owners), strerror(-e));
	run->procs = cs_owners_map(run->owners);
	if (cs_owners_denied(run->owners) && !warned) {
		nd_err("not all processes could be identified: other users' sockets show no owner "
		       "(that needs root)");
		warned = true;
	}
}

/*
 * -p: where owners come from; --owners=bpf that cannot load is an error, auto falls back.
 * Every namespace's sockets are kept: only this one's are looked up, and reading each socket's
 * namespace in the iterator would cost more than keeping the others.
 */
static void open_owners(struct cs_run *run)
{
	int e = cs_owners_open(&run->owners, run->o->owners, 0, 0);

	if (e == -EOPNOTSUPP)
		nd_die(ND_EXIT_ERROR, "--owners=bpf: this connstat was built without BPF");
	if (e == -EXDEV)
		nd_die(ND_EXIT_ERROR, "--owners=bpf: pids would not match this pid namespace's");
	if (e)
		nd_die(ND_EXIT_ERROR, "--owners=bpf: loading the task_file iterator: %s",
		       strerror(-e));
}

/*
 * One whole listing (or summary), printed as the kernel's messages arrive; with -p the owners
 * are looked up afresh first.  Any failure ends the program.
 */
static void list_once(struct nd_nl *nl, struct cs_run *run, const struct plan *pl)
{
	/* the inet netids and their protocols */
	static const struct {
		enum nd_netid id;
		int proto;
	} inet[] = { { ND_TCP, IPPROTO_TCP }, { ND_UDP, IPPROTO_UDP }, { ND_RAW, IPPROTO_RAW } };
	const struct cs_opts *o = run->o;
	const struct nd_filter *filter = run->f;
	int e;

	if (run->owners)
		refresh_owners(run);
	if (run->sum)
		memset(run->sum, 0, sizeof(*run->sum));
	if (!o->summary)
		cs_print_begin(o);
	/* a filter that leaves no family ("-t src unix:...") still gets a header, as in ss */
	if ((pl->inet || !pl->unix_) && !o->summary)
		cs_print_section(o, false);
	for (size_t p = 0; p < ND_ARRAY_SIZE(inet); p++) {
		static const int fams[] = { AF_INET, AF_INET6 };

		if (!pl->want[inet[p].id])
			continue;
		run->protocol = inet[p].proto;
		for (int fi = 0; fi < 2; fi++) {
			struct nlmsghdr *req;

			if (o->family != AF_UNSPEC && o->family != fams[fi])
				continue;
			req = nd_diag_inet_request(nl, fams[fi], inet[p].proto, pl->states, pl->ext,
						   pl->bc, (size_t)pl->bclen);
			if (!req)
				nd_die(ND_EXIT_ERROR, "filter: expression too long");
			run->user_filter = filter_here(filter, pl->bclen > 0 && !pl->autobound);
			e = nd_nl_dump(nl, req, inet_cb, NULL, run);
			/* no raw_diag in this kernel: read what /proc/net/raw lists, as ss does */
			if (e == -ENOENT && inet[p].id == ND_RAW) {
				run->user_filter = filter_here(filter, false);
				e = cs_raw_dump(fams[fi], pl->states, raw_cb, run, &run->sock);
			}
			if (e)
				nd_die(ND_EXIT_ERROR, "dumping %s sockets: %s",
				       nd_netid_name(inet[p].id), nd_nl_strerror(e));
		}
	}
	if (pl->unix_) {
		struct nlmsghdr *req = nd_diag_unix_request(nl, pl->states, pl->ext);

		if (!o->summary)
			cs_print_section(o, true);
		run->user_filter = filter_here(filter, false);
		e = nd_nl_dump(nl, req, unix_cb, NULL, run);
		if (e)
			nd_die(ND_EXIT_ERROR, "dumping unix sockets: %s", nd_nl_strerror(e));
	}
	if (o->summary)
		cs_summary_print(run->sum, o);
	else
		cs_print_end(o);
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/*
 * -c: a listing every @secs seconds until SIGINT or SIGTERM, which end it cleanly between two
 * listings.  SA_RESTART keeps a dump in progress going; the sleep ends at once (clock_nanosleep
 * is never restarted).
 */
static void list_continuously(struct nd_nl *nl, struct cs_run *run, const struct plan *pl,
			      double secs)
{
	struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
	int64_t step = llround(secs * 1e9);
	struct timespec next, now;

	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	clock_gettime(CLOCK_MONOTONIC, &next);
	while (!stop) {
		list_once(nl, run, pl);
		nd_out_flush();
		next.tv_sec += step / 1000000000;
		next.tv_nsec += step % 1000000000;
		if (next.tv_nsec >= 1000000000)
			next.tv_sec++, next.tv_nsec -= 1000000000;
		/* a listing longer than the interval: the next starts now, without catching up */
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > next.tv_sec ||
		    (now.tv_sec == next.tv_sec && now.tv_nsec > next.tv_nsec))
			next = now;
		while (!stop &&
		       clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR)
			;
	}
}

int main(int argc, char *argv[])
{
	static struct cs_run run;
	static struct nd_filter filter;
	static struct plan plan;
	static struct cs_summary sum;
	struct cs_opts o = { .interval = 1 };
	struct nd_nl *nl;
	char err[256];
	int e;

	/* options */
	nd_cli_json_asked(argc, argv);
	argc = parse_options(argc, argv, &o);
	/* the namespace before anything reads the network: sockets, sysctls, /proc/net, names */
	if (o.netns) {
		e = nd_netns_enter(o.netns);
		if (e)
			nd_die(ND_EXIT_ERROR, "netns %s: %s", o.netns,
			       e == -ENOENT ? "no such namespace (see ip netns list)"
					    : strerror(-e));
	}
	if (nd_filter_parse(argc - optind, argv + optind, o.family, &nd_filter_names_system,
			    &filter, err, sizeof(err)))
		nd_usage_error("%s", err);
	if (o.events) { /* -E: another loop, the same filters */
		set_local_ports(&filter);
		return cs_events_main(&o, &filter);
	}
	make_plan(&o, &filter, &plan);
	nd_out_init(stdout, o.json);

	/* open */
	run.o = &o;
	run.f = &filter;
	run.sum = o.summary ? &sum : NULL;
	/* the owner map serves -p and the expression's pid/comm terms */
	run.owner_terms = nd_filter_has_owner(&filter);
	if ((o.procs && !o.summary) || run.owner_terms)
		open_owners(&run);
	e = nd_nl_open(&nl, NETLINK_SOCK_DIAG);
	if (e)
		nd_die(ND_EXIT_ERROR, "opening sock_diag socket: %s", nd_nl_strerror(e));

	/* loop -> print: every socket is printed as its message arrives */
	if (o.continuous)
		list_continuously(nl, &run, &plan, o.interval);
	else
		list_once(nl, &run, &plan);
	nd_out_finish();
	nd_nl_close(nl);
	cs_owners_close(run.owners);
	return ND_EXIT_OK;
}
