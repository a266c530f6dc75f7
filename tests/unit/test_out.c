// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "out.h"

/* Each test writes into a memory stream and compares the whole text. */
static int cap_open(void **state)
{
	struct capture *c = calloc(1, sizeof(*c));

	*state = c;
	return c ? capture_begin(c, false) : -1;
}

static int cap_close(void **state)
{
	struct capture *c = *state;

	capture_end(c);
	free(c);
	return 0;
}

static void test_json_object(void **state)
{
	struct capture *c = *state;

	nd_out_init(c->f, true);
	nd_out_open_array(NULL);
	nd_out_open_object(NULL);
	nd_out_uint(ND_ANY, "ifindex", "%u: ", 1);
	nd_out_str(ND_ANY, "ifname", "%s", "lo");
	nd_out_open_array("flags");
	nd_out_str(ND_ANY, NULL, "%s", "UP");
	nd_out_str(ND_ANY, NULL, "%s", "LOOPBACK");
	nd_out_close_array();
	nd_out_u64(ND_ANY, "bytes", "%lu", 18446744073709551615ull);
	nd_out_s64(ND_ANY, "delta", "%ld", -5);
	nd_out_int(ND_ANY, "neg", "%d", -1);
	nd_out_bool(ND_ANY, "up", "%s", true);
	nd_out_null(ND_ANY, "master", "-");
	nd_out_double(ND_ANY, "rtt", "%.3f", 0.0456, 3);
	nd_out_double(ND_ANY, "nan", "%.3f", NAN, 3);
	nd_out_str(ND_TEXT, "hidden", "%s", "text only");
	nd_out_str(ND_JSON, "jsononly", "%s", "yes");
	nd_out_text("text %d", 1);
	nd_out_close_object();
	nd_out_open_object(NULL);
	nd_out_close_object();
	nd_out_close_array();
	assert_string_equal(capture_text(c),
			    "[{\"ifindex\":1,\"ifname\":\"lo\",\"flags\":[\"UP\",\"LOOPBACK\"],"
			    "\"bytes\":18446744073709551615,\"delta\":-5,\"neg\":-1,\"up\":true,"
			    "\"master\":null,\"rtt\":0.046,\"nan\":null,\"jsononly\":\"yes\"},{}]\n");
}

/* Fixed-point numbers: every digit exact, zeros kept, signs, no decimals; text through fmt. */
static void test_fixed(void **state)
{
	struct capture *c = *state;

	nd_out_init(c->f, true);
	nd_out_open_object(NULL);
	nd_out_fixed(ND_ANY, "t", "%f", 1796163766539181, 6);
	nd_out_fixed(ND_ANY, "ms", "%f", 5, 3);
	nd_out_fixed(ND_ANY, "neg", "%f", -1234, 3);
	nd_out_fixed(ND_ANY, "zero", "%f", 0, 2);
	nd_out_fixed(ND_ANY, "int", "%f", 42, 0);
	nd_out_fixed(ND_ANY, "max", "%f", INT64_MIN, 18);
	nd_out_close_object();
	assert_string_equal(capture_text(c), "{\"t\":1796163766.539181,\"ms\":0.005,\"neg\":-1.234,"
					 "\"zero\":0.00,\"int\":42,\"max\":-9.223372036854775808}\n");
}

static void test_fixed_text(void **state)
{
	struct capture *c = *state;

	nd_out_init(c->f, false);
	nd_out_fixed(ND_ANY, "ms", "%.3f ms", 12345, 3);
	assert_string_equal(capture_text(c), "12.345 ms");
}

static void test_text_mode(void **state)
{
	struct capture *c = *state;

	nd_out_init(c->f, false);
	nd_out_open_object(NULL);
	nd_out_str(ND_ANY, "ifname", "%s: ", "eth0");
	nd_out_uint(ND_ANY, "mtu", "mtu %u", 1500);
	nd_out_str(ND_JSON, "hidden", "%s", "json only");
	nd_out_str(ND_ANY, "nofmt", NULL, "nothing in text");
	nd_out_double(ND_ANY, "rtt", " time=%.3f ms", 0.04567, 3);
	nd_out_bool(ND_ANY, "b", " %s", false);
	nd_out_str(ND_ANY, "null", " %s", NULL);
	nd_out_text("\n");
	nd_out_close_object();
	assert_string_equal(capture_text(c), "eth0: mtu 1500 time=0.046 ms false -\n");
}

/* A line longer than the struct's own room moves to the heap whole; padding, numbers, trim. */
static void test_line(void **state)
{
	struct capture *c = *state;
	struct nd_line l;
	char want[3000];
	size_t n;

	nd_out_init(c->f, false);
	nd_line_init(&l);
	nd_line_str(&l, "a");
	nd_line_pad_to(&l, 4);
	nd_line_u64(&l, 18446744073709551615ull);
	nd_line_put(&l, " |", 2);
	nd_line_pad_to(&l, 2500);
	nd_line_str(&l, "end   ");
	nd_line_trim(&l);
	nd_line_str(&l, "\n");
	nd_line_write(&l);
	nd_line_str(&l, "again\n");
	nd_line_write(&l);
	nd_line_free(&l);
	n = (size_t)snprintf(want, sizeof(want), "a   18446744073709551615 |");
	memset(want + n, ' ', 2500 - n);
	strcpy(want + 2500, "end\nagain\n");
	assert_string_equal(capture_text(c), want);
	assert_int_equal(nd_out_write_error(), 0);
}

static void test_escape(void **state)
{
	struct capture *c = *state;
	/* quote, backslash, newline, tab, a control byte, DEL, valid UTF-8 (é, €, 😀),
	 * then bytes that are not UTF-8: a lone continuation, a truncated sequence, an overlong
	 * form, a surrogate */
	static const char in[] = "a\"b\\c\nd\te\x01\x7f"
				 "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
				 "\x80"
				 "\xe2\x82"
				 "\xc0\xaf"
				 "\xed\xa0\x80";

	nd_out_init(c->f, true);
	nd_out_str(ND_ANY, NULL, NULL, in);
	assert_string_equal(capture_text(c), "\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f"
					 "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
					 "\\u0080"
					 "\\u00e2\\u0082"
					 "\\u00c0\\u00af"
					 "\\u00ed\\u00a0\\u0080\"\n");
}

static void test_strn_embedded_nul(void **state)
{
	struct capture *c = *state;

	nd_out_init(c->f, true);
	nd_out_open_object(NULL);
	nd_out_strn(ND_ANY, "path", "%s", "@abs\0tract", 10);
	nd_out_close_object();
	assert_string_equal(capture_text(c), "{\"path\":\"@abs\\u0000tract\"}\n");
}

static void test_key_escaped(void **state)
{
	struct capture *c = *state;

	nd_out_init(c->f, true);
	nd_out_open_object(NULL);
	nd_out_uint(ND_ANY, "we\"ird", NULL, 1);
	nd_out_close_object();
	assert_string_equal(capture_text(c), "{\"we\\\"ird\":1}\n");
}

/* An error part-way through: finish() closes what is open, so the document stays valid. */
static void test_finish_closes(void **state)
{
	struct capture *c = *state;

	nd_out_init(c->f, true);
	nd_out_open_array(NULL);
	nd_out_open_object(NULL);
	nd_out_open_object("stats64");
	nd_out_open_array("list");
	nd_out_uint(ND_ANY, NULL, NULL, 7);
	nd_out_finish();
	nd_out_finish(); /* twice is harmless */
	assert_string_equal(capture_text(c), "[{\"stats64\":{\"list\":[7]}}]\n");
}

/* Several top-level values: JSON lines, one per line. */
static void test_json_lines(void **state)
{
	struct capture *c = *state;

	nd_out_init(c->f, true);
	nd_out_open_object(NULL);
	nd_out_str(ND_ANY, "type", NULL, "reply");
	nd_out_close_object();
	nd_out_open_object(NULL);
	nd_out_str(ND_ANY, "type", NULL, "summary");
	nd_out_close_object();
	assert_string_equal(capture_text(c), "{\"type\":\"reply\"}\n{\"type\":\"summary\"}\n");
}

static void test_close_at_top_is_noop(void **state)
{
	struct capture *c = *state;

	nd_out_init(c->f, true);
	nd_out_close_object();
	nd_out_close_array();
	nd_out_open_array(NULL);
	nd_out_close_array();
	assert_string_equal(capture_text(c), "[]\n");
	assert_true(nd_out_json());
	assert_ptr_equal(nd_out_stream(), c->f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_object, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_fixed, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_fixed_text, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_text_mode, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_line, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_escape, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_strn_embedded_nul, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_key_escaped, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_finish_closes, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_json_lines, cap_open, cap_close),
		cmocka_unit_test_setup_teardown(test_close_at_top_is_noop, cap_open, cap_close),
	};

	return cmocka_run_group_tests_name("out", tests, NULL, NULL);
}
