// SPDX-License-Identifier: MIT
/*
 * Any bytes as one RTM_NEWLINK message (the header's type and length are set as nd_nl_run()
 * guarantees them): nd_link_parse() must stay inside the message and leave a struct whose
 * strings are terminated and whose counts agree, and the name helpers must cope with it.
 * Seeds: tests/fuzz/seeds/link/, the messages of tests/data/unit/rtnl_link.bin one per file,
 * and attr_policy*.bin: malformed, empty and padded attributes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	struct nd_link l;
	const char *names[24];
	unsigned int rest;
	char buf[128];
	size_t used = 0;

	if (size < sizeof(*nlh) || size > 65536)
		return 0;
	nlh = malloc(size);
	memcpy(nlh, data, size);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_len = (uint32_t)size;
	if (nd_link_parse(nlh, &l) == 0) {
		if (memchr(l.name, 0, sizeof(l.name)) == NULL || !memchr(l.kind, 0, sizeof(l.kind)) ||
		    !memchr(l.slave_kind, 0, sizeof(l.slave_kind)) ||
		    !memchr(l.qdisc, 0, sizeof(l.qdisc)))
			abort();
		if (l.addr_len > ND_LLADDR_MAX || l.brd_len > ND_LLADDR_MAX ||
		    l.perm_len > ND_LLADDR_MAX || l.altnames_len > ND_ALTNAMES_MAX)
			abort();
		for (unsigned int i = 0; i < l.n_altnames; i++) {
			const char *a = nd_link_altname(&l, i);

			used += strlen(a) + 1;
			if (a[0] == '\0' || used > l.altnames_len)
				abort();
		}
		if (used != l.altnames_len)
			abort();
		nd_link_flag_names(l.flags, names, 24, &rest);
		nd_link_type_name(l.type, buf, sizeof(buf));
		nd_lladdr_fmt(l.addr, l.addr_len, l.type, buf, sizeof(buf));
		nd_lladdr_fmt(l.brd, l.brd_len, l.type, buf, sizeof(buf));
		nd_operstate_name(l.operstate);
	}
	free(nlh);
	return 0;
}
