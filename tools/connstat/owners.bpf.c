// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * connstat -p: every socket file of every process, from an iter/task_file program (attached once
 * for every process, or once per process when the loader reads them in parallel).  A record per
 * socket (see owners_abi.h); the kernel skips the threads that share their leader's file table,
 * and the rest of the non-leader threads are skipped here, so that the result is what
 * /proc/<pid>/fd shows.  With target_netns set only the sockets of that network namespace are
 * written.  Fields are read by direct (BTF-typed) loads, not probe reads: this runs once per open
 * file on the machine.  No global state: several iterators may run at once.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

#include "owners_abi.h"

/* Set by the loader before load: the network namespace's inode number (0: all); cookies. */
const volatile __u32 target_netns = 0;
const volatile __u32 want_cookie = 0;

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
	r.tgid = (__u32)task->tgid;
	r.fd = (__s32)ctx->fd;
	r.inode = file->f_inode->i_ino;
	r.cookie = want_cookie && sk ? bpf_get_socket_cookie(sk) : 0;
	/* two direct loads: the task is at hand, a probe read would cost more */
	r.comm64[0] = ((const __u64 *)task->comm)[0];
	r.comm64[1] = ((const __u64 *)task->comm)[1];
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
