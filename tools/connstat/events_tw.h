/* SPDX-License-Identifier: MIT */
#ifndef CS_EVENTS_TW_H
#define CS_EVENTS_TW_H

#include <stddef.h>
#include <stdint.h>

#include "events.h"

/*
 * TIME-WAIT for connstat -E's BPF source.  The kernel reports a closing socket going to CLOSE
 * while a timewait socket takes over under the same cookie, and reports nothing of the timewait
 * socket after that.  So: a socket going to CLOSE from FIN-WAIT-1/2 or CLOSING is looked up by
 * cookie in sock_diag (a whole batch of them in one send), shown entering TIME-WAIT when found,
 * and watched; a FIN-WAIT-2 timewait socket is looked at every interval for its TIME-WAIT, all
 * of them are dumped once a second for their end.
 */

/* A record flag for the caller (user space only): print nothing, the change is not one. */
#define CS_EV_SKIP 0x80

struct cs_evtw;

/*
 * cs_evtw_open - a tracker for the sockets of namespace @netns (ours: sock_diag sees no other);
 * what it finds later (a timewait socket's end) goes to @fn.  Returns 0 or a negative errno.
 */
int cs_evtw_open(struct cs_evtw **out, uint32_t netns, cs_ev_fn fn, void *data);

/*
 * cs_evtw_resolve - look at the @n records of a batch, in order: a socket that went to CLOSE but
 * lives on as a timewait socket gets its new state (TIME-WAIT) and is watched; one that stays in
 * FIN-WAIT-2 as a timewait socket gets CS_EV_SKIP.  Others are left as they are.
 */
void cs_evtw_resolve(struct cs_evtw *t, struct cs_ev_rec *recs, size_t n);

/*
 * cs_evtw_tick - at @now_ns: every @interval_ns the FIN-WAIT-2 timewait sockets are looked up,
 * every second all are dumped; changes and ends go to the handler.
 */
void cs_evtw_tick(struct cs_evtw *t, int64_t now_ns, int64_t interval_ns);

/*
 * cs_evtw_settle - at the end of a run: look the FIN-WAIT-2 timewait sockets up once more, so
 * that one that got its FIN after the last tick, before the stop, is told (FIN-WAIT-2 ->
 * TIME-WAIT) and not left untold.
 */
void cs_evtw_settle(struct cs_evtw *t);

void cs_evtw_close(struct cs_evtw *t);

#endif
