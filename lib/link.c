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

/* nd_link_stats mirrors the kernel's struct, so IFLA_STATS64 is copied as it is. */
_Static_assert(offsetof(struct nd_link_stats, rx_nohandler) ==
		       offsetof(struct rtnl_link_stats64, rx_nohandler),
	       "nd_link_stats must follow rtnl_link_stats64");

#define ATTR_HDR ((size_t)NLA_HDRLEN)
#define ALIGN4(x) (((x) + 3u) & ~(size_t)3u)

/*
 * Walk the attributes in [@p, @p + @len): call @fn for each with its type (flags masked off),
 * payload and payload length.  Returns -EBADMSG when an attribute runs past the end.
 */
typedef void (*attr_fn)(unsigned int type, const uint8_t *v, size_t n, void *data);

static int walk_attrs(const uint8_t *p, size_t len, attr_fn fn, void *data)
{
	while (len >= ATTR_HDR) {
		const struct nlattr *a = (const struct nlattr *)p;
		size_t alen = a->nla_len, step;

		if (alen < ATTR_HDR || alen > len)
			return -EBADMSG;
		fn(a->nla_type & NLA_TYPE_MASK, p + ATTR_HDR, alen - ATTR_HDR, data);
		step = ALIGN4(alen);
		if (step >= len)
			return 0;
		p += step;
		len -= step;
	}
	/* fewer bytes than a header left over: padding at most */
	return 0;
}

/*
 * A fixed-size attribute into its field: when the payload (@v, @n bytes) holds @size bytes
 * (exactly @size when @exact), copy them to @dst and set @bit in *@has; any other size (or a
 * @size of 0) counts as absent.
 */
static inline void put_field(void *dst, size_t size, bool exact, const uint8_t *v, size_t n,
			     unsigned int *has, unsigned int bit)
{
	if (size && (exact ? n == size : n >= size)) {
		memcpy(dst, v, size);
		*has |= bit;
	}
}

static void copy_str(char *dst, size_t size, const uint8_t *v, size_t n)
{
	size_t len = strnlen((const char *)v, n);

	if (len >= size)
		len = size - 1;
	memcpy(dst, v, len);
	dst[len] = '\0';
}

static int get_u32(const uint8_t *v, size_t n, uint32_t *out)
{
	if (n < 4)
		return 0;
	memcpy(out, v, 4);
	return 1;
}

static void linkinfo_attr(unsigned int type, const uint8_t *v, size_t n, void *data)
{
	struct nd_link *l = data;

	if (type == IFLA_INFO_KIND)
		copy_str(l->kind, sizeof(l->kind), v, n);
	else if (type == IFLA_INFO_SLAVE_KIND)
		copy_str(l->slave_kind, sizeof(l->slave_kind), v, n);
}

static void proplist_attr(unsigned int type, const uint8_t *v, size_t n, void *data)
{
	struct nd_link *l = data;
	size_t len;

	if (type != IFLA_ALT_IFNAME)
		return;
	len = strnlen((const char *)v, n);
	if (len == 0)
		return;
	if (len + 1 > sizeof(l->altnames) - l->altnames_len) {
		l->has |= ND_LINK_ALTNAMES_CUT;
		return;
	}
	memcpy(l->altnames + l->altnames_len, v, len);
	l->altnames[l->altnames_len + len] = '\0';
	l->altnames_len = (uint16_t)(l->altnames_len + len + 1);
	l->n_altnames++;
}

static void copy_lladdr(uint8_t *dst, uint8_t *dlen, const uint8_t *v, size_t n)
{
	if (n == 0 || n > ND_LLADDR_MAX)
		return;
	memcpy(dst, v, n);
	*dlen = (uint8_t)n;
}

static void stats32(struct nd_link_stats *s, const uint8_t *v, size_t n)
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
	int err;
	int have64;
};

/* The 32-bit attributes of a link message (the kernel's u32 and s32 alike) land in these. */
#define IS_4(f) (sizeof(((struct nd_link *)0)->f) == 4)
_Static_assert(IS_4(mtu) && IS_4(txqlen) && IS_4(group) && IS_4(master) && IS_4(link) &&
		       IS_4(link_netnsid),
	       "the 32-bit attributes' fields hold 4 bytes");
#undef IS_4

static void link_attr(unsigned int type, const uint8_t *v, size_t n, void *data)
{
	struct link_ctx *c = data;
	struct nd_link *l = c->l;

	switch (type) {
	case IFLA_IFNAME:
		copy_str(l->name, sizeof(l->name), v, n);
		break;
	case IFLA_MTU:
		put_field(&l->mtu, 4, false, v, n, &l->has, ND_LINK_HAS_MTU);
		break;
	case IFLA_TXQLEN:
		put_field(&l->txqlen, 4, false, v, n, &l->has, ND_LINK_HAS_TXQLEN);
		break;
	case IFLA_GROUP:
		put_field(&l->group, 4, false, v, n, &l->has, ND_LINK_HAS_GROUP);
		break;
	case IFLA_MASTER:
		put_field(&l->master, 4, false, v, n, &l->has, ND_LINK_HAS_MASTER);
		break;
	case IFLA_LINK:
		put_field(&l->link, 4, false, v, n, &l->has, ND_LINK_HAS_LINK);
		break;
	case IFLA_LINK_NETNSID:
		put_field(&l->link_netnsid, 4, false, v, n, &l->has, ND_LINK_HAS_NETNSID);
		break;
	case IFLA_OPERSTATE:
		if (n >= 1) {
			l->operstate = v[0];
			l->has |= ND_LINK_HAS_OPERSTATE;
		}
		break;
	case IFLA_PROTO_DOWN:
		if (n >= 1) {
			l->proto_down = v[0];
			l->has |= ND_LINK_HAS_PROTO_DOWN;
		}
		break;
	case IFLA_IFALIAS:
		/* the kernel sends it NUL-terminated; its text ends at the first NUL */
		n = strnlen((const char *)v, n);
		if (n > 0) {
			l->ifalias = (const char *)v;
			l->ifalias_len = (uint16_t)(n < UINT16_MAX ? n : UINT16_MAX);
		}
		break;
	case IFLA_QDISC:
		copy_str(l->qdisc, sizeof(l->qdisc), v, n);
		l->has |= ND_LINK_HAS_QDISC;
		break;
	case IFLA_ADDRESS:
		copy_lladdr(l->addr, &l->addr_len, v, n);
		break;
	case IFLA_BROADCAST:
		copy_lladdr(l->brd, &l->brd_len, v, n);
		break;
	case IFLA_PERM_ADDRESS:
		copy_lladdr(l->perm, &l->perm_len, v, n);
		break;
	case IFLA_LINKINFO:
		if (walk_attrs(v, n, linkinfo_attr, l))
			c->err = -EBADMSG;
		break;
	case IFLA_PROP_LIST:
		if (walk_attrs(v, n, proplist_attr, l))
			c->err = -EBADMSG;
		break;
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
}

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
	int err;

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
	err = walk_attrs((const uint8_t *)nlh + hdr, nlh->nlmsg_len - hdr, link_attr, &c);
	return err ? err : c.err;
}

const char *nd_link_altname(const struct nd_link *l, unsigned int i)
{
	const char *p = l->altnames;

	while (i--)
		p += strlen(p) + 1;
	return p;
}

static void ifaddr_attr(unsigned int type, const uint8_t *v, size_t n, void *data)
{
	struct nd_ifaddr *a = data;
	size_t alen = a->family == AF_INET ? 4 : a->family == AF_INET6 ? 16 : 0;

	switch (type) {
	/* 4 or 16 bytes, as the family says */
	case IFA_LOCAL:
		put_field(a->local, alen, true, v, n, &a->has, ND_IFA_HAS_LOCAL);
		break;
	case IFA_ADDRESS:
		put_field(a->address, alen, true, v, n, &a->has, ND_IFA_HAS_ADDRESS);
		break;
	case IFA_BROADCAST:
		put_field(a->broadcast, alen, true, v, n, &a->has, ND_IFA_HAS_BROADCAST);
		break;
	case IFA_ANYCAST:
		put_field(a->anycast, alen, true, v, n, &a->has, ND_IFA_HAS_ANYCAST);
		break;
	case IFA_LABEL:
		copy_str(a->label, sizeof(a->label), v, n);
		a->has |= ND_IFA_HAS_LABEL;
		break;
	case IFA_FLAGS:
		get_u32(v, n, &a->flags);
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
}

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
	return walk_attrs((const uint8_t *)nlh + hdr, nlh->nlmsg_len - hdr, ifaddr_attr, out);
}
