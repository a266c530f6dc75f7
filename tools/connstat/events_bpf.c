// SPDX-License-Identifier: MIT
/* connstat -E's BPF source: load events.bpf.c's skeleton, feed the ring buffer to a handler. */
#include "events.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#ifdef ND_HAVE_BPF
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf_log.h"
#include "events.skel.h"

/* Wake the reader once this much waits in the ring (the rest it finds on its own poll). */
#define WAKEUP_BYTES (256u << 10)

struct cs_evbpf {
	struct events_bpf *skel;
	struct ring_buffer *rb;
	cs_ev_fn fn;
	void *data;
	int stop;
};

static int on_record(void *ctx, void *data, size_t size)
{
	struct cs_evbpf *b = ctx;

	if (size < sizeof(struct cs_ev_rec))
		return 0;
	b->stop = b->fn(data, b->data);
	return b->stop ? -ECANCELED : 0;
}

int cs_evbpf_open(struct cs_evbpf **out, uint32_t netns, cs_ev_fn fn, void *data)
{
	struct cs_evbpf *b = calloc(1, sizeof(*b));
	int e;

	if (!b)
		return -ENOMEM;
	cs_bpf_log_setup();
	b->fn = fn;
	b->data = data;
	b->skel = events_bpf__open();
	if (!b->skel) {
		e = -errno;
		goto fail;
	}
	b->skel->rodata->target_netns = netns;
	b->skel->rodata->wakeup_bytes = WAKEUP_BYTES;
	e = events_bpf__load(b->skel);
	if (e)
		goto fail;
	b->rb = ring_buffer__new(bpf_map__fd(b->skel->maps.events), on_record, b, NULL);
	if (!b->rb) {
		e = -errno;
		goto fail;
	}
	*out = b;
	return 0;
fail:
	cs_evbpf_close(b);
	return e < 0 ? e : -EINVAL;
}

int cs_evbpf_attach(struct cs_evbpf *b)
{
	return events_bpf__attach(b->skel);
}

int cs_evbpf_owner(struct cs_evbpf *b, uint64_t cookie, uint32_t pid, const char *comm,
		   bool listener, uint32_t netns, uint16_t lport)
{
	struct cs_ev_sock s = { .pid = pid };

	strncpy(s.comm, comm, sizeof(s.comm) - 1);
	if (listener) {
		struct cs_ev_lkey k = { .netns = netns, .port = lport };

		if (bpf_map_update_elem(bpf_map__fd(b->skel->maps.listeners), &k, &s, BPF_ANY))
			return -errno;
	}
	b->skel->bss->seeded = 1;
	/* taken by the program the first time it sees the socket, if it has not yet */
	if (bpf_map_update_elem(bpf_map__fd(b->skel->maps.seeds), &cookie, &s, BPF_NOEXIST) &&
	    errno != EEXIST)
		return -errno;
	return 0;
}

int cs_evbpf_poll(struct cs_evbpf *b, int timeout_ms)
{
	int e;

	/* woken per batch: after the wait, read what came without a wake-up too */
	e = ring_buffer__poll(b->rb, timeout_ms);
	if (e >= 0 && !b->stop)
		e = ring_buffer__consume(b->rb);
	if (b->stop)
		return 1;
	return e < 0 && e != -EINTR ? e : 0;
}

uint64_t cs_evbpf_lost(const struct cs_evbpf *b)
{
	struct bpf_prog_info info;
	uint32_t len = sizeof(info);
	uint64_t skipped = 0;

	memset(&info, 0, sizeof(info));
	if (!bpf_obj_get_info_by_fd(bpf_program__fd(b->skel->progs.on_state), &info, &len) &&
	    len >= offsetof(struct bpf_prog_info, recursion_misses) + sizeof(info.recursion_misses))
		skipped = info.recursion_misses;
	return __atomic_load_n(&b->skel->bss->lost, __ATOMIC_RELAXED) + skipped;
}

void cs_evbpf_close(struct cs_evbpf *b)
{
	if (!b)
		return;
	ring_buffer__free(b->rb);
	events_bpf__destroy(b->skel);
	free(b);
}

#else /* no BPF in this build */

int cs_evbpf_attach(struct cs_evbpf *b)
{
	(void)b;
	return -EOPNOTSUPP;
}

int cs_evbpf_open(struct cs_evbpf **out, uint32_t netns, cs_ev_fn fn, void *data)
{
	(void)out, (void)netns, (void)fn, (void)data;
	return -EOPNOTSUPP;
}

int cs_evbpf_owner(struct cs_evbpf *b, uint64_t cookie, uint32_t pid, const char *comm,
		   bool listener, uint32_t netns, uint16_t lport)
{
	(void)b, (void)cookie, (void)pid, (void)comm, (void)listener, (void)netns, (void)lport;
	return -EOPNOTSUPP;
}

int cs_evbpf_poll(struct cs_evbpf *b, int timeout_ms)
{
	(void)b, (void)timeout_ms;
	return -EOPNOTSUPP;
}

uint64_t cs_evbpf_lost(const struct cs_evbpf *b)
{
	(void)b;
	return 0;
}

void cs_evbpf_close(struct cs_evbpf *b)
{
	(void)b;
}

#endif
