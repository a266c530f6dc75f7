/* SPDX-License-Identifier: MIT */
#ifndef ND_TEST_CAPTURE_H
#define ND_TEST_CAPTURE_H

/*
 * The writer's output (lib/out) captured in memory, the one way the unit tests read what a
 * call printed: capture_begin(), the calls, then the text in c->buf after capture_text() (or
 * nd_out_flush()), and capture_end().
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "out.h"

struct capture {
	FILE *f;
	char *buf; /* what was written, NUL-terminated, after a flush */
	size_t len;
};

/* capture_begin - the writer prints into @c from now on, as text or (@json) JSON. */
static inline int capture_begin(struct capture *c, bool json)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f)
		return -1;
	nd_out_init(c->f, json);
	return 0;
}

/* capture_text - close what the writer left open, flush, and return all it wrote. */
static inline const char *capture_text(struct capture *c)
{
	nd_out_finish();
	return c->buf;
}

/* capture_end - the writer pointed at /dev/null (it flushes again at exit); @c's memory freed. */
static inline void capture_end(struct capture *c)
{
	static FILE *devnull;

	nd_out_finish();
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	nd_out_init(devnull, false);
	fclose(c->f);
	free(c->buf);
	c->f = NULL;
	c->buf = NULL;
}

#endif
