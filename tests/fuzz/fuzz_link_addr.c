// SPDX-License-Identifier: MIT
/*
 * Any bytes as one RTM_NEWADDR message (type and length set as nd_nl_run() guarantees them):
 * nd_ifaddr_parse() must stay inside it and leave a terminated label; the flag names must fit.
 * Seeds: tests/fuzz/seeds/link_addr/, the messages of tests/data/unit/rtnl_addr.bin one per file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "addr.h"
#include "link.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nlmsghdr *nlh;
	struct nd_ifaddr a;
	const char *names[16];
	uint32_t rest;
	char buf[ND_ADDRSTRLEN];

	if (size < sizeof(*nlh) || size > 65536)
		return 0;
	nlh = malloc(size);
	memcpy(nlh, data, size);
	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_len = (uint32_t)size;
	if (nd_ifaddr_parse(nlh, &a) == 0) {
		if (!memchr(a.label, 0, sizeof(a.label)))
			abort();
		if (nd_ifa_flag_names(a.family, a.flags, names, 16, &rest) > 16)
			abort();
		if (a.family == AF_INET || a.family == AF_INET6) {
			nd_addr_fmt(a.family, a.local, buf, sizeof(buf));
			nd_addr_fmt(a.family, a.broadcast, buf, sizeof(buf));
		}
	}
	free(nlh);
	return 0;
}
