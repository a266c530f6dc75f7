// SPDX-License-Identifier: MIT
/* lib/proc: the socket link parser, the inode hash, and a scan of a made-up /proc tree. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "proc.h"

static void test_link(void **state)
{
	uint64_t ino = 0;

	(void)state;
	assert_int_equal(nd_proc_parse_socket_link("socket:[12345]", 14, &ino), 0);
	assert_int_equal(ino, 12345);
	assert_int_equal(nd_proc_parse_socket_link("socket:[4294967296]", 19, &ino), 0);
	assert_int_equal(ino, 4294967296ull);
	assert_int_equal(nd_proc_parse_socket_link("socket:[]", 9, &ino), -EINVAL);
	assert_int_equal(nd_proc_parse_socket_link("socket:[12a]", 12, &ino), -EINVAL);
	assert_int_equal(nd_proc_parse_socket_link("socket:[12", 10, &ino), -EINVAL);
	assert_int_equal(nd_proc_parse_socket_link("pipe:[12345]", 12, &ino), -EINVAL);
	assert_int_equal(nd_proc_parse_socket_link("/dev/null", 9, &ino), -EINVAL);
	/* the length given is what counts, not a NUL */
	assert_int_equal(nd_proc_parse_socket_link("socket:[77]xyz", 11, &ino), 0);
	assert_int_equal(ino, 77);
}

static void test_map(void **state)
{
	struct nd_proc_map *m;
	struct nd_proc_owner ow[4];

	(void)state;
	assert_int_equal(nd_proc_map_new(&m), 0);
	/* many entries force the table to grow several times */
	for (uint64_t i = 0; i < 200000; i++)
		assert_int_equal(nd_proc_map_add(m, 1000 + i * 7, (pid_t)(i / 1000 + 1), (int)i % 1000,
						  i < 1000 ? "first" : "other"), 0);
	assert_int_equal(nd_proc_count(m), 200000);
	for (uint64_t i = 0; i < 200000; i += 997) {
		assert_int_equal(nd_proc_lookup(m, 1000 + i * 7, ow, 4), 1);
		assert_int_equal(ow[0].pid, (pid_t)(i / 1000 + 1));
		assert_int_equal(ow[0].fd, (int)i % 1000);
		assert_string_equal(ow[0].comm, i < 1000 ? "first" : "other");
	}
	assert_int_equal(nd_proc_lookup(m, 1001, ow, 4), 0); /* between two inodes */
	assert_int_equal(nd_proc_lookup(m, 999, ow, 4), 0);
	/* a socket shared after fork: every owner, by pid then fd, whatever order they came in */
	assert_int_equal(nd_proc_map_add(m, 5, 1012, 7, "grandchild"), 0);
	assert_int_equal(nd_proc_map_add(m, 5, 1011, 3, "child"), 0);
	assert_int_equal(nd_proc_map_add(m, 5, 1010, 3, "parent"), 0);
	assert_int_equal(nd_proc_lookup(m, 5, ow, 2), 3); /* 3 in all, 2 filled */
	assert_int_equal(ow[0].pid, 1010);
	assert_string_equal(ow[0].comm, "parent");
	assert_int_equal(ow[1].pid, 1011);
	assert_string_equal(ow[1].comm, "child");
	assert_int_equal(nd_proc_lookup(m, 5, ow, 4), 3);
	assert_int_equal(ow[0].pid, 1010);
	assert_int_equal(ow[2].fd, 7);
	assert_string_equal(ow[2].comm, "grandchild");
	/* one process holding it twice (dup): by fd */
	assert_int_equal(nd_proc_map_add(m, 6, 1020, 9, "dup"), 0);
	assert_int_equal(nd_proc_map_add(m, 6, 1020, 4, "dup"), 0);
	assert_int_equal(nd_proc_lookup(m, 6, ow, 4), 2);
	assert_int_equal(ow[0].fd, 4);
	assert_int_equal(ow[1].fd, 9);
	/* a pid keeps the first name it was given; inode 0 is no socket's */
	assert_int_equal(nd_proc_map_add(m, 7, 1010, 5, "renamed"), 0);
	assert_int_equal(nd_proc_lookup(m, 7, ow, 4), 1);
	assert_string_equal(ow[0].comm, "parent");
	assert_int_equal(nd_proc_map_add(m, 0, 1010, 6, "parent"), 0);
	assert_int_equal(nd_proc_lookup(m, 0, ow, 4), 0);
	assert_int_equal(nd_proc_count(m), 200000 + 6);
	/* names for many processes (the pid table grows) */
	for (int p = 0; p < 3000; p++)
		assert_int_equal(nd_proc_map_add(m, 900000 + (uint64_t)p, 5000 + p, 3,
						  p % 2 ? "odd" : "even"), 0);
	for (int p = 0; p < 3000; p += 7) {
		assert_int_equal(nd_proc_lookup(m, 900000 + (uint64_t)p, ow, 4), 1);
		assert_string_equal(ow[0].comm, p % 2 ? "odd" : "even");
	}
	assert_int_equal(nd_proc_denied(m), 0);
	nd_proc_free(m);
	nd_proc_free(NULL);
}

static void put(const char *root, const char *rel, const char *text)
{
	char p[512];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void dir(const char *root, const char *rel)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static void link_(const char *root, const char *rel, const char *target)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/%s", root, rel);
	assert_int_equal(symlink(target, p), 0);
}

static void test_scan_tree(void **state)
{
	char root[] = "/tmp/nd_proc_XXXXXX";
	struct nd_proc_map *m;
	struct nd_proc_owner ow[4];
	char cmd[600];

	(void)state;
	assert_non_null(mkdtemp(root));
	dir(root, "123");
	dir(root, "123/fd");
	put(root, "123/comm", "sshd\n");
	link_(root, "123/fd/3", "socket:[555]");
	link_(root, "123/fd/4", "/dev/null");
	link_(root, "123/fd/5", "socket:[556]");
	dir(root, "456");
	dir(root, "456/fd");
	put(root, "456/comm", "nginx: worker\n");
	link_(root, "456/fd/0", "socket:[555]");
	dir(root, "789"); /* a process whose fd directory cannot be read: skipped */
	dir(root, "self");
	dir(root, "self/fd");
	link_(root, "self/fd/9", "socket:[999]"); /* not a pid: skipped */

	{
		int *pids;
		size_t n, seen = 0;

		assert_int_equal(nd_proc_list_pids(root, &pids, &n), 0);
		assert_int_equal(n, 3);
		for (size_t i = 0; i < n; i++)
			seen |= pids[i] == 123 ? 1 : pids[i] == 456 ? 2 : pids[i] == 789 ? 4 : 8;
		assert_int_equal(seen, 7);
		free(pids);
		assert_int_equal(nd_proc_list_pids("/nonexistent/proc", &pids, &n), -ENOENT);
	}
	assert_int_equal(nd_proc_scan(root, &m), 0);
	assert_int_equal(nd_proc_count(m), 3);
	assert_int_equal(nd_proc_lookup(m, 555, ow, 4), 2);
	assert_int_equal(ow[0].pid, 123); /* by pid, whichever thread found which */
	assert_int_equal(ow[1].pid, 456);
	for (int i = 0; i < 2; i++) {
		if (ow[i].pid == 123) {
			assert_int_equal(ow[i].fd, 3);
			assert_string_equal(ow[i].comm, "sshd");
		} else {
			assert_int_equal(ow[i].fd, 0);
			assert_string_equal(ow[i].comm, "nginx: worker");
		}
	}
	assert_int_equal(nd_proc_lookup(m, 556, ow, 4), 1);
	assert_int_equal(ow[0].fd, 5);
	assert_int_equal(nd_proc_lookup(m, 999, ow, 4), 0);
	nd_proc_free(m);
	assert_int_equal(nd_proc_scan("/nonexistent/proc", &m), -ENOENT);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

/*
 * A process with more fds than the scan reads in one go (its readlinks are shared out in chunks
 * in a second pass), among 70 small ones (the first pass is threaded from 64 processes).
 */
static void test_scan_big_process(void **state)
{
	char root[] = "/tmp/nd_procbig_XXXXXX";
	struct nd_proc_map *m;
	struct nd_proc_owner ow[4];
	char rel[64], target[64], cmd[600];
	const int nfd = 3000;

	(void)state;
	assert_non_null(mkdtemp(root));
	dir(root, "4242");
	dir(root, "4242/fd");
	put(root, "4242/comm", "bigserver\n");
	for (int fd = 0; fd < nfd; fd++) {
		snprintf(rel, sizeof(rel), "4242/fd/%d", fd);
		if (fd % 2)
			snprintf(target, sizeof(target), "socket:[%d]", 100000 + fd);
		else
			snprintf(target, sizeof(target), "pipe:[%d]", fd);
		link_(root, rel, target);
	}
	for (int p = 1; p <= 70; p++) {
		snprintf(rel, sizeof(rel), "%d", p);
		dir(root, rel);
		snprintf(rel, sizeof(rel), "%d/fd", p);
		dir(root, rel);
		snprintf(rel, sizeof(rel), "%d/comm", p);
		put(root, rel, "small\n");
		snprintf(rel, sizeof(rel), "%d/fd/3", p);
		snprintf(target, sizeof(target), "socket:[%d]", 500 + p);
		link_(root, rel, target);
	}
	/* socket 100001 is also held by small process 7 (as after a fork) */
	link_(root, "7/fd/4", "socket:[100001]");

	assert_int_equal(nd_proc_scan(root, &m), 0);
	assert_int_equal(nd_proc_count(m), nfd / 2 + 70 + 1);
	for (int fd = 1; fd < nfd; fd += 2) {
		size_t n = nd_proc_lookup(m, (uint64_t)(100000 + fd), ow, 4);

		assert_int_equal(n, fd == 1 ? 2 : 1);
		for (size_t k = 0; k < n; k++) {
			if (ow[k].pid == 4242) {
				assert_int_equal(ow[k].fd, fd);
				assert_string_equal(ow[k].comm, "bigserver");
			} else {
				assert_int_equal(ow[k].pid, 7);
				assert_int_equal(ow[k].fd, 4);
				assert_string_equal(ow[k].comm, "small");
			}
		}
	}
	for (int p = 1; p <= 70; p++) {
		assert_int_equal(nd_proc_lookup(m, (uint64_t)(500 + p), ow, 4), 1);
		assert_int_equal(ow[0].pid, p);
		assert_int_equal(ow[0].fd, 3);
	}
	assert_int_equal(nd_proc_lookup(m, 100000, ow, 4), 0); /* a pipe's number */
	nd_proc_free(m);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link),
		cmocka_unit_test(test_map),
		cmocka_unit_test(test_scan_tree),
		cmocka_unit_test(test_scan_big_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
