// SPDX-License-Identifier: MIT
/* Dropping privileges: real uid back, capabilities cleared (capset, no libcap). */
#define _GNU_SOURCE
#include "priv.h"

#include <errno.h>
#include <linux/capability.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

static int capget_now(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };

	memset(d, 0, 2 * sizeof(*d));
	return (int)syscall(SYS_capget, &h, d);
}

bool nd_priv_cap_effective(int cap)
{
	struct __user_cap_data_struct d[2];

	if (capget_now(d) < 0)
		return false;
	return d[cap / 32].effective & (1u << (cap % 32));
}

bool nd_priv_is_privileged(void)
{
	return geteuid() == 0 || nd_priv_cap_effective(CAP_NET_RAW) ||
	       nd_priv_cap_effective(CAP_NET_ADMIN);
}

int nd_priv_drop(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[2];
	gid_t gid = getgid();
	uid_t uid = getuid();

	if (getegid() != gid && setresgid(gid, gid, gid) < 0)
		return -errno;
	if (geteuid() != uid && setresuid(uid, uid, uid) < 0)
		return -errno;
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capset, &h, d) < 0)
		return -errno;
	/* no way back through exec either */
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	return 0;
}
