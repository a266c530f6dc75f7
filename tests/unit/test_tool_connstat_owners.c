// SPDX-License-Identifier: MIT
/*
 * connstat's owners (tools/connstat/owners.h) on this process's own sockets: the /proc source
 * by inode; the BPF source by inode and by cookie (SO_COOKIE, as sock_diag and the kernel's
 * bpf_get_socket_cookie give it), and its network namespace filter.  The BPF part needs root
 * and a build with BPF, and is skipped otherwise.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connstat/owners.h"

static uint64_t cookie_of(int fd)
{
	uint64_t c = 0;
	socklen_t len = sizeof(c);

	assert_int_equal(getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &len), 0);
	return c;
}

static uint64_t inode_of(int fd)
{
	struct stat st;

	assert_int_equal(fstat(fd, &st), 0);
	return st.st_ino;
}

static uint64_t own_netns(void)
{
	struct stat st;

	assert_int_equal(stat("/proc/self/ns/net", &st), 0);
	return st.st_ino;
}

static void comm_of_self(char *comm, size_t len)
{
	FILE *f = fopen("/proc/self/comm", "r");

	assert_non_null(f);
	assert_non_null(fgets(comm, (int)len, f));
	fclose(f);
	comm[strcspn(comm, "\n")] = '\0';
}

static void expect_owner(const struct nd_proc_owner *ow, size_t n, int fd)
{
	char comm[64];

	comm_of_self(comm, sizeof(comm));
	assert_int_equal(n, 1);
	assert_int_equal(ow[0].pid, getpid());
	assert_int_equal(ow[0].fd, fd);
	assert_string_equal(ow[0].comm, comm);
}

static void test_proc_source(void **state)
{
	struct cs_owners *ow;
	struct nd_proc_owner o[4];
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(cs_owners_open(&ow, CS_OWNERS_PROC, own_netns(), CS_OWNERS_COOKIES), 0);
	assert_string_equal(cs_owners_src_name(ow), "proc");
	assert_null(cs_owners_map(ow));
	assert_int_equal(cs_owners_by_inode(ow, inode_of(fd), o, 4), 0); /* no snapshot yet */
	assert_int_equal(cs_owners_refresh(ow), 0);
	expect_owner(o, cs_owners_by_inode(ow, inode_of(fd), o, 4), fd);
	assert_int_equal(cs_owners_by_cookie(ow, cookie_of(fd), o, 4), 0); /* /proc has none */
	/* a new snapshot forgets a closed socket */
	{
		uint64_t ino = inode_of(fd);

		close(fd);
		assert_int_equal(cs_owners_refresh(ow), 0);
		assert_int_equal(cs_owners_by_inode(ow, ino, o, 4), 0);
	}
	cs_owners_close(ow);
	cs_owners_close(NULL);
}

/* A child in a network namespace of its own holds a socket; its cookie comes through @pfd. */
static pid_t child_in_new_netns(uint64_t *cookie)
{
	int p[2], q[2];
	pid_t pid;

	assert_int_equal(pipe(p), 0);
	assert_int_equal(pipe(q), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		uint64_t c = 0;
		char b;
		int fd = -1;

		if (unshare(CLONE_NEWNET) == 0)
			fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd >= 0) {
			socklen_t len = sizeof(c);

			getsockopt(fd, SOL_SOCKET, SO_COOKIE, &c, &len);
		}
		if (write(p[1], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		(void)!read(q[0], &b, 1); /* until the parent is done */
		_exit(0);
	}
	close(p[1]);
	close(q[0]);
	assert_int_equal(read(p[0], cookie, sizeof(*cookie)), sizeof(*cookie));
	close(p[0]);
	/* q[1] stays open until the caller kills the child */
	return pid;
}

static void test_bpf_source(void **state)
{
	struct cs_owners *ow, *all;
	struct nd_proc_owner o[4];
	int tcp = socket(AF_INET6, SOCK_STREAM, 0), sp[2];
	uint64_t other_cookie = 0;
	pid_t child;
	int err;

	(void)state;
	if (geteuid() != 0)
		skip();
	err = cs_owners_open(&ow, CS_OWNERS_BPF, own_netns(), CS_OWNERS_COOKIES);
	if (err == -EOPNOTSUPP || err == -EPERM)
		skip(); /* a build without BPF, or a kernel that refuses it */
	assert_int_equal(err, 0);
	assert_string_equal(cs_owners_src_name(ow), "bpf");
	assert_true(tcp >= 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sp), 0);
	assert_int_equal(cs_owners_refresh(ow), 0);
	expect_owner(o, cs_owners_by_inode(ow, inode_of(tcp), o, 4), tcp);
	expect_owner(o, cs_owners_by_cookie(ow, cookie_of(tcp), o, 4), tcp);
	for (int i = 0; i < 2; i++) {
		expect_owner(o, cs_owners_by_inode(ow, inode_of(sp[i]), o, 4), sp[i]);
		expect_owner(o, cs_owners_by_cookie(ow, cookie_of(sp[i]), o, 4), sp[i]);
	}
	assert_int_equal(cs_owners_denied(ow), 0);
	/* a dup'ed fd is a second owner, in fd order */
	{
		int d = dup(tcp);

		assert_int_equal(cs_owners_refresh(ow), 0);
		assert_int_equal(cs_owners_by_cookie(ow, cookie_of(tcp), o, 4), 2);
		assert_int_equal(o[0].fd, tcp < d ? tcp : d);
		assert_int_equal(o[1].fd, tcp < d ? d : tcp);
		close(d);
	}
	/* the namespace filter: another namespace's socket only without it */
	child = child_in_new_netns(&other_cookie);
	assert_true(other_cookie != 0);
	assert_int_equal(cs_owners_open(&all, CS_OWNERS_BPF, 0, CS_OWNERS_COOKIES), 0);
	assert_int_equal(cs_owners_refresh(ow), 0);
	assert_int_equal(cs_owners_refresh(all), 0);
	assert_int_equal(cs_owners_by_cookie(ow, other_cookie, o, 4), 0);
	assert_int_equal(cs_owners_by_cookie(all, other_cookie, o, 4), 1);
	assert_int_equal(o[0].pid, child);
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
	cs_owners_close(all);
	cs_owners_close(ow);
	close(tcp);
	close(sp[0]);
	close(sp[1]);
}

/* Without CS_OWNERS_COOKIES the bpf source keeps no cookie index. */
static void test_bpf_no_cookies(void **state)
{
	struct cs_owners *ow;
	struct nd_proc_owner o[4];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int err;

	(void)state;
	if (geteuid() != 0)
		skip();
	err = cs_owners_open(&ow, CS_OWNERS_AUTO, own_netns(), 0);
	assert_int_equal(err, 0);
	if (strcmp(cs_owners_src_name(ow), "bpf") != 0) {
		cs_owners_close(ow);
		skip();
	}
	assert_int_equal(cs_owners_refresh(ow), 0);
	expect_owner(o, cs_owners_by_inode(ow, inode_of(fd), o, 4), fd);
	assert_int_equal(cs_owners_by_cookie(ow, cookie_of(fd), o, 4), 0);
	cs_owners_close(ow);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proc_source),
		cmocka_unit_test(test_bpf_source),
		cmocka_unit_test(test_bpf_no_cookies),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
