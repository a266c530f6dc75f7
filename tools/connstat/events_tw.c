// SPDX-License-Identifier: MIT
/* connstat -E: TIME-WAIT, which the tracepoint does not report, from sock_diag. */
#define _GNU_SOURCE /* recvmmsg */
#include "events_tw.h"

#include "cookiemap.h"
#include "diag.h"
#include "nl.h"
#include "units.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Lookups sent in one message; their answers are read MSGS at a time. */
#define BATCH       256
#define MSGS        64
#define ANSWER_SIZE 512 /* an inet_diag_msg, or an error quoting the request */

/*
 * How often all timewait sockets are dumped, to see the watched ones end: once a second, or
 * less often when a dump takes long (it walks the kernel's whole established hash, for 1% of a
 * core at most), but at least every 5 seconds.
 */
#define SWEEP_NS         1000000000LL
#define SWEEP_MAX_NS     5000000000LL
#define SWEEP_COST_SHARE 100

struct cs_evtw {
	struct nd_nl *nl;      /* dumps */
	struct mnl_socket *lk; /* batched lookups */
	uint32_t seq;
	uint32_t netns;
	cs_ev_fn fn;
	void *data;
	struct cs_cmap map; /* the timewait sockets watched */
	uint32_t gen;
	size_t fw2; /* how many of them are in FIN-WAIT-2 */
	size_t v6;  /* how many of them are IPv6 */
	int64_t next_check, next_sweep;
	uint8_t states[BATCH]; /* the lookups' answers: the state, 0 for none, NO_ANSWER */
	uint8_t req[BATCH * NLMSG_ALIGN(NLMSG_HDRLEN + sizeof(struct inet_diag_req_v2))];
	uint8_t ans[MSGS][ANSWER_SIZE];
};

int cs_evtw_open(struct cs_evtw **out, uint32_t netns, cs_ev_fn fn, void *data)
{
	struct cs_evtw *t = calloc(1, sizeof(*t));
	int e, one = 1, rcvbuf = 2 << 20;

	if (!t)
		return -ENOMEM;
	e = nd_nl_open(&t->nl, NETLINK_SOCK_DIAG);
	if (e)
		goto fail;
	t->lk = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC);
	if (!t->lk || mnl_socket_bind(t->lk, 0, MNL_SOCKET_AUTOPID) < 0) {
		e = -errno;
		goto fail;
	}
	/* errors without the request quoted back: smaller answers */
	mnl_socket_setsockopt(t->lk, NETLINK_CAP_ACK, &one, sizeof(one));
	/* room for a whole batch of answers (about 1 KiB each with the kernel's overhead) */
	if (setsockopt(mnl_socket_get_fd(t->lk), SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf,
		       sizeof(rcvbuf)))
		setsockopt(mnl_socket_get_fd(t->lk), SOL_SOCKET, SO_RCVBUF, &rcvbuf,
			   sizeof(rcvbuf));
	t->netns = netns;
	t->fn = fn;
	t->data = data;
	*out = t;
	return 0;
fail:
	cs_evtw_close(t);
	return e;
}

void cs_evtw_close(struct cs_evtw *t)
{
	if (!t)
		return;
	nd_nl_close(t->nl);
	if (t->lk)
		mnl_socket_close(t->lk);
	cs_cmap_free(&t->map);
	free(t);
}

static bool candidate(const struct cs_evtw *t, const struct cs_ev_rec *e)
{
	return e->newstate == ND_SS_CLOSE && e->netns == t->netns &&
	       (e->oldstate == ND_SS_FIN_WAIT1 || e->oldstate == ND_SS_FIN_WAIT2 ||
		e->oldstate == ND_SS_CLOSING);
}

/* Append an exact lookup of @e's socket (by addresses, ports and cookie) with sequence @seq. */
static size_t put_lookup(uint8_t *p, const struct cs_ev_rec *e, uint32_t seq)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)p;
	struct inet_diag_req_v2 *q = (struct inet_diag_req_v2 *)(p + NLMSG_HDRLEN);
	size_t alen = e->family == AF_INET ? 4 : 16;

	memset(p, 0, NLMSG_HDRLEN + sizeof(*q));
	nlh->nlmsg_len = NLMSG_HDRLEN + sizeof(*q);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	q->sdiag_family = e->family;
	q->sdiag_protocol = IPPROTO_TCP;
	q->idiag_states = ND_SS_ALL;
	q->id.idiag_sport = htons(e->lport);
	q->id.idiag_dport = htons(e->pport);
	memcpy(q->id.idiag_src, e->laddr, alen);
	memcpy(q->id.idiag_dst, e->paddr, alen);
	q->id.idiag_cookie[0] = (uint32_t)e->cookie;
	q->id.idiag_cookie[1] = (uint32_t)(e->cookie >> 32);
	return NLMSG_ALIGN(nlh->nlmsg_len);
}

/* A lookup the kernel did not answer (in time, or at all): nothing is known of its socket. */
#define NO_ANSWER 0xff

/* Take one answer: the state of lookup number seq - @base, or 0 for "no such socket". */
static int take_answer(struct cs_evtw *t, const uint8_t *buf, size_t len, uint32_t base, size_t n)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	uint32_t i;

	if (len < NLMSG_HDRLEN || nlh->nlmsg_len > len)
		return 0;
	i = nlh->nlmsg_seq - base;
	if (i >= n)
		return 0;
	if (nlh->nlmsg_type == SOCK_DIAG_BY_FAMILY &&
	    nlh->nlmsg_len >= NLMSG_HDRLEN + sizeof(struct inet_diag_msg)) {
		const struct inet_diag_msg *m = (const void *)(buf + NLMSG_HDRLEN);

		t->states[i] = m->idiag_state;
	} else {
		t->states[i] = 0; /* an error message is an answer too: none such */
	}
	return 1;
}

/*
 * Send the lookups of @recs[0..@n) (n <= BATCH) in one message and gather the answers into
 * t->states; an answer that does not come within a second counts as "none".
 */
static void lookup_batch(struct cs_evtw *t, const struct cs_ev_rec *const *recs, size_t n)
{
	uint32_t base = t->seq + 1;
	size_t len = 0, got = 0;
	int fd = mnl_socket_get_fd(t->lk);

	for (size_t i = 0; i < n; i++)
		len += put_lookup(t->req + len, recs[i], base + (uint32_t)i);
	t->seq += (uint32_t)n;
	memset(t->states, NO_ANSWER, n);
	if (mnl_socket_sendto(t->lk, t->req, len) < 0)
		return;
	while (got < n) {
		struct mmsghdr mm[MSGS];
		struct iovec iov[MSGS];
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int k, r;

		for (int i = 0; i < MSGS; i++) {
			iov[i] = (struct iovec){ t->ans[i], ANSWER_SIZE };
			mm[i] = (struct mmsghdr){ .msg_hdr = { .msg_iov = &iov[i],
							       .msg_iovlen = 1 } };
		}
		r = poll(&p, 1, 1000);
		if (r < 0 && errno == EINTR)
			continue; /* a signal (Ctrl-C) is no answer: the kernel's come all the same */
		if (r <= 0)
			return;
		k = recvmmsg(fd, mm, MSGS, MSG_DONTWAIT, NULL);
		if (k < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			return; /* ENOBUFS: answers were dropped; those missing count as none */
		}
		for (int i = 0; i < k; i++)
			got += (size_t)take_answer(t, t->ans[i], mm[i].msg_len, base, n);
	}
}

static void watch(struct cs_evtw *t, const struct cs_ev_rec *e, unsigned int state)
{
	struct cs_cmap_ent *w = cs_cmap_put(&t->map, e->cookie);

	if (!w)
		return;
	if (w->rec.cookie) { /* watched already: counted already */
		t->fw2 -= w->rec.newstate == ND_SS_FIN_WAIT2;
		t->v6 -= w->rec.family == AF_INET6;
	}
	w->rec = *e;
	w->rec.newstate = (uint8_t)state;
	w->rec.in_old_ns = 0;
	w->gen = t->gen;
	t->fw2 += state == ND_SS_FIN_WAIT2;
	t->v6 += e->family == AF_INET6;
}

void cs_evtw_resolve(struct cs_evtw *t, struct cs_ev_rec *recs, size_t n)
{
	const struct cs_ev_rec *ask[BATCH];
	size_t idx[BATCH], k = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && candidate(t, &recs[i])) {
			ask[k] = &recs[i];
			idx[k++] = i;
		}
		if (k && (k == BATCH || i == n)) {
			lookup_batch(t, ask, k);
			for (size_t j = 0; j < k; j++) {
				struct cs_ev_rec *e = &recs[idx[j]];
				unsigned int st = t->states[j];

				if (st != ND_SS_TIME_WAIT && st != ND_SS_FIN_WAIT2)
					continue; /* really closed */
				if (st == e->oldstate) {
					/* FIN-WAIT-2 goes on in a timewait socket: since it began */
					e->flags |= CS_EV_SKIP;
					if (e->in_old_ns)
						e->ts_ns -= e->in_old_ns;
				}
				watch(t, e, st);
				e->newstate = (uint8_t)st;
			}
			k = 0;
		}
	}
}

/* ---- the watch ---- */

/* Watched @w is in @state now (a FIN-WAIT-2 timewait socket got its FIN): tell. */
static void changed(struct cs_evtw *t, struct cs_cmap_ent *w, unsigned int state, uint64_t now)
{
	struct cs_ev_rec e = w->rec;

	if (state == w->rec.newstate || state >= ND_SS_MAX)
		return;
	e.oldstate = w->rec.newstate;
	e.newstate = (uint8_t)state;
	e.in_old_ns = now - w->rec.ts_ns;
	e.ts_ns = now;
	if (w->rec.newstate == ND_SS_FIN_WAIT2)
		t->fw2--;
	w->rec.newstate = (uint8_t)state;
	w->rec.ts_ns = now;
	t->fn(&e, t->data);
}

/* Watched @w is gone: -> CLOSE. */
static void gone(struct cs_evtw *t, struct cs_cmap_ent *w, uint64_t now)
{
	struct cs_ev_rec e = w->rec;

	e.oldstate = e.newstate;
	e.newstate = ND_SS_CLOSE;
	e.in_old_ns = now - e.ts_ns;
	e.ts_ns = now;
	if (w->rec.newstate == ND_SS_FIN_WAIT2)
		t->fw2--;
	t->v6 -= w->rec.family == AF_INET6;
	cs_cmap_del(&t->map, w); /* its slot holds the next entry now */
	t->fn(&e, t->data);
}

/*
 * Look the @k watched sockets @ask (cookies @cookies) up and tell what the kernel answers: a new
 * state, or gone when it has no such socket.  One without an answer stays watched as it was.
 * Each still watched is marked seen in this sweep's generation, so a sweep asks it once.
 */
static void ask_and_tell(struct cs_evtw *t, const struct cs_ev_rec *const *ask,
			 const uint64_t *cookies, size_t k)
{
	uint64_t now;

	lookup_batch(t, ask, k);
	now = (uint64_t)nd_now();
	for (size_t j = 0; j < k; j++) {
		struct cs_cmap_ent *w = cs_cmap_get(&t->map, cookies[j]);

		if (!w)
			continue;
		w->gen = t->gen;
		if (t->states[j] == NO_ANSWER)
			continue; /* asked again next time */
		if (t->states[j])
			changed(t, w, t->states[j], now);
		else
			gone(t, w, now); /* its slot may now hold another entry */
	}
}

/* The FIN-WAIT-2 timewait sockets (few, and short), looked up by cookie. */
static void check_fw2(struct cs_evtw *t)
{
	const struct cs_ev_rec *ask[BATCH];
	uint64_t cookies[BATCH];
	size_t k = 0;

	for (size_t i = 0; i < t->map.cap && k < BATCH && k < t->fw2; i++) {
		if (t->map.t[i].cookie && t->map.t[i].rec.newstate == ND_SS_FIN_WAIT2) {
			ask[k] = &t->map.t[i].rec;
			cookies[k++] = t->map.t[i].cookie;
		}
	}
	if (k)
		ask_and_tell(t, ask, cookies, k);
}

static int seen_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cs_evtw *t = data;
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct cs_cmap_ent *w;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK;
	w = cs_cmap_get(&t->map, m->id.idiag_cookie[0] | (uint64_t)m->id.idiag_cookie[1] << 32);
	if (w) {
		w->gen = t->gen;
		changed(t, w, m->idiag_state, (uint64_t)nd_now());
	}
	return MNL_CB_OK;
}

/*
 * The watched sockets the last sweep did not see, looked up one by one: gone when the kernel
 * says there is no such socket.  A dump alone cannot tell: it resumes each batch at a position
 * in the hash, and while connections come and go it can skip a socket that is still there.
 */
static void confirm_unseen(struct cs_evtw *t)
{
	const struct cs_ev_rec *ask[BATCH];
	uint64_t cookies[BATCH];
	size_t k, from = 0;

	do {
		k = 0;
		for (; from < t->map.cap && k < BATCH; from++) {
			const struct cs_cmap_ent *w = &t->map.t[from];

			if (w->cookie && w->gen != t->gen) {
				ask[k] = &w->rec;
				cookies[k++] = w->cookie;
			}
		}
		if (!k)
			return;
		ask_and_tell(t, ask, cookies, k);
		from = 0; /* deletions move entries: start over; those asked are marked */
	} while (k == BATCH);
}

/* One dump of the timewait sockets: those watched and not in it are looked up, then told. */
static void sweep(struct cs_evtw *t)
{
	static const int fams[] = { AF_INET, AF_INET6 };

	t->gen++;
	for (int i = 0; i < 2; i++) {
		struct nlmsghdr *req;

		if (fams[i] == AF_INET6 ? !t->v6 : t->v6 == t->map.n)
			continue; /* none of that family watched: no walk of the hash for it */
		/* the dump selects a timewait socket by its substate */
		req = nd_diag_inet_request(t->nl, fams[i], IPPROTO_TCP,
					   (1u << ND_SS_TIME_WAIT) | (1u << ND_SS_FIN_WAIT2), 0,
					   NULL, 0);

		if (nd_nl_dump(t->nl, req, seen_cb, NULL, t))
			return; /* keep watching; try again next time */
	}
	confirm_unseen(t);
}

void cs_evtw_settle(struct cs_evtw *t)
{
	if (t->fw2)
		check_fw2(t);
}

void cs_evtw_tick(struct cs_evtw *t, int64_t now_ns, int64_t interval_ns)
{
	if (!t->map.n)
		return;
	if (now_ns >= t->next_check) {
		check_fw2(t);
		t->next_check = now_ns + interval_ns;
	}
	if (now_ns >= t->next_sweep) {
		int64_t cost;

		sweep(t);
		cost = nd_now() - now_ns;
		cost *= SWEEP_COST_SHARE;
		t->next_sweep = now_ns + (cost < SWEEP_NS       ? SWEEP_NS
					  : cost > SWEEP_MAX_NS ? SWEEP_MAX_NS
								: cost);
	}
}
