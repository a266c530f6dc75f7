// SPDX-License-Identifier: MIT
/* connstat -E: TCP state changes as they happen, from BPF or from sampled sock_diag dumps. */
#include "events.h"

const char *cs_events_build(void)
{
#ifdef ND_HAVE_BPF
	return "BPF build: -E from tp_btf/inet_sock_set_state (sock_diag sampling without root)";
#else
#ifndef ND_BPF_MISSING
#define ND_BPF_MISSING "unknown"
#endif
	return "built without BPF (missing: " ND_BPF_MISSING "): -E samples sock_diag";
#endif
}
