// SPDX-License-Identifier: MIT
/*
 * connstat -E: TCP state changes as they happen.  The records come from BPF (events_bpf.c) or
 * from sampled sock_diag dumps (events_sample.c); here they are completed (TIME-WAIT, which the
 * kernel reports as the full socket going to CLOSE), filtered as the listing filters, and printed
 * as text lines or JSON lines.
 */
#include "events.h"
#include "events_sample.h"
#include "events_tw.h"

#include "addr.h"
#include "cli.h"
#include "connstat.h"
#include "nl.h"
#include "out.h"
#include "services.h"
#include "units.h"

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>

const char *cs_events_build(void)
{
#ifdef ND_HAVE_BPF
	return "BPF build: -E from tp_btf/inet_sock_set_state (sock_diag sampling without root), "
	       "-p from iter/task_file (/proc without root)";
#else
#ifndef ND_BPF_MISSING
#define ND_BPF_MISSING "unknown"
#endif
	return "built without BPF (missing: " ND_BPF_MISSING "): "
	       "-E samples sock_diag, -p reads /proc";
#endif
}

void cs_events_option(struct cs_ev_opts *o, int c, const char *arg)
{
	switch (c) {
	case CS_OPT_EV_COUNT:
		if (nd_parse_u64(arg, 1, UINT64_MAX, &o->count))
			nd_usage_error("bad --count value '%s': want a number of events from 1",
				       arg);
		break;
	case CS_OPT_EV_DURATION:
		if (nd_parse_seconds(arg, 1e7, &o->duration) || o->duration <= 0)
			nd_usage_error("bad --duration value '%s': want seconds above 0", arg);
		break;
	case CS_OPT_EV_INTERVAL:
		if (nd_parse_seconds(arg, 3600, &o->interval) || o->interval < 0.001)
			nd_usage_error("bad --interval value '%s': want seconds from 0.001 to 3600",
				       arg);
		break;
	case CS_OPT_EV_SAMPLE: o->sample = true; break;
	case CS_OPT_EV_ALL_NETNS: o->all_netns = true; break;
	}
}

/* Records read from the ring before they are looked at and printed. */
#define BATCH_MAX 1024

struct ev_run {
	const struct cs_ev_opts *o;
	struct nd_nl *nl;   /* the owners' dump at the start */
	struct cs_evtw *tw; /* TIME-WAIT, from sock_diag (BPF source) */
	struct cs_ev_rec batch[BATCH_MAX];
	size_t nbatch;
	uint32_t netns;      /* ours */
	int64_t real_off_ns; /* CLOCK_REALTIME - CLOCK_MONOTONIC */
	uint64_t printed;
	uint64_t lost_shown;
	bool done;
	struct nd_sock sock; /* the filter's view of a record */
	struct nd_sock_owner owner;
	char comm[CS_EV_COMM_LEN + 1];
};

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Kernel TCP state names as the issue and tcpstates write them: full words, ss's dashes. */
static const char *state_name(unsigned int s)
{
	static const char *const names[] = {
		[ND_SS_ESTABLISHED] = "ESTABLISHED",
		[ND_SS_SYN_SENT] = "SYN-SENT",
		[ND_SS_SYN_RECV] = "SYN-RECV",
		[ND_SS_FIN_WAIT1] = "FIN-WAIT-1",
		[ND_SS_FIN_WAIT2] = "FIN-WAIT-2",
		[ND_SS_TIME_WAIT] = "TIME-WAIT",
		[ND_SS_CLOSE] = "CLOSE",
		[ND_SS_CLOSE_WAIT] = "CLOSE-WAIT",
		[ND_SS_LAST_ACK] = "LAST-ACK",
		[ND_SS_LISTEN] = "LISTEN",
		[ND_SS_CLOSING] = "CLOSING",
		[ND_SS_NEW_SYN_RECV] = "NEW-SYN-RECV",
	};

	return s > 0 && s < ND_SS_MAX ? names[s] : NULL;
}

/* ---- printing ---- */

static void print_header(const struct cs_ev_opts *o)
{
	if (nd_out_json() || o->no_header)
		return;
	nd_out_text("%-12s  %-22s %-23s %-23s %-26s %s\n", "Time", "PID/Program name",
		    "Local Address", "Foreign Address", "Old state -> New state", "ms");
}

static void fmt_time(const struct ev_run *r, uint64_t ts_ns, char *buf, size_t len)
{
	int64_t real = (int64_t)ts_ns + r->real_off_ns;
	time_t sec = (time_t)(real / 1000000000);
	struct tm tm;

	localtime_r(&sec, &tm);
	snprintf(buf, len, "%02d:%02d:%02d.%03d", tm.tm_hour, tm.tm_min, tm.tm_sec,
		 (int)(real % 1000000000 / 1000000));
}

static const char *service(const struct ev_run *r, uint16_t port)
{
	return r->o->numeric || !port ? NULL : nd_service_name(port, "tcp");
}

static void json_endpoint(const char *key, int family, const uint8_t *a, uint16_t port)
{
	char buf[ND_ADDRSTRLEN];

	nd_out_open_object(key);
	nd_out_str(ND_JSON, "address", NULL, nd_addr_fmt(family, a, buf, sizeof(buf)));
	nd_out_uint(ND_JSON, "port", NULL, port);
	nd_out_close_object();
}

static void print_json(const struct ev_run *r, const struct cs_ev_rec *e)
{
	int64_t real = (int64_t)e->ts_ns + r->real_off_ns;

	nd_out_open_object(NULL);
	nd_out_fixed(ND_JSON, "time", NULL, (real + 500) / 1000, 6);
	nd_out_u64(ND_JSON, "cookie", NULL, e->cookie);
	nd_out_str(ND_JSON, "family", NULL, e->family == AF_INET ? "inet" : "inet6");
	json_endpoint("local", e->family, e->laddr, e->lport);
	json_endpoint("peer", e->family, e->paddr, e->pport);
	nd_out_str(ND_JSON, "old_state", NULL, state_name(e->oldstate));
	nd_out_str(ND_JSON, "new_state", NULL, state_name(e->newstate));
	if (e->in_old_ns)
		nd_out_fixed(ND_JSON, "ms_in_old_state", NULL, (int64_t)(e->in_old_ns + 500) / 1000,
			     3);
	else
		nd_out_null(ND_JSON, "ms_in_old_state", NULL);
	if (e->pid) {
		nd_out_open_object("process");
		nd_out_uint(ND_JSON, "pid", NULL, e->pid);
		nd_out_strn(ND_JSON, "comm", NULL, e->comm, strnlen(e->comm, sizeof(e->comm)));
		if (e->flags & CS_EV_OWNER_LISTENER)
			nd_out_bool(ND_JSON, "not_accepted", NULL, true);
		nd_out_close_object();
	} else {
		nd_out_null(ND_JSON, "process", NULL);
	}
	if (r->o->all_netns)
		nd_out_uint(ND_JSON, "netns", NULL, e->netns);
	nd_out_close_object();
}

static void print_text(const struct ev_run *r, const struct cs_ev_rec *e)
{
	char t[32], prog[48], l[ND_ADDRSTRLEN + 48], p[ND_ADDRSTRLEN + 48], tr[40], ms[32];
	const char *os = state_name(e->oldstate), *ns = state_name(e->newstate);

	fmt_time(r, e->ts_ns, t, sizeof(t));
	if (e->pid)
		snprintf(prog, sizeof(prog), "%u/%.*s", e->pid, (int)strnlen(e->comm, 16), e->comm);
	else
		snprintf(prog, sizeof(prog), "-");
	cs_fmt_endpoint(l, sizeof(l), e->family, e->laddr, e->lport, service(r, e->lport), NULL);
	cs_fmt_endpoint(p, sizeof(p), e->family, e->paddr, e->pport, service(r, e->pport), NULL);
	snprintf(tr, sizeof(tr), "%s -> %s", os ? os : "?", ns ? ns : "?");
	if (e->in_old_ns)
		snprintf(ms, sizeof(ms), "%.3f", e->in_old_ns / 1e6);
	else
		snprintf(ms, sizeof(ms), "-");
	nd_out_text("%-12s  %-22s %-23s %-23s %-26s %s\n", t, prog, l, p, tr, ms);
}

static bool wanted(struct ev_run *r, const struct cs_ev_rec *e)
{
	const struct nd_filter *f = r->o->filter;
	struct nd_sock *s = &r->sock;

	if (r->o->family != AF_UNSPEC && e->family != r->o->family)
		return false;
	if (f->states_set && !(f->states & (1u << e->newstate)))
		return false;
	if (!f->root)
		return true;
	s->family = e->family;
	s->netid = ND_TCP;
	s->state = e->newstate;
	s->lport = e->lport;
	s->pport = e->pport;
	s->cookie = e->cookie;
	memcpy(s->laddr, e->laddr, 16);
	memcpy(s->paddr, e->paddr, 16);
	/* pid and comm terms match the change's owner */
	memcpy(r->comm, e->comm, sizeof(e->comm));
	r->owner = (struct nd_sock_owner){ .pid = (int)e->pid, .comm = r->comm };
	s->owners = &r->owner;
	s->nowners = e->pid ? 1 : 0;
	return nd_filter_match(f->root, s);
}

/* Print @e when the filter wants it; returns 1 once --count is reached. */
static int emit(struct ev_run *r, const struct cs_ev_rec *e)
{
	if (r->done)
		return 1;
	if (!wanted(r, e))
		return 0;
	if (r->o->json)
		print_json(r, e);
	else
		print_text(r, e);
	r->printed++;
	if (r->o->count && r->printed >= r->o->count)
		r->done = true;
	return r->done;
}

/* "N events lost": once per increase of the count, as a line of its own (JSON: an object). */
static void report_lost(struct ev_run *r, uint64_t lost)
{
	if (lost <= r->lost_shown)
		return;
	if (nd_out_json()) {
		nd_out_open_object(NULL);
		nd_out_u64(ND_JSON, "lost", NULL, lost - r->lost_shown);
		nd_out_u64(ND_JSON, "lost_total", NULL, lost);
		nd_out_close_object();
	} else {
		nd_out_text("-- %" PRIu64 " events lost (ring buffer full, or program run skipped; "
			    "%" PRIu64 " in all)\n",
			    lost - r->lost_shown, lost);
	}
	r->lost_shown = lost;
}

/* The handlers: the sampler's records are printed as they come; BPF's are batched, so that the
 * TIME-WAIT lookups of a batch go out in one message. */
static int on_sampled(const struct cs_ev_rec *e, void *data)
{
	return stop_signal ? 1 : emit(data, e);
}

static int on_timewait(const struct cs_ev_rec *e, void *data)
{
	return emit(data, e);
}

static void flush_batch(struct ev_run *r)
{
	if (!r->nbatch)
		return;
	if (r->tw)
		cs_evtw_resolve(r->tw, r->batch, r->nbatch);
	for (size_t i = 0; i < r->nbatch && !r->done; i++)
		if (!(r->batch[i].flags & CS_EV_SKIP))
			emit(r, &r->batch[i]);
	r->nbatch = 0;
}

static int on_record(const struct cs_ev_rec *e, void *data)
{
	struct ev_run *r = data;

	if (r->done)
		return 1;
	r->batch[r->nbatch++] = *e;
	if (r->nbatch == BATCH_MAX)
		flush_batch(r);
	return r->done;
}

/* ---- the two sources ---- */

static uint32_t our_netns(void)
{
	struct stat st;

	return stat("/proc/self/ns/net", &st) ? 0 : (uint32_t)st.st_ino;
}

struct seed {
	struct cs_evbpf *b;
	struct cs_owners *ow;
	uint32_t netns;
	struct nd_sock s;
};

static int seed_cb(const struct nlmsghdr *nlh, void *data)
{
	struct seed *sd = data;
	struct nd_proc_owner ow;

	if (nd_diag_parse_inet(nlh, IPPROTO_TCP, &sd->s))
		return MNL_CB_OK;
	if (cs_owners_by_cookie(sd->ow, sd->s.cookie, &ow, 1) ||
	    (sd->s.inode && cs_owners_by_inode(sd->ow, sd->s.inode, &ow, 1)))
		cs_evbpf_owner(sd->b, sd->s.cookie, (uint32_t)ow.pid, ow.comm,
			       sd->s.state == ND_SS_LISTEN, sd->netns, sd->s.lport);
	return MNL_CB_OK;
}

/*
 * Tell the program who owns the sockets older than it: sock_diag lists them, -p's owner
 * lookup (a BPF iterator, or /proc) names their processes.  Done before the program is
 * attached, so that no change of theirs comes before their owner is known.
 */
static void seed_owners(struct ev_run *r, struct cs_evbpf *b)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	static struct seed sd;

	sd.b = b;
	sd.netns = r->netns;
	if (cs_owners_open(&sd.ow, CS_OWNERS_AUTO, r->netns, CS_OWNERS_COOKIES))
		return;
	if (!cs_owners_refresh(sd.ow)) {
		for (int i = 0; i < 2; i++) {
			struct nlmsghdr *req = nd_diag_inet_request(
				r->nl, fams[i], IPPROTO_TCP, ND_SS_ALL & ~(1u << ND_SS_TIME_WAIT),
				0, NULL, 0);

			nd_nl_dump(r->nl, req, seed_cb, NULL, &sd);
		}
	}
	cs_owners_close(sd.ow);
}

static int64_t deadline_of(const struct cs_ev_opts *o)
{
	return o->duration > 0 ? nd_now() + (int64_t)(o->duration * 1e9) : INT64_MAX;
}

static void flush_if(struct ev_run *r, uint64_t *seen)
{
	if (r->printed != *seen) {
		nd_out_flush();
		*seen = r->printed;
	}
}

static int run_bpf(struct ev_run *r, struct cs_evbpf *b)
{
	int64_t deadline = deadline_of(r->o), step = (int64_t)(r->o->interval * 1e9);
	uint64_t seen = 0;
	int e = 0;

	while (!r->done && !stop_signal) {
		int64_t now = nd_now(), wait_ms;

		if (now >= deadline)
			break;
		wait_ms = (deadline - now) / 1000000;
		/* batched wake-ups: look at least every 50 ms for what came without one */
		if (wait_ms > 50)
			wait_ms = 50;
		e = cs_evbpf_poll(b, (int)wait_ms);
		if (e < 0)
			break;
		flush_batch(r);
		report_lost(r, cs_evbpf_lost(b));
		if (r->tw)
			cs_evtw_tick(r->tw, nd_now(), step);
		flush_if(r, &seen);
	}
	/* what the kernel queued before the end (or the signal) still counts */
	if (!r->done)
		cs_evbpf_poll(b, 0);
	flush_batch(r);
	if (r->tw && !r->done)
		cs_evtw_settle(r->tw);
	report_lost(r, cs_evbpf_lost(b));
	return e < 0 ? e : 0;
}

static int run_sample(struct ev_run *r, const char *why)
{
	struct cs_evsample *s;
	int64_t deadline = deadline_of(r->o), step = (int64_t)(r->o->interval * 1e9), next;
	uint64_t seen = 0;
	int e;

	e = cs_evsample_open(&s, r->o->family, on_sampled, r);
	if (e)
		return e;
	nd_err("sampling sock_diag every %g ms%s (%s): changes shorter than that can be missed",
	       r->o->interval * 1000, cs_evsample_listening(s) ? " and its destroy notices" : "",
	       why);
	next = nd_now();
	while (!r->done && !stop_signal && nd_now() < deadline) {
		e = cs_evsample_tick(s);
		if (e < 0)
			break;
		flush_if(r, &seen);
		next += step;
		if (next > deadline)
			next = deadline;
		e = cs_evsample_wait(s, next);
		if (e < 0)
			break;
		flush_if(r, &seen);
	}
	cs_evsample_close(s);
	return e < 0 ? e : 0;
}

int cs_events_main(struct cs_opts *o, const struct nd_filter *f)
{
	struct cs_ev_opts *eo = &o->ev;

	if (o->udp || o->raw || o->unix_)
		nd_usage_error("-E shows TCP state changes only: -u, -w and -x do not go with it");
	if (o->listen || o->summary || o->continuous || o->info || o->mem || o->timers)
		nd_usage_error("-E goes with -t -4 -6 -n -p -H -N --json and filters only");
	if (f->family == AF_UNIX)
		nd_usage_error("-E shows TCP state changes only: not unix: filters");
	for (int i = 0; i < f->nnodes; i++)
		if (f->nodes[i].type == ND_F_UID)
			nd_usage_error(
				"filter: uid terms are for listings: -E does not know a change's uid");
	eo->family = f->family != AF_UNSPEC ? f->family : o->family;
	eo->numeric = o->numeric;
	eo->no_header = o->no_header;
	eo->json = o->json;
	eo->filter = f;
	if (eo->interval <= 0)
		eo->interval = 0.1;
	return cs_events_run(eo);
}

/*
 * Load the program, name the older sockets' owners, attach: the BPF source ready to read, or
 * NULL with *@why saying why not (then connstat samples).
 */
static struct cs_evbpf *open_bpf(struct ev_run *r, const char **why)
{
	struct cs_evbpf *b;
	int e = cs_evbpf_open(&b, r->o->all_netns ? 0 : r->netns, on_record, r);

	if (e) {
		*why = e == -EOPNOTSUPP              ? "this connstat was built without BPF"
		       : e == -EPERM || e == -EACCES ? "loading BPF needs root"
						     : "BPF did not load";
		if (e != -EOPNOTSUPP && e != -EPERM && e != -EACCES && getenv("CONNSTAT_BPF_DEBUG"))
			nd_err("BPF: %s", strerror(-e));
		return NULL;
	}
	/* loaded, not attached yet: the older sockets are named before any change is seen */
	seed_owners(r, b);
	e = cs_evbpf_attach(b);
	if (e) {
		*why = "BPF did not attach";
		if (getenv("CONNSTAT_BPF_DEBUG"))
			nd_err("BPF attach: %s", strerror(-e));
		cs_evbpf_close(b);
		return NULL;
	}
	/* without it, closing sockets show as going to CLOSE, not TIME-WAIT */
	if (cs_evtw_open(&r->tw, r->netns, on_timewait, r))
		nd_err("cannot follow TIME-WAIT through sock_diag: closes show as -> CLOSE");
	return b;
}

int cs_events_run(const struct cs_ev_opts *o)
{
	static struct ev_run r;
	struct cs_evbpf *b = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	struct timespec mono, real;
	const char *why = "asked for with --sample";
	int e;

	r.o = o;
	r.netns = our_netns();
	clock_gettime(CLOCK_MONOTONIC, &mono);
	clock_gettime(CLOCK_REALTIME, &real);
	r.real_off_ns = nd_ts_ns(&real) - nd_ts_ns(&mono);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	nd_out_init(stdout, o->json);

	e = nd_nl_open(&r.nl, NETLINK_SOCK_DIAG);
	if (e)
		nd_die(ND_EXIT_ERROR, "opening sock_diag socket: %s", nd_nl_strerror(e));
	if (!o->sample)
		b = open_bpf(&r, &why);
	if (!b && o->all_netns)
		nd_usage_error("--all-netns needs the BPF events (%s)", why);
	print_header(o);
	if (b) {
		e = run_bpf(&r, b);
		cs_evbpf_close(b);
	} else {
		e = run_sample(&r, why);
	}
	nd_out_finish();
	cs_evtw_close(r.tw);
	nd_nl_close(r.nl);
	if (e)
		nd_die(ND_EXIT_ERROR, "events: %s", nd_nl_strerror(e));
	return ND_EXIT_OK;
}
