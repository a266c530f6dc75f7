// SPDX-License-Identifier: MIT
/*
 * diagcap TCP4 TCP6 UNIX UDP4 - save the first receive buffer of four sock_diag dumps (TCP/IPv4
 * with tcp_info and skmem, TCP/IPv6, UNIX, UDP/IPv4) into the four files: the canned bytes of
 * tests/unit/test_diag.c.  Run by tests/data/capture/diag_capture.sh next to a sockmaker.
 */
#include "diag.h"
#include "nl.h"
#include <linux/netlink.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>
/* The first receive of a dump into @file; the rest of the dump is read and dropped. */
static void cap(struct nlmsghdr *req, int fd, const char *file)
{
	char buf[32768];
	FILE *f = fopen(file, "w");
	send(fd, req, req->nlmsg_len, 0);
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	fwrite(buf, 1, n, f);
	fclose(f);
	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0);
}
int main(int argc, char **argv)
{
	struct nd_nl *nl;
	nd_nl_open(&nl, NETLINK_SOCK_DIAG);
	(void)argc;
	cap(nd_diag_inet_request(nl, AF_INET, IPPROTO_TCP, ND_SS_ALL, ND_DIAG_INFO | ND_DIAG_SKMEM, NULL, 0), nd_nl_fd(nl), argv[1]);
	cap(nd_diag_inet_request(nl, AF_INET6, IPPROTO_TCP, ND_SS_ALL, 0, NULL, 0), nd_nl_fd(nl), argv[2]);
	cap(nd_diag_unix_request(nl, ND_SS_ALL, 0), nd_nl_fd(nl), argv[3]);
	cap(nd_diag_inet_request(nl, AF_INET, IPPROTO_UDP, ND_SS_ALL, 0, NULL, 0), nd_nl_fd(nl), argv[4]);
	return 0;
}
