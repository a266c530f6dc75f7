// SPDX-License-Identifier: MIT
/* Pure parsers of rtnetlink link and address messages (their names: link_names.c). */
#include "link.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <libmnl/libmnl.h>

#include "nl.h"

/* nd_link_stats mirrors the kernel's struct, so IFLA_STATS64 is copied as it is. */
_Static_assert(offsetof(struct nd_link_stats, rx_nohandler) ==
		       offsetof(struct rtnl_link_stats64, rx_nohandler),
	       "nd_link_stats must follow rtnl_link_stats64");

static void copy_str(char *dst, size_t size, const void *v, size_t n)
{
	size_t len = strnlen(v, n);

	if (len >= size)
		len = size - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static int linkinfo_attr(unsigned int type, const void *v, size_t n, void *data)
{
	struct nd_link *l = data;

	/* IFLA_INFO_KIND or IFLA_INFO_SLAVE_KIND, the two rows of linkinfo_rows[] */
	if (type == IFLA_INFO_KIND)
		copy_str(l->kind, sizeof(l->kind), v, n);
	else
		copy_str(l->slave_kind, sizeof(l->slave_kind), v, n);
	return 0;
}

static int proplist_attr(unsigned int type, const void *v, size_t n, void *data)
{
	struct nd_link *l = data;
	size_t len = strnlen(v, n); /* an IFLA_ALT_IFNAME, proplist_rows[]' one row */

	(void)type;
	if (len == 0)
		return 0;
	if (len + 1 > sizeof(l->altnames) - l->altnames_len) {
		l->has |= ND_LINK_ALTNAMES_CUT;
		return 0;
	}
	memcpy(l->altnames + l->altnames_len, v, len);
	l->altnames[l->altnames_len + len] = '\0';
	l->altnames_len = (uint16_t)(l->altnames_len + len + 1);
	l->n_altnames++;
	return 0;
}

static const struct nd_attr_field linkinfo_rows[] = {
	ND_ATTR_CODE_ROW(IFLA_INFO_KIND),
	ND_ATTR_CODE_ROW(IFLA_INFO_SLAVE_KIND),
};
static const struct nd_attr_policy linkinfo_policy = ND_ATTR_POLICY(linkinfo_rows, linkinfo_attr);

static const struct nd_attr_field proplist_rows[] = {
	ND_ATTR_CODE_ROW(IFLA_ALT_IFNAME),
};
static const struct nd_attr_policy proplist_policy = ND_ATTR_POLICY(proplist_rows, proplist_attr);

static void copy_lladdr(uint8_t *dst, uint8_t *dlen, const void *v, size_t n)
{
	if (n == 0 || n > ND_LLADDR_MAX)
		return;
	memcpy(dst, v, n);
	*dlen = (uint8_t)n;
}

static void stats32(struct nd_link_stats *s, const void *v, size_t n)
{
	struct rtnl_link_stats k = { 0 };
	uint64_t *d = (uint64_t *)s;
	const uint32_t *src = (const uint32_t *)&k;

	memcpy(&k, v, n < sizeof(k) ? n : sizeof(k));
	/* both structs list the same counters in the same order */
	for (size_t i = 0; i < sizeof(*s) / sizeof(uint64_t) && i < sizeof(k) / 4; i++)
		d[i] = src[i];
}

struct link_ctx {
	struct nd_link *l;
	int have64;
};

/*
 * Forced inline into the walk of link messages (its one caller): as a call per attribute it
 * handles, ifinfo -a took 2.3% more instructions (callgrind, 201 links) than with the switch
 * in the loop.
 */
static inline __attribute__((always_inline)) int link_attr(unsigned int type, const void *v,
							   size_t n, void *data)
{
	struct link_ctx *c = data;
	struct nd_link *l = c->l;

	switch (type) {
	case IFLA_IFNAME: copy_str(l->name, sizeof(l->name), v, n); break;
	case IFLA_IFALIAS:
		/* the kernel sends it NUL-terminated; its text ends at the first NUL */
		n = strnlen(v, n);
		if (n > 0) {
			l->ifalias = v;
			l->ifalias_len = (uint16_t)(n < UINT16_MAX ? n : UINT16_MAX);
		}
		break;
	case IFLA_QDISC:
		copy_str(l->qdisc, sizeof(l->qdisc), v, n);
		l->has |= ND_LINK_HAS_QDISC;
		break;
	case IFLA_ADDRESS: copy_lladdr(l->addr, &l->addr_len, v, n); break;
	case IFLA_BROADCAST: copy_lladdr(l->brd, &l->brd_len, v, n); break;
	case IFLA_PERM_ADDRESS: copy_lladdr(l->perm, &l->perm_len, v, n); break;
	case IFLA_LINKINFO: return nd_attr_parse(v, n, &linkinfo_policy, l, &l->has, l);
	case IFLA_PROP_LIST: return nd_attr_parse(v, n, &proplist_policy, l, &l->has, l);
	case IFLA_STATS64:
		if (n >= offsetof(struct rtnl_link_stats64, rx_length_errors)) {
			memcpy(&l->stats, v, n < sizeof(l->stats) ? n : sizeof(l->stats));
			l->has |= ND_LINK_HAS_STATS;
			c->have64 = 1;
		}
		break;
	case IFLA_STATS:
		if (!c->have64 && n >= offsetof(struct rtnl_link_stats, rx_length_errors)) {
			stats32(&l->stats, v, n);
			l->has |= ND_LINK_HAS_STATS;
		}
		break;
	}
	return 0;
}

/*
 * What a link message's attributes are to the parser: the fixed-size ones (the kernel's u32
 * and s32, all 4 bytes, and u8) are fields with their has-bits, the rest link_attr()'s code.
 */
#define LINK_U32(type, field, bit) ND_ATTR_U32_ROW(type, struct nd_link, field, bit)
#define LINK_U8(type, field, bit)  ND_ATTR_U8_ROW(type, struct nd_link, field, bit)
static const struct nd_attr_field link_rows[] = {
	LINK_U32(IFLA_MTU, mtu, ND_LINK_HAS_MTU),
	LINK_U32(IFLA_TXQLEN, txqlen, ND_LINK_HAS_TXQLEN),
	LINK_U32(IFLA_GROUP, group, ND_LINK_HAS_GROUP),
	LINK_U32(IFLA_MASTER, master, ND_LINK_HAS_MASTER),
	LINK_U32(IFLA_LINK, link, ND_LINK_HAS_LINK),
	LINK_U32(IFLA_LINK_NETNSID, link_netnsid, ND_LINK_HAS_NETNSID),
	LINK_U8(IFLA_OPERSTATE, operstate, ND_LINK_HAS_OPERSTATE),
	LINK_U8(IFLA_PROTO_DOWN, proto_down, ND_LINK_HAS_PROTO_DOWN),
	ND_ATTR_CODE_ROW(IFLA_IFNAME),
	ND_ATTR_CODE_ROW(IFLA_IFALIAS),
	ND_ATTR_CODE_ROW(IFLA_QDISC),
	ND_ATTR_CODE_ROW(IFLA_ADDRESS),
	ND_ATTR_CODE_ROW(IFLA_BROADCAST),
	ND_ATTR_CODE_ROW(IFLA_PERM_ADDRESS),
	ND_ATTR_CODE_ROW(IFLA_LINKINFO),
	ND_ATTR_CODE_ROW(IFLA_PROP_LIST),
	ND_ATTR_CODE_ROW(IFLA_STATS64),
	ND_ATTR_CODE_ROW(IFLA_STATS),
};
#undef LINK_U32
#undef LINK_U8
static const struct nd_attr_policy link_policy = ND_ATTR_POLICY(link_rows, link_attr);

void nd_link_dump_req(struct nlmsghdr *req, int family)
{
	struct ifinfomsg *ifi = mnl_nlmsg_put_extra_header(req, sizeof(*ifi));

	ifi->ifi_family = (unsigned char)family;
	mnl_attr_put_u32(req, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
}

void nd_ifaddr_dump_req(struct nlmsghdr *req, int family)
{
	struct ifaddrmsg *ifa = mnl_nlmsg_put_extra_header(req, sizeof(*ifa));

	ifa->ifa_family = (unsigned char)family;
}

int nd_link_parse(const struct nlmsghdr *nlh, struct nd_link *out)
{
	const size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifinfomsg));
	const struct ifinfomsg *ifi;
	struct link_ctx c = { .l = out };

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return -ENOMSG;
	if (nlh->nlmsg_len < hdr)
		return -EBADMSG;
	ifi = (const struct ifinfomsg *)((const uint8_t *)nlh + NLMSG_HDRLEN);
	memset(out, 0, offsetof(struct nd_link, stats));
	memset(&out->stats, 0, sizeof(out->stats));
	out->n_altnames = out->altnames_len = 0;
	out->ifindex = ifi->ifi_index;
	out->type = ifi->ifi_type;
	out->flags = ifi->ifi_flags;
	return nd_attr_parse_msg(nlh, sizeof(*ifi), &link_policy, out, &out->has, &c);
}

const char *nd_link_altname(const struct nd_link *l, unsigned int i)
{
	const char *p = l->altnames;

	while (i--)
		p += strlen(p) + 1;
	return p;
}

static int ifaddr_attr(unsigned int type, const void *v, size_t n, void *data)
{
	struct nd_ifaddr *a = data;

	switch (type) {
	case IFA_LABEL:
		copy_str(a->label, sizeof(a->label), v, n);
		a->has |= ND_IFA_HAS_LABEL;
		break;
	case IFA_CACHEINFO:
		if (n >= sizeof(struct ifa_cacheinfo)) {
			struct ifa_cacheinfo ci;

			memcpy(&ci, v, sizeof(ci));
			a->valid_lft = ci.ifa_valid;
			a->preferred_lft = ci.ifa_prefered;
			a->has |= ND_IFA_HAS_CACHEINFO;
		}
		break;
	}
	return 0;
}

/*
 * What an address message's attributes are to the parser, one table per family: the addresses
 * are fields of 4 or 16 bytes as the family says (another length: absent), IFA_FLAGS a u32
 * without a has-bit, the label and cacheinfo ifaddr_attr()'s code.  Other families keep their
 * addresses empty.
 */
#define IFA_ADDR(type, field, size, bit) \
	ND_ATTR_FIELD(type, struct nd_ifaddr, field, size, ND_ATTR_EXACT, bit)
/* clang-format off */
#define IFA_ROWS(alen)                                                      \
	IFA_ADDR(IFA_LOCAL, local, alen, ND_IFA_HAS_LOCAL),                  \
	IFA_ADDR(IFA_ADDRESS, address, alen, ND_IFA_HAS_ADDRESS),            \
	IFA_ADDR(IFA_BROADCAST, broadcast, alen, ND_IFA_HAS_BROADCAST),      \
	IFA_ADDR(IFA_ANYCAST, anycast, alen, ND_IFA_HAS_ANYCAST), IFA_COMMON_ROWS
#define IFA_COMMON_ROWS                                                          \
	ND_ATTR_U32_ROW(IFA_FLAGS, struct nd_ifaddr, flags, 0),      \
	ND_ATTR_CODE_ROW(IFA_LABEL), ND_ATTR_CODE_ROW(IFA_CACHEINFO)
/* clang-format on */
static const struct nd_attr_field ifa4_rows[] = { IFA_ROWS(4) };
static const struct nd_attr_field ifa6_rows[] = { IFA_ROWS(16) };
static const struct nd_attr_field ifa_other_rows[] = { IFA_COMMON_ROWS };
#undef IFA_ADDR
#undef IFA_ROWS
#undef IFA_COMMON_ROWS
static const struct nd_attr_policy ifa4_policy = ND_ATTR_POLICY(ifa4_rows, ifaddr_attr);
static const struct nd_attr_policy ifa6_policy = ND_ATTR_POLICY(ifa6_rows, ifaddr_attr);
static const struct nd_attr_policy ifa_other_policy = ND_ATTR_POLICY(ifa_other_rows, ifaddr_attr);

int nd_ifaddr_parse(const struct nlmsghdr *nlh, struct nd_ifaddr *out)
{
	const size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct ifaddrmsg));
	const struct ifaddrmsg *ifa;

	if (nlh->nlmsg_type != RTM_NEWADDR)
		return -ENOMSG;
	if (nlh->nlmsg_len < hdr)
		return -EBADMSG;
	ifa = (const struct ifaddrmsg *)((const uint8_t *)nlh + NLMSG_HDRLEN);
	memset(out, 0, sizeof(*out));
	out->family = ifa->ifa_family;
	out->ifindex = (int)ifa->ifa_index;
	out->prefixlen = ifa->ifa_prefixlen;
	out->scope = ifa->ifa_scope;
	out->flags = ifa->ifa_flags; /* IFA_FLAGS, when present, overrides with all 32 bits */
	/* a call per policy, so that each walk is compiled with its table and callback known */
	if (out->family == AF_INET)
		return nd_attr_parse_msg(nlh, sizeof(*ifa), &ifa4_policy, out, &out->has, out);
	if (out->family == AF_INET6)
		return nd_attr_parse_msg(nlh, sizeof(*ifa), &ifa6_policy, out, &out->has, out);
	return nd_attr_parse_msg(nlh, sizeof(*ifa), &ifa_other_policy, out, &out->has, out);
}
