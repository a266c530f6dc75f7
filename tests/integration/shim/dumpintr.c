// SPDX-License-Identifier: MIT
/*
 * dumpintr.so - an LD_PRELOAD shim for tests: every netlink message of the type named by
 * $ND_DUMPINTR_TYPE (16: RTM_NEWLINK) that a program receives carries NLM_F_DUMP_INTR, as if the
 * table changed during every pass of the dump.  The kernel does this only under a churn fast
 * enough to hit every pass; the shim makes the give-up path of a dump certain.
 * Built by the test that uses it (not a peer: the Makefile links every C file of tests/peers as a
 * program): cc -shared -fPIC -o dumpintr.so dumpintr.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <linux/netlink.h>

static void mark(const struct msghdr *m, ssize_t n, int type)
{
	struct nlmsghdr *h;
	int len = (int)n;

	if (n <= 0 || m->msg_iovlen < 1)
		return;
	for (h = m->msg_iov[0].iov_base; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
		if (h->nlmsg_type == type)
			h->nlmsg_flags |= NLM_F_DUMP_INTR;
}

ssize_t recvmsg(int fd, struct msghdr *m, int flags)
{
	static ssize_t (*real)(int, struct msghdr *, int);
	const char *t = getenv("ND_DUMPINTR_TYPE");
	ssize_t n;

	if (!real)
		real = (ssize_t (*)(int, struct msghdr *, int))dlsym(RTLD_NEXT, "recvmsg");
	n = real(fd, m, flags);
	if (t)
		mark(m, n, atoi(t));
	return n;
}
