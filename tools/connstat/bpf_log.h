/* SPDX-License-Identifier: MIT */
#ifndef CS_BPF_LOG_H
#define CS_BPF_LOG_H

/*
 * cs_bpf_log_setup - route libbpf's messages to stderr only when CONNSTAT_BPF_DEBUG is set in
 * the environment: a load that fails falls back to sock_diag and /proc quietly, and the variable
 * shows why.  Both BPF loaders (-E's and -p's) call it before they open a skeleton.
 */
void cs_bpf_log_setup(void);

#endif
