/* SPDX-License-Identifier: MIT */
#ifndef ND_SERVICES_H
#define ND_SERVICES_H

#include <stddef.h>
#include <stdint.h>

/*
 * Port and protocol names as ss shows them.  /etc/services is read once, on the first call, into
 * a sorted table (getservbyport() re-reads the file on every call).  As ss, ports in the
 * ephemeral range (net.ipv4.ip_local_port_range) are never named.
 */

/* nd_service_name - the name of @port for @proto ("tcp" or "udp"), or NULL. */
const char *nd_service_name(uint16_t port, const char *proto);

/* nd_services_parse - parse /etc/services text @buf (@len bytes) into the table used above,
 * replacing it; for tests.  Returns the number of entries or a negative errno. */
int nd_services_parse(const char *buf, size_t len);

/* nd_services_set_ephemeral - the range never named (tests; otherwise read from /proc). */
void nd_services_set_ephemeral(int lo, int hi);

/* nd_proto_name - an IP protocol's name ("icmp", "ipv6-icmp") for RAW sockets, or NULL. */
const char *nd_proto_name(uint8_t proto);

#endif
