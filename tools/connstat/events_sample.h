/* SPDX-License-Identifier: MIT */
#ifndef CS_EVENTS_SAMPLE_H
#define CS_EVENTS_SAMPLE_H

#include <stdbool.h>
#include <stdint.h>

#include "cookiemap.h"
#include "diag.h"
#include "events.h"

/*
 * -E without BPF: TCP sockets dumped through sock_diag every --interval and diffed by cookie
 * against the previous dump; a cookie in a new state is a change, a cookie gone went to CLOSE.
 * Where the kernel lets us join sock_diag's destroy groups, a socket closed between two dumps
 * is seen too.  Changes shorter than the interval are missed: this samples.
 */

/* The diff, without I/O (unit-tested): one table of the sockets of the last dump. */
struct cs_evtab {
	struct cs_cmap map;
	uint32_t gen; /* the dump in progress */
	bool primed;  /* a first dump was taken: from now on, new sockets are changes */
	cs_ev_fn fn;
	void *data;
	int stop; /* the handler asked to stop */
};

/* What a dump shows of one socket, with its owner when known (@pid 0: unknown). */
struct cs_evtab_sock {
	const struct nd_sock *s;
	uint32_t pid;
	const char *comm;
};

/* cs_evtab_see - socket @k as the dump at @now_ns shows it: hand a change to the handler. */
void cs_evtab_see(struct cs_evtab *t, const struct cs_evtab_sock *k, uint64_t now_ns);

/* cs_evtab_end - the dump at @now_ns is over: sockets it did not show went to CLOSE. */
void cs_evtab_end(struct cs_evtab *t, uint64_t now_ns);

/*
 * cs_evtab_gone - sock_diag said socket @s was destroyed at @now_ns.  The next dump decides:
 * a timewait socket may carry the cookie on; if not, the socket went to CLOSE at @now_ns (one
 * never seen in a dump shows as "? -> CLOSE": it lived between two dumps).
 */
void cs_evtab_gone(struct cs_evtab *t, const struct nd_sock *s, uint64_t now_ns);

/* The sampler itself: all return 0 or a negative errno. */
struct cs_evsample;
int cs_evsample_open(struct cs_evsample **out, int family, cs_ev_fn fn, void *data);
/* cs_evsample_tick - one dump and its diff; the first one only learns what is there. */
int cs_evsample_tick(struct cs_evsample *s);
/* cs_evsample_wait - wait until @until_ns (CLOCK_MONOTONIC), taking destroy notices meanwhile. */
int cs_evsample_wait(struct cs_evsample *s, int64_t until_ns);
/* cs_evsample_listening - whether the destroy groups could be joined. */
bool cs_evsample_listening(const struct cs_evsample *s);
void cs_evsample_close(struct cs_evsample *s);

#endif
