// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * connstat -p: every socket file of every process in one read, from an iter/task_file program.
 * A record per socket (see owners_abi.h); the kernel skips the threads that share their
 * leader's file table, and the rest of the non-leader threads are skipped here, so that the
 * result is what /proc/<pid>/fd shows.  With target_netns set only the sockets of that network
 * namespace are written.  Fields are read by direct (BTF-typed) loads, not probe reads: this runs
 * once per open file on the machine.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "owners_abi.h"

/* Set by the loader before load: the network namespace's inode number (0: all); cookies. */
const volatile __u32 target_netns = 0;
const volatile __u32 want_cookie = 0;

/* The name of the process whose files are being walked: read once per process and read. */
__u32 cur_tgid = 0;
char cur_comm[16] = {};

SEC("iter/task_file")
int socket_files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct cs_owner_rec r;
	struct socket *sock;
	struct sock *sk = NULL;

	if (!task || !file || task->pid != task->tgid)
		return 0;
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	/* the struct sock is another cache miss per socket: only touched when asked to */
	if (target_netns || want_cookie) {
		sk = sock->sk;
		if (!sk)
			return 0;
		if (target_netns && sk->__sk_common.skc_net.net->ns.inum != target_netns)
			return 0;
	}
	/* a new read (seq_num 0) forgets the last one's process: its name may have changed */
	if (ctx->meta->seq_num == 0 || cur_tgid != (__u32)task->tgid || !cur_comm[0]) {
		bpf_probe_read_kernel_str(cur_comm, sizeof(cur_comm), task->comm);
		cur_tgid = (__u32)task->tgid;
	}
	r.tgid = (__u32)task->tgid;
	r.fd = (__s32)ctx->fd;
	r.inode = file->f_inode->i_ino;
	r.cookie = want_cookie && sk ? bpf_get_socket_cookie(sk) : 0;
	__builtin_memcpy(r.comm, cur_comm, sizeof(r.comm));
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
