// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file.h"

/* a temporary file holding @n bytes of a repeating pattern; its path in @path */
static void make_file(char *path, size_t n)
{
	int fd;
	FILE *f;

	strcpy(path, "/tmp/nd_test_file.XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fputc('a' + (int)(i % 26), f);
	assert_int_equal(fclose(f), 0);
}

static void check_pattern(const char *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != 'a' + (int)(i % 26))
			fail_msg("byte %zu is %c", i, buf[i]);
}

static void test_whole_file(void **state)
{
	char path[32];
	size_t len;
	char *buf;

	(void)state;
	/* past several doublings of the buffer, not on a power of two */
	make_file(path, 100000);
	buf = nd_file_read(path, (size_t)-1, &len);
	assert_non_null(buf);
	assert_int_equal(len, 100000);
	check_pattern(buf, len);
	free(buf);
	unlink(path);
}

static void test_at_most_max(void **state)
{
	char path[32];
	size_t len;
	char *buf;

	(void)state;
	make_file(path, 10000);
	buf = nd_file_read(path, 5000, &len);
	assert_non_null(buf);
	assert_int_equal(len, 5000);
	check_pattern(buf, len);
	free(buf);
	/* exactly the file's size */
	buf = nd_file_read(path, 10000, &len);
	assert_int_equal(len, 10000);
	free(buf);
	unlink(path);
}

static void test_empty_and_missing(void **state)
{
	char path[32];
	size_t len = 7;
	char *buf;

	(void)state;
	make_file(path, 0);
	buf = nd_file_read(path, 4096, &len);
	assert_non_null(buf);
	assert_int_equal(len, 0);
	free(buf);
	unlink(path);
	errno = 0;
	len = 7;
	assert_null(nd_file_read(path, 4096, &len));
	assert_int_equal(errno, ENOENT);
	assert_int_equal(len, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_file),
		cmocka_unit_test(test_at_most_max),
		cmocka_unit_test(test_empty_and_missing),
	};

	return cmocka_run_group_tests_name("file", tests, NULL, NULL);
}
