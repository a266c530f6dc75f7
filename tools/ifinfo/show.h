/* SPDX-License-Identifier: MIT */
#ifndef IFINFO_SHOW_H
#define IFINFO_SHOW_H

#include <stdbool.h>

#include "ifdb.h"

struct show_opts {
	bool all;	  /* -a: also interfaces that are down */
	int family;	  /* AF_UNSPEC, or AF_INET / AF_INET6 for -4 / -6 */
	const char *name; /* one interface, or NULL */
};

/* show_selected - whether link @l is shown under @o (a named one always is). */
bool show_selected(const struct nd_link *l, const struct show_opts *o);

/* show_long - ifconfig-style blocks, or with --json an array of `ip -j -s addr` objects. */
void show_long(const struct ifdb *db, const struct show_opts *o);

/* show_short - the `ifconfig -s` / `netstat -i` table (JSON: one object per row). */
void show_short(const struct ifdb *db, const struct show_opts *o);

/* The pieces, for tests and --watch. */
void show_text_block(const struct ifdb *db, int pos, const struct show_opts *o);
void show_json_link(const struct ifdb *db, int pos, const struct show_opts *o);

/* ifconfig's "flags=4163<UP,BROADCAST,RUNNING,MULTICAST>" names, into @buf. */
const char *show_ifconfig_flags(unsigned int flags, char *buf, size_t len);
/* show_name_cmp - ifconfig's order of names: "eth2" before "eth10". */
int show_name_cmp(const char *a, const char *b);
/* ifconfig -s's "BMRU" letters, into @buf. */
const char *show_short_flags(unsigned int flags, char *buf, size_t len);

#endif
