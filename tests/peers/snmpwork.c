// SPDX-License-Identifier: MIT
/*
 * snmpwork - parse one /proc/net/snmp-style pair of lines of N fields with lib/sysctl's parser,
 * the field asked for last, and print its value: the work that tests/integration/
 * test_snmp_linear.sh counts (callgrind instructions) for two sizes of N.
 *
 *   snmpwork N      prints "4242" (the value of the field "Wanted", after N others)
 */
#include <stdio.h>
#include <stdlib.h>

#include "sysctl.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	size_t cap = (size_t)(n > 0 ? n : 0) * 24 + 64, len = 0;
	char *text = malloc(cap);
	uint64_t v = 0;
	int r;

	if (n <= 0 || !text) {
		fprintf(stderr, "usage: snmpwork N (N > 0)\n");
		return 2;
	}
	len += (size_t)snprintf(text + len, cap - len, "Udp:");
	for (long i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, " Field%ld", i);
	len += (size_t)snprintf(text + len, cap - len, " Wanted\nUdp:");
	for (long i = 0; i < n; i++)
		len += (size_t)snprintf(text + len, cap - len, " %ld", i % 10);
	len += (size_t)snprintf(text + len, cap - len, " 4242\n");
	r = nd_snmp_parse(text, len, "Udp", "Wanted", &v);
	free(text);
	if (r < 0) {
		fprintf(stderr, "snmpwork: parse: %d\n", r);
		return 1;
	}
	printf("%llu\n", (unsigned long long)v);
	return 0;
}
