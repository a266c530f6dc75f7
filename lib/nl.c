// SPDX-License-Identifier: MIT
/* libmnl socket and the dump loop shared by every tool. */
#include "nl.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/netlink.h>

struct nd_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	char req[ND_NL_REQ_SIZE] __attribute__((aligned(8)));
	char buf[ND_NL_RECV_SIZE] __attribute__((aligned(8)));
};

/* Room for a burst of messages the kernel sends without waiting for us (notifications, acks). */
#define ND_NL_SOCK_RCVBUF (4 << 20)

int nd_nl_open(struct nd_nl **out, int bus)
{
	/* not calloc: the 96 KiB of buffers are written before they are read, page by page */
	struct nd_nl *nl = malloc(sizeof(*nl));
	int size = ND_NL_SOCK_RCVBUF, err;

	if (!nl)
		return -ENOMEM;
	nl->seq = 0;
	nl->portid = 0;
	nl->sock = mnl_socket_open(bus);
	if (!nl->sock) {
		err = -errno;
		free(nl);
		return err;
	}
	if (mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		err = -errno;
		nd_nl_close(nl);
		return err;
	}
	/* FORCE needs CAP_NET_ADMIN; the plain option is capped by rmem_max, which is fine too. */
	if (setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUFFORCE, &size,
		       sizeof(size)))
		setsockopt(mnl_socket_get_fd(nl->sock), SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	*out = nl;
	return 0;
}

void nd_nl_close(struct nd_nl *nl)
{
	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	free(nl);
}

int nd_nl_fd(const struct nd_nl *nl)
{
	return mnl_socket_get_fd(nl->sock);
}

struct nlmsghdr *nd_nl_request(struct nd_nl *nl, uint16_t type, uint16_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(nl->req);

	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	nlh->nlmsg_seq = ++nl->seq;
	return nlh;
}

/*
 * mnl_nlmsg_ok() compares the length as a signed int, so a length past 2 GiB passes it; the
 * bytes come from the kernel, but the parsers are fuzzed with any bytes, so be exact.
 */
static bool msg_ok(const struct nlmsghdr *nlh, int left)
{
	return left >= (int)sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) &&
	       nlh->nlmsg_len <= (unsigned int)left;
}

int nd_nl_run(const void *buf, size_t len, uint32_t seq, uint32_t portid, mnl_cb_t cb, void *data,
	      struct nd_nl_state *st)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;

	while (msg_ok(nlh, left)) {
		if (!mnl_nlmsg_portid_ok(nlh, portid) || !mnl_nlmsg_seq_ok(nlh, seq))
			return -EPROTO;
		if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
			st->intr = 1;
		switch (nlh->nlmsg_type) {
		case NLMSG_NOOP: break;
		case NLMSG_DONE:
			st->done = 1;
			/* some families put an error code in DONE's payload */
			if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
				int e = *(const int *)mnl_nlmsg_get_payload(nlh);

				if (e < 0)
					return e;
			}
			return 0;
		case NLMSG_ERROR: {
			const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);

			st->done = 1;
			if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*e))
				return -EBADMSG;
			return e->error > 0 ? -e->error : e->error; /* 0: an ack */
		}
		case NLMSG_OVERRUN: return -ENOBUFS;
		default:
			if (!st->stopped) {
				int ret;

				errno = 0;
				ret = cb(nlh, data);

				if (ret == MNL_CB_ERROR)
					return errno ? -errno : -EINVAL;
				if (ret == MNL_CB_STOP)
					st->stopped = 1;
			}
		}
		nlh = mnl_nlmsg_next(nlh, &left);
	}
	return 0;
}

/* Read until NLMSG_DONE (or an error), even after a callback stopped, so the socket is clean. */
static int dump_once(struct nd_nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void *data, int *intr)
{
	struct nd_nl_state st = { 0 };

	if (mnl_socket_sendto(nl->sock, req, req->nlmsg_len) < 0)
		return -errno;
	while (!st.done) {
		ssize_t n = mnl_socket_recvfrom(nl->sock, nl->buf, sizeof(nl->buf));
		int err;

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		err = nd_nl_run(nl->buf, (size_t)n, req->nlmsg_seq, nl->portid, cb, data, &st);
		if (err)
			return err;
	}
	*intr = st.intr;
	return 0;
}

int nd_nl_dump(struct nd_nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void (*reset)(void *data),
	       void *data)
{
	for (int tries = 0;; tries++) {
		int intr = 0;
		int err = dump_once(nl, req, cb, data, &intr);

		if (err || !intr || !reset)
			return err;
		if (tries == ND_NL_DUMP_RETRIES)
			return -EINTR;
		reset(data);
		req->nlmsg_seq = ++nl->seq;
	}
}

const char *nd_nl_strerror(int err)
{
	switch (-err) {
	case ENOBUFS: return "netlink receive buffer overrun (the kernel dropped messages)";
	case EINTR: return "dump kept being interrupted by concurrent changes";
	case EPROTO: return "unexpected netlink reply (sequence or port mismatch)";
	case EPERM: return "operation not permitted (needs CAP_NET_ADMIN?)";
	default: return strerror(-err);
	}
}
