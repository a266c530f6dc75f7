// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mem.h"

#define PAGE ((size_t)sysconf(_SC_PAGESIZE))

/* how many of the @n pages from page-aligned @p are resident */
static size_t resident(void *p, size_t n)
{
	unsigned char vec[512];
	size_t k = 0;

	assert_true(n <= sizeof(vec));
	assert_int_equal(mincore(p, n * PAGE, vec), 0);
	for (size_t i = 0; i < n; i++)
		k += vec[i] & 1;
	return k;
}

/* whether this kernel knows MADV_POPULATE_WRITE (5.14 and later) */
static int kernel_populates(void)
{
	void *p = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ok;

	assert_true(p != MAP_FAILED);
	ok = madvise(p, PAGE, 23 /* MADV_POPULATE_WRITE */) == 0;
	munmap(p, PAGE);
	return ok;
}

static void test_populate_maps_whole_pages(void **state)
{
	size_t n = 64;
	char *p = mmap(NULL, n * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)state;
	if (!kernel_populates())
		skip();
	assert_true(p != MAP_FAILED);
	assert_int_equal(resident(p, n), 0);
	/* from the middle of page 1 to the middle of page 10: pages 2..9 are whole */
	nd_populate(p + PAGE + 100, 9 * PAGE);
	assert_int_equal(resident(p, n), 8);
	assert_int_equal(resident(p + 2 * PAGE, 8), 8);
	/* the pages read as zero, as fresh anonymous memory does */
	for (size_t i = 2 * PAGE; i < 10 * PAGE; i += 512)
		assert_int_equal(p[i], 0);
	/* less than a whole page: nothing to do, nothing done */
	nd_populate(p + 20 * PAGE + 1, PAGE - 2);
	assert_int_equal(resident(p + 20 * PAGE, 1), 0);
	munmap(p, n * PAGE);
}

static void test_map_grow_keeps_moves_and_maps(void **state)
{
	size_t old = 1000, size = 256 * PAGE;
	unsigned char *p = nd_map_grow(NULL, 0, old);

	(void)state;
	assert_non_null(p);
	assert_int_equal((uintptr_t)p % PAGE, 0);
	/* a new array reads as zero and is mapped already */
	assert_int_equal(p[old - 1], 0);
	if (kernel_populates())
		assert_int_equal(resident(p, 1), 1);
	for (size_t i = 0; i < old; i++)
		p[i] = (unsigned char)(i * 7);
	p = nd_map_grow(p, old, size);
	assert_non_null(p);
	for (size_t i = 0; i < old; i++)
		assert_int_equal(p[i], (unsigned char)(i * 7));
	/* every page past the used one is mapped before anything writes it */
	if (kernel_populates())
		assert_int_equal(resident(p + PAGE, 255), 255);
	assert_int_equal(p[size - 1], 0);
	memset(p + old, 0xab, size - old);
	assert_int_equal(p[size - 1], 0xab);
	/* within the same pages: the same array */
	assert_ptr_equal(nd_map_grow(p, size, size - 10), p);
	nd_map_free(p, size);
}

static void test_map_grow_shrinks(void **state)
{
	char *p = nd_map_grow(NULL, 0, 64 * PAGE);

	(void)state;
	assert_non_null(p);
	strcpy(p, "kept");
	p = nd_map_grow(p, 64 * PAGE, 16);
	assert_non_null(p);
	assert_string_equal(p, "kept");
	nd_map_free(p, 16);
	nd_map_free(NULL, 0);
}

static void test_map_grow_refuses(void **state)
{
	char *p = nd_map_grow(NULL, 0, PAGE);

	(void)state;
	assert_non_null(p);
	strcpy(p, "still here");
	/* no room in the address space, a size that wraps when rounded, an empty array */
	assert_null(nd_map_grow(p, PAGE, SIZE_MAX / 2));
	assert_null(nd_map_grow(p, PAGE, SIZE_MAX - 1));
	assert_null(nd_map_grow(NULL, 0, 0));
	assert_string_equal(p, "still here");
	nd_map_free(p, PAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_populate_maps_whole_pages),
		cmocka_unit_test(test_map_grow_keeps_moves_and_maps),
		cmocka_unit_test(test_map_grow_shrinks),
		cmocka_unit_test(test_map_grow_refuses),
	};

	return cmocka_run_group_tests_name("mem", tests, NULL, NULL);
}
