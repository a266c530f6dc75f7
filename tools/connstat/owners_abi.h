/* SPDX-License-Identifier: GPL-2.0 OR MIT */
#ifndef CS_OWNERS_ABI_H
#define CS_OWNERS_ABI_H

/*
 * One socket file of one process, as owners.bpf.c writes it into the iterator's seq_file and
 * owners.c reads it: fixed size, no padding, the same layout on both sides.
 */
struct cs_owner_rec {
	__u32 tgid; /* the process (thread group) */
	__s32 fd;
	__u64 inode;  /* the socket's inode: sock_diag's idiag_inode */
	__u64 cookie; /* the socket's cookie: sock_diag's idiag_cookie */
	union {
		char comm[16]; /* the process name, as /proc/<pid>/comm gives it */
		__u64 comm64[2];
	};
};

#endif
