/* SPDX-License-Identifier: MIT */
#ifndef CS_COOKIEMAP_H
#define CS_COOKIEMAP_H

#include <stddef.h>
#include <stdint.h>

#include "events_abi.h"

/*
 * Socket cookie -> the last record seen for it: an open-addressing hash table with linear probing
 * and backward-shift deletion (no tombstones), for -E's TIME-WAIT watch and its sampling diff.
 */
struct cs_cmap_ent {
	uint64_t cookie; /* 0: free slot (the kernel never hands out cookie 0) */
	uint32_t gen;    /* the sample that last saw it */
	uint32_t flags;  /* the user's */
	uint64_t aux;    /* the user's */
	struct cs_ev_rec rec;
};

struct cs_cmap {
	struct cs_cmap_ent *t;
	size_t cap, n; /* cap: a power of two */
};

/* cs_cmap_get - the entry of @cookie, or NULL. */
struct cs_cmap_ent *cs_cmap_get(const struct cs_cmap *m, uint64_t cookie);

/*
 * cs_cmap_put - the entry of @cookie, added (zeroed but for the cookie) when missing.  Pointers
 * into the table are valid until the next put or del.  Returns NULL on ENOMEM or cookie 0.
 */
struct cs_cmap_ent *cs_cmap_put(struct cs_cmap *m, uint64_t cookie);

/* cs_cmap_del - remove entry @e.  A walk at slot i stays valid: look at slot i again after. */
void cs_cmap_del(struct cs_cmap *m, struct cs_cmap_ent *e);

/* cs_cmap_free - free the table; the map is empty and usable again afterwards. */
void cs_cmap_free(struct cs_cmap *m);

#endif
