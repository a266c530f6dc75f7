// SPDX-License-Identifier: MIT
/* lib/filter: ss's grammar, bytecode laid out byte for byte as ss lays it out, and the
 * compiled program agreeing with the tree when run the kernel's way. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "array.h"
#include "filter.h"

static struct nd_filter F;

/* Split @s at blanks into words, as a shell would pass it, and parse. */
static int parse(const char *s, char *err, size_t errlen)
{
	static char buf[1024];
	char *argv[128];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", s);
	for (char *t = strtok(buf, " "); t; t = strtok(NULL, " "))
		argv[argc++] = t;
	return nd_filter_parse(argc, argv, AF_UNSPEC, &nd_filter_names_system, &F, err, errlen);
}

static size_t compile(const char *s, uint8_t *bc, size_t size)
{
	char err[200] = "";
	ssize_t n;

	if (parse(s, err, sizeof(err)))
		fail_msg("parse of '%s' failed: %s", s, err);
	n = nd_filter_compile(F.root, bc, size);
	assert_true(n > 0);
	return (size_t)n;
}

static void expect_bc(const char *expr, const uint8_t *want, size_t wlen)
{
	uint8_t bc[512];
	size_t n = compile(expr, bc, sizeof(bc));

	assert_int_equal(n, wlen);
	assert_memory_equal(bc, want, wlen);
}

static void test_bytecode_layout(void **state)
{
	/* hostcond: op {code, yes = op length, no = length + 4}, family, prefix, port (int) */
	static const uint8_t sport80[] = { 7, 16, 20, 0, 0, 0, 0, 0, 80, 0, 0, 0, 0, 0, 0, 0 };
	static const uint8_t sge1024[] = { 2, 8, 12, 0, 0, 0, 0, 4 };
	static const uint8_t sgt1024[] = { 3, 8, 12, 0, 0, 0, 0, 4, 1, 4, 8, 0 };
	static const uint8_t or80[] = { 7, 16, 20, 0, 0, 0, 0, 0, 80, 0, 0, 0, 0, 0, 0, 0,
					1, 4, 20, 0,
					8, 16, 20, 0, 0, 0, 0, 0, 80, 0, 0, 0, 0, 0, 0, 0 };
	/* AND: the first part's reject jump (to its end + 4) moved past the second part */
	static const uint8_t and_ports[] = { 2, 8, 20, 0, 0, 0, 10, 0, 5, 8, 12, 0, 0, 0, 20, 0 };
	static const uint8_t src_net[] = { 7, 16, 20, 0, 2, 8, 0, 0, 0xff, 0xff, 0xff, 0xff,
					   10, 0, 0, 0 };
	static const uint8_t dst6[] = { 8, 28, 32, 0, 10, 128, 0, 0, 22, 0, 0, 0,
					0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	static const uint8_t auto_[] = { 6, 4, 8, 0 };

	(void)state;
	expect_bc("sport = :80", sport80, sizeof(sport80));
	expect_bc("sport eq 80", sport80, sizeof(sport80));
	expect_bc("sport :80", sport80, sizeof(sport80));
	expect_bc("sport >= :1024", sge1024, sizeof(sge1024));
	expect_bc("sport > :1024", sgt1024, sizeof(sgt1024));
	expect_bc("sport = :80 or dport = :80", or80, sizeof(or80));
	expect_bc("sport >= :10 and dport <= :20", and_ports, sizeof(and_ports));
	expect_bc("sport >= :10 dport <= :20", and_ports, sizeof(and_ports));
	expect_bc("src 10.0.0.0/8", src_net, sizeof(src_net));
	expect_bc("dst [::1]:22", dst6, sizeof(dst6));
	expect_bc("autobound", auto_, sizeof(auto_));
}

/*
 * Service names defined for TCP alone (ssh, telnet) or for both (domain) give their port; the
 * udp lookup once overwrote the tcp answer's static entry and :ssh became port 60179.
 */
static void test_service_names(void **state)
{
	static const struct {
		const char *expr;
		int port;
	} cases[] = { { "sport = :ssh", 22 }, { "sport = :telnet", 23 },
		      { "dport = :domain", 53 }, { "sport = ssh", 22 } };
	char err[200];

	(void)state;
	for (size_t i = 0; i < ND_ARRAY_SIZE(cases); i++) {
		assert_int_equal(parse(cases[i].expr, err, sizeof(err)), 0);
		assert_int_equal(F.root->port, cases[i].port);
	}
}

/* and / or are of equal precedence, left to right, as in ss's grammar. */
static void test_left_to_right(void **state)
{
	char err[200];

	(void)state;
	assert_int_equal(parse("sport = :1 or sport = :2 and dport = :3", err, sizeof(err)), 0);
	assert_int_equal(F.root->type, ND_F_AND);
	assert_int_equal(F.root->a->type, ND_F_OR);
	assert_int_equal(parse("sport = :1 or ( sport = :2 and dport = :3 )", err, sizeof(err)), 0);
	assert_int_equal(F.root->type, ND_F_OR);
	assert_int_equal(F.root->b->type, ND_F_AND);
	assert_int_equal(parse("not sport = :1 and dport = :3", err, sizeof(err)), 0);
	assert_int_equal(F.root->type, ND_F_AND);
	assert_int_equal(F.root->a->type, ND_F_NOT);
	/* parentheses glued to words are cut off */
	assert_int_equal(parse("(sport = :1)", err, sizeof(err)), 0);
	assert_int_equal(F.root->type, ND_F_SCOND);
}

static void test_states(void **state)
{
	char err[200];
	uint32_t m;

	(void)state;
	assert_int_equal(nd_filter_state("established", &m), 0);
	assert_int_equal(m, 1u << ND_SS_ESTABLISHED);
	assert_int_equal(nd_filter_state("TIME-WAIT", &m), 0);
	assert_int_equal(m, 1u << ND_SS_TIME_WAIT);
	assert_int_equal(nd_filter_state("close", &m), 0);
	assert_int_equal(m, 1u << ND_SS_CLOSE);
	assert_int_equal(nd_filter_state("connected", &m), 0);
	assert_int_equal(m, 0xfffu & ~((1u << ND_SS_CLOSE) | (1u << ND_SS_LISTEN)));
	assert_int_equal(nd_filter_state("synchronized", &m), 0);
	assert_false(m & (1u << ND_SS_SYN_SENT));
	assert_int_equal(nd_filter_state("nonsense", &m), -EINVAL);

	assert_int_equal(parse("state listening state established sport = :1", err, sizeof(err)), 0);
	assert_true(F.states_set);
	assert_int_equal(F.states, (1u << ND_SS_LISTEN) | (1u << ND_SS_ESTABLISHED));
	assert_non_null(F.root);
	assert_int_equal(parse("exclude established", err, sizeof(err)), 0);
	assert_int_equal(F.states, 0xfffu & ~(1u << ND_SS_ESTABLISHED));
	assert_null(F.root);
	assert_int_equal(parse("", err, sizeof(err)), 0);
	assert_false(F.states_set);
	assert_null(F.root);
}

static void expect_error(const char *expr, const char *token)
{
	char err[200] = "";

	assert_int_equal(parse(expr, err, sizeof(err)), -EINVAL);
	if (!strstr(err, token))
		fail_msg("error for '%s' is '%s', without '%s'", expr, err, token);
}

/* Owner terms: parsed, never compiled (inet_diag has no such condition), matched in user space. */
static void test_owner_terms(void **state)
{
	static const struct nd_sock_owner ow[] = { { 42, "sshd" }, { 7, "socat" } };
	struct nd_sock s;
	uint8_t bc[64];
	char err[200];

	(void)state;
	memset(&s, 0, sizeof(s));
	s.family = AF_INET;
	s.has_uid = true;
	s.uid = 0;
	s.owners = ow;
	s.nowners = 2;
	assert_int_equal(parse("uid root", err, sizeof(err)), 0);
	assert_int_equal(F.root->type, ND_F_UID);
	assert_int_equal(F.root->id, 0);
	assert_false(nd_filter_has_owner(&F));
	assert_int_equal(nd_filter_compile(F.root, bc, sizeof(bc)), -EOPNOTSUPP);
	assert_true(nd_filter_match(F.root, &s));
	assert_int_equal(parse("pid = 42", err, sizeof(err)), 0);
	assert_true(nd_filter_has_owner(&F));
	assert_true(nd_filter_match(F.root, &s));
	assert_int_equal(parse("pid 43 or comm soc*", err, sizeof(err)), 0);
	assert_true(nd_filter_match(F.root, &s));
	assert_int_equal(nd_filter_compile(F.root, bc, sizeof(bc)), -EOPNOTSUPP);
	assert_int_equal(parse("not comm sshd", err, sizeof(err)), 0);
	assert_false(nd_filter_match(F.root, &s));
	s.nowners = 0; /* nobody holds it (or the owners are unknown): no pid, no name matches */
	assert_true(nd_filter_match(F.root, &s));
	assert_int_equal(parse("uid 1000", err, sizeof(err)), 0);
	assert_false(nd_filter_match(F.root, &s));
	expect_error("uid nd-no-such-user", "nd-no-such-user");
	expect_error("pid abc", "abc");
	expect_error("pid", "pid");
	expect_error("pid 99999999", "99999999");
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("sport = :80 bogus", "bogus");
	expect_error("state frobbed", "frobbed");
	expect_error("state", "state");
	expect_error("sport = :70000", "70000");
	expect_error("sport = :-1", "-1");
	expect_error("sport = :nosuchservice", "nosuchservice");
	expect_error("src 1.2.3.400", "1.2.3.400");
	expect_error("src 10.0.0.0/33", "10.0.0.0/33");
	expect_error("dst [::1", "[::1");
	expect_error("( sport = :1", ")");
	expect_error("sport = :1 )", ")");
	expect_error("dport", "dport");
	expect_error("sport >", "sport");
	expect_error("src = or", "or");
	expect_error("sport > *", "*");
	expect_error("not", "ends");
}

/* A few sockets to run programs on. */
static void mk(struct nd_sock *s, int family, const char *l, int lport, const char *p, int pport)
{
	memset(s, 0, sizeof(*s));
	s->family = (uint8_t)family;
	s->netid = ND_TCP;
	inet_pton(family, l, s->laddr);
	inet_pton(family, p, s->paddr);
	s->lport = (uint16_t)lport;
	s->pport = (uint16_t)pport;
}

static void test_bc_agrees_with_tree(void **state)
{
	static const char *const exprs[] = {
		"sport = :22", "dport = :22", "sport != :22", "sport > :1000", "sport < :1000",
		"sport >= :80", "sport <= :22", "dport gt :5000 or sport lt :100",
		"src 127.0.0.1", "src 127.0.0.0/8", "dst 10.0.0.0/8:443", "src [::1]",
		"dst [2001:db8::]/32", "src 127.0.0.1:22", "not src 127.0.0.1",
		"( sport = :22 or sport = :80 ) and not dst 10.0.0.0/8",
		"sport = :22 or dport = :22 dport != :22", "! ( src 127.0.0.1 or dst [::1] )",
		"src *:22", "src inet:127.0.0.1", "dst 0.0.0.0/0",
		"not ( not sport = :22 or not dport = :80 )",
	};
	struct nd_sock socks[8];
	uint8_t bc[1024];

	(void)state;
	mk(&socks[0], AF_INET, "127.0.0.1", 22, "127.0.0.1", 50000);
	mk(&socks[1], AF_INET, "127.0.0.1", 50000, "127.0.0.1", 22);
	mk(&socks[2], AF_INET, "10.1.2.3", 80, "10.9.9.9", 443);
	mk(&socks[3], AF_INET6, "::1", 22, "::1", 40000);
	mk(&socks[4], AF_INET6, "::ffff:127.0.0.1", 22, "::ffff:10.0.0.1", 443); /* v4-mapped */
	mk(&socks[5], AF_INET6, "2001:db8::1", 5001, "2001:db8::2", 99);
	mk(&socks[6], AF_INET, "192.168.1.1", 80, "0.0.0.0", 0);
	mk(&socks[7], AF_INET, "127.0.0.1", 22, "10.0.0.1", 80);
	for (size_t i = 0; i < ND_ARRAY_SIZE(exprs); i++) {
		size_t n = compile(exprs[i], bc, sizeof(bc));
		int hits = 0;

		for (size_t k = 0; k < 8; k++) {
			bool a = nd_filter_bc_run(bc, n, &socks[k], false);
			bool b = nd_filter_match(F.root, &socks[k]);

			if (a != b)
				fail_msg("'%s' on socket %zu: bytecode %d, tree %d", exprs[i], k, a, b);
			hits += a;
		}
		/* every expression here selects some sockets and leaves others out */
		if (hits == 0 || hits == 8)
			fail_msg("'%s' selects %d of 8 sockets", exprs[i], hits);
	}
}

static void test_v4_mapped(void **state)
{
	struct nd_sock s;

	(void)state;
	mk(&s, AF_INET6, "::ffff:127.0.0.1", 22, "::1", 1);
	compile("src 127.0.0.0/8", (uint8_t[64]){ 0 }, 64);
	assert_true(nd_filter_match(F.root, &s)); /* a v4-mapped socket matches an IPv4 rule */
	compile("src [::1]", (uint8_t[64]){ 0 }, 64);
	assert_false(nd_filter_match(F.root, &s));
}

static void test_unix_conditions(void **state)
{
	char err[200];
	uint8_t bc[64];
	struct nd_sock s = { .family = AF_UNIX, .netid = ND_U_STR };

	(void)state;
	s.path = "/run/Foo.sock";
	s.path_len = strlen(s.path);
	assert_int_equal(parse("src unix:/run/*.sock", err, sizeof(err)), 0);
	assert_int_equal(F.family, AF_UNIX);
	assert_true(nd_filter_match(F.root, &s));
	assert_int_equal(nd_filter_compile(F.root, bc, sizeof(bc)), -EOPNOTSUPP);
	assert_int_equal(parse("src unix:/run/foo.sock", err, sizeof(err)), 0);
	assert_true(nd_filter_match(F.root, &s)); /* case-insensitive, as ss */
	assert_int_equal(parse("src unix:/tmp/*", err, sizeof(err)), 0);
	assert_false(nd_filter_match(F.root, &s));
	assert_int_equal(parse("sport = :22", err, sizeof(err)), 0);
	assert_false(nd_filter_match(F.root, &s)); /* a port never matches a UNIX socket */
	assert_true(nd_filter_match(NULL, &s));
}

/* Names from /etc/hosts ("localhost" is 127.0.0.1 there, maybe ::1 too): no network needed. */
/* The caller's lookups are the only ones: a fake service and user are taken, none means an error. */
static int fake_service(const char *name, const char *proto)
{
	return strcmp(name, "fakesvc") == 0 && strcmp(proto, "tcp") == 0 ? 4711 : -1;
}

static int fake_user(const char *name, uint32_t *uid)
{
	if (strcmp(name, "fakeuser") != 0)
		return -ENOENT;
	*uid = 4242;
	return 0;
}

static void test_names_are_the_callers(void **state)
{
	const struct nd_filter_names fake = { .service = fake_service, .user = fake_user };
	char *svc[] = { "sport", "fakesvc" }, *usr[] = { "uid", "fakeuser" };
	char *root[] = { "uid", "root" }, *host[] = { "src", "localhost" };
	char err[128];

	(void)state;
	assert_int_equal(nd_filter_parse(2, svc, AF_UNSPEC, &fake, &F, err, sizeof(err)), 0);
	assert_int_equal(F.root->port, 4711);
	assert_int_equal(nd_filter_parse(2, usr, AF_UNSPEC, &fake, &F, err, sizeof(err)), 0);
	assert_int_equal(F.root->id, 4242);
	/* root is in every passwd database, but not in the caller's */
	assert_int_equal(nd_filter_parse(2, root, AF_UNSPEC, &fake, &F, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "filter: no such user \"root\"");
	assert_int_equal(nd_filter_parse(2, host, AF_UNSPEC, &fake, &F, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "cannot resolve \"localhost\""));
	assert_int_equal(nd_filter_parse(2, svc, AF_UNSPEC, NULL, &F, err, sizeof(err)), -EINVAL);
	assert_int_equal(nd_filter_parse(2, root, AF_UNSPEC, &nd_filter_names_system, &F, err,
					 sizeof(err)),
			 0);
	assert_int_equal(F.root->id, 0);
}

static void test_host_names(void **state)
{
	char err[200] = "";
	uint8_t bc[512];
	struct nd_sock s[4];
	ssize_t n;

	(void)state;
	mk(&s[0], AF_INET, "10.0.0.1", 40000, "127.0.0.1", 22);
	mk(&s[1], AF_INET, "10.0.0.1", 40000, "127.0.0.1", 23);
	mk(&s[2], AF_INET, "10.0.0.1", 40000, "10.0.0.2", 22);
	mk(&s[3], AF_INET, "127.0.0.1", 22, "10.0.0.2", 22);
	if (parse("dst localhost:22", err, sizeof(err)))
		fail_msg("dst localhost:22: %s", err);
	n = nd_filter_compile(F.root, bc, sizeof(bc));
	assert_true(n > 0);
	for (int i = 0; i < 4; i++) {
		bool want = i == 0;

		assert_int_equal(nd_filter_match(F.root, &s[i]), want);
		assert_int_equal(nd_filter_bc_run(bc, (size_t)n, &s[i], false), want);
	}
	/* -4: only the IPv4 address, one host condition of 4 + 8 + 4 bytes */
	{
		char *argv[] = { "src", "localhost" };

		assert_int_equal(nd_filter_parse(2, argv, AF_INET, &nd_filter_names_system, &F, err,
						 sizeof(err)),
				 0);
		assert_int_equal(nd_filter_compile(F.root, bc, sizeof(bc)), 16);
		assert_true(nd_filter_match(F.root, &s[3]));
		assert_false(nd_filter_match(F.root, &s[0]));
	}
	/* a name takes no prefix (ss: an error too), and digits alone are no name */
	expect_error("src localhost/8", "localhost/8");
	expect_error("src 1.2.3.400", "1.2.3.400");
	expect_error("src local$host", "local$host");
}

static void test_too_small(void **state)
{
	uint8_t bc[20];

	(void)state;
	assert_int_equal(parse("sport = :1 or sport = :2", NULL, 0), 0);
	assert_int_equal(nd_filter_compile(F.root, bc, sizeof(bc)), -ENOSPC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bytecode_layout),  cmocka_unit_test(test_left_to_right),
		cmocka_unit_test(test_states),           cmocka_unit_test(test_errors),
		cmocka_unit_test(test_bc_agrees_with_tree), cmocka_unit_test(test_v4_mapped),
		cmocka_unit_test(test_unix_conditions),  cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_host_names), cmocka_unit_test(test_service_names), cmocka_unit_test(test_owner_terms),
		cmocka_unit_test(test_names_are_the_callers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
