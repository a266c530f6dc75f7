// SPDX-License-Identifier: MIT
/* ss-style filter expressions: evaluation of the tree in user space. */
#define _GNU_SOURCE
#include "filter_int.h"
#include "addr.h"

#include <fnmatch.h>
#include <string.h>
#include <sys/socket.h>

static bool hostcond(int family, int prefixlen, int port, const uint8_t *caddr,
		     const struct nd_sock *s, bool src)
{
	const uint8_t *addr = src ? s->laddr : s->paddr;
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (port != -1 && port != (src ? s->lport : s->pport))
		return false;
	if (family != AF_UNSPEC && family != s->family) {
		return family == AF_INET && s->family == AF_INET6 &&
		       memcmp(addr, mapped, 12) == 0 &&
		       nd_prefix_match(addr + 12, caddr, prefixlen);
	}
	if (prefixlen == 0)
		return true;
	return nd_prefix_match(addr, caddr, prefixlen);
}

/* The same for the bytecode interpreter; nd_filter_match calls the static one, as it always has. */
bool nd_filter_hostcond(int family, int prefixlen, int port, const uint8_t *caddr,
			const struct nd_sock *s, bool src)
{
	return hostcond(family, prefixlen, port, caddr, s, src);
}

bool nd_filter_match(const struct nd_fnode *n, const struct nd_sock *s)
{
	bool unix_sock = s->family == AF_UNIX;

	if (!n)
		return true;
	switch (n->type) {
	case ND_F_AND: return nd_filter_match(n->a, s) && nd_filter_match(n->b, s);
	case ND_F_OR: return nd_filter_match(n->a, s) || nd_filter_match(n->b, s);
	case ND_F_NOT: return !nd_filter_match(n->a, s);
	case ND_F_AUTO:
		/*
		 * user space cannot see the bind lock (the kernel's bytecode checks it); an unnamed
		 * UNIX socket is "autobound", an inet one has its port in the local port range
		 */
		if (unix_sock)
			return !s->path || s->path_len == 0;
		return s->lport >= n->auto_lo && s->lport <= n->auto_hi;
	case ND_F_SCOND:
	case ND_F_DCOND:
		if (n->family == AF_UNIX) {
			char path[110] = "";

			if (!unix_sock)
				return false;
			if (n->type == ND_F_SCOND && s->path) {
				size_t l = s->path_len < sizeof(path) - 1 ? s->path_len
									  : sizeof(path) - 1;

				memcpy(path, s->path, l);
				path[l] = '\0';
				if (path[0] == '\0' && l > 0)
					path[0] = '@';
			}
			return fnmatch(n->pattern, path, FNM_CASEFOLD) == 0;
		}
		if (unix_sock)
			return n->family == AF_UNSPEC && n->port == -1;
		return hostcond(n->family, n->prefixlen, n->port, n->addr, s,
				n->type == ND_F_SCOND);
	case ND_F_S_GE: return !unix_sock && s->lport >= n->port;
	case ND_F_S_LE: return !unix_sock && s->lport <= n->port;
	case ND_F_D_GE: return !unix_sock && s->pport >= n->port;
	case ND_F_D_LE: return !unix_sock && s->pport <= n->port;
	case ND_F_UID: return s->has_uid && s->uid == n->id;
	case ND_F_PID:
		for (size_t i = 0; i < s->nowners; i++)
			if (s->owners[i].pid >= 0 && (uint32_t)s->owners[i].pid == n->id)
				return true;
		return false;
	case ND_F_COMM:
		for (size_t i = 0; i < s->nowners; i++)
			if (s->owners[i].comm && fnmatch(n->pattern, s->owners[i].comm, 0) == 0)
				return true;
		return false;
	}
	return false;
}
