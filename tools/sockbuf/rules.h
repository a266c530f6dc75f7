/* SPDX-License-Identifier: MIT */
#ifndef SOCKBUF_RULES_H
#define SOCKBUF_RULES_H

#include <stdbool.h>
#include <stdint.h>

/*
 * The kernel's rule for SO_SNDBUF / SO_RCVBUF (net/core/sock.c), as a pure function:
 *   SO_SNDBUF:       v = min((u32)req, wmem_max); v = min(v, INT_MAX/2); got = max(2v, SOCK_MIN_SNDBUF)
 *   SO_RCVBUF:       the same with rmem_max and SOCK_MIN_RCVBUF
 *   SO_*BUFFORCE:    needs CAP_NET_ADMIN (else EPERM); v = max(req, 0), no *mem_max clamp
 * and which part of it decided the value.  The minimums depend on sizeof(struct sk_buff) of
 * the running kernel, so they are inputs (probed by the caller).
 */
enum sb_opt { SB_SNDBUF, SB_RCVBUF, SB_SNDBUFFORCE, SB_RCVBUFFORCE, SB_NOPTS };

enum sb_rule {
	SB_RULE_DOUBLED, /* 2 x request */
	SB_RULE_CLAMPED, /* request above *mem_max: 2 x *mem_max */
	SB_RULE_MINIMUM, /* 2 x request below the minimum: raised to SOCK_MIN_* */
	SB_RULE_FORCED,  /* FORCE past *mem_max: 2 x request */
	SB_RULE_INTCAP,  /* request above INT_MAX/2: 2 x (INT_MAX/2) */
	SB_RULE_EPERM,   /* FORCE without CAP_NET_ADMIN: refused, value unchanged */
};

struct sb_limits {
	int64_t wmem_max, rmem_max;     /* net.core.{w,r}mem_max */
	int64_t min_sndbuf, min_rcvbuf; /* SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF */
	bool cap_net_admin;
};

struct sb_predict {
	int64_t value; /* what getsockopt returns afterwards (for EPERM: unchanged, -1) */
	enum sb_rule rule;
	int err; /* 0 or -EPERM: what setsockopt returns */
};

/* sb_rule_predict - what setsockopt(@opt, @req) followed by getsockopt gives. */
struct sb_predict sb_rule_predict(const struct sb_limits *l, enum sb_opt opt, int64_t req);

/* sb_rule_name - "doubled", "clamped at wmem_max", ... for @opt. */
const char *sb_rule_name(enum sb_rule r, enum sb_opt opt);

/* sb_rule_key - the short JSON name: "doubled", "clamped", "minimum", "forced", "intcap", "eperm". */
const char *sb_rule_key(enum sb_rule r);

/* sb_opt_name - "SO_SNDBUF", ... */
const char *sb_opt_name(enum sb_opt opt);

/* sb_opt_is_snd - whether @opt sets the send buffer. */
bool sb_opt_is_snd(enum sb_opt opt);

#endif
