// SPDX-License-Identifier: MIT
/* ss-style filter expressions: HOST and PORT of a condition, names resolved. */
#define _GNU_SOURCE
#include "filter_int.h"
#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>

int nd_fp_port(struct parser *p, const char *s, const char *tok, int *port)
{
	char *end;
	long v;

	if (!*s || strcmp(s, "*") == 0) {
		*port = -1;
		return 0;
	}
	if (*s >= '0' && *s <= '9') {
		errno = 0;
		v = strtol(s, &end, 10);
		if (*end)
			return nd_fp_err(p, "filter: bad port in \"%s\"", tok);
		if (errno || v > 65535)
			return nd_fp_err(p, "filter: port out of range in \"%s\"", tok);
		*port = (int)v;
		return 0;
	}
	if (*s == '-')
		return nd_fp_err(p, "filter: port out of range in \"%s\"", tok);
	{
		int (*service)(const char *, const char *) = p->names ? p->names->service : NULL;
		int t = service ? service(s, "tcp") : -1;
		int u = service ? service(s, "udp") : -1;

		if (t >= 0 && u >= 0 && t != u)
			return nd_fp_err(p, "filter: ambiguous port \"%s\"", tok);
		if (t < 0)
			t = u;
		if (t < 0)
			return nd_fp_err(p, "filter: \"%s\" does not look like a port", tok);
		*port = t;
	}
	return 0;
}

/*
 * A host name, as ss takes one: letters, digits, '-', '.', '_', with at least one letter and no
 * prefix ("localhost/8" is an error in ss too).  Anything else is a bad address.
 */
static bool looks_like_name(const char *s)
{
	bool letter = false;

	if (!*s || strlen(s) > 253)
		return false;
	for (; *s; s++) {
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z'))
			letter = true;
		else if (!(*s >= '0' && *s <= '9') && *s != '-' && *s != '.' && *s != '_')
			return false;
	}
	return letter;
}

/* Whether the OR tree @t of host conditions holds one equal to @c. */
static bool has_cond(const struct nd_fnode *t, const struct nd_fnode *c)
{
	if (t->type == ND_F_OR)
		return has_cond(t->a, c) || has_cond(t->b, c);
	return t->family == c->family && memcmp(t->addr, c->addr, sizeof(c->addr)) == 0;
}

/*
 * Every address of the name @name (the caller's lookup) of family @fam, as host
 * conditions joined by "or" into *@n (which keeps @n's type and port).  ss means all of them;
 * ss 6.1's bytecode compares with only one (see tests/integration/test_connstat_names.sh).
 */
static int resolve_host(struct parser *p, const char *name, int fam, const char *tok,
			struct nd_fnode *n)
{
	struct addrinfo *res, *ai;
	struct nd_fnode tmpl = *n;
	bool first = false;
	int e = p->names && p->names->host ? p->names->host(name, fam, &res) : EAI_NONAME;

	if (e)
		return nd_fp_err(p, "filter: cannot resolve \"%s\": %s", tok,
				 e == EAI_SYSTEM ? strerror(errno) : gai_strerror(e));
	for (ai = res; ai; ai = ai->ai_next) {
		struct nd_fnode c = tmpl;
		const void *a;

		if (ai->ai_family == AF_INET)
			a = &((const struct sockaddr_in *)ai->ai_addr)->sin_addr;
		else if (ai->ai_family == AF_INET6)
			a = &((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			continue;
		c.family = ai->ai_family;
		c.prefixlen = ai->ai_family == AF_INET ? 32 : 128;
		memset(c.addr, 0, sizeof(c.addr));
		memcpy(c.addr, a, ai->ai_family == AF_INET ? 4 : 16);
		if (!first) {
			*n = c;
			first = true;
			continue;
		}
		/* the same address twice (two /etc/hosts lines) once */
		if (has_cond(n, &c))
			continue;
		{
			struct nd_fnode *l = nd_fp_node(p, ND_F_AND), *r = nd_fp_node(p, tmpl.type);

			if (!l || !r) {
				freeaddrinfo(res);
				return nd_fp_too_many(p);
			}
			/* n becomes (old n) or (c): the old content moves to l */
			*l = *n;
			*r = c;
			memset(n, 0, sizeof(*n));
			n->type = ND_F_OR;
			n->port = -1;
			n->a = l;
			n->b = r;
		}
	}
	freeaddrinfo(res);
	if (!first)
		return nd_fp_err(p, "filter: cannot resolve \"%s\": no address", tok);
	return 0;
}

/* HOST as ss reads it (parse_hostcond): the port is after the last ':' (after any '/'). */
int nd_fp_host(struct parser *p, const char *tok, struct nd_fnode *n)
{
	char a[256];
	char *addr = a, *port = NULL;
	int fam = p->family;
	struct nd_addr na;

	if (strlen(tok) >= sizeof(a))
		return nd_fp_err(p, "filter: address too long: \"%s\"", tok);
	strcpy(a, tok);
	if (strncmp(addr, "unix:", 5) == 0) {
		n->family = AF_UNIX;
		if (strlen(addr + 5) >= sizeof(n->pattern))
			return nd_fp_err(p, "filter: path too long: \"%s\"", tok);
		strcpy(n->pattern, addr + 5);
		n->prefixlen = (int)strlen(n->pattern) * 8;
		p->f->family = AF_UNIX;
		return 0;
	} else if (strncmp(addr, "inet:", 5) == 0) {
		fam = AF_INET;
		addr += 5;
	} else if (strncmp(addr, "inet6:", 6) == 0) {
		fam = AF_INET6;
		addr += 6;
	}
	if (fam != p->family)
		p->f->family = fam;

	if (addr[0] == '[') {
		addr++;
		port = strchr(addr, ']');
		if (!port)
			return nd_fp_err(p, "filter: bad address \"%s\"", tok);
		*port++ = '\0';
		/* "[::1]/64:80" keeps its prefix after the bracket */
		if (*port == '/') {
			char *colon = strchr(port, ':');
			size_t l = strlen(addr);

			if (colon)
				*colon = '\0';
			if (l + strlen(port) + 1 > sizeof(a) - (size_t)(addr - a))
				return nd_fp_err(p, "filter: bad address \"%s\"", tok);
			memmove(addr + l, port, strlen(port) + 1);
			port = colon ? colon + 1 : addr + strlen(addr);
		} else if (*port == ':') {
			port++;
		} else if (*port) {
			return nd_fp_err(p, "filter: bad address \"%s\"", tok);
		}
	} else if (addr[0] == '*') {
		port = addr + 1;
		if (*port == ':')
			port++;
		else if (*port)
			return nd_fp_err(p, "filter: bad address \"%s\"", tok);
		addr[0] = '\0';
	} else {
		char *slash = strchr(addr, '/');

		port = strrchr(slash ? slash : addr, ':');
		if (port)
			*port++ = '\0';
	}
	if (port && nd_fp_port(p, port, tok, &n->port))
		return -EINVAL;
	if (*addr && strcmp(addr, "*") != 0) {
		if (nd_addr_parse(addr, fam == AF_UNSPEC ? AF_UNSPEC : fam, &na)) {
			if (!looks_like_name(addr))
				return nd_fp_err(p, "filter: bad address \"%s\"", tok);
			return resolve_host(p, addr, fam, tok, n);
		}
		n->family = na.family;
		n->prefixlen = na.prefixlen;
		memcpy(n->addr, na.bytes, na.family == AF_INET ? 4 : 16);
	} else if (fam == AF_INET || fam == AF_INET6) {
		n->family = fam;
	}
	return 0;
}
