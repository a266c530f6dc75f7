// SPDX-License-Identifier: MIT
/* nd_errf: the message cut to the buffer, nothing written without one, the code given back. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "errbuf.h"

static void test_errf(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(nd_errf(buf, sizeof(buf), -EINVAL, "bad %s", "x"), -EINVAL);
	assert_string_equal(buf, "bad x");
	assert_int_equal(nd_errf(buf, sizeof(buf), -1, "too long: %d", 12345), -1);
	assert_string_equal(buf, "too lon");
	memset(buf, 'z', sizeof(buf));
	assert_int_equal(nd_errf(buf, 0, -2, "nothing"), -2);
	assert_int_equal(buf[0], 'z');
	assert_int_equal(nd_errf(NULL, 16, -3, "nowhere"), -3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errf),
	};

	return cmocka_run_group_tests_name("errbuf", tests, NULL, NULL);
}
