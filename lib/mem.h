/* SPDX-License-Identifier: MIT */
#ifndef ND_MEM_H
#define ND_MEM_H

#include <stddef.h>

/*
 * Memory for arrays that grow with a dump.  A fresh anonymous page costs a page fault on first
 * touch: about 12 us each in this project's VM, where the 600 pages of ifinfo's tables for
 * 2,000 links were a quarter of its run time.  Asking the kernel to map the new part of an
 * array in one call (MADV_POPULATE_WRITE) costs about a third of that, and growing the array
 * with mremap() moves its pages instead of copying them into fresh ones.
 */

/*
 * nd_populate - map the whole pages inside [@p, @p + @len) now, writable, in one call, so that
 * writing them later takes no page fault.  Best effort: on a kernel before 5.14 (EINVAL) or on
 * any other error nothing happens and the pages fault in on first touch, as without it.
 */
void nd_populate(void *p, size_t len);

/*
 * nd_map_grow - resize an array that lives in an anonymous mapping of its own from @old to
 * @size bytes (@p NULL and @old 0 for a new array).  The pages move with mremap(), never
 * copied, and the part past @old is populated.  Returns the array, or NULL with @p left as it
 * was.  Free it with nd_map_free(p, size).
 */
void *nd_map_grow(void *p, size_t old, size_t size);

/* nd_map_free - unmap an array of @size bytes from nd_map_grow(); NULL is allowed. */
void nd_map_free(void *p, size_t size);

#endif
