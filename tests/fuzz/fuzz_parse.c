// SPDX-License-Identifier: MIT
/* The command-line parsers of lib/: addresses, sizes, numbers, seconds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cli.h"
#include "units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct nd_addr a;
	uint64_t u;
	double d;
	long l;

	memcpy(s, data, size);
	s[size] = '\0';
	if (nd_addr_parse(s, AF_UNSPEC, &a) == 0 &&
	    (a.prefixlen < 0 || a.prefixlen > (a.family == AF_INET ? 32 : 128)))
		abort();
	nd_parse_size(s, UINT64_MAX, &u);
	nd_parse_u64(s, 0, UINT64_MAX, &u);
	nd_parse_int(s, -1000, 1000, &l);
	if (nd_parse_seconds(s, 1e6, &d) == 0 && !(d >= 0 && d <= 1e6))
		abort();
	free(s);
	return 0;
}
