/* SPDX-License-Identifier: MIT */
#ifndef ND_NL_H
#define ND_NL_H

#include <stdint.h>
#include <libmnl/libmnl.h>

/*
 * A netlink socket through libmnl, with the dump loop every tool needs: sequence and port id
 * checked, NLMSG_ERROR turned into a negative errno, NLM_F_DUMP_INTR handled by running the whole
 * dump again, and a receive buffer large enough that a dump of 100,000 sockets does not overrun.
 */
struct nd_nl;

/* Size of one receive: the kernel fills dump messages up to 32 KiB. */
#define ND_NL_RECV_SIZE 32768
/* Size of the request buffer: room for a sock_diag filter of 64 KiB (see ND_DIAG_BC_MAX). */
#define ND_NL_REQ_SIZE (65536 + 1024)
/* How often a dump interrupted by a concurrent change is started again. */
#define ND_NL_DUMP_RETRIES 8

/*
 * nd_nl_open - open and bind a netlink socket of @bus (NETLINK_ROUTE, NETLINK_SOCK_DIAG, ...).
 * Returns 0 and sets *@nl, or a negative errno.
 */
int nd_nl_open(struct nd_nl **nl, int bus);

/* nd_nl_close - close the socket and free @nl; NULL is allowed. */
void nd_nl_close(struct nd_nl *nl);

/* nd_nl_fd - the socket's file descriptor. */
int nd_nl_fd(const struct nd_nl *nl);

/*
 * nd_nl_request - start a new request message of @type with @flags (NLM_F_REQUEST is added) in
 * @nl's request buffer, with a fresh sequence number, and return its header so that the caller
 * can add a family header and attributes with mnl_nlmsg_put_extra_header() / mnl_attr_put_*().
 */
struct nlmsghdr *nd_nl_request(struct nd_nl *nl, uint16_t type, uint16_t flags);

/*
 * nd_nl_dump - send @req and run @cb on every message of the answer until NLMSG_DONE.
 * A callback returns MNL_CB_OK to go on, MNL_CB_STOP to end early, MNL_CB_ERROR (with errno
 * set) to fail.  When the kernel marks the dump NLM_F_DUMP_INTR (the table changed under it)
 * and @reset is not NULL, @reset(@data) is called to forget what was gathered and the whole dump
 * is run again, up to ND_NL_DUMP_RETRIES times; without @reset the dump is taken as it is (the
 * caller streams and cannot take back what it printed).
 * Returns 0 or a negative errno: -ENOBUFS when the kernel dropped messages, the kernel's error
 * for NLMSG_ERROR (-EPERM, -EOPNOTSUPP, ...), -EPROTO for a reply that is not ours, -EINTR when
 * the dump stayed interrupted past the retries (what the last pass gave the callback is kept, so
 * the caller may still show it, as ip does with a warning).
 */
int nd_nl_dump(struct nd_nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void (*reset)(void *data),
	       void *data);

/* What nd_nl_run() saw, carried from one receive buffer to the next. */
struct nd_nl_state {
	int intr;    /* a message carried NLM_F_DUMP_INTR */
	int stopped; /* the callback returned MNL_CB_STOP: later messages are skipped */
	int done;    /* NLMSG_DONE or the final ack/error arrived */
};

/*
 * nd_nl_run - parse the messages in @buf (@len bytes), checking @seq and @portid, with @cb per
 * data message.  Split out of nd_nl_dump() so that canned bytes can be fed to it in tests.
 * Returns 0 (look at @st->done to know whether more is expected) or a negative errno: the
 * kernel's error from NLMSG_ERROR or DONE, -ENOBUFS on overrun, -EPROTO for a message that is
 * not ours, or the errno a callback set when it returned MNL_CB_ERROR.
 */
int nd_nl_run(const void *buf, size_t len, uint32_t seq, uint32_t portid, mnl_cb_t cb,
	      void *data, struct nd_nl_state *st);

/* nd_nl_strerror - a message for a negative errno from this module, netlink in mind. */
const char *nd_nl_strerror(int err);

#endif
