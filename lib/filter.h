/* SPDX-License-Identifier: MIT */
#ifndef ND_FILTER_H
#define ND_FILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"

struct addrinfo;

/*
 * ss-style socket filters: "[state NAME | exclude NAME]... [EXPRESSION]", parsed into a small
 * tree and compiled into inet_diag bytecode exactly as ss compiles it, so that the kernel
 * selects what it selects for ss.  The grammar is ss's:
 *
 *   list := expr { ("or" | "|" | "||" | "and" | "&" | "&&" | <nothing>) expr }
 *           (left to right, and/or of equal precedence, as in ss)
 *   expr := "(" list ")" | ("not" | "!") expr | "autobound"
 *         | ("src" | "dst") ["=" | "==" | "eq"] HOST
 *         | ("sport" | "dport") [OP] PORT      OP: = == eq != ne neq < lt > gt <= le leq >= ge geq
 *         | "uid" ["=" | "==" | "eq"] (NUMBER | USER)       the socket's owner uid
 *         | "pid" ["=" | "==" | "eq"] NUMBER                a process holding the socket
 *         | "comm" ["=" | "==" | "eq"] NAME                 its name (fnmatch pattern, as /proc/PID/comm)
 *   HOST := [inet:|inet6:|unix:] ADDR[/PREFIX][:PORT] | [ADDR6][/PREFIX][:PORT] | *[:PORT]
 *         | NAME[:PORT]   (every address getaddrinfo gives for NAME, joined by "or")
 *   PORT := [:]NUMBER | [:]SERVICE | *
 *
 * Everything here is pure: the names in an expression (hosts, services, users) are looked up
 * through the caller's struct nd_filter_names; nd_filter_names_system (lib/filter_names.c) asks
 * the system's databases (/etc/hosts first, as nsswitch says; an unknown host may ask DNS, as ss
 * does).
 */

/* clang-format off */
enum nd_fnode_type {
	ND_F_SCOND, ND_F_DCOND, ND_F_S_GE, ND_F_S_LE, ND_F_D_GE, ND_F_D_LE, ND_F_AUTO,
	ND_F_AND, ND_F_OR, ND_F_NOT,
	ND_F_UID, ND_F_PID, ND_F_COMM /* owner terms: user space only, see nd_filter_has_owner */
};
/* clang-format on */

struct nd_fnode {
	enum nd_fnode_type type;
	struct nd_fnode *a, *b; /* operands of AND/OR/NOT */
	/* host condition (SCOND/DCOND) and port comparisons */
	int family;    /* AF_UNSPEC, AF_INET, AF_INET6, AF_UNIX */
	int prefixlen; /* 0: any address */
	int port;      /* -1: any port */
	uint8_t addr[16];
	char pattern[108];         /* AF_UNIX: an fnmatch pattern on the path */
	uint16_t auto_lo, auto_hi; /* ND_F_AUTO: the local port range (0..65535 until set) */
	uint32_t id; /* ND_F_UID, ND_F_PID: the number; ND_F_COMM: pattern holds the name */
};

/*
 * The most nodes a tree may hold: more than the kernel could run, whose bytecode may be 64 KiB
 * at most (a netlink attribute's length is 16 bits): 8 bytes per "autobound or" is 16382 nodes.
 */
#define ND_FILTER_MAX_NODES 16384

struct nd_filter {
	uint32_t states;       /* bit per ND_SS_* state, valid when states_set */
	bool states_set;       /* a state or exclude word was given */
	int family;            /* AF_UNSPEC, or the one an inet:/inet6:/unix: prefix asked for */
	struct nd_fnode *root; /* NULL: no expression */
	int nnodes;
	struct nd_fnode nodes[ND_FILTER_MAX_NODES];
};

/* ss's state groups, over the ND_SS_* bits. */
#define ND_SS_CONNECTED (ND_SS_ALL & ~((1u << ND_SS_CLOSE) | (1u << ND_SS_LISTEN)))

/*
 * nd_filter_state - the state mask of a state name ("established", "time-wait", "listening",
 * "close", "connected", "synchronized", "bucket", "big", "all", ...).  Returns 0 or -EINVAL.
 */
int nd_filter_state(const char *name, uint32_t *mask);

/*
 * The lookups of the names an expression may hold, done by the caller's functions.  A NULL
 * member (or a NULL struct) makes every name of its kind an error.
 */
struct nd_filter_names {
	/*
	 * The addresses of host @name for @family (AF_UNSPEC: both), as getaddrinfo() with
	 * SOCK_STREAM hints gives them: 0 and *@res (freed with freeaddrinfo()), or an EAI_* code.
	 */
	int (*host)(const char *name, int family, struct addrinfo **res);
	/* The port (host order) of service @name for @proto ("tcp", "udp"), or -1. */
	int (*service)(const char *name, const char *proto);
	/* The uid of user @name: 0 and *@uid, or -ENOENT. */
	int (*user)(const char *name, uint32_t *uid);
};

/* The system's databases: getaddrinfo(), getservbyname(), getpwnam(). */
extern const struct nd_filter_names nd_filter_names_system;

/*
 * nd_filter_parse - parse the words @argv[0..@argc) (each word is further split at blanks)
 * into @f.  @family (AF_UNSPEC, AF_INET, AF_INET6) is the one -4/-6 chose: addresses are
 * parsed for it.  Names are looked up through @names.  Returns 0, or -EINVAL with a message
 * naming the bad token in @err.
 */
int nd_filter_parse(int argc, char *const argv[], int family, const struct nd_filter_names *names,
		    struct nd_filter *f, char *err, size_t errlen);

/*
 * nd_filter_set_local_ports - give every "autobound" in @f the range @lo..@hi of
 * net.ipv4.ip_local_port_range: the kernel's AUTO op only asks whether the port was bound
 * explicitly (TIME-WAIT and request sockets never are), ss also wants the port in this range,
 * checked in user space by nd_filter_match().  Returns whether @f holds an "autobound".
 */
bool nd_filter_set_local_ports(struct nd_filter *f, uint16_t lo, uint16_t hi);

/*
 * nd_filter_has_owner - whether @f holds a pid or comm term: those match the processes the tool
 * attached to each socket (nd_sock.owners), so the tool must look them up first.  A tree with
 * any owner term (uid too: inet_diag has no uid condition) does not compile to bytecode.
 */
bool nd_filter_has_owner(const struct nd_filter *f);

/*
 * nd_filter_compile - inet_diag bytecode of @n into @buf (@size bytes), as ss builds it.
 * Returns the length, -ENOSPC when it does not fit, -EOPNOTSUPP for a tree the kernel cannot
 * run (a unix: condition, an owner term).
 */
ssize_t nd_filter_compile(const struct nd_fnode *n, uint8_t *buf, size_t size);

/*
 * nd_filter_bc_run - run inet_diag bytecode on @s the way the kernel does (inet_diag_bc_run);
 * @userlocks_bindport says whether the socket's port was bound explicitly (for autobound).
 * For tests: the compiled program must agree with nd_filter_match().
 */
bool nd_filter_bc_run(const uint8_t *bc, size_t len, const struct nd_sock *s,
		      bool userlocks_bindport);

/*
 * nd_filter_match - evaluate @n on @s in user space (UNIX sockets, inet ones when the tree
 * cannot be compiled, and after the kernel's bytecode when it holds "autobound", as ss does:
 * an inet socket is autobound here when its port lies in the node's local port range).  A NULL
 * tree matches everything.
 */
bool nd_filter_match(const struct nd_fnode *n, const struct nd_sock *s);

#endif
