/* SPDX-License-Identifier: MIT */
#ifndef ND_PRIV_H
#define ND_PRIV_H

#include <stdbool.h>

/*
 * Privilege drop after the privileged socket is open: the real uid and gid are restored (for a
 * set-uid install) and every capability is cleared (effective, permitted, inheritable; for a
 * file-capability or root install), through the capset syscall, so no libcap is needed.
 */

/* nd_priv_drop - drop as above; returns 0 or a negative errno. */
int nd_priv_drop(void);

/*
 * nd_priv_cap_effective - whether capability @cap (CAP_NET_RAW, CAP_NET_ADMIN, ...) is in this
 * process's effective set now; false when capget fails.
 */
bool nd_priv_cap_effective(int cap);

/* nd_priv_is_privileged - uid 0 or CAP_NET_RAW/CAP_NET_ADMIN effective (iputils' "root"). */
bool nd_priv_is_privileged(void);

#endif
