// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * connstat -p: every socket file of every process in one read, from an iter/task_file program.
 * A record per socket (see owners_abi.h); the kernel skips the threads that share their
 * leader's file table, and the rest of the non-leader threads are skipped here, so that the
 * result is what /proc/<pid>/fd shows.  With target_netns set only the sockets of that network
 * namespace are written.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "owners_abi.h"

/* Set by the loader before load: the network namespace's inode number, 0 for all. */
const volatile __u32 target_netns = 0;

SEC("iter/task_file")
int socket_files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct cs_owner_rec r = {};
	struct socket *sock;
	struct sock *sk;

	if (!task || !file || task->pid != task->tgid)
		return 0;
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	sk = sock->sk;
	if (!sk)
		return 0;
	if (target_netns && BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum) != target_netns)
		return 0;
	r.tgid = (__u32)task->tgid;
	r.fd = (__s32)ctx->fd;
	r.inode = BPF_CORE_READ(file, f_inode, i_ino);
	r.cookie = bpf_get_socket_cookie(sk);
	BPF_CORE_READ_STR_INTO(&r.comm, task, comm);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}

char LICENSE[] SEC("license") = "Dual MIT/GPL";
