// SPDX-License-Identifier: MIT
/* Socket buffer sizes, queue lengths, tcp_info and a connect with a deadline. */
#include "sockopt.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <poll.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "units.h"

static int64_t ioctl_int(int fd, unsigned long req)
{
	int v = 0;

	if (ioctl(fd, req, &v) < 0)
		return -1;
	return v;
}

int nd_sock_queues(int fd, struct nd_sockq *q)
{
	int v;

	if (ioctl(fd, SIOCINQ, &v) < 0)
		return -errno;
	q->inq = v;
	q->outq = ioctl_int(fd, SIOCOUTQ);
	q->outq_nsd = ioctl_int(fd, SIOCOUTQNSD);
	return 0;
}

int nd_sock_getbuf(int fd, int *sndbuf, int *rcvbuf)
{
	socklen_t l = sizeof(int);

	if (sndbuf && getsockopt(fd, SOL_SOCKET, SO_SNDBUF, sndbuf, &l) < 0)
		return -errno;
	l = sizeof(int);
	if (rcvbuf && getsockopt(fd, SOL_SOCKET, SO_RCVBUF, rcvbuf, &l) < 0)
		return -errno;
	return 0;
}

int nd_sock_setint(int fd, int level, int opt, int val)
{
	if (setsockopt(fd, level, opt, &val, sizeof(val)) < 0)
		return -errno;
	return 0;
}

int nd_tcp_info(int fd, struct tcp_info *ti)
{
	socklen_t l = sizeof(*ti);

	memset(ti, 0, sizeof(*ti));
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, ti, &l) < 0)
		return -errno;
	return 0;
}

int nd_set_nonblock(int fd, bool on)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	if (fcntl(fd, F_SETFL, fl) < 0)
		return -errno;
	return 0;
}

int nd_poll_until(int fd, short events, int64_t deadline_ns)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		int64_t left = deadline_ns - nd_now();
		int r;

		if (left <= 0)
			return -ETIMEDOUT;
		/* round up: a wait of 0.4 ms must not become a busy poll of 0 ms */
		r = poll(&p, 1, (int)((left + 999999) / 1000000));
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
	}
}

int nd_connect_timeout(int fd, const struct sockaddr *sa, socklen_t salen, int timeout_ms)
{
	int64_t deadline = nd_now() + (int64_t)timeout_ms * 1000000;
	int r, err = 0;
	socklen_t l = sizeof(err);

	r = nd_set_nonblock(fd, true);
	if (r < 0)
		return r;
	if (connect(fd, sa, salen) == 0)
		return nd_set_nonblock(fd, false);
	if (errno != EINPROGRESS)
		return -errno;
	r = nd_poll_until(fd, POLLOUT, deadline);
	if (r < 0)
		return r;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
		return -errno;
	if (err)
		return -err;
	return nd_set_nonblock(fd, false);
}
