// SPDX-License-Identifier: MIT
/* Entering a network namespace by the name `ip netns` gave it. */
#define _GNU_SOURCE
#include "netns.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int nd_netns_valid_name(const char *name)
{
	size_t n = strlen(name);

	return n > 0 && n < NAME_MAX && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

int nd_netns_enter(const char *name)
{
	char path[sizeof(ND_NETNS_RUN_DIR) + NAME_MAX + 1];
	int fd, err = 0;

	if (!nd_netns_valid_name(name))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/%s", ND_NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (setns(fd, CLONE_NEWNET) < 0)
		err = -errno;
	close(fd);
	return err;
}
