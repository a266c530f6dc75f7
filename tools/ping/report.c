// SPDX-License-Identifier: MIT
/* Everything miniping prints: iputils' text lines and the JSON events, from the same calls. */
#include "ping.h"

#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "cli.h"
#include "out.h"

const char *ping_addr_name(struct ping *p, const struct sockaddr *sa, char *buf, size_t len)
{
	static struct sockaddr_storage last;
	static char last_str[NI_MAXHOST + ND_ADDRSTRLEN + 4];
	char a[ND_ADDRSTRLEN], name[NI_MAXHOST] = "";
	socklen_t salen = nd_sockaddr_len(sa->sa_family);

	if (!memcmp(&last, sa, salen)) {
		snprintf(buf, len, "%s", last_str);
		return buf;
	}
	nd_sockaddr_fmt(sa, a, sizeof(a));
	if (!p->numeric && !(p->exiting && *p->exiting) &&
	    getnameinfo(sa, salen, name, sizeof(name), NULL, 0, NI_NAMEREQD) == 0)
		snprintf(last_str, sizeof(last_str), "%s (%s)", name, a);
	else
		snprintf(last_str, sizeof(last_str), "%s", a);
	memcpy(&last, sa, salen);
	snprintf(buf, len, "%s", last_str);
	return buf;
}

/* -D: "[1700000000.123456] " before a line; "time" in JSON events always. */
static void stamp(struct ping *p)
{
	struct timeval tv;

	if (!p->o->timestamps && !nd_out_json())
		return;
	gettimeofday(&tv, NULL);
	if (nd_out_json())
		nd_out_double(ND_JSON, "timestamp", NULL,
			      (double)tv.tv_sec + (double)tv.tv_usec / 1e6, 6);
	else
		nd_out_text("[%lu.%06lu] ", (unsigned long)tv.tv_sec, (unsigned long)tv.tv_usec);
}

static void event(const char *name)
{
	nd_out_open_object(NULL);
	nd_out_str(ND_JSON, "event", NULL, name);
}

void ping_report_header(struct ping *p)
{
	char src[ND_ADDRSTRLEN];
	bool from = p->o->iface != NULL;
	bool v6 = p->sk.family == AF_INET6;

	nd_sockaddr_fmt((struct sockaddr *)&p->src, src, sizeof(src));
	event("start");
	nd_out_str(ND_ANY, "host", v6 ? "PING %s" : "PING %s ", p->host);
	if (v6 && !p->numeric) {
		char name[NI_MAXHOST + ND_ADDRSTRLEN + 4];

		/* iputils' IPv6 header names the target as its replies do: "name (addr)" */
		ping_addr_name(p, (struct sockaddr *)&p->dst, name, sizeof(name));
		nd_out_text("(%s) ", name);
		nd_out_str(ND_JSON, "addr", NULL, p->dst_str);
	} else {
		nd_out_str(ND_ANY, "addr", "(%s) ", p->dst_str);
	}
	if (from) {
		nd_out_str(ND_ANY, "source", "from %s ", src);
		if (p->bound_addr)
			nd_out_text(": "); /* iputils: "from ADDR : ", no device */
		else
			nd_out_str(ND_ANY, "interface", "%s: ", p->o->iface);
	} else {
		nd_out_str(ND_JSON, "source", NULL, src);
	}
	nd_out_str(ND_JSON, "socket", NULL, p->sk.raw ? "raw" : "dgram");
	nd_out_uint(ND_JSON, "ident", NULL, p->ident);
	if (v6) {
		nd_out_s64(ND_ANY, "data_bytes", "%" PRId64 " data bytes\n", p->o->datalen);
	} else {
		nd_out_s64(ND_ANY, "data_bytes", "%" PRId64, p->o->datalen);
		nd_out_s64(ND_ANY, "packet_bytes", "(%" PRId64 ") bytes of data.\n",
			   p->o->datalen + 28);
	}
	nd_out_close_object();
	nd_out_flush();
}

void ping_report_sent(struct ping *p)
{
	if (p->o->flood && !p->o->quiet)
		nd_out_text(".");
}

/* iputils' RTT format: three significant-ish digits, rounding as it does. */
static void text_time(int64_t t)
{
	if (t >= 100000 - 50)
		nd_out_text(" time=%" PRId64 " ms", (t + 500) / 1000);
	else if (t >= 10000 - 5)
		nd_out_text(" time=%" PRId64 ".%01" PRId64 " ms", (t + 50) / 1000,
			    ((t + 50) % 1000) / 100);
	else if (t >= 1000)
		nd_out_text(" time=%" PRId64 ".%02" PRId64 " ms", (t + 5) / 1000,
			    ((t + 5) % 1000) / 10);
	else
		nd_out_text(" time=%" PRId64 ".%03" PRId64 " ms", t / 1000, t % 1000);
}

/* What is wrong with a reply that does not count, in text; NULL when it counts. */
static const char *rejected(const struct ping_verdict *v)
{
	if (v->unsent)
		return "never sent: ignored";
	if (v->bad_stamp)
		return "corrupt send time: not counted";
	return NULL;
}

void ping_report_reply(struct ping *p, const struct ping_rx *rx, const struct ping_verdict *v,
		       const uint8_t *data, size_t datalen)
{
	char from[NI_MAXHOST + ND_ADDRSTRLEN + 4];
	const struct ping_opts *o = p->o;
	const char *why = rejected(v);

	if (o->quiet)
		return;
	if (o->flood && !nd_out_json()) {
		/* a reply to nothing we sent took no dot away */
		if (!v->unsent)
			nd_out_text(v->bad_cksum || v->truncated || v->bad_stamp ? "\bC" : "\b \b");
		if (o->audible)
			nd_out_text("\a");
		return;
	}
	ping_addr_name(p, (const struct sockaddr *)&rx->from, from, sizeof(from));
	event("reply");
	stamp(p);
	nd_out_int(ND_ANY, "bytes", "%d bytes", v->bytes);
	nd_out_str(ND_ANY, "from", " from %s:", from);
	nd_out_uint(ND_ANY, "seq", " icmp_seq=%u", v->seq);
	if (o->verbose)
		nd_out_uint(ND_ANY, "ident", " ident=%u", p->ident);
	if (rx->ttl >= 0)
		nd_out_int(ND_ANY, "ttl", " ttl=%d", rx->ttl);
	if (v->unsent)
		nd_out_bool(ND_JSON, "ignored", NULL, true);
	if (v->truncated) {
		nd_out_text(" (truncated)\n");
		nd_out_bool(ND_JSON, "truncated", NULL, true);
		nd_out_close_object();
		return;
	}
	if (v->timed && !why) {
		text_time(v->rtt_us);
		nd_out_double(ND_JSON, "time_ms", NULL, (double)v->rtt_us / 1000.0, 3);
	}
	if (v->dup)
		nd_out_text(" (DUP!)");
	if (v->bad_cksum)
		nd_out_text(" (BAD CHECKSUM!)");
	if (why)
		nd_out_text(" (%s)", why);
	nd_out_bool(ND_JSON, "duplicate", NULL, v->dup);
	if (rx->late)
		nd_out_bool(ND_JSON, "late", NULL, true);
	nd_out_bool(ND_JSON, "corrupted", NULL, v->bad_cksum || v->bad_stamp);
	if (v->bad_stamp)
		nd_out_bool(ND_JSON, "bad_time", NULL, true);
	if (v->bad_byte >= 0) {
		nd_out_text("\nwrong data byte #%d should be 0x%x but was 0x%x", v->bad_byte,
			    p->out[8 + v->bad_byte], data[v->bad_byte]);
		for (size_t i = ND_ICMP_STAMP_LEN; i < datalen && i < (size_t)o->datalen; i++) {
			if (i % 32 == ND_ICMP_STAMP_LEN)
				nd_out_text("\n#%zu\t", i);
			nd_out_text("%x ", data[i]);
		}
		nd_out_int(ND_JSON, "wrong_data_byte", NULL, v->bad_byte);
	}
	if (o->audible)
		nd_out_text("\a");
	nd_out_text("\n");
	nd_out_close_object();
}

void ping_report_error(struct ping *p, const struct sockaddr *from, uint16_t seq, uint8_t type,
		       uint8_t code, uint32_t info)
{
	char name[NI_MAXHOST + ND_ADDRSTRLEN + 4], d[128];

	if (p->o->quiet)
		return;
	if (p->o->flood && !nd_out_json()) {
		nd_out_text("\bE");
		return;
	}
	ping_addr_name(p, from, name, sizeof(name));
	event("error");
	stamp(p);
	nd_out_str(ND_ANY, "from", "From %s", name);
	nd_out_uint(ND_ANY, "seq", " icmp_seq=%u", seq);
	nd_out_uint(ND_JSON, "type", NULL, type);
	nd_out_uint(ND_JSON, "code", NULL, code);
	nd_out_str(ND_ANY, "message", " %s\n",
		   nd_icmp_describe(p->sk.family, type, code, info, d, sizeof(d)));
	nd_out_close_object();
}

void ping_report_local_error(struct ping *p, int err, uint32_t info)
{
	if (p->o->quiet)
		return;
	if (p->o->flood && !nd_out_json()) {
		nd_out_text("E");
		return;
	}
	if (nd_out_json()) {
		event("local_error");
		nd_out_str(ND_JSON, "message", NULL, strerror(err));
		if (err == EMSGSIZE)
			nd_out_uint(ND_JSON, "mtu", NULL, info);
		nd_out_close_object();
		return;
	}
	nd_out_flush();
	if (err == EMSGSIZE)
		nd_err("local error: message too long, mtu: %u", info);
	else
		nd_err("local error: %s", strerror(err));
}

/* -v: an ICMP message that is neither our reply nor an error about our requests. */
void ping_report_other(struct ping *p, const struct ping_rx *rx)
{
	char name[NI_MAXHOST + ND_ADDRSTRLEN + 4], d[128];
	const struct nd_icmp_msg *m = &rx->m;

	ping_addr_name(p, (const struct sockaddr *)&rx->from, name, sizeof(name));
	event("other");
	if (p->o->timestamps && !nd_out_json()) {
		struct timeval tv;

		/* iputils writes this one stamp without the brackets of -D's other lines */
		gettimeofday(&tv, NULL);
		nd_out_text("%lu.%06lu ", (unsigned long)tv.tv_sec, (unsigned long)tv.tv_usec);
	} else {
		stamp(p);
	}
	nd_out_str(ND_ANY, "from", "From %s: ", name);
	nd_out_uint(ND_JSON, "type", NULL, m->type);
	nd_out_uint(ND_JSON, "code", NULL, m->code);
	nd_out_bool(ND_JSON, "corrupted", NULL, !m->cksum_ok);
	if (!m->cksum_ok)
		nd_out_text("(BAD CHECKSUM)\n");
	else
		nd_out_str(ND_ANY, "message", "%s\n",
			   nd_icmp_describe(p->sk.family, m->type, m->code, m->info, d, sizeof(d)));
	nd_out_close_object();
}

void ping_report_outstanding(struct ping *p, long seq)
{
	stamp(p);
	nd_out_text("no answer yet for icmp_seq=%ld\n", seq);
	nd_out_flush();
}

/* JSON only: request number @seq had no reply within -W (or none before miniping stopped). */
void ping_report_timeout(struct ping *p, long seq, int64_t waited_ns)
{
	if (!nd_out_json())
		return;
	event("timeout");
	stamp(p);
	nd_out_int(ND_JSON, "seq", NULL, (int)(seq % 65536));
	nd_out_double(ND_JSON, "waited_ms", NULL, (double)waited_ns / 1e6, 3);
	nd_out_close_object();
}

static double loss_pct(const struct ping *p)
{
	if (!p->ntransmitted)
		return 0;
	return (double)(float)((double)(p->ntransmitted - p->nreceived) * 100.0 /
			       (double)p->ntransmitted);
}

void ping_report_status(struct ping *p)
{
	struct nd_rtt_summary s;
	int loss = p->ntransmitted ? (int)((p->ntransmitted - p->nreceived) * 100 / p->ntransmitted)
				   : 0;
	bool have = nd_stats_summary(&p->stats, &s) == 0 && p->nreceived;

	if (nd_out_json()) {
		event("status");
		nd_out_s64(ND_JSON, "transmitted", NULL, p->ntransmitted);
		nd_out_s64(ND_JSON, "received", NULL, p->nreceived);
		nd_out_int(ND_JSON, "loss_pct", NULL, loss);
		nd_out_close_object();
		nd_out_flush();
		return;
	}
	/* iputils writes the interim statistics to stderr, so stdout stays parseable */
	fprintf(stderr, "\r%ld/%ld packets, %d%% loss", p->nreceived, p->ntransmitted, loss);
	if (have)
		fprintf(stderr,
			", min/avg/ewma/max = %" PRId64 ".%03" PRId64 "/%" PRId64 ".%03" PRId64
			"/%d.%03d/%" PRId64 ".%03" PRId64 " ms",
			s.min_us / 1000, s.min_us % 1000, s.avg_us / 1000, s.avg_us % 1000,
			p->rtt8 / 8000, (p->rtt8 / 8) % 1000, s.max_us / 1000, s.max_us % 1000);
	fputc('\n', stderr);
}

static void ms3(const char *key, const char *sep, int64_t us)
{
	nd_out_double(ND_JSON, key, NULL, (double)us / 1000.0, 3);
	nd_out_text("%" PRId64 ".%03" PRId64 "%s", us / 1000, us % 1000, sep);
}

static int64_t clamp_us(int64_t ns, int64_t min_us, int64_t max_us)
{
	if (ns < min_us * 1000)
		return min_us * 1000;
	if (ns > max_us * 1000)
		return max_us * 1000;
	return ns;
}

int ping_report_summary(struct ping *p)
{
	int64_t elapsed = p->last_send_ns - p->start_ns;
	struct nd_rtt_summary s;
	const char *comma = "";
	bool rtt = p->nreceived && p->timing && nd_stats_summary(&p->stats, &s) == 0;
	long time_ms = p->ntransmitted ? (long)((elapsed + 500000) / 1000000) : 0;

	if (elapsed < 0)
		elapsed = 0;
	nd_out_text("\n");
	nd_out_flush();
	event("summary");
	nd_out_str(ND_ANY, "host", "--- %s ping statistics ---\n", p->host);
	nd_out_s64(ND_ANY, "transmitted", "%" PRId64 " packets transmitted, ", p->ntransmitted);
	nd_out_s64(ND_ANY, "received", "%" PRId64 " received", p->nreceived);
	nd_out_s64(p->nrepeats ? ND_ANY : ND_JSON, "duplicates", ", +%" PRId64 " duplicates",
		   p->nrepeats);
	nd_out_s64(p->nchecksum ? ND_ANY : ND_JSON, "corrupted", ", +%" PRId64 " corrupted",
		   p->nchecksum);
	nd_out_s64(p->nerrors ? ND_ANY : ND_JSON, "errors", ", +%" PRId64 " errors", p->nerrors);
	nd_out_s64(p->nignored ? ND_ANY : ND_JSON, "ignored", ", +%" PRId64 " ignored",
		   p->nignored);
	if (p->ntransmitted) {
		nd_out_double(ND_ANY, "loss_pct", ", %g%% packet loss", loss_pct(p), 3);
		nd_out_s64(ND_ANY, "time_ms", ", time %" PRId64 "ms", time_ms);
	} else {
		nd_out_double(ND_JSON, "loss_pct", NULL, 0, 3);
		nd_out_s64(ND_JSON, "time_ms", NULL, 0);
	}
	nd_out_text("\n");
	if (rtt) {
		int64_t p50, p90, p99;

		nd_out_open_object("rtt");
		nd_out_text("rtt min/avg/max/mdev = ");
		ms3("min", "/", s.min_us);
		ms3("avg", "/", s.avg_us);
		ms3("max", "/", s.max_us);
		ms3("mdev", " ms", s.mdev_us);
		nd_stats_percentile(&p->stats, 50, &p50);
		nd_stats_percentile(&p->stats, 90, &p90);
		nd_stats_percentile(&p->stats, 99, &p99);
		/* min and max print in whole microseconds, as iputils; keep the percentiles between
		 * them as printed (a p99 of 120.7 us must not show 0.121 above a max of 0.120) */
		p50 = clamp_us(p50, s.min_us, s.max_us);
		p90 = clamp_us(p90, s.min_us, s.max_us);
		p99 = clamp_us(p99, s.min_us, s.max_us);
		nd_out_double(ND_JSON, "p50", NULL, (double)p50 / 1e6, 3);
		nd_out_double(ND_JSON, "p90", NULL, (double)p90 / 1e6, 3);
		nd_out_double(ND_JSON, "p99", NULL, (double)p99 / 1e6, 3);
		nd_out_close_object();
		comma = ", ";
		if (p->seq.pipesize > 1) {
			nd_out_text("%spipe %d", comma, p->seq.pipesize);
		}
		if (p->nreceived && (!p->interval_ms || p->o->flood) && p->ntransmitted > 1) {
			long ipg = (long)(elapsed / 1000 / (p->ntransmitted - 1));

			nd_out_text("%sipg/ewma %ld.%03ld/%d.%03d ms", comma, ipg / 1000,
				    ipg % 1000, p->rtt8 / 8000, (p->rtt8 / 8) % 1000);
		}
		nd_out_text("\n");
		/* beyond iputils: one more line, after the lines scripts already parse */
		nd_out_text("rtt p50/p90/p99 = %.3f/%.3f/%.3f ms\n", (double)p50 / 1e6,
			    (double)p90 / 1e6, (double)p99 / 1e6);
	} else {
		nd_out_null(ND_JSON, "rtt", NULL);
		if (p->seq.pipesize > 1)
			nd_out_text("pipe %d", p->seq.pipesize);
		nd_out_text("\n");
	}
	nd_out_int(ND_JSON, "pipe", NULL, p->seq.pipesize);
	nd_out_close_object();
	nd_out_flush();
	if (!p->nreceived || (p->o->deadline_s && p->nreceived < p->o->count))
		return ND_EXIT_NEGATIVE;
	return ND_EXIT_OK;
}
