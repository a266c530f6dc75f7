// SPDX-License-Identifier: MIT
/* connstat -E without BPF: sock_diag dumps diffed by cookie, plus the destroy groups. */
#include "events_sample.h"

#include "nl.h"
#include "proc.h"
#include "units.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

/* ---- the diff (pure) ---- */

enum {
	ENT_SINCE_KNOWN = 1, /* the entry saw its socket enter its state */
	ENT_GONE = 2,        /* sock_diag said it was destroyed (at aux): the next dump decides */
	ENT_OWNER_TRIED = 4, /* /proc was asked about its inode */
	ENT_CLOSED = 8,      /* its end was told (at aux); kept a while for a late destroy notice */
};

/* How long a closed socket's entry stays: the kernel's destroy notice can come after the dump. */
#define CLOSED_KEEP_NS 2000000000ull

static void rec_of(struct cs_ev_rec *e, const struct nd_sock *s)
{
	e->cookie = s->cookie;
	e->family = s->family;
	e->lport = s->lport;
	e->pport = s->pport;
	memcpy(e->laddr, s->laddr, sizeof(e->laddr));
	memcpy(e->paddr, s->paddr, sizeof(e->paddr));
}

static void call(struct cs_evtab *t, const struct cs_ev_rec *e)
{
	if (!t->stop)
		t->stop = t->fn(e, t->data);
}

/* The state a socket first seen in @state must have come from, when there is only one. */
static uint8_t came_from(unsigned int state)
{
	switch (state) {
	case ND_SS_SYN_SENT:
	case ND_SS_LISTEN: return ND_SS_CLOSE;
	case ND_SS_SYN_RECV: return ND_SS_LISTEN;
	default: return 0; /* unknown: the dump came too late */
	}
}

void cs_evtab_see(struct cs_evtab *t, const struct cs_evtab_sock *k, uint64_t now_ns)
{
	const struct nd_sock *s = k->s;
	struct cs_cmap_ent *w = cs_cmap_get(&t->map, s->cookie);
	struct cs_ev_rec e;

	if (s->family != AF_INET && s->family != AF_INET6)
		return;
	if (!w) {
		w = cs_cmap_put(&t->map, s->cookie);
		if (!w)
			return;
		rec_of(&w->rec, s);
		w->rec.newstate = s->state;
		w->rec.ts_ns = now_ns;
		w->gen = t->gen;
		w->flags = t->primed ? ENT_SINCE_KNOWN : 0;
		if (k->pid) {
			w->rec.pid = k->pid;
			strncpy(w->rec.comm, k->comm, sizeof(w->rec.comm) - 1);
		}
		if (t->primed) {
			e = w->rec;
			e.oldstate = came_from(s->state);
			call(t, &e);
		}
		return;
	}
	if (!w->rec.newstate) { /* only a destroy notice knew it: a new socket after all */
		w->rec.newstate = s->state;
		w->rec.ts_ns = now_ns;
		rec_of(&w->rec, s);
		w->gen = t->gen;
		w->flags = ENT_SINCE_KNOWN;
		if (k->pid) {
			w->rec.pid = k->pid;
			strncpy(w->rec.comm, k->comm, sizeof(w->rec.comm) - 1);
		}
		e = w->rec;
		e.oldstate = came_from(s->state);
		call(t, &e);
		return;
	}
	w->gen = t->gen;
	if (w->flags & ENT_CLOSED) { /* the same socket again (connect() after a failed one) */
		w->rec.newstate = ND_SS_CLOSE;
		w->rec.ts_ns = w->aux;
		w->flags = ENT_SINCE_KNOWN;
	}
	w->flags &= ~ENT_GONE; /* a timewait socket carries the cookie on */
	if (!w->rec.pid && k->pid) {
		w->rec.pid = k->pid;
		strncpy(w->rec.comm, k->comm, sizeof(w->rec.comm) - 1);
	}
	if (w->rec.newstate == s->state)
		return;
	rec_of(&w->rec, s);
	e = w->rec;
	e.oldstate = w->rec.newstate;
	e.newstate = s->state;
	e.ts_ns = now_ns;
	e.in_old_ns = (w->flags & ENT_SINCE_KNOWN) ? now_ns - w->rec.ts_ns : 0;
	w->rec.newstate = s->state;
	w->rec.ts_ns = now_ns;
	w->flags |= ENT_SINCE_KNOWN;
	call(t, &e);
}

static void closed(struct cs_evtab *t, struct cs_cmap_ent *w, uint64_t now_ns)
{
	struct cs_ev_rec e = w->rec;

	if (w->flags & ENT_GONE) /* the destroy notice knew the time better */
		now_ns = w->aux;

	e.oldstate = w->rec.newstate;
	e.newstate = ND_SS_CLOSE;
	e.ts_ns = now_ns;
	e.in_old_ns = (w->flags & ENT_SINCE_KNOWN) ? now_ns - w->rec.ts_ns : 0;
	w->flags = ENT_CLOSED;
	w->aux = now_ns;
	call(t, &e);
}

void cs_evtab_end(struct cs_evtab *t, uint64_t now_ns)
{
	for (size_t i = 0; i < t->map.cap;) {
		struct cs_cmap_ent *w = &t->map.t[i];

		if (!w->cookie || (w->gen == t->gen && !(w->flags & ENT_CLOSED))) {
			i++;
		} else if (!(w->flags & ENT_CLOSED)) {
			closed(t, w, now_ns);
			i++;
		} else if (now_ns - w->aux > CLOSED_KEEP_NS) {
			cs_cmap_del(&t->map, w); /* slot i holds the next entry now */
		} else {
			i++;
		}
	}
	t->gen++;
	t->primed = true;
}

void cs_evtab_gone(struct cs_evtab *t, const struct nd_sock *s, uint64_t now_ns)
{
	struct cs_cmap_ent *w;

	if ((s->family != AF_INET && s->family != AF_INET6) || !t->primed)
		return;
	/*
	 * The full socket is gone, but a timewait socket may carry its cookie on (after an active
	 * close, or at once when an orphan reaches FIN-WAIT-2): the next dump decides.  One never
	 * seen in a dump is kept with no state; if the dump does not show it either, it lived and
	 * died between two dumps, and only its end is told.
	 */
	w = cs_cmap_put(&t->map, s->cookie);
	if (!w || (w->flags & ENT_CLOSED)) /* told already: the notice came after the dump */
		return;
	if (!w->rec.cookie)
		rec_of(&w->rec, s);
	w->flags |= ENT_GONE;
	w->aux = now_ns;
}

/* ---- the sampler (I/O) ---- */

struct cs_evsample {
	struct cs_evtab tab;
	struct nd_nl *nl;
	struct mnl_socket *destroy; /* NULL: the destroy groups were not permitted */
	int family;
	struct nd_proc_map *procs;
	bool rescanned; /* in this tick */
	uint64_t now;
	struct nd_sock s;
	char buf[ND_NL_RECV_SIZE];
};

static struct mnl_socket *join_destroy_groups(void)
{
	static const int groups[] = { SKNLGRP_INET_TCP_DESTROY, SKNLGRP_INET6_TCP_DESTROY };
	struct mnl_socket *m = mnl_socket_open2(NETLINK_SOCK_DIAG, SOCK_CLOEXEC | SOCK_NONBLOCK);

	if (!m)
		return NULL;
	if (mnl_socket_bind(m, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail;
	for (size_t i = 0; i < 2; i++) {
		int g = groups[i];

		if (mnl_socket_setsockopt(m, NETLINK_ADD_MEMBERSHIP, &g, sizeof(g)) < 0)
			goto fail;
	}
	return m;
fail:
	mnl_socket_close(m);
	return NULL;
}

int cs_evsample_open(struct cs_evsample **out, int family, cs_ev_fn fn, void *data)
{
	struct cs_evsample *s = calloc(1, sizeof(*s));
	int e;

	if (!s)
		return -ENOMEM;
	e = nd_nl_open(&s->nl, NETLINK_SOCK_DIAG);
	if (e) {
		free(s);
		return e;
	}
	s->family = family;
	s->tab.fn = fn;
	s->tab.data = data;
	s->destroy = join_destroy_groups();
	*out = s;
	return 0;
}

bool cs_evsample_listening(const struct cs_evsample *s)
{
	return s->destroy != NULL;
}

/*
 * The owner of @inode; /proc is read again (once a tick) for a socket it does not know yet: a new
 * one, or one accepted since (its inode was 0 in the accept queue).
 */
static bool owner_of(struct cs_evsample *s, uint32_t inode, bool ask, struct nd_proc_owner *ow)
{
	if (!inode || !ask)
		return false;
	if (s->procs && nd_proc_lookup(s->procs, inode, ow, 1))
		return true;
	if (s->rescanned)
		return false;
	s->rescanned = true;
	nd_proc_free(s->procs);
	s->procs = NULL;
	if (nd_proc_scan("/proc", &s->procs))
		return false;
	return nd_proc_lookup(s->procs, inode, ow, 1) > 0;
}

static int dump_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cs_evsample *s = data;
	struct cs_evtab_sock k = { .s = &s->s };
	struct nd_proc_owner ow;
	struct cs_cmap_ent *w;
	bool ask;

	if (nd_diag_parse_inet(nlh, IPPROTO_TCP, &s->s))
		return MNL_CB_OK;
	w = cs_cmap_get(&s->tab.map, s->s.cookie);
	ask = !w || (!w->rec.pid && !(w->flags & ENT_OWNER_TRIED));
	if (owner_of(s, s->s.inode, ask, &ow)) {
		k.pid = (uint32_t)ow.pid;
		k.comm = ow.comm;
	}
	cs_evtab_see(&s->tab, &k, s->now);
	if (ask && s->s.inode && (w = cs_cmap_get(&s->tab.map, s->s.cookie)))
		w->flags |= ENT_OWNER_TRIED;
	return s->tab.stop ? MNL_CB_STOP : MNL_CB_OK;
}

int cs_evsample_tick(struct cs_evsample *s)
{
	static const int fams[] = { AF_INET, AF_INET6 };

	s->now = (uint64_t)nd_now();
	s->rescanned = false;
	for (int i = 0; i < 2; i++) {
		struct nlmsghdr *req;
		int e;

		if (s->family != AF_UNSPEC && s->family != fams[i])
			continue;
		req = nd_diag_inet_request(s->nl, fams[i], IPPROTO_TCP,
					   ND_SS_ALL & ~(1u << ND_SS_NEW_SYN_RECV), 0, NULL, 0);
		e = nd_nl_dump(s->nl, req, dump_cb, NULL, s);
		if (e && e != -EINTR)
			return e;
		if (s->tab.stop)
			return 0;
	}
	cs_evtab_end(&s->tab, s->now);
	return 0;
}

static int gone_cb(const struct nlmsghdr *nlh, void *data)
{
	struct cs_evsample *s = data;

	if (nlh->nlmsg_type != SOCK_DIAG_BY_FAMILY || nd_diag_parse_inet(nlh, IPPROTO_TCP, &s->s))
		return MNL_CB_OK;
	if (s->family == AF_UNSPEC || s->family == s->s.family)
		cs_evtab_gone(&s->tab, &s->s, (uint64_t)nd_now());
	return s->tab.stop ? MNL_CB_STOP : MNL_CB_OK;
}

int cs_evsample_wait(struct cs_evsample *s, int64_t until_ns)
{
	for (;;) {
		int64_t left = until_ns - nd_now();
		struct pollfd p;
		ssize_t n;

		if (left <= 0 || s->tab.stop)
			return 0;
		if (!s->destroy) {
			struct timespec ts = { .tv_sec = until_ns / 1000000000,
					       .tv_nsec = until_ns % 1000000000 };

			/* a signal ends the wait too: the caller looks at its flag */
			clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
			return 0;
		}
		p.fd = mnl_socket_get_fd(s->destroy);
		p.events = POLLIN;
		if (poll(&p, 1, (int)((left + 999999) / 1000000)) < 0)
			return errno == EINTR ? 0 : -errno;
		n = mnl_socket_recvfrom(s->destroy, s->buf, sizeof(s->buf));
		if (n < 0) {
			if (errno == EAGAIN || errno == EINTR)
				continue;
			if (errno == ENOBUFS) /* notices were dropped: the next dump catches up */
				continue;
			return -errno;
		}
		mnl_cb_run(s->buf, (size_t)n, 0, 0, gone_cb, s);
	}
}

void cs_evsample_close(struct cs_evsample *s)
{
	if (!s)
		return;
	if (s->destroy)
		mnl_socket_close(s->destroy);
	nd_nl_close(s->nl);
	nd_proc_free(s->procs);
	cs_cmap_free(&s->tab.map);
	free(s);
}
