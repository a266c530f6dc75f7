/* SPDX-License-Identifier: MIT */
#ifndef ND_NETNS_H
#define ND_NETNS_H

/*
 * Named network namespaces, as `ip netns` keeps them: a bind mount of the namespace at
 * /run/netns/NAME.  A tool's --netns NAME enters one before it opens any socket, so that every
 * socket, every /proc/net and /proc/sys/net file it then opens belongs to that namespace, as
 * under `ip netns exec NAME` (which also remounts /sys and binds /etc/netns/NAME: not done here).
 */

/* Where `ip netns add` puts its namespaces. */
#define ND_NETNS_RUN_DIR "/run/netns"

/*
 * nd_netns_valid_name - whether @name can name a namespace there: not empty, no '/', not "."
 * or "..", shorter than NAME_MAX (ip's own rule).
 */
int nd_netns_valid_name(const char *name);

/*
 * nd_netns_enter - move the calling process (single-threaded) into the network namespace
 * @name.  Returns 0, -EINVAL for a bad name, -ENOENT when there is no such namespace, or the
 * errno of open/setns (-EPERM without CAP_SYS_ADMIN).
 */
int nd_netns_enter(const char *name);

#endif
