// SPDX-License-Identifier: MIT
/*
 * Any bytes as a line of sockbuf's control protocol (what a 'sockbuf serve' peer, or anything
 * that connects to one, may send) and as a --connect HOST[:PORT]: sb_msg_parse() must keep to
 * the line's length and leave terminated strings; sb_hostport_parse() must fit its buffer.
 * Seeds: tests/fuzz/seeds/sockbuf/.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sockbuf/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size ? size : 1);
	struct sb_msg m;
	uint64_t v;
	char host[256], *s;
	uint16_t port;

	memcpy(line, data, size);
	if (sb_msg_parse(line, size, &m) == 0) {
		if (!memchr(m.verb, 0, sizeof(m.verb)) || !memchr(m.text, 0, sizeof(m.text)) ||
		    m.n < 0 || m.n > SB_KV_MAX)
			abort();
		for (int i = 0; i < m.n; i++) {
			if (!memchr(m.key[i], 0, sizeof(m.key[i])) || !memchr(m.val[i], 0, sizeof(m.val[i])))
				abort();
			sb_msg_u64(&m, m.key[i], &v);
		}
		sb_msg_u64(&m, "port", &v);
	}
	s = malloc(size + 1);
	memcpy(s, data, size);
	s[size] = '\0';
	if (sb_hostport_parse(s, host, sizeof(host), &port, SB_PORT_DEFAULT) == 0 &&
	    !memchr(host, 0, sizeof(host)))
		abort();
	free(s);
	free(line);
	return 0;
}
