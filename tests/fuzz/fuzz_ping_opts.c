// SPDX-License-Identifier: MIT
/*
 * miniping's option parser (tools/ping/opts.c) on any argument vector.  The input is split at
 * '\n' into arguments; an argument that is one byte below 0x20 stands for a known option or
 * value (the table below), so the fuzzer reaches deep option combinations without seeds.
 * Checks: it never crashes, always NUL-terminates its message, and what it accepts is in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "array.h"
#include "icmp.h"
#include "ping/opts.h"

static const char *const tokens[] = {
	"-c", "-i", "-W", "-w", "-s", "-t", "-Q", "-I", "-p", "-4", "-6", "-f", "-n", "-q",
	"-v", "-a", "-D", "-O", "--json", "--explain", "--help", "--version", "65507", "65508",
	"65527", "0", "-1", "0.0001", "ff00", "10.0.0.1", "--", "-c1s",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size + 1), *argv[34], err[256];
	struct ping_opts o;
	int argc = 1;

	memcpy(copy, data, size);
	copy[size] = '\0';
	argv[0] = "miniping";
	for (char *s = copy, *nl; s && argc < 33; s = nl ? nl + 1 : NULL) {
		nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		if (s[0] > 0 && s[0] < 0x20 && s[1] == '\0')
			argv[argc++] = (char *)tokens[(unsigned char)s[0] % ND_ARRAY_SIZE(tokens)];
		else
			argv[argc++] = s;
	}
	argv[argc] = NULL;
	memset(err, 'x', sizeof(err));
	if (ping_opts_parse(argc, argv, &o, err, sizeof(err)) != 0) {
		if (!memchr(err, '\0', sizeof(err)) || !err[0])
			abort();
	} else if (!o.help && !o.version) {
		if (!o.host || o.patlen > sizeof(o.pattern) || o.ttl < 0 || o.ttl > 255 ||
		    o.tos < -1 || o.tos > 255 || o.datalen < 0 || o.datalen > ND_ICMP_MAX_V6_DATA ||
		    o.count < 0 || o.interval_ms < 0 || o.linger_ms <= 0 || o.deadline_s < 0 ||
		    (o.family == AF_INET && o.datalen > ND_ICMP_MAX_V4_DATA))
			abort();
	}
	free(copy);
	return 0;
}
