/* SPDX-License-Identifier: MIT */
#ifndef ND_LINK_H
#define ND_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

/*
 * rtnetlink links and interface addresses as plain structs: the pure parsers of RTM_NEWLINK and
 * RTM_NEWADDR messages (link.c), and the names iproute2 gives to their flags, types and states
 * (link_names.c).
 * No I/O here: the bytes come from nd_nl_dump() or from canned files in tests/data/unit/.
 */

#define ND_IFNAMSIZ   16 /* IFNAMSIZ, with the NUL */
#define ND_LLADDR_MAX 32 /* MAX_ADDR_LEN */
#define ND_KIND_MAX   32
/* Room for the alternative names of one link, each NUL-terminated one after the other. */
#define ND_ALTNAMES_MAX 256

/* The counters of IFLA_STATS64 (struct rtnl_link_stats64), as many as the kernel sends. */
struct nd_link_stats {
	uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint64_t multicast, collisions;
	uint64_t rx_length_errors, rx_over_errors, rx_crc_errors, rx_frame_errors;
	uint64_t rx_fifo_errors, rx_missed_errors;
	uint64_t tx_aborted_errors, tx_carrier_errors, tx_fifo_errors, tx_heartbeat_errors;
	uint64_t tx_window_errors, rx_compressed, tx_compressed, rx_nohandler;
};

/* Which optional attributes a link message carried. */
enum {
	ND_LINK_HAS_MTU = 1 << 0,
	ND_LINK_HAS_TXQLEN = 1 << 1,
	ND_LINK_HAS_QDISC = 1 << 2,
	ND_LINK_HAS_MASTER = 1 << 3,
	ND_LINK_HAS_LINK = 1 << 4,    /* IFLA_LINK: the lower or peer device's index */
	ND_LINK_HAS_NETNSID = 1 << 5, /* IFLA_LINK_NETNSID: that index lives in another netns */
	ND_LINK_HAS_OPERSTATE = 1 << 6,
	ND_LINK_HAS_GROUP = 1 << 7,
	ND_LINK_HAS_STATS = 1 << 8,
	ND_LINK_HAS_PROTO_DOWN = 1 << 9,
	ND_LINK_ALTNAMES_CUT = 1 << 10, /* more alternative names than altnames[] holds */
};

struct nd_link {
	int ifindex;
	unsigned int type;  /* ARPHRD_* */
	unsigned int flags; /* IFF_*, including IFF_LOWER_UP and friends */
	unsigned int has;   /* ND_LINK_HAS_* */
	char name[ND_IFNAMSIZ];
	uint32_t mtu, txqlen, group;
	int master;
	int link;
	int32_t link_netnsid;
	uint8_t operstate;
	uint8_t proto_down;
	uint8_t addr_len, brd_len, perm_len;
	uint8_t addr[ND_LLADDR_MAX], brd[ND_LLADDR_MAX], perm[ND_LLADDR_MAX];
	char qdisc[ND_KIND_MAX];
	char kind[ND_KIND_MAX];       /* IFLA_INFO_KIND: "veth", "bridge", "tun", "" */
	char slave_kind[ND_KIND_MAX]; /* IFLA_INFO_SLAVE_KIND: "bridge" for a bridge port */
	/*
	 * IFLA_IFALIAS ("ip link set X alias TEXT"), NOT NUL-terminated: it points into the message
	 * and lives as long as the message (a keeper copies it, as ifinfo's ifdb does); NULL: none.
	 * Rare and up to 256 bytes, so not an array of every link.
	 */
	const char *ifalias;
	uint16_t ifalias_len;
	struct nd_link_stats stats;
	/*
	 * IFLA_PROP_LIST's IFLA_ALT_IFNAMEs in the kernel's order, "a\0b\0": n_altnames of them in
	 * the first altnames_len bytes (the rest of the array is not cleared by the parser).
	 */
	uint16_t n_altnames, altnames_len;
	char altnames[ND_ALTNAMES_MAX];
};

/* Which optional attributes an address message carried. */
enum {
	ND_IFA_HAS_LOCAL = 1 << 0,
	ND_IFA_HAS_ADDRESS = 1 << 1,
	ND_IFA_HAS_BROADCAST = 1 << 2,
	ND_IFA_HAS_ANYCAST = 1 << 3,
	ND_IFA_HAS_LABEL = 1 << 4,
	ND_IFA_HAS_CACHEINFO = 1 << 5,
};

struct nd_ifaddr {
	int family; /* AF_INET or AF_INET6 (others are parsed, their addresses left empty) */
	int ifindex;
	uint8_t prefixlen;
	uint8_t scope;    /* RT_SCOPE_* */
	unsigned int has; /* ND_IFA_HAS_* */
	uint32_t flags;   /* IFA_F_*, from IFA_FLAGS when present (it has the upper bits) */
	uint8_t local[16], address[16], broadcast[16], anycast[16];
	char label[ND_IFNAMSIZ];
	uint32_t valid_lft, preferred_lft; /* seconds; 0xffffffff is forever */
};

/*
 * nd_link_dump_req - make @req, a fresh RTM_GETLINK request from nd_nl_request(), a dump of the
 * links of @family (AF_UNSPEC: all) that leaves out each link's IPv6 and ICMPv6 MIB counters
 * inside IFLA_AF_SPEC (RTEXT_FILTER_SKIP_STATS, as `ip link` without -s asks).  No tool here
 * shows them, and they are a quarter of every message and of the kernel's time for the dump;
 * IFLA_STATS64 and everything else stay.
 */
void nd_link_dump_req(struct nlmsghdr *req, int family);

/*
 * nd_ifaddr_dump_req - make @req, a fresh RTM_GETADDR request from nd_nl_request(), a dump of
 * the addresses of @family (AF_UNSPEC: IPv4 and IPv6).
 */
void nd_ifaddr_dump_req(struct nlmsghdr *req, int family);

/*
 * nd_link_parse - parse one RTM_NEWLINK message into @out.
 * Returns 0, -ENOMSG when @nlh is not RTM_NEWLINK, -EBADMSG when it is too short or an
 * attribute is malformed (nd_attr_parse()'s policy: nla_len below 4 or past the end, also in
 * a nest).  An attribute of the wrong size is ignored, as if absent.
 */
int nd_link_parse(const struct nlmsghdr *nlh, struct nd_link *out);

/* nd_link_altname - the @i-th alternative name of @l (i < l->n_altnames). */
const char *nd_link_altname(const struct nd_link *l, unsigned int i);

/* nd_ifaddr_parse - parse one RTM_NEWADDR message into @out; errors as nd_link_parse(). */
int nd_ifaddr_parse(const struct nlmsghdr *nlh, struct nd_ifaddr *out);

/*
 * nd_link_flag_names - the names of @flags in iproute2's order ("NO-CARRIER" first when up
 * without carrier, then LOOPBACK, BROADCAST, ... UP, LOWER_UP, DORMANT, ECHO).  Fills @names
 * (room for @max), returns how many; bits without a name are left in *@rest (0 when none).
 */
size_t nd_link_flag_names(unsigned int flags, const char **names, size_t max, unsigned int *rest);

/* nd_operstate_name - "UNKNOWN", "DOWN", "UP", ... or NULL past the known states. */
const char *nd_operstate_name(unsigned int state);

/* nd_link_type_name - iproute2's name of an ARPHRD_* type ("ether", "loopback", "none"), or
 * "[N]" in @buf. */
const char *nd_link_type_name(unsigned int type, char *buf, size_t len);

/* nd_lladdr_fmt - a link-layer address as iproute2 prints it: "aa:bb:..", or dotted IPv4 /
 * IPv6 for tunnels whose "hardware address" is an IP address. */
const char *nd_lladdr_fmt(const uint8_t *a, size_t n, unsigned int type, char *buf, size_t len);

/*
 * nd_ifa_flag_names - the flags of an address of @family the way `ip addr` shows them:
 * "secondary" (or "temporary" for IPv6), "nodad", ..., and "dynamic" for an address that is not
 * permanent.  Fills @names (room for @max), returns how many; leftover bits in *@rest.
 */
size_t nd_ifa_flag_names(int family, uint32_t flags, const char **names, size_t max,
			 uint32_t *rest);

/*
 * nd_link_group_lookup - the name of device group @id in @text, the contents of an iproute2
 * "group" file (lines "ID NAME", ID decimal or 0x hex, '#' comments).  Copies it into @buf and
 * returns 0, or -ENOENT when @text does not name @id (later lines win, as in ip).
 */
int nd_link_group_lookup(const char *text, size_t len, uint32_t id, char *buf, size_t buflen);

#endif
