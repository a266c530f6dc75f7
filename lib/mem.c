// SPDX-License-Identifier: MIT
/* Growing arrays without a page fault per fresh page. */
#define _GNU_SOURCE /* mremap */
#include "mem.h"

#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23 /* <linux/mman.h>, Linux 5.14 */
#endif

static uintptr_t page_size(void)
{
	static uintptr_t page;

	if (!page) {
		long n = sysconf(_SC_PAGESIZE);

		page = n > 0 ? (uintptr_t)n : 4096;
	}
	return page;
}

static size_t round_up(size_t n)
{
	return (n + page_size() - 1) & ~(page_size() - 1);
}

void nd_populate(void *p, size_t len)
{
	uintptr_t page = page_size();
	/* only whole pages: the partial ones at either end hold other data and are mapped */
	uintptr_t start = ((uintptr_t)p + page - 1) & ~(page - 1);
	uintptr_t end = ((uintptr_t)p + len) & ~(page - 1);

	if (end > start)
		(void)madvise((void *)start, end - start, MADV_POPULATE_WRITE);
}

void *nd_map_grow(void *p, size_t old, size_t size)
{
	size_t have = p ? round_up(old) : 0, want = round_up(size);
	void *q;

	if (size == 0 || want < size)
		return NULL;
	if (want == have)
		return p;
	if (!p)
		q = mmap(NULL, want, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	else
		q = mremap(p, have, want, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		return NULL;
	if (want > have)
		nd_populate((char *)q + have, want - have);
	return q;
}

void nd_map_free(void *p, size_t size)
{
	if (p)
		munmap(p, round_up(size));
}
