// SPDX-License-Identifier: MIT
/* The ping loop: send on schedule, take what arrives, count as iputils counts, know when to stop. */
#define _GNU_SOURCE
#include "ping.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "out.h"
#include "units.h"

#define NS            1000000000LL
#define FLOOD_WAIT_NS 10000000LL /* iputils' MININTERVAL: with nothing back, 100 per second */

static struct tmowatch watch;

/* JSON: settle the requests whose reply timeout is over (all of them at exit). */
static void settle(struct ping *p, int64_t now, bool all)
{
	int64_t waited;
	long n;

	if (!p->tmo)
		return;
	while ((n = ping_tmo_due(p->tmo, now, all, &waited))) {
		uint16_t seq = (uint16_t)n;

		if (ping_seq_seen(&p->seq, seq) || ping_tmo_answered(p->tmo, seq))
			continue;
		ping_tmo_fire(p->tmo, seq);
		ping_report_timeout(p, n, waited);
	}
}

static void handle_errq(struct ping *p)
{
	struct ping_errq e;

	while (ping_recv_err(p, &e) == 1) {
		if (e.local) {
			p->nerrors++;
			ping_report_local_error(p, e.ee_errno, e.info);
		} else if (e.ours && ping_seq_was_sent(p->ntransmitted, e.seq)) {
			/* a raw socket gets every error about ICMP to our target: one that quotes a
			 * number never sent answers nothing of ours */
			ping_seq_ack(&p->seq, p->ntransmitted, e.seq);
			if (p->tmo)
				ping_tmo_answer(p->tmo, e.seq);
			p->nerrors++;
			ping_report_error(p, (struct sockaddr *)&e.offender, e.seq, e.type, e.code,
					  e.info);
		}
	}
}

/* First data byte (after the send time) that differs from what we sent, or -1. */
static int bad_byte(const struct ping *p, const uint8_t *data, size_t len)
{
	const uint8_t *want = p->out + ND_ICMP_HDR_LEN;
	size_t n = len < (size_t)p->o->datalen ? len : (size_t)p->o->datalen;

	for (size_t i = ND_ICMP_STAMP_LEN; i < n; i++)
		if (data[i] != want[i])
			return (int)i;
	return -1;
}

/*
 * The round trip, one clock and one rounding: the kernel's receive stamp minus the send stamp the
 * reply carries, truncated to microseconds; text, JSON and the summary all print this one value.
 * False when the stamp is not one we sent (corrupt).
 */
static bool round_trip(const struct ping *p, const struct ping_rx *rx, const struct timespec *sent,
		       int64_t *rtt_us)
{
	int64_t tx_ns, rx_ns = rx->rx_ns;

	if (!ping_seq_stamp_fits(&p->seq, sent, &tx_ns))
		return false;
	if (!rx_ns) {
		struct timespec now;

		clock_gettime(CLOCK_REALTIME, &now);
		rx_ns = nd_ts_ns(&now);
	}
	/* a wall clock stepped back between send and receive: iputils counts 0 too */
	*rtt_us = rx_ns > tx_ns ? (rx_ns - tx_ns) / 1000 : 0;
	return true;
}

/* Judge one echo reply of ours: sent by us?  intact?  its round trip. */
static void judge(struct ping *p, const struct ping_rx *rx, const uint8_t *data,
		  struct ping_verdict *v)
{
	const struct nd_icmp_msg *m = &rx->m;
	struct timespec sent;

	*v = (struct ping_verdict){ .seq = m->seq, .bytes = (int)m->icmp_len, .bad_byte = -1 };
	v->unsent = !ping_seq_was_sent(p->ntransmitted, m->seq);
	v->bad_cksum = !m->cksum_ok;
	v->truncated = m->data_len < (size_t)p->o->datalen;
	if (p->timing && !v->truncated && nd_icmp_echo_time(data, m->data_len, &sent)) {
		v->timed = round_trip(p, rx, &sent, &v->rtt_us);
		v->bad_stamp = !v->timed;
	}
	if (!v->unsent && !v->bad_cksum && !v->truncated && !v->bad_stamp)
		v->bad_byte = bad_byte(p, data, m->data_len);
}

static void handle_reply(struct ping *p, struct ping_rx *rx, const uint8_t *buf, size_t len)
{
	const struct nd_icmp_msg *m = &rx->m;
	struct ping_verdict v;

	if (m->is_error) {
		/* raw IPv4 sees the error packet too; it is counted from the error queue */
		if (m->has_quote && m->quote.has_icmp && m->quote.id == p->ident &&
		    m->quote.type == ND_ICMP_ECHO &&
		    ping_seq_was_sent(p->ntransmitted, m->quote.seq))
			ping_seq_ack(&p->seq, p->ntransmitted, m->quote.seq);
		return;
	}
	if (m->type != (p->sk.family == AF_INET6 ? ND_ICMP6_ECHO_REPLY : ND_ICMP_ECHOREPLY)) {
		/* -v, as iputils: root sees what else arrived (raw IPv4 only: other sockets and
		 * ICMPv6's filter never deliver it); echo requests are never shown */
		if (p->o->verbose && p->privileged && p->sk.raw && p->sk.family == AF_INET &&
		    m->type != ND_ICMP_ECHO)
			ping_report_other(p, rx);
		return;
	}
	if (p->sk.raw && m->id != p->ident)
		return; /* another process's ping (the kernel filter normally spares us this) */
	judge(p, rx, buf + m->data_off, &v);
	/* only intact replies to what was sent count; the rest are reported, never received */
	if (v.unsent) {
		p->nignored++;
	} else if (v.bad_cksum || v.truncated || v.bad_stamp) {
		p->nchecksum++;
	} else {
		ping_seq_ack(&p->seq, p->ntransmitted, m->seq);
		if (v.timed) {
			nd_stats_add(&p->stats, v.rtt_us * 1000, v.rtt_us);
			if (!p->rtt8)
				p->rtt8 = (int)(v.rtt_us * 8);
			else
				p->rtt8 += (int)v.rtt_us - p->rtt8 / 8;
		}
		if (ping_seq_mark(&p->seq, m->seq))
			p->nrepeats++, v.dup = true;
		else
			p->nreceived++;
	}
	rx->late = p->tmo && !v.unsent && ping_tmo_fired(p->tmo, m->seq);
	if (p->o->explain && !p->explained_reply && !v.bad_cksum && !v.unsent) {
		p->explained_reply = true;
		explain_reply(p, buf, len, rx);
	}
	ping_report_reply(p, rx, &v, buf + m->data_off, m->data_len);
}

/* Take everything queued; stop early when nothing is in flight so a flood sends at once. */
static int drain(struct ping *p, bool err_pending)
{
	struct ping_rx rx;
	const uint8_t *buf;
	size_t len;
	int got = 0;

	if (err_pending)
		handle_errq(p);
	for (;;) {
		int r = ping_recv(p, &rx, &buf, &len);

		if (r == 0)
			break;
		if (r < 0) {
			if (r == -EINTR)
				break;
			handle_errq(p); /* a pending socket error: its details are queued */
			got++;
			continue;
		}
		got++;
		if (r == 1)
			handle_reply(p, &rx, buf, len);
		if (ping_seq_in_flight(&p->seq, p->ntransmitted) == 0)
			break;
	}
	return got;
}

/* Send when due.  Returns the ns until the next send is due, or INT64_MAX for none. */
static int64_t pinger(struct ping *p, int64_t now)
{
	const struct ping_opts *o = p->o;
	struct timespec ts;
	uint16_t seq;
	int r;

	if (o->count && p->ntransmitted >= o->count && !o->deadline_s)
		return INT64_MAX;
	/* -l: the first requests go at once, one after the other, as iputils' preload */
	if (p->ntransmitted > 0 && p->ntransmitted >= o->preload) {
		int64_t since = now - p->last_send_ns;

		if (p->interval_ms == 0) {
			if (since < FLOOD_WAIT_NS &&
			    ping_seq_in_flight(&p->seq, p->ntransmitted) >= 1)
				return FLOOD_WAIT_NS - since;
		} else if (since < (int64_t)p->interval_ms * 1000000) {
			return (int64_t)p->interval_ms * 1000000 - since;
		}
		if (o->outstanding && !nd_out_json() &&
		    !ping_seq_seen(&p->seq, (uint16_t)p->ntransmitted))
			ping_report_outstanding(p, p->ntransmitted % 65536);
	}
	settle(p, now, false); /* frees the slot of a request 65535 sends ago, if need be */
	seq = (uint16_t)(p->ntransmitted + 1);
	ping_seq_sent(&p->seq, seq);
	clock_gettime(CLOCK_REALTIME, &ts);
	if (p->timing)
		ping_seq_stamp_sent(&p->seq, nd_ts_ns(&ts));
	r = ping_send(p, seq, p->timing ? &ts : NULL);
	if (r == -EAGAIN || r == -ENOBUFS || r == -ENOMEM)
		return FLOOD_WAIT_NS; /* the queue is full: try again shortly, not counted */
	if (r < 0) {
		int before = (int)p->nerrors;

		handle_errq(p);
		if ((int)p->nerrors == before && !o->quiet) {
			if (o->flood && !nd_out_json())
				nd_out_text("E");
			else {
				nd_out_flush();
				nd_err("sendmsg: %s", strerror(-r));
			}
		}
	}
	if (o->explain && !p->explained_req) {
		p->explained_req = true;
		explain_request(p, p->out, (size_t)p->outlen);
	}
	p->ntransmitted++;
	p->last_send_ns = now;
	if (p->tmo)
		ping_tmo_sent(p->tmo, now);
	if (r == 0)
		ping_report_sent(p);
	if (p->ntransmitted < o->preload)
		return 0;
	return p->interval_ms ? (int64_t)p->interval_ms * 1000000 : 0;
}

int ping_run(struct ping *p)
{
	const struct ping_opts *o = p->o;
	int64_t deadline_at = 0, next_send = 0;
	sigset_t unblocked;
	struct pollfd pfd = { .fd = p->sk.fd, .events = POLLIN };

	sigemptyset(&unblocked);
	if (nd_out_json()) {
		ping_tmo_init(&watch, (int64_t)o->linger_ms * 1000000);
		p->tmo = &watch;
	}
	p->start_ns = nd_now();
	p->last_send_ns = p->start_ns;
	if (o->deadline_s)
		deadline_at = p->start_ns + o->deadline_s * NS;
	for (;;) {
		int64_t now, wait, until;
		struct timespec tmo;
		int n;

		if (*p->exiting)
			break;
		if (o->count && p->nreceived + p->nerrors >= o->count)
			break;
		if (o->deadline_s && p->nerrors)
			break;
		if (*p->status) {
			*p->status = 0;
			ping_report_status(p);
		}
		now = nd_now();
		if ((deadline_at && now >= deadline_at) || (p->exit_at_ns && now >= p->exit_at_ns))
			break;
		do {
			wait = pinger(p, now);
			if (wait <= 0)
				now = nd_now();
		} while (wait <= 0 && !(o->count && p->ntransmitted >= o->count && !o->deadline_s));
		next_send = wait == INT64_MAX ? INT64_MAX : now + wait;
		if (!p->exit_at_ns && o->count && p->ntransmitted >= o->count && !o->deadline_s) {
			int64_t us = (int64_t)o->linger_ms * 1000;

			if (p->nreceived) {
				us = 2 * p->stats.max_us;
				if (us < (int64_t)p->interval_ms * 1000)
					us = (int64_t)p->interval_ms * 1000;
			}
			p->exit_at_ns = now + us * 1000;
		}
		if (drain(p, false))
			continue;
		settle(p, nd_now(), false);
		until = next_send;
		if (p->tmo && ping_tmo_next_at(p->tmo) < until)
			until = ping_tmo_next_at(p->tmo);
		if (p->exit_at_ns && p->exit_at_ns < until)
			until = p->exit_at_ns;
		if (deadline_at && deadline_at < until)
			until = deadline_at;
		now = nd_now();
		if (until <= now)
			continue;
		tmo.tv_sec = (until - now) / NS;
		tmo.tv_nsec = (until - now) % NS;
		nd_out_flush();
		n = ppoll(&pfd, 1, &tmo, &unblocked);
		if (n > 0 && (pfd.revents & POLLERR))
			handle_errq(p);
	}
	settle(p, nd_now(), true);
	return 0;
}
