// SPDX-License-Identifier: MIT
/*
 * Any bytes as the text of a /proc/sys file, of /proc/net/snmp and of /proc/net/snmp6: the
 * parsers must stay inside the given length (the copy has no terminating NUL) and keep their
 * promises (1..max values, or an error).  Seeds: tests/fuzz/seeds/sysctl/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sysctl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *t = malloc(size ? size : 1);
	int64_t v[3];
	uint64_t u;
	char path[64];
	int n;

	memcpy(t, data, size);
	n = nd_sysctl_parse(t, size, v, 3);
	if (n == 0 || n > 3)
		abort();
	nd_snmp_parse(t, size, "Udp", "RcvbufErrors", &u);
	nd_snmp_parse(t, size, "Tcp", "CurrEstab", &u);
	nd_snmp6_parse(t, size, "Udp6RcvbufErrors", &u);
	/* the name of a sysctl: needs a NUL, so the first line only */
	if (size < sizeof(path)) {
		char out[128];

		memcpy(path, data, size);
		path[size] = '\0';
		nd_sysctl_path(path, out, sizeof(out));
	}
	free(t);
	return 0;
}
