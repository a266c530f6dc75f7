// SPDX-License-Identifier: MIT
/*
 * diag_floor - the floor under `connstat -tan`: the same sock_diag dumps (TCP, IPv4 then IPv6,
 * all states) through lib/nl, every message parsed into struct nd_sock, nothing printed but the
 * count on stderr.  What connstat spends above this is formatting and writing.
 */
#include "diag.h"
#include "nl.h"

#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>

static int cb(const struct nlmsghdr *nlh, void *data)
{
	static struct nd_sock s;
	unsigned long *n = data;

	if (nd_diag_parse_inet(nlh, IPPROTO_TCP, &s))
		return MNL_CB_ERROR;
	(*n)++;
	return MNL_CB_OK;
}

int main(void)
{
	static const int fams[] = { AF_INET, AF_INET6 };
	unsigned long n = 0;
	struct nd_nl *nl;
	int err = nd_nl_open(&nl, NETLINK_SOCK_DIAG);

	for (int i = 0; !err && i < 2; i++)
		err = nd_nl_dump(nl, nd_diag_inet_request(nl, fams[i], IPPROTO_TCP, ND_SS_ALL, 0,
							  NULL, 0),
				 cb, NULL, &n);
	if (err) {
		fprintf(stderr, "diag_floor: %s\n", nd_nl_strerror(err));
		return 2;
	}
	fprintf(stderr, "%lu\n", n);
	nd_nl_close(nl);
	return 0;
}
