// SPDX-License-Identifier: MIT
/* connstat -E's pure pieces: the cookie map, and the sampling diff that turns successive
 * sock_diag dumps (and destroy notices) into state changes. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>
#include <sys/socket.h>

#include "connstat/cookiemap.h"
#include "connstat/events_sample.h"

/* ---- cookie map ---- */

static void test_cmap_put_get_del(void **state)
{
	struct cs_cmap m = { 0 };
	const int n = 5000;

	(void)state;
	assert_null(cs_cmap_get(&m, 1));
	assert_null(cs_cmap_put(&m, 0)); /* cookie 0 is never a socket's */
	for (int i = 1; i <= n; i++) {
		struct cs_cmap_ent *e = cs_cmap_put(&m, (uint64_t)i * 7);

		assert_non_null(e);
		e->rec.lport = (uint16_t)i;
	}
	assert_int_equal(m.n, n);
	assert_ptr_equal(cs_cmap_put(&m, 7), cs_cmap_get(&m, 7)); /* put finds what is there */
	assert_int_equal(m.n, n);
	/* delete every other one; the rest must stay reachable (backward shift keeps clusters) */
	for (int i = 1; i <= n; i += 2)
		cs_cmap_del(&m, cs_cmap_get(&m, (uint64_t)i * 7));
	assert_int_equal(m.n, n / 2);
	for (int i = 1; i <= n; i++) {
		struct cs_cmap_ent *e = cs_cmap_get(&m, (uint64_t)i * 7);

		if (i % 2) {
			assert_null(e);
		} else {
			assert_non_null(e);
			assert_int_equal(e->rec.lport, i);
		}
	}
	cs_cmap_free(&m);
	assert_null(cs_cmap_get(&m, 14));
}

/* A walk that deletes as it goes sees every entry exactly once (the sweeps rely on it). */
static void test_cmap_walk_delete(void **state)
{
	struct cs_cmap m = { 0 };
	size_t seen = 0;

	(void)state;
	for (uint64_t c = 1; c <= 300; c++)
		cs_cmap_put(&m, c * 0x10001);
	for (size_t i = 0; i < m.cap;) {
		if (m.t[i].cookie) {
			assert_int_equal(m.t[i].flags, 0);
			m.t[i].flags = 1;
			seen++;
			cs_cmap_del(&m, &m.t[i]);
		} else {
			i++;
		}
	}
	assert_int_equal(seen, 300);
	assert_int_equal(m.n, 0);
	cs_cmap_free(&m);
}

/* ---- the sampling diff ---- */

#define MAXREC 32
static struct cs_ev_rec got[MAXREC];
static int ngot;

static int collect(const struct cs_ev_rec *e, void *data)
{
	(void)data;
	if (ngot < MAXREC)
		got[ngot++] = *e;
	return 0;
}

static struct nd_sock sock(uint64_t cookie, unsigned int state, uint16_t lport, uint16_t pport)
{
	struct nd_sock s = { .family = AF_INET, .netid = ND_TCP, .state = (uint8_t)state,
			     .cookie = cookie, .lport = lport, .pport = pport,
			     .laddr = { 127, 0, 0, 1 }, .paddr = { 127, 0, 0, 1 } };

	return s;
}

static void see(struct cs_evtab *t, const struct nd_sock *s, uint32_t pid, uint64_t now)
{
	struct cs_evtab_sock k = { .s = s, .pid = pid, .comm = "srv" };

	cs_evtab_see(t, &k, now);
}

static void test_diff_first_dump_is_quiet(void **state)
{
	struct cs_evtab t = { .fn = collect };
	struct nd_sock a = sock(10, ND_SS_ESTABLISHED, 40000, 80);

	(void)state;
	ngot = 0;
	see(&t, &a, 0, 1000);
	cs_evtab_end(&t, 1000);
	assert_int_equal(ngot, 0); /* what is there at the start is not a change */
	see(&t, &a, 0, 2000);
	cs_evtab_end(&t, 2000);
	assert_int_equal(ngot, 0); /* nor is a socket that stays as it was */
	cs_cmap_free(&t.map);
}

static void test_diff_sequence(void **state)
{
	struct cs_evtab t = { .fn = collect };
	struct nd_sock l = sock(1, ND_SS_LISTEN, 80, 0), c = sock(20, ND_SS_ESTABLISHED, 40000, 80);

	(void)state;
	ngot = 0;
	cs_evtab_end(&t, 0); /* an empty first dump */
	see(&t, &l, 7, 100);
	see(&t, &c, 0, 100);
	cs_evtab_end(&t, 100);
	assert_int_equal(ngot, 2);
	assert_int_equal(got[0].oldstate, ND_SS_CLOSE); /* a new listener came from CLOSE */
	assert_int_equal(got[0].newstate, ND_SS_LISTEN);
	assert_int_equal(got[0].pid, 7);
	assert_string_equal(got[0].comm, "srv");
	assert_int_equal(got[0].in_old_ns, 0);
	assert_int_equal(got[1].oldstate, 0); /* ESTABLISHED: from SYN-SENT or SYN-RECV, unknown */
	assert_int_equal(got[1].newstate, ND_SS_ESTABLISHED);
	assert_int_equal(got[1].pid, 0);

	/* the owner learnt later is kept; the change carries the time in the old state */
	c.state = ND_SS_CLOSE_WAIT;
	see(&t, &l, 7, 600);
	see(&t, &c, 9, 600);
	cs_evtab_end(&t, 600);
	assert_int_equal(ngot, 3);
	assert_int_equal(got[2].cookie, 20);
	assert_int_equal(got[2].oldstate, ND_SS_ESTABLISHED);
	assert_int_equal(got[2].newstate, ND_SS_CLOSE_WAIT);
	assert_int_equal(got[2].in_old_ns, 500);
	assert_int_equal(got[2].ts_ns, 600);
	assert_int_equal(got[2].pid, 9);
	assert_int_equal(got[2].lport, 40000);

	/* gone from the dump: -> CLOSE */
	see(&t, &l, 7, 900);
	cs_evtab_end(&t, 900);
	assert_int_equal(ngot, 4);
	assert_int_equal(got[3].cookie, 20);
	assert_int_equal(got[3].oldstate, ND_SS_CLOSE_WAIT);
	assert_int_equal(got[3].newstate, ND_SS_CLOSE);
	assert_int_equal(got[3].in_old_ns, 300);
	assert_int_equal(got[3].pid, 9);
	/* the kernel's destroy notice comes after the dump that no longer shows it: told once */
	cs_evtab_gone(&t, &c, 950);
	see(&t, &l, 7, 1000);
	cs_evtab_end(&t, 1000);
	assert_int_equal(ngot, 4);
	/* and forgotten a while later */
	assert_non_null(cs_cmap_get(&t.map, 20));
	see(&t, &l, 7, 4000000000ull);
	cs_evtab_end(&t, 4000000000ull);
	assert_null(cs_cmap_get(&t.map, 20));
	assert_int_equal(ngot, 4);
	cs_cmap_free(&t.map);
}

/* A destroy notice: the time of the end, unless a timewait socket carries the cookie on. */
static void test_diff_destroy_notices(void **state)
{
	struct cs_evtab t = { .fn = collect };
	struct nd_sock a = sock(30, ND_SS_ESTABLISHED, 41000, 80), b = sock(31, ND_SS_ESTABLISHED, 41001, 80);
	struct nd_sock eph = sock(32, ND_SS_CLOSE, 41002, 80);

	(void)state;
	ngot = 0;
	see(&t, &a, 0, 0);
	see(&t, &b, 0, 0);
	cs_evtab_end(&t, 0);
	/* a ends at 250, b goes on as a timewait socket, eph lived between two dumps */
	cs_evtab_gone(&t, &a, 250);
	cs_evtab_gone(&t, &b, 260);
	cs_evtab_gone(&t, &eph, 270);
	assert_int_equal(ngot, 0); /* nothing before the next dump */
	b.state = ND_SS_TIME_WAIT;
	see(&t, &b, 0, 300);
	cs_evtab_end(&t, 300);
	assert_int_equal(ngot, 3);
	assert_int_equal(got[0].cookie, 31); /* seen in the dump: a change, not an end */
	assert_int_equal(got[0].oldstate, ND_SS_ESTABLISHED);
	assert_int_equal(got[0].newstate, ND_SS_TIME_WAIT);
	/* the sweep's order is the table's: find the other two by cookie */
	for (int i = 1; i < 3; i++) {
		assert_int_equal(got[i].newstate, ND_SS_CLOSE);
		if (got[i].cookie == 30) {
			assert_int_equal(got[i].oldstate, ND_SS_ESTABLISHED);
			assert_int_equal(got[i].ts_ns, 250); /* the notice's time, not the dump's */
		} else {
			assert_int_equal(got[i].cookie, 32);
			assert_int_equal(got[i].oldstate, 0); /* never seen: only its end is known */
			assert_int_equal(got[i].ts_ns, 270);
			assert_int_equal(got[i].lport, 41002);
		}
	}
	assert_int_equal(t.map.n, 3); /* b, and the two ends kept a while */
	cs_cmap_free(&t.map);
}

/* A whole connection between two dumps whose closer lives on as a timewait socket. */
static void test_diff_notice_then_timewait(void **state)
{
	struct cs_evtab t = { .fn = collect };
	struct nd_sock a = sock(70, ND_SS_CLOSE, 44000, 80);

	(void)state;
	ngot = 0;
	cs_evtab_end(&t, 0);
	cs_evtab_gone(&t, &a, 50);
	a.state = ND_SS_TIME_WAIT;
	see(&t, &a, 0, 100);
	cs_evtab_end(&t, 100);
	assert_int_equal(ngot, 1); /* no CLOSE: the timewait socket is there */
	assert_int_equal(got[0].oldstate, 0);
	assert_int_equal(got[0].newstate, ND_SS_TIME_WAIT);
	see(&t, &a, 0, 200);
	cs_evtab_end(&t, 200);
	assert_int_equal(ngot, 1);
	cs_evtab_end(&t, 300); /* the timewait socket goes */
	assert_int_equal(ngot, 2);
	assert_int_equal(got[1].oldstate, ND_SS_TIME_WAIT);
	assert_int_equal(got[1].newstate, ND_SS_CLOSE);
	assert_int_equal(got[1].in_old_ns, 200);
	cs_cmap_free(&t.map);
}

/* Before the first dump, notices are about sockets that were already there: ignored. */
static void test_diff_notice_before_first_dump(void **state)
{
	struct cs_evtab t = { .fn = collect };
	struct nd_sock a = sock(40, ND_SS_CLOSE, 42000, 80);

	(void)state;
	ngot = 0;
	cs_evtab_gone(&t, &a, 5);
	cs_evtab_end(&t, 10);
	assert_int_equal(ngot, 0);
	cs_cmap_free(&t.map);
}

/* A socket closed, then connected again (connect() after a failed one): CLOSE -> its state. */
static void test_diff_same_socket_again(void **state)
{
	struct cs_evtab t = { .fn = collect };
	struct nd_sock a = sock(60, ND_SS_SYN_SENT, 43000, 80);

	(void)state;
	ngot = 0;
	cs_evtab_end(&t, 0);
	see(&t, &a, 0, 100);
	cs_evtab_end(&t, 100);
	cs_evtab_end(&t, 200); /* gone: SYN-SENT -> CLOSE */
	a.state = ND_SS_ESTABLISHED;
	see(&t, &a, 0, 500);
	cs_evtab_end(&t, 500);
	assert_int_equal(ngot, 3);
	assert_int_equal(got[1].oldstate, ND_SS_SYN_SENT);
	assert_int_equal(got[1].newstate, ND_SS_CLOSE);
	assert_int_equal(got[2].oldstate, ND_SS_CLOSE);
	assert_int_equal(got[2].newstate, ND_SS_ESTABLISHED);
	assert_int_equal(got[2].in_old_ns, 300);
	cs_cmap_free(&t.map);
}

static int stop_at_one(const struct cs_ev_rec *e, void *data)
{
	(void)e;
	++*(int *)data;
	return 1;
}

static void test_diff_handler_stops(void **state)
{
	int calls = 0;
	struct cs_evtab t = { .fn = stop_at_one, .data = &calls };
	struct nd_sock a = sock(50, ND_SS_LISTEN, 80, 0), b = sock(51, ND_SS_LISTEN, 81, 0);

	(void)state;
	cs_evtab_end(&t, 0);
	see(&t, &a, 0, 1);
	see(&t, &b, 0, 1);
	cs_evtab_end(&t, 1);
	assert_int_equal(calls, 1);
	assert_int_equal(t.stop, 1);
	cs_cmap_free(&t.map);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cmap_put_get_del), cmocka_unit_test(test_cmap_walk_delete),
		cmocka_unit_test(test_diff_first_dump_is_quiet), cmocka_unit_test(test_diff_sequence),
		cmocka_unit_test(test_diff_destroy_notices),
		cmocka_unit_test(test_diff_notice_before_first_dump),
		cmocka_unit_test(test_diff_same_socket_again),
		cmocka_unit_test(test_diff_notice_then_timewait),
		cmocka_unit_test(test_diff_handler_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
