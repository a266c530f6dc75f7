// SPDX-License-Identifier: MIT
/*
 * iproute2's names for what a link or address message carries: link flags, operational states,
 * ARPHRD types, link-layer addresses, address flags, and device groups from a "group" file.
 * Tables and pure functions; the parsers are in link.c.
 */
#include "link.h"
#include "addr.h"
#include "array.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/if.h>
#include <linux/if_addr.h>
#include <linux/if_arp.h>

size_t nd_link_flag_names(unsigned int flags, const char **names, size_t max, unsigned int *rest)
{
	static const struct {
		unsigned int mask;
		const char *name;
	} tab[] = {
		{ IFF_LOOPBACK, "LOOPBACK" },
		{ IFF_BROADCAST, "BROADCAST" },
		{ IFF_POINTOPOINT, "POINTOPOINT" },
		{ IFF_MULTICAST, "MULTICAST" },
		{ IFF_NOARP, "NOARP" },
		{ IFF_ALLMULTI, "ALLMULTI" },
		{ IFF_PROMISC, "PROMISC" },
		{ IFF_MASTER, "MASTER" },
		{ IFF_SLAVE, "SLAVE" },
		{ IFF_DEBUG, "DEBUG" },
		{ IFF_DYNAMIC, "DYNAMIC" },
		{ IFF_AUTOMEDIA, "AUTOMEDIA" },
		{ IFF_PORTSEL, "PORTSEL" },
		{ IFF_NOTRAILERS, "NOTRAILERS" },
		{ IFF_UP, "UP" },
		{ IFF_LOWER_UP, "LOWER_UP" },
		{ IFF_DORMANT, "DORMANT" },
		{ IFF_ECHO, "ECHO" },
	};
	size_t n = 0;

	if ((flags & IFF_UP) && !(flags & IFF_RUNNING) && n < max)
		names[n++] = "NO-CARRIER";
	flags &= ~(unsigned int)IFF_RUNNING;
	for (size_t i = 0; i < ND_ARRAY_SIZE(tab); i++) {
		if (!(flags & tab[i].mask))
			continue;
		flags &= ~tab[i].mask;
		if (n < max)
			names[n++] = tab[i].name;
	}
	*rest = flags;
	return n;
}

const char *nd_operstate_name(unsigned int state)
{
	static const char *const names[] = { "UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN",
					     "TESTING", "DORMANT",    "UP" };

	return state < ND_ARRAY_SIZE(names) ? names[state] : NULL;
}

const char *nd_link_type_name(unsigned int type, char *buf, size_t len)
{
	/* clang-format off */
	static const struct {
		unsigned int type;
		const char *name;
	} tab[] = {
		{ ARPHRD_NETROM, "netrom" },	 { ARPHRD_ETHER, "ether" },
		{ ARPHRD_EETHER, "eether" },	 { ARPHRD_AX25, "ax25" },
		{ ARPHRD_PRONET, "pronet" },	 { ARPHRD_CHAOS, "chaos" },
		{ ARPHRD_IEEE802, "ieee802" },	 { ARPHRD_ARCNET, "arcnet" },
		{ ARPHRD_APPLETLK, "atalk" },	 { ARPHRD_DLCI, "dlci" },
		{ ARPHRD_ATM, "atm" },		 { ARPHRD_METRICOM, "metricom" },
		{ ARPHRD_IEEE1394, "ieee1394" }, { ARPHRD_INFINIBAND, "infiniband" },
		{ ARPHRD_SLIP, "slip" },	 { ARPHRD_CSLIP, "cslip" },
		{ ARPHRD_SLIP6, "slip6" },	 { ARPHRD_CSLIP6, "cslip6" },
		{ ARPHRD_RSRVD, "rsrvd" },	 { ARPHRD_ADAPT, "adapt" },
		{ ARPHRD_ROSE, "rose" },	 { ARPHRD_X25, "x25" },
		{ ARPHRD_HWX25, "hwx25" },	 { ARPHRD_CAN, "can" },
		{ ARPHRD_PPP, "ppp" },		 { ARPHRD_HDLC, "hdlc" },
		{ ARPHRD_LAPB, "lapb" },	 { ARPHRD_DDCMP, "ddcmp" },
		{ ARPHRD_RAWHDLC, "rawhdlc" },	 { ARPHRD_TUNNEL, "ipip" },
		{ ARPHRD_TUNNEL6, "tunnel6" },	 { ARPHRD_FRAD, "frad" },
		{ ARPHRD_SKIP, "skip" },	 { ARPHRD_LOOPBACK, "loopback" },
		{ ARPHRD_LOCALTLK, "ltalk" },	 { ARPHRD_FDDI, "fddi" },
		{ ARPHRD_BIF, "bif" },		 { ARPHRD_SIT, "sit" },
		{ ARPHRD_IPDDP, "ip/ddp" },	 { ARPHRD_IPGRE, "gre" },
		{ ARPHRD_PIMREG, "pimreg" },	 { ARPHRD_HIPPI, "hippi" },
		{ ARPHRD_ASH, "ash" },		 { ARPHRD_ECONET, "econet" },
		{ ARPHRD_IRDA, "irda" },	 { ARPHRD_FCPP, "fcpp" },
		{ ARPHRD_FCAL, "fcal" },	 { ARPHRD_FCPL, "fcpl" },
		{ ARPHRD_FCFABRIC, "fcfb0" },	 { ARPHRD_IEEE802_TR, "tr" },
		{ ARPHRD_IEEE80211, "ieee802.11" },
		{ ARPHRD_IEEE80211_PRISM, "ieee802.11/prism" },
		{ ARPHRD_IEEE80211_RADIOTAP, "ieee802.11/radiotap" },
		{ ARPHRD_IEEE802154, "ieee802.15.4" },
		{ ARPHRD_IEEE802154_MONITOR, "ieee802.15.4/monitor" },
		{ ARPHRD_PHONET, "phonet" },	 { ARPHRD_PHONET_PIPE, "phonet_pipe" },
		{ ARPHRD_CAIF, "caif" },	 { ARPHRD_IP6GRE, "gre6" },
		{ ARPHRD_NETLINK, "netlink" },	 { ARPHRD_6LOWPAN, "6lowpan" },
		{ ARPHRD_NONE, "none" },	 { ARPHRD_VOID, "void" },
	};
	/* clang-format on */

	for (size_t i = 0; i < ND_ARRAY_SIZE(tab); i++)
		if (tab[i].type == type)
			return tab[i].name;
	snprintf(buf, len, "[%u]", type);
	return buf;
}

const char *nd_lladdr_fmt(const uint8_t *a, size_t n, unsigned int type, char *buf, size_t len)
{
	if (n == 4 && (type == ARPHRD_TUNNEL || type == ARPHRD_SIT || type == ARPHRD_IPGRE))
		return nd_addr_fmt(AF_INET, a, buf, len);
	if (n == 16 && (type == ARPHRD_TUNNEL6 || type == ARPHRD_IP6GRE))
		return nd_addr_fmt(AF_INET6, a, buf, len);
	return nd_mac_fmt(a, n, buf, len);
}

/* One address flag as iproute2 names it in JSON (a true member of the address object). */
struct ifa_flag {
	uint32_t mask;
	const char *name;
};

size_t nd_ifa_flag_names(int family, uint32_t flags, const char **names, size_t max, uint32_t *rest)
{
	static const struct ifa_flag tab[] = {
		{ IFA_F_SECONDARY, "secondary" },       { IFA_F_NODAD, "nodad" },
		{ IFA_F_OPTIMISTIC, "optimistic" },     { IFA_F_DADFAILED, "dadfailed" },
		{ IFA_F_HOMEADDRESS, "home" },          { IFA_F_DEPRECATED, "deprecated" },
		{ IFA_F_TENTATIVE, "tentative" },       { IFA_F_PERMANENT, "permanent" },
		{ IFA_F_MANAGETEMPADDR, "mngtmpaddr" }, { IFA_F_NOPREFIXROUTE, "noprefixroute" },
		{ IFA_F_MCAUTOJOIN, "autojoin" },       { IFA_F_STABLE_PRIVACY, "stable-privacy" },
	};
	size_t n = 0;

	for (size_t i = 0; i < ND_ARRAY_SIZE(tab); i++) {
		const char *name = NULL;

		if (tab[i].mask == IFA_F_PERMANENT) {
			/* ip shows the absence of "permanent" as "dynamic" */
			if (!(flags & IFA_F_PERMANENT))
				name = "dynamic";
		} else if (flags & tab[i].mask) {
			name = tab[i].mask == IFA_F_SECONDARY && family == AF_INET6 ? "temporary"
										    : tab[i].name;
		}
		flags &= ~tab[i].mask;
		if (name && n < max)
			names[n++] = name;
	}
	*rest = flags;
	return n;
}

/* One line of a group file: "ID NAME" -> 1 with *@id and the name's span, 0 otherwise. */
static int group_line(const char *p, const char *end, uint32_t *id, const char **name, size_t *nlen)
{
	uint64_t v = 0;
	int base = 10, digits = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p + 1 < end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (; p < end; p++, digits++) {
		int d;

		if (*p >= '0' && *p <= '9')
			d = *p - '0';
		else if (base == 16 && *p >= 'a' && *p <= 'f')
			d = *p - 'a' + 10;
		else if (base == 16 && *p >= 'A' && *p <= 'F')
			d = *p - 'A' + 10;
		else
			break;
		v = v * (unsigned int)base + (unsigned int)d;
		if (v > UINT32_MAX)
			return 0;
	}
	if (!digits || p == end || (*p != ' ' && *p != '\t'))
		return 0;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	*name = p;
	while (p < end && *p != ' ' && *p != '\t' && *p != '#' && *p != '\r')
		p++;
	*nlen = (size_t)(p - *name);
	*id = (uint32_t)v;
	return *nlen > 0;
}

int nd_link_group_lookup(const char *text, size_t len, uint32_t id, char *buf, size_t buflen)
{
	const char *p = text, *end = text + len, *found = NULL;
	size_t flen = 0;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *name;
		size_t nlen;
		uint32_t v;

		if (!eol)
			eol = end;
		if (group_line(p, eol, &v, &name, &nlen) && v == id) {
			found = name;
			flen = nlen;
		}
		p = eol < end ? eol + 1 : end;
	}
	if (!found || buflen == 0)
		return -ENOENT;
	if (flen >= buflen)
		flen = buflen - 1;
	memcpy(buf, found, flen);
	buf[flen] = '\0';
	return 0;
}
