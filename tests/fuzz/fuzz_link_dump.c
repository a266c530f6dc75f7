// SPDX-License-Identifier: MIT
/*
 * Any bytes as the answer of ifinfo's two dumps: messages (framed as nd_nl_run() checks them)
 * of type RTM_NEWADDR go to the address table, any other to the link table, and the result is
 * printed as text and as JSON, with and without -4 / -6: the join by index, the altnames, the
 * "link" and "master" names of indexes that may not exist, and every formatter are exercised.
 * Seeds: tests/fuzz/seeds/link_dump/ (tests/data/unit/rtnl_link.bin followed by rtnl_addr.bin;
 * attr_policy.bin: malformed, empty and padded attributes in links and addresses).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "ifinfo/ifdb.h"
#include "out.h"
#include "ifinfo/show.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int families[] = { AF_UNSPEC, AF_INET, AF_INET6 };
	uint8_t *buf = malloc(size ? size : 1);
	struct ifdb db;
	size_t off = 0;

	memcpy(buf, data, size);
	ifdb_init(&db);
	/* links first, as ifinfo dumps them, then addresses */
	for (int pass = 0; pass < 2; pass++) {
		for (off = 0; off + sizeof(struct nlmsghdr) <= size;) {
			struct nlmsghdr *nlh = (struct nlmsghdr *)(buf + off);
			size_t len = nlh->nlmsg_len;

			if (len < sizeof(*nlh) || len > size - off)
				break;
			if (nlh->nlmsg_type == RTM_NEWADDR) {
				if (pass == 1)
					ifdb_add_addr(&db, nlh);
			} else if (pass == 0) {
				uint16_t t = nlh->nlmsg_type;

				nlh->nlmsg_type = RTM_NEWLINK;
				ifdb_add_link(&db, nlh);
				nlh->nlmsg_type = t;
			}
			off += NLMSG_ALIGN(len);
		}
	}
	/* one stream for the whole run, never closed: lib/out still flushes it at exit */
	static FILE *out;

	if (!out && !(out = fopen("/dev/null", "w")))
		abort();
	for (int json = 0; json < 2; json++) {
		for (size_t f = 0; f < 3; f++) {
			struct ifshow_opts o = { .all = true, .family = families[f] };

			nd_out_init(out, json);
			ifshow_long(&db, &o);
			if (f == 0)
				ifshow_short(&db, &o);
			nd_out_finish();
		}
	}
	ifdb_free(&db);
	free(buf);
	return 0;
}
