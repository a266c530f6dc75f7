/* SPDX-License-Identifier: MIT */
#ifndef IFINFO_SHOW_H
#define IFINFO_SHOW_H

#include <stdbool.h>

#include "ifdb.h"

struct ifshow_opts {
	bool all;          /* -a: also interfaces that are down */
	int family;        /* AF_UNSPEC, or AF_INET / AF_INET6 for -4 / -6 */
	const char *name;  /* one interface, or NULL */
	const char *label; /* an IPv4 address label named instead (ifconfig's "eth0:sec"): name is
			    * then its interface, and only that label's addresses are shown */
};

/* ifshow_addr_selected - whether address @a is shown under @o (family, label). */
bool ifshow_addr_selected(const struct nd_ifaddr *a, const struct ifshow_opts *o);

/* ifshow_selected - whether link @l is shown under @o (a named one always is). */
bool ifshow_selected(const struct nd_link *l, const struct ifshow_opts *o);

/* ifshow_long - ifconfig-style blocks, or with --json an array of `ip -j -s addr` objects. */
void ifshow_long(const struct ifdb *db, const struct ifshow_opts *o);

/* ifshow_short - the `ifconfig -s` / `netstat -i` table (JSON: one object per row). */
void ifshow_short(const struct ifdb *db, const struct ifshow_opts *o);

/* The pieces, for tests and --watch. */
void ifshow_text_block(const struct ifdb *db, int pos, const struct ifshow_opts *o);
void ifshow_json_link(const struct ifdb *db, int pos, const struct ifshow_opts *o);

/* ifconfig's "flags=4163<UP,BROADCAST,RUNNING,MULTICAST>" names, into @buf. */
const char *ifshow_ifconfig_flags(unsigned int flags, char *buf, size_t len);
/* ifshow_name_cmp - ifconfig's order of names: "eth2" before "eth10". */
int ifshow_name_cmp(const char *a, const char *b);
/* ifconfig -s's "BMRU" letters, into @buf. */
const char *ifshow_short_flags(unsigned int flags, char *buf, size_t len);

#endif
