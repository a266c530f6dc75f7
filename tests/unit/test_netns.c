// SPDX-License-Identifier: MIT
/* lib/netns: names as ip netns takes them; entering one that is not there fails cleanly. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "netns.h"

static void test_names(void **state)
{
	char longname[300];

	(void)state;
	assert_true(nd_netns_valid_name("blue"));
	assert_true(nd_netns_valid_name("nd123-a-1"));
	assert_false(nd_netns_valid_name(""));
	assert_false(nd_netns_valid_name("."));
	assert_false(nd_netns_valid_name(".."));
	assert_false(nd_netns_valid_name("a/b"));
	assert_false(nd_netns_valid_name("../../proc/1/ns/net"));
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	assert_false(nd_netns_valid_name(longname));
}

static void test_enter_errors(void **state)
{
	(void)state;
	assert_int_equal(nd_netns_enter("../x"), -EINVAL);
	assert_int_equal(nd_netns_enter(""), -EINVAL);
	assert_int_equal(nd_netns_enter("nd-no-such-namespace-at-all"), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_enter_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
