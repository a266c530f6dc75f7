// SPDX-License-Identifier: MIT
/*
 * lib/icmp's receive path on any bytes: nd_icmp_parse as a raw IPv4 socket, an ICMP datagram
 * socket and an ICMPv6 socket see them (echo replies, errors with quoted headers, junk), then
 * what miniping does with the result (describe it, read the send time).  The first input byte
 * picks the mode; the rest is the packet.  Besides the sanitizers, the harness checks that
 * every offset and length the parser returns stays inside the buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "icmp.h"

static void check(const struct nd_icmp_msg *m, size_t len)
{
	if (m->icmp_off + m->icmp_len != len || m->icmp_len < ND_ICMP_HDR_LEN)
		abort();
	if (m->is_error && (m->data_len || !nd_icmp_is_error(m->family, m->type)))
		abort();
	if (!m->is_error && (m->data_off != m->icmp_off + ND_ICMP_HDR_LEN ||
			     m->data_off + m->data_len != len))
		abort();
	if (m->has_quote && !m->is_error)
		abort();
	if (m->has_ip && (m->ip_hlen < 20 || m->ip_hlen > len || m->icmp_off != m->ip_hlen))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct {
		int family;
		bool with_ip;
	} modes[] = { { AF_INET, true }, { AF_INET, false }, { AF_INET6, false } };
	struct nd_icmp_msg m;
	struct timespec ts;
	char d[128];
	uint8_t *buf;
	size_t len;
	int mode;

	if (size < 1)
		return 0;
	mode = data[0] % 3;
	len = size - 1;
	buf = malloc(len ? len : 1); /* exact size, so ASan sees any over-read */
	memcpy(buf, data + 1, len);
	if (nd_icmp_parse(buf, len, modes[mode].family, modes[mode].with_ip, &m) == 0) {
		check(&m, len);
		/* what miniping does next: the text of the type, the send time in the data */
		if (!nd_icmp_describe(m.family, m.type, m.code, m.info, d, sizeof(d)) ||
		    strlen(d) >= sizeof(d))
			abort();
		if (!m.is_error)
			nd_icmp_echo_time(buf + m.data_off, m.data_len, &ts);
	}
	/* a wrong family with_ip must be refused, never read */
	if (nd_icmp_parse(buf, len, AF_INET6, true, &m) == 0)
		abort();
	free(buf);
	return 0;
}
