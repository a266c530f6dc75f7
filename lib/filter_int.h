/* SPDX-License-Identifier: MIT */
#ifndef ND_FILTER_INT_H
#define ND_FILTER_INT_H

/*
 * Private to lib/filter*.c.  The parser's state and helpers, shared by the grammar (filter.c)
 * and the host and port conditions (filter_host.c); the host condition, shared by the
 * user-space evaluator (filter_match.c) and the bytecode interpreter (filter_bc.c).
 */
#include <stdbool.h>
#include <stdint.h>

#include <errno.h>

#include "errbuf.h"
#include "filter.h"

/* The words cut into tokens: both arrays are sized from the words, so they never run out. */
struct parser {
	char **tok;
	int ntok, pos;
	int family; /* from -4/-6 */
	const struct nd_filter_names *names;
	struct nd_filter *f;
	char *err;
	size_t errlen;
	char *buf;
};

/* clang-format off */
enum tok {
	T_END, T_LPAREN, T_RPAREN, T_NOT, T_AND, T_OR, T_SRC, T_DST, T_SPORT, T_DPORT, T_AUTO,
	T_UID, T_PID, T_COMM,
	T_EQ, T_NE, T_LT, T_GT, T_LE, T_GE, T_WORD
};
/* clang-format on */

/* The token @t is (T_WORD for anything not a keyword, T_END for NULL). */
enum tok nd_fp_classify(const char *t);

/* The next token without taking it / taking it; NULL at the end. */
const char *nd_fp_peek(struct parser *p);
const char *nd_fp_next(struct parser *p);

/* A fresh node of @type (port -1, any local port), or NULL when the tree is full. */
struct nd_fnode *nd_fp_node(struct parser *p, enum nd_fnode_type type);

/* Write the message into the caller's error buffer; returns -EINVAL. */
#define nd_fp_err(p, ...) nd_errf((p)->err, (p)->errlen, -EINVAL, __VA_ARGS__)

/* The error for a tree past ND_FILTER_MAX_NODES; returns -EINVAL. */
int nd_fp_too_many(struct parser *p);

/* PORT (number, service name or "*": -1) of token @tok into *@port; 0 or -EINVAL. */
int nd_fp_port(struct parser *p, const char *s, const char *tok, int *port);

/* HOST of token @tok into the condition @n (a name may turn @n into an OR); 0 or -EINVAL. */
int nd_fp_host(struct parser *p, const char *tok, struct nd_fnode *n);

/* The kernel's host condition: port, family (v4-mapped matches an IPv4 rule), prefix. */
bool nd_filter_hostcond(int family, int prefixlen, int port, const uint8_t *caddr,
			const struct nd_sock *s, bool src);

#endif
