// SPDX-License-Identifier: MIT
/*
 * /proc text: one /proc/net/raw{,6} line into cs_raw_parse_line() (byte 0 picks the family), and
 * the same bytes as a /proc/<pid>/fd link into nd_proc_parse_socket_link().  Neither may read past
 * the line's NUL, and what parses must be sane.
 */
#include <netinet/in.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "connstat/connstat.h"
#include "proc.h"

static struct nd_sock s;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line;
	uint64_t ino;
	int family;

	if (size < 1)
		return 0;
	family = data[0] & 1 ? AF_INET6 : AF_INET;
	line = malloc(size); /* exactly the line and its NUL: ASan sees any read past it */
	memcpy(line, data + 1, size - 1);
	line[size - 1] = '\0';
	if (cs_raw_parse_line(line, family, &s) == 0) {
		if (s.family != family || s.netid != ND_RAW || s.state >= ND_SS_MAX)
			abort();
	}
	if (nd_proc_parse_socket_link(line, size - 1, &ino) == 0 && size - 1 < 9)
		abort(); /* "socket:[N]" is at least 9 bytes */
	free(line);
	return 0;
}
