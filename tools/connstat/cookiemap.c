// SPDX-License-Identifier: MIT
/* Socket cookie -> record: linear probing, backward-shift deletion. */
#include "cookiemap.h"

#include <stdlib.h>
#include <string.h>

static size_t slot_of(uint64_t cookie, size_t cap)
{
	/* cookies are sequential: spread them (Fibonacci hashing) */
	return (size_t)((cookie * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

struct cs_cmap_ent *cs_cmap_get(const struct cs_cmap *m, uint64_t cookie)
{
	if (!m->cap || !cookie)
		return NULL;
	for (size_t i = slot_of(cookie, m->cap);; i = (i + 1) & (m->cap - 1)) {
		if (m->t[i].cookie == cookie)
			return &m->t[i];
		if (!m->t[i].cookie)
			return NULL;
	}
}

static int grow(struct cs_cmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 256;
	struct cs_cmap_ent *t = calloc(cap, sizeof(*t));

	if (!t)
		return -1;
	for (size_t i = 0; i < m->cap; i++) {
		size_t j;

		if (!m->t[i].cookie)
			continue;
		for (j = slot_of(m->t[i].cookie, cap); t[j].cookie; j = (j + 1) & (cap - 1))
			;
		t[j] = m->t[i];
	}
	free(m->t);
	m->t = t;
	m->cap = cap;
	return 0;
}

struct cs_cmap_ent *cs_cmap_put(struct cs_cmap *m, uint64_t cookie)
{
	struct cs_cmap_ent *e = cs_cmap_get(m, cookie);
	size_t i;

	if (e || !cookie)
		return e;
	/* at most half full: probes stay short */
	if ((m->n + 1) * 2 > m->cap && grow(m))
		return NULL;
	for (i = slot_of(cookie, m->cap); m->t[i].cookie; i = (i + 1) & (m->cap - 1))
		;
	memset(&m->t[i], 0, sizeof(m->t[i]));
	m->t[i].cookie = cookie;
	m->n++;
	return &m->t[i];
}

void cs_cmap_del(struct cs_cmap *m, struct cs_cmap_ent *e)
{
	size_t mask = m->cap - 1, hole = (size_t)(e - m->t), i = hole;

	/* move back every later entry of the cluster whose home does not lie in (hole, i] */
	for (;;) {
		size_t home;

		i = (i + 1) & mask;
		if (!m->t[i].cookie)
			break;
		home = slot_of(m->t[i].cookie, m->cap);
		if (((i - home) & mask) >= ((i - hole) & mask)) {
			m->t[hole] = m->t[i];
			hole = i;
		}
	}
	m->t[hole].cookie = 0;
	m->n--;
}

void cs_cmap_free(struct cs_cmap *m)
{
	free(m->t);
	m->t = NULL;
	m->cap = m->n = 0;
}
