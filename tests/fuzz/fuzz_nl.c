// SPDX-License-Identifier: MIT
/* Any byte stream as a netlink receive buffer: nd_nl_run() must never read out of bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "nl.h"

static int cb(const struct nlmsghdr *nlh, void *data)
{
	/* touch the payload as a parser would */
	const uint8_t *p = mnl_nlmsg_get_payload(nlh);
	size_t n = mnl_nlmsg_get_payload_len(nlh);
	unsigned *sum = data;

	for (size_t i = 0; i < n; i++)
		*sum += p[i];
	return MNL_CB_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nd_nl_state st = { 0 };
	unsigned sum = 0;
	/* an aligned copy, as the receive buffer is */
	void *buf = malloc(size ? size : 1);

	memcpy(buf, data, size);
	nd_nl_run(buf, size, 0, 0, cb, &sum, &st);
	free(buf);
	return 0;
}
