/* SPDX-License-Identifier: MIT */
/*
 * testdata.h - canned kernel bytes from tests/data/unit/ for the unit tests.  Include after cmocka.h.
 * Files are found under $ND_ROOT (tests/run.sh sets it) or the current directory.
 */
#ifndef ND_TESTDATA_H
#define ND_TESTDATA_H

#include <stdio.h>
#include <stdlib.h>

static inline FILE *nd_test_open(const char *name)
{
	const char *root = getenv("ND_ROOT");
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/unit/%s", root ? root : ".", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	return f;
}

/* nd_test_load - read @name into @buf (at most @cap bytes); the file must not be empty. */
static inline size_t nd_test_load(const char *name, void *buf, size_t cap)
{
	FILE *f = nd_test_open(name);
	size_t n = fread(buf, 1, cap, f);

	fclose(f);
	assert_true(n > 0);
	return n;
}

/* nd_test_load_all - the whole of @name in a malloc'd buffer, its length in *@len. */
static inline void *nd_test_load_all(const char *name, size_t *len)
{
	FILE *f = nd_test_open(name);
	long n;
	void *buf;

	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
