// SPDX-License-Identifier: MIT
/* The two rtnetlink dumps into an ifdb, with the one policy for a dump that never stood still. */
#include "ifdb.h"

#include <errno.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "cli.h"
#include "link.h"

/*
 * A dump still interrupted after every retry (the table never stood still) is kept as its last
 * pass found it, with a warning, as ip does ("Dump was interrupted and may be inconsistent").
 */
static int checked(int err, const char *what)
{
	if (err != -EINTR)
		return err;
	nd_err("%s: interrupted %d times by concurrent changes; showing the last pass, "
	       "which may be inconsistent",
	       what, ND_NL_DUMP_RETRIES + 1);
	return 0;
}

int ifdb_dump_links(struct nd_nl *nl, struct ifdb *db)
{
	struct nlmsghdr *req = nd_nl_request(nl, RTM_GETLINK, NLM_F_DUMP);

	nd_link_dump_req(req, AF_UNSPEC);
	ifdb_reset_links(db);
	return checked(nd_nl_dump(nl, req, ifdb_link_cb, ifdb_reset_links, db), "link dump");
}

int ifdb_dump_addrs(struct nd_nl *nl, struct ifdb *db, int family)
{
	struct nlmsghdr *req = nd_nl_request(nl, RTM_GETADDR, NLM_F_DUMP);

	nd_ifaddr_dump_req(req, family);
	ifdb_reset_addrs(db);
	return checked(nd_nl_dump(nl, req, ifdb_addr_cb, ifdb_reset_addrs, db), "address dump");
}
