/* SPDX-License-Identifier: MIT */
#ifndef IFINFO_GROUPS_H
#define IFINFO_GROUPS_H

#include <stddef.h>
#include <stdint.h>

/*
 * ifgroup_name - the name `ip` gives device group @id: "default" for 0, the name in
 * /etc/iproute2/group (read on the first call for a group that is not 0), else the number.
 * Returns @buf or a constant string.
 */
const char *ifgroup_name(uint32_t id, char *buf, size_t len);

#endif
