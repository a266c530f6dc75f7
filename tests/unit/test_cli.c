// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "array.h"
#include "cli.h"
#include "out.h"

static void test_parse_u64(void **state)
{
	static const struct {
		const char *s;
		int err;
		uint64_t v;
	} t[] = {
		{ "0", 0, 0 },        { "42", 0, 42 },       { "0x10", 0, 16 },
		{ "100", 0, 100 },    { "101", -ERANGE, 0 }, { "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 }, { "", -EINVAL, 0 },    { "1x", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 }, { "99999999999999999999999", -ERANGE, 0 },
	};

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++) {
		uint64_t v = 0;
		int err = nd_parse_u64(t[i].s, 0, 100, &v);

		if (err != t[i].err)
			fail_msg("nd_parse_u64(\"%s\") = %d, want %d", t[i].s, err, t[i].err);
		if (!err)
			assert_int_equal(v, t[i].v);
	}
	uint64_t v;
	assert_int_equal(nd_parse_u64("5", 6, 10, &v), -ERANGE);
	assert_int_equal(nd_parse_u64(NULL, 0, 10, &v), -EINVAL);
}

static void test_parse_int(void **state)
{
	long v;

	(void)state;
	assert_int_equal(nd_parse_int("-5", -10, 10, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(nd_parse_int("-11", -10, 10, &v), -ERANGE);
	assert_int_equal(nd_parse_int("3.5", -10, 10, &v), -EINVAL);
	assert_int_equal(nd_parse_int("", -10, 10, &v), -EINVAL);
}

static void test_parse_seconds(void **state)
{
	double v;

	(void)state;
	assert_int_equal(nd_parse_seconds("0.2", 100, &v), 0);
	assert_true(v > 0.199 && v < 0.201);
	assert_int_equal(nd_parse_seconds("5", 100, &v), 0);
	assert_true(v == 5);
	assert_int_equal(nd_parse_seconds("-1", 100, &v), -ERANGE);
	assert_int_equal(nd_parse_seconds("101", 100, &v), -ERANGE);
	assert_int_equal(nd_parse_seconds("1s", 100, &v), -EINVAL);
	assert_int_equal(nd_parse_seconds("nan", 100, &v), -EINVAL);
	assert_int_equal(nd_parse_seconds("", 100, &v), -EINVAL);
}

/*
 * nd_cli_classify: what each getopt_long result asks for, and the line for a bad option; no
 * output, no exit (ping's pure parser relies on it).  "--json=1" once printed "-\002": getopt
 * puts a long option's code, not a character, in optopt then.
 */
static void test_classify(void **state)
{
	static const struct option lo[] = { ND_CLI_LONG_OPTIONS,
					    { "count", required_argument, NULL, 'c' },
					    { 0 } };
	static const struct {
		const char *arg;
		enum nd_cli_ask want;
		const char *msg;
	} t[] = {
		{ "-h", ND_CLI_HELP, NULL },
		{ "--help", ND_CLI_HELP, NULL },
		{ "-V", ND_CLI_VERSION, NULL },
		{ "--vers", ND_CLI_VERSION, NULL },
		{ "--json", ND_CLI_JSON, NULL },
		{ "-c5", ND_CLI_NONE, NULL },
		{ "-z", ND_CLI_BAD, "unknown option -z (try --help)" },
		{ "-hz", ND_CLI_HELP, NULL },
		{ "--frob", ND_CLI_BAD, "unknown option --frob (try --help)" },
		{ "--frob=1", ND_CLI_BAD, "unknown option --frob (try --help)" },
		{ "--json=1", ND_CLI_BAD, "option --json takes no argument" },
		{ "--help=", ND_CLI_BAD, "option --help takes no argument" },
		{ "-c", ND_CLI_BAD, "option -c needs an argument" },
		{ "--count", ND_CLI_BAD, "option --count needs an argument" },
	};

	(void)state;
	opterr = 0;
	for (size_t i = 0; i < ND_ARRAY_SIZE(t); i++) {
		char *argv[] = { "tool", (char *)t[i].arg, NULL };
		char err[64] = "";
		enum nd_cli_ask got;

		optind = 0;
		got = nd_cli_classify(getopt_long(2, argv, ":c:hV", lo, NULL), argv, err,
				      sizeof(err));
		if (got != t[i].want)
			fail_msg("%s: got %d, want %d", t[i].arg, got, t[i].want);
		assert_string_equal(err, t[i].msg ? t[i].msg : "");
	}
}

/* Read @fd to its end (the outputs are small enough for the pipe, so the child never blocks). */
static void read_all(int fd, char *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got + 1 < len && (n = read(fd, buf + got, len - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
}

/* Run @fn in a child with stdout and stderr captured; returns its exit status. */
static int run_child(void (*fn)(void), char *out, size_t outlen, char *err, size_t errlen)
{
	int po[2], pe[2], status;
	pid_t pid;

	assert_int_equal(pipe(po), 0);
	assert_int_equal(pipe(pe), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		fn();
		_exit(99); /* fn must not return */
	}
	close(po[1]);
	close(pe[1]);
	read_all(po[0], out, outlen);
	read_all(pe[0], err, errlen);
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static const char usage[] = "Usage: tool [options]\n";

static void child_getopt(char **argv, int argc)
{
	static const struct option lo[] = { ND_CLI_LONG_OPTIONS, { "count", required_argument, NULL, 'c' }, { 0 } };
	struct nd_cli cli;
	int opt;

	nd_cli_init(&cli, "tool", usage);
	optind = 1;
	while ((opt = getopt_long(argc, argv, ":c:", lo, NULL)) != -1) {
		if (nd_cli_common(&cli, opt, argv))
			continue;
	}
	printf("json=%d\n", cli.json);
	fflush(stdout);
	exit(0);
}

static void c_help(void)
{
	char *argv[] = { "tool", "--help", NULL };

	child_getopt(argv, 2);
}

static void c_version(void)
{
	char *argv[] = { "tool", "--version", NULL };

	child_getopt(argv, 2);
}

static void c_json(void)
{
	char *argv[] = { "tool", "--json", NULL };

	child_getopt(argv, 2);
}

static void c_unknown_short(void)
{
	char *argv[] = { "tool", "-z", NULL };

	child_getopt(argv, 2);
}

static void c_unknown_long(void)
{
	char *argv[] = { "tool", "--frobnicate", NULL };

	child_getopt(argv, 2);
}

static void c_missing_arg(void)
{
	char *argv[] = { "tool", "-c", NULL };

	child_getopt(argv, 2);
}

static void c_missing_long_arg(void)
{
	char *argv[] = { "tool", "--count", NULL };

	child_getopt(argv, 2);
}

static void test_common_options(void **state)
{
	char out[512], err[512];

	(void)state;
	assert_int_equal(run_child(c_help, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, usage);
	assert_int_equal(run_child(c_version, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "tool (netdiag) " ND_VERSION "\n");
	assert_int_equal(run_child(c_json, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(out, "json=1\n");
	assert_int_equal(run_child(c_unknown_short, out, sizeof(out), err, sizeof(err)), 2);
	assert_string_equal(err, "tool: unknown option -z (try --help)\n");
	assert_string_equal(out, "");
	assert_int_equal(run_child(c_unknown_long, out, sizeof(out), err, sizeof(err)), 2);
	assert_string_equal(err, "tool: unknown option --frobnicate (try --help)\n");
	assert_int_equal(run_child(c_missing_arg, out, sizeof(out), err, sizeof(err)), 2);
	assert_string_equal(err, "tool: option -c needs an argument\n");
	assert_int_equal(run_child(c_missing_long_arg, out, sizeof(out), err, sizeof(err)), 2);
	assert_string_equal(err, "tool: option --count needs an argument\n");
}

/* An error in the middle of a JSON document: one stderr line, exit 2, stdout still valid. */
static void c_die_mid_json(void)
{
	struct nd_cli cli;

	nd_cli_init(&cli, "tool", usage);
	nd_out_init(stdout, true);
	nd_out_open_array(NULL);
	nd_out_open_object(NULL);
	nd_out_str(ND_ANY, "ifname", NULL, "eth0");
	nd_die(ND_EXIT_ERROR, "dump failed: %s", strerror(EPERM));
}

/* exit() without nd_die: the atexit hook closes the document too. */
static void c_exit_mid_json(void)
{
	nd_out_init(stdout, true);
	nd_out_open_array(NULL);
	nd_out_uint(ND_ANY, NULL, NULL, 1);
	exit(1);
}

static void c_usage_error(void)
{
	struct nd_cli cli;

	nd_cli_init(&cli, "tool", usage);
	nd_out_init(stdout, false);
	nd_usage_error("unknown interface \"%s\"", "nope0");
}

/* Set up the options in a frame that returns, as connstat's parse_options() does. */
__attribute__((noinline)) static void init_in_frame(void)
{
	struct nd_cli cli;
	char name[8];

	memcpy(name, "tool", 5);
	nd_cli_init(&cli, name, usage);
	__asm__ volatile("" : : "r"(&cli), "r"(name) : "memory");
}

/* Write over the stack the frame above used, with pointers to a name that must not show. */
__attribute__((noinline)) static void clobber_stack(void)
{
	static const char wrong[] = "clobbered";
	const char *volatile fill[512];

	for (size_t i = 0; i < ND_ARRAY_SIZE(fill); i++)
		fill[i] = wrong;
	__asm__ volatile("" : : "r"(fill) : "memory");
}

/* An error after the frame that set up the options is gone: the name must still be "tool". */
static void c_die_after_parse(void)
{
	init_in_frame();
	clobber_stack();
	nd_die(ND_EXIT_ERROR, "unknown state \"%s\"", "bogus");
}

static void test_errors(void **state)
{
	char out[512], err[512];

	(void)state;
	assert_int_equal(run_child(c_die_mid_json, out, sizeof(out), err, sizeof(err)), 2);
	assert_string_equal(out, "[{\"ifname\":\"eth0\"}]\n");
	assert_string_equal(err, "tool: dump failed: Operation not permitted\n");
	assert_int_equal(run_child(c_exit_mid_json, out, sizeof(out), err, sizeof(err)), 1);
	assert_string_equal(out, "[1]\n");
	assert_int_equal(run_child(c_usage_error, out, sizeof(out), err, sizeof(err)), 2);
	assert_string_equal(err, "tool: unknown interface \"nope0\"\n");
	assert_string_equal(out, "");
	assert_int_equal(run_child(c_die_after_parse, out, sizeof(out), err, sizeof(err)), 2);
	assert_string_equal(err, "tool: unknown state \"bogus\"\n");
}

/* Output to a full device: one line on stderr and exit 2, whatever the tool meant to return. */
static void c_write_full(void)
{
	struct nd_cli cli;
	int fd = open("/dev/full", O_WRONLY);

	if (fd < 0 || dup2(fd, 1) < 0)
		_exit(98);
	nd_cli_init(&cli, "tool", usage);
	nd_out_init(stdout, true);
	nd_out_open_array(NULL);
	nd_out_uint(ND_ANY, NULL, NULL, 1);
	exit(0);
}

/* A reader that left: no message (SIGPIPE ignored here, so the write sees EPIPE). */
static void c_write_epipe(void)
{
	struct nd_cli cli;
	int p[2];

	signal(SIGPIPE, SIG_IGN);
	if (pipe(p) || dup2(p[1], 1) < 0)
		_exit(98);
	close(p[0]);
	nd_cli_init(&cli, "tool", usage);
	nd_out_init(stdout, false);
	nd_out_text("%s\n", "line");
	exit(0);
}

/* Closed stdout: the first socket must not become fd 1, and output is a write error. */
static void c_stdout_closed(void)
{
	struct nd_cli cli;
	int fd;

	close(1);
	nd_cli_init(&cli, "tool", usage);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	if (fd <= 2) {
		fprintf(stderr, "socket got fd %d\n", fd);
		_exit(97);
	}
	nd_out_init(stdout, false);
	nd_out_text("%s\n", "table");
	exit(0);
}

static void test_write_errors(void **state)
{
	char out[512], err[512];

	(void)state;
	assert_int_equal(run_child(c_write_full, out, sizeof(out), err, sizeof(err)), 2);
	assert_string_equal(err, "tool: write error: No space left on device\n");
	assert_int_equal(run_child(c_write_epipe, out, sizeof(out), err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_int_equal(run_child(c_stdout_closed, out, sizeof(out), err, sizeof(err)), 2);
	assert_string_equal(err, "tool: write error: Bad file descriptor\n");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_u64),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_parse_seconds),
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_common_options),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_write_errors),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
