// SPDX-License-Identifier: MIT
/*
 * sock_diag answers: byte 0 picks the parser (inet_diag for TCP/UDP/RAW, or unix_diag), the rest
 * is a netlink receive buffer of such messages.  nd_diag_parse_inet()/nd_diag_parse_unix() must
 * never read outside a message, and what they return must stay inside it (path, cong).
 * Seeds: tests/fuzz/seeds/diag_msg/ (a selector byte + tests/data/unit/diag_*.bin, and
 * attr_policy*: malformed, empty and padded attributes).
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

static struct nd_sock s;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int protos[] = { IPPROTO_TCP, IPPROTO_UDP, IPPROTO_RAW, 0 };
	const struct nlmsghdr *nlh;
	uint8_t *buf;
	size_t len;
	int sel;

	if (size < 1)
		return 0;
	sel = data[0] & 3;
	len = size - 1;
	buf = malloc(len ? len : 1); /* aligned, as the receive buffer is */
	memcpy(buf, data + 1, len);
	nlh = (const struct nlmsghdr *)buf;
	while (len >= sizeof(*nlh) && nlh->nlmsg_len >= sizeof(*nlh) && nlh->nlmsg_len <= len) {
		const uint8_t *end = (const uint8_t *)nlh + nlh->nlmsg_len;
		size_t step = NLMSG_ALIGN(nlh->nlmsg_len);
		volatile size_t touch = 0;

		if (sel == 3 ? nd_diag_parse_unix(nlh, &s) == 0 :
			       nd_diag_parse_inet(nlh, protos[sel], &s) == 0) {
			if (s.path) {
				if ((const uint8_t *)s.path < (const uint8_t *)nlh ||
				    (const uint8_t *)s.path + s.path_len > end)
					abort();
				for (size_t i = 0; i < s.path_len; i++)
					touch += (uint8_t)s.path[i];
			}
			if (s.cong) {
				size_t n = strlen(s.cong);

				if ((const uint8_t *)s.cong + n >= end)
					abort();
				touch += n;
			}
			if (s.info_len > sizeof(s.info))
				abort();
			(void)nd_sock_state_name(s.state);
			(void)nd_sock_state_netstat(s.state);
			(void)nd_netid_name(s.netid);
			(void)nd_timer_name(s.timer);
		}
		(void)touch;
		if (step >= len)
			break;
		len -= step;
		nlh = (const struct nlmsghdr *)((const uint8_t *)nlh + step);
	}
	free(buf);
	return 0;
}
