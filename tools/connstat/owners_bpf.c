// SPDX-License-Identifier: MIT
/* Loads owners.bpf.c, the iter/task_file program behind -p, and reads its records. */
#include "owners_bpf.h"

#include <errno.h>

#ifdef ND_HAVE_BPF
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_log.h"
#include "owners.skel.h"
#include "proc.h"
#include "workers.h"

struct cs_owners_bpf {
	struct owners_bpf *skel;
	struct bpf_link *link; /* every process */
	bool per_pid;          /* the kernel takes a pid for a task iterator (6.1) */
};

/* Whether the kernel takes a pid for a task iterator (6.1), tried on this process. */
static bool per_pid_works(struct bpf_program *prog)
{
	union bpf_iter_link_info linfo = { .task.pid = (__u32)getpid() };
	LIBBPF_OPTS(bpf_iter_attach_opts, opts, .link_info = &linfo,
		    .link_info_len = sizeof(linfo));
	struct bpf_link *link = bpf_program__attach_iter(prog, &opts);
	bool ok = link != NULL;

	bpf_link__destroy(link);
	return ok;
}

int cs_owners_bpf_open(struct cs_owners_bpf **out, uint32_t netns_ino, bool cookies)
{
	struct cs_owners_bpf *b = calloc(1, sizeof(*b));
	int err;

	if (!b)
		return -ENOMEM;
	cs_bpf_log_setup();
	b->skel = owners_bpf__open();
	if (!b->skel) {
		err = -errno;
		goto fail;
	}
	b->skel->rodata->target_netns = netns_ino;
	b->skel->rodata->want_cookie = cookies;
	err = owners_bpf__load(b->skel);
	if (err)
		goto fail;
	b->link = bpf_program__attach_iter(b->skel->progs.socket_files, NULL);
	if (!b->link) {
		err = -errno;
		goto fail;
	}
	b->per_pid = per_pid_works(b->skel->progs.socket_files);
	*out = b;
	return 0;
fail:
	cs_owners_bpf_close(b);
	return err < 0 ? err : -EINVAL;
}

/* Every record of the iterator @fd to @cb, through @buf (whole records, @size bytes). */
static int read_iter(int fd, char *buf, size_t size,
		     int (*cb)(const struct cs_owner_rec *r, void *data), void *data)
{
	size_t have = 0, rec = sizeof(struct cs_owner_rec);
	int err = 0;

	for (;;) {
		ssize_t n = read(fd, buf + have, size - have);
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		have += (size_t)n;
		for (; have - off >= rec && !err; off += rec) {
			struct cs_owner_rec r;

			memcpy(&r, buf + off, rec);
			err = cb(&r, data);
		}
		if (err)
			return err;
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	return have ? -EPROTO : 0; /* a torn record: the two sides disagree on the layout */
}

/* the iterator hands out at most its seq_file buffer (8 pages) per read */
#define READ_BUF (64 * 1024)

/* One link's iterator, read once. */
static int read_link(struct bpf_link *link, char *buf,
		     int (*cb)(const struct cs_owner_rec *r, void *data), void *data)
{
	int fd = bpf_iter_create(bpf_link__fd(link));
	int err;

	if (fd < 0)
		return -errno;
	err = read_iter(fd, buf, READ_BUF, cb, data);
	close(fd);
	return err;
}

/* The records one thread collected. */
struct part {
	struct cs_owner_rec *r;
	size_t n, cap;
	int err;
};

struct split {
	struct bpf_program *prog;
	const int *pids;
	size_t npids;
	atomic_size_t next;
	struct part part[ND_WORKERS_MAX];
};

static int collect(const struct cs_owner_rec *r, void *data)
{
	struct part *p = data;

	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 4096;
		struct cs_owner_rec *t = realloc(p->r, cap * sizeof(*t));

		if (!t)
			return -ENOMEM;
		p->r = t;
		p->cap = cap;
	}
	p->r[p->n++] = *r;
	return 0;
}

/* Take processes one by one: an iterator of one process's files each. */
static void *worker_run(void *arg)
{
	struct nd_worker *w = arg;
	struct split *sp = w->job;
	struct part *p = &sp->part[w->id];
	char *buf = malloc(READ_BUF);
	size_t i;

	if (!buf) {
		p->err = -ENOMEM;
		return NULL;
	}
	while (!p->err && (i = atomic_fetch_add(&sp->next, 1)) < sp->npids) {
		union bpf_iter_link_info linfo = { .task.pid = (__u32)sp->pids[i] };
		LIBBPF_OPTS(bpf_iter_attach_opts, opts, .link_info = &linfo,
			    .link_info_len = sizeof(linfo));
		struct bpf_link *link = bpf_program__attach_iter(sp->prog, &opts);

		if (!link) {
			if (errno != ENOENT && errno != ESRCH) /* not gone since the listing */
				p->err = -errno;
			continue;
		}
		p->err = read_link(link, buf, collect, p);
		bpf_link__destroy(link);
	}
	free(buf);
	return NULL;
}

/*
 * The kernel's walk over every open file is most of a read's cost and runs in parallel for
 * different processes: with more than one CPU, threads take processes one at a time, each with
 * an iterator of its own (a task iterator with a pid: kernel 6.1), and collect the records;
 * @cb then sees them here, in this thread.
 */
static int read_split(struct cs_owners_bpf *b, int nthreads,
		      int (*cb)(const struct cs_owner_rec *r, void *data), void *data)
{
	struct split sp = { .prog = b->skel->progs.socket_files };
	int *pids, err;

	err = nd_proc_list_pids("/proc", &pids, &sp.npids);
	if (err)
		return err;
	sp.pids = pids;
	atomic_init(&sp.next, 0);
	nd_workers_run(nthreads, worker_run, &sp);
	for (int i = 0; i < nthreads; i++) {
		struct part *p = &sp.part[i];

		if (!err)
			err = p->err;
		for (size_t k = 0; k < p->n && !err; k++)
			err = cb(&p->r[k], data);
		free(p->r);
	}
	free(pids);
	return err;
}

int cs_owners_bpf_read(struct cs_owners_bpf *b, int (*cb)(const struct cs_owner_rec *r, void *data),
		       void *data)
{
	static char buf[READ_BUF];
	int nthreads = nd_workers_count();

	if (nthreads > 1 && b->per_pid)
		return read_split(b, nthreads, cb, data);
	return read_link(b->link, buf, cb, data);
}

void cs_owners_bpf_close(struct cs_owners_bpf *b)
{
	if (!b)
		return;
	bpf_link__destroy(b->link);
	owners_bpf__destroy(b->skel);
	free(b);
}

#else /* a build without BPF */

int cs_owners_bpf_open(struct cs_owners_bpf **b, uint32_t netns_ino, bool cookies)
{
	(void)b;
	(void)netns_ino;
	(void)cookies;
	return -EOPNOTSUPP;
}

int cs_owners_bpf_read(struct cs_owners_bpf *b, int (*cb)(const struct cs_owner_rec *r, void *data),
		       void *data)
{
	(void)b;
	(void)cb;
	(void)data;
	return -EOPNOTSUPP;
}

void cs_owners_bpf_close(struct cs_owners_bpf *b)
{
	(void)b;
}

#endif
