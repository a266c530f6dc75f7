// SPDX-License-Identifier: MIT
/* The doubling/clamping/minimum rule of SO_SNDBUF and SO_RCVBUF, modelled without I/O. */
#include "rules.h"

#include <errno.h>
#include <limits.h>

bool sb_opt_is_snd(enum sb_opt opt)
{
	return opt == SB_SNDBUF || opt == SB_SNDBUFFORCE;
}

struct sb_predict sb_rule_predict(const struct sb_limits *l, enum sb_opt opt, int64_t req)
{
	bool snd = sb_opt_is_snd(opt);
	int64_t max = snd ? l->wmem_max : l->rmem_max;
	int64_t min = snd ? l->min_sndbuf : l->min_rcvbuf;
	struct sb_predict p = { .value = -1, .rule = SB_RULE_DOUBLED, .err = 0 };
	int64_t v;

	if (opt == SB_SNDBUFFORCE || opt == SB_RCVBUFFORCE) {
		if (!l->cap_net_admin) {
			p.rule = SB_RULE_EPERM;
			p.err = -EPERM;
			return p;
		}
		v = req < 0 ? 0 : (req > INT_MAX ? INT_MAX : req);
		if (v > max)
			p.rule = SB_RULE_FORCED;
	} else {
		/* the kernel compares as u32: a negative int is a huge request */
		v = (int64_t)(uint32_t)req;
		if (v > max) {
			v = max;
			p.rule = SB_RULE_CLAMPED;
		}
	}
	if (v > INT_MAX / 2) {
		v = INT_MAX / 2;
		p.rule = SB_RULE_INTCAP;
	}
	v *= 2;
	if (v < min) {
		v = min;
		p.rule = SB_RULE_MINIMUM;
	}
	p.value = v;
	return p;
}

const char *sb_rule_key(enum sb_rule r)
{
	switch (r) {
	case SB_RULE_DOUBLED: return "doubled";
	case SB_RULE_CLAMPED: return "clamped";
	case SB_RULE_MINIMUM: return "minimum";
	case SB_RULE_FORCED: return "forced";
	case SB_RULE_INTCAP: return "intcap";
	case SB_RULE_EPERM: return "eperm";
	}
	return "?";
}

const char *sb_rule_name(enum sb_rule r, enum sb_opt opt)
{
	bool snd = sb_opt_is_snd(opt);

	switch (r) {
	case SB_RULE_DOUBLED: return "doubled";
	case SB_RULE_CLAMPED:
		return snd ? "clamped at wmem_max, doubled" : "clamped at rmem_max, doubled";
	case SB_RULE_MINIMUM:
		return snd ? "raised to SOCK_MIN_SNDBUF" : "raised to SOCK_MIN_RCVBUF";
	case SB_RULE_FORCED:
		return snd ? "forced past wmem_max, doubled" : "forced past rmem_max, doubled";
	case SB_RULE_INTCAP: return "capped at INT_MAX/2, doubled";
	case SB_RULE_EPERM: return "EPERM: needs CAP_NET_ADMIN";
	}
	return "?";
}

const char *sb_opt_name(enum sb_opt opt)
{
	static const char *const n[] = { "SO_SNDBUF", "SO_RCVBUF", "SO_SNDBUFFORCE",
					 "SO_RCVBUFFORCE" };

	return (unsigned)opt < SB_NOPTS ? n[opt] : "?";
}
