// SPDX-License-Identifier: MIT
/* Loads owners.bpf.c, the iter/task_file program behind -p, and reads its records. */
#include "owners_bpf.h"

#include <errno.h>

#ifdef ND_HAVE_BPF
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "owners.skel.h"

struct cs_owners_bpf {
	struct owners_bpf *skel;
	struct bpf_link *link;
};

/* libbpf's messages only with CONNSTAT_BPF_DEBUG=1: a failed load falls back quietly. */
__attribute__((format(printf, 2, 0)))
static int libbpf_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (!getenv("CONNSTAT_BPF_DEBUG"))
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int cs_owners_bpf_open(struct cs_owners_bpf **out, uint32_t netns_ino, bool cookies)
{
	struct cs_owners_bpf *b = calloc(1, sizeof(*b));
	int err;

	if (!b)
		return -ENOMEM;
	libbpf_set_print(libbpf_log);
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
	*out = b;
	return 0;
fail:
	cs_owners_bpf_close(b);
	return err < 0 ? err : -EINVAL;
}

int cs_owners_bpf_read(struct cs_owners_bpf *b,
		       int (*cb)(const struct cs_owner_rec *r, void *data), void *data)
{
	/* the iterator hands out at most its seq_file buffer (8 pages) per read */
	static char buf[64 * 1024];
	size_t have = 0, rec = sizeof(struct cs_owner_rec);
	int fd = bpf_iter_create(bpf_link__fd(b->link));
	int err = 0;

	if (fd < 0)
		return -errno;
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);
		size_t off = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			err = -errno;
			break;
		}
		if (n == 0)
			break;
		have += (size_t)n;
		for (; have - off >= rec && !err; off += rec) {
			struct cs_owner_rec r;

			memcpy(&r, buf + off, rec);
			err = cb(&r, data);
		}
		if (err)
			break;
		memmove(buf, buf + off, have - off);
		have -= off;
	}
	close(fd);
	if (!err && have)
		err = -EPROTO; /* a torn record: the two sides disagree on the layout */
	return err;
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

int cs_owners_bpf_read(struct cs_owners_bpf *b,
		       int (*cb)(const struct cs_owner_rec *r, void *data), void *data)
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
