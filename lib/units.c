// SPDX-License-Identifier: MIT
/* Human units and size parsing. */
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

static const char *const iec[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
#define N_IEC ND_ARRAY_SIZE(iec)

size_t nd_fmt_u64(char *p, uint64_t v)
{
	size_t n = 1;

	/* count the digits first, then write them from the last: no copy */
	for (uint64_t t = v; t >= 10; t /= 10)
		n++;
	for (size_t i = n; i-- > 0; v /= 10)
		p[i] = (char)('0' + v % 10);
	return n;
}

char *nd_human_bytes(uint64_t v, char *buf, size_t len)
{
	char tmp[32], *p = tmp + sizeof(tmp);
	uint64_t div = 1, q;
	size_t i = 0, n;

	/*
	 * net-tools moves to a unit only when the value is strictly above it (1024 stays
	 * "1024.0 B"), and truncates to one decimal rather than rounding: 19046716 is "18.1 MiB".
	 */
	while (i + 1 < N_IEC && (v / div > 1024 || (v / div == 1024 && v % div))) {
		div *= 1024;
		i++;
	}
	/* by hand: ifconfig prints two of these per interface, and snprintf was 13% of ifinfo -a */
	q = v / div;
	*--p = '\0';
	for (const char *u = iec[i] + strlen(iec[i]); u > iec[i];)
		*--p = *--u;
	*--p = ' ';
	*--p = (char)('0' + (v % div) * 10 / div);
	*--p = '.';
	do
		*--p = (char)('0' + q % 10);
	while (q /= 10);
	if (len == 0)
		return buf;
	n = strnlen(p, len - 1);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

char *nd_human_size(uint64_t v, char *buf, size_t len)
{
	uint64_t div = 1;
	size_t i = 0;

	while (i + 1 < N_IEC && v / div >= 1024) {
		div *= 1024;
		i++;
	}
	if (v % div == 0)
		snprintf(buf, len, "%llu %s", (unsigned long long)(v / div), iec[i]);
	else
		snprintf(buf, len, "%.1f %s", (double)v / (double)div, iec[i]);
	return buf;
}

char *nd_human_rate(double v, const char *unit, char *buf, size_t len)
{
	static const char *const prefix[] = { "", "k", "M", "G", "T", "P" };
	size_t i = 0;

	while (v >= 1000 && i + 1 < ND_ARRAY_SIZE(prefix)) {
		v /= 1000;
		i++;
	}
	if (i == 0)
		snprintf(buf, len, "%.0f %s", v, unit);
	else
		snprintf(buf, len, "%.*f %s%s", v < 10 ? 2 : v < 100 ? 1 : 0, v, prefix[i], unit);
	return buf;
}

int nd_parse_size(const char *s, uint64_t max, uint64_t *out)
{
	unsigned long long n;
	uint64_t mult = 1;
	char *end;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (*end) {
		uint64_t base = 1000;
		int power;

		switch (*end) {
		case 'k':
		case 'K': power = 1; break;
		case 'm':
		case 'M': power = 2; break;
		case 'g':
		case 'G': power = 3; break;
		case 'B': power = 0; break;
		default: return -EINVAL;
		}
		if (power) {
			end++;
			if (*end == 'i') {
				base = 1024;
				end++;
			}
		}
		if (*end == 'B')
			end++;
		if (*end)
			return -EINVAL;
		while (power--)
			mult *= base;
	}
	if (n > max / mult)
		return -ERANGE;
	*out = n * mult;
	return 0;
}
