/* SPDX-License-Identifier: MIT */
#ifndef ND_SYSCTL_H
#define ND_SYSCTL_H

#include <stddef.h>
#include <stdint.h>

/*
 * Kernel settings and counters read from /proc: sysctl values (/proc/sys) and the protocol
 * counters of /proc/net/snmp.  The parsers are pure (text -> numbers); the readers open the file
 * of the caller's network namespace and hand its text to them.
 */

/*
 * nd_sysctl_parse - the integers of a /proc/sys file ("212992\n", "4096\t131072\t6291456\n"):
 * up to @max of them into @vals.  Returns how many were found (at least 1), or -EINVAL when the
 * text holds something else or nothing.
 */
int nd_sysctl_parse(const char *text, size_t len, int64_t *vals, int max);

/*
 * nd_sysctl_path - "net.core.rmem_max" (or "net/core/rmem_max") as its /proc/sys path.
 * Returns 0 or -ENAMETOOLONG.
 */
int nd_sysctl_path(const char *name, char *buf, size_t len);

/* nd_sysctl_read - read and parse the sysctl @name.  Returns the count or a negative errno. */
int nd_sysctl_read(const char *name, int64_t *vals, int max);

/*
 * nd_snmp_parse - in /proc/net/snmp text (pairs of lines "Udp: Name1 Name2 ..." and
 * "Udp: 1 2 ..."), the value of @field of protocol @proto ("Udp", "RcvbufErrors").
 * Returns 0, or -ENOENT when there is no such field, -EINVAL for malformed text.
 */
int nd_snmp_parse(const char *text, size_t len, const char *proto, const char *field,
		  uint64_t *out);

/* nd_snmp_read - nd_snmp_parse on /proc/net/snmp.  Returns 0 or a negative errno. */
int nd_snmp_read(const char *proto, const char *field, uint64_t *out);

/*
 * nd_snmp6_parse - in /proc/net/snmp6 text (lines "Udp6RcvbufErrors   12"), the value of @field.
 * Returns 0, or -ENOENT when there is no such line, -EINVAL when its value is not a number.
 */
int nd_snmp6_parse(const char *text, size_t len, const char *field, uint64_t *out);

/* nd_snmp6_read - nd_snmp6_parse on /proc/net/snmp6.  Returns 0 or a negative errno. */
int nd_snmp6_read(const char *field, uint64_t *out);

#endif
