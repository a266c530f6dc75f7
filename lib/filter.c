// SPDX-License-Identifier: MIT
/* ss-style filter expressions: parser, inet_diag bytecode compiler, user-space evaluator. */
#define _GNU_SOURCE
#include "filter.h"
#include "addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <netdb.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>

/* ---- states ---- */

int nd_filter_state(const char *name, uint32_t *mask)
{
	static const struct {
		const char *name;
		uint32_t mask;
	} names[] = {
		{ "established", 1u << ND_SS_ESTABLISHED },
		{ "syn-sent", 1u << ND_SS_SYN_SENT },
		{ "syn-recv", 1u << ND_SS_SYN_RECV },
		{ "syn-rcv", 1u << ND_SS_SYN_RECV },
		{ "fin-wait-1", 1u << ND_SS_FIN_WAIT1 },
		{ "fin-wait-2", 1u << ND_SS_FIN_WAIT2 },
		{ "time-wait", 1u << ND_SS_TIME_WAIT },
		{ "close", 1u << ND_SS_CLOSE },
		{ "closed", 1u << ND_SS_CLOSE },
		{ "unconnected", 1u << ND_SS_CLOSE },
		{ "close-wait", 1u << ND_SS_CLOSE_WAIT },
		{ "last-ack", 1u << ND_SS_LAST_ACK },
		{ "listening", 1u << ND_SS_LISTEN },
		{ "listen", 1u << ND_SS_LISTEN },
		{ "closing", 1u << ND_SS_CLOSING },
		{ "all", (1u << ND_SS_NEW_SYN_RECV) - 1 },
		{ "connected", ((1u << ND_SS_NEW_SYN_RECV) - 1) &
				       ~((1u << ND_SS_CLOSE) | (1u << ND_SS_LISTEN)) },
		{ "synchronized", ((1u << ND_SS_NEW_SYN_RECV) - 1) &
					  ~((1u << ND_SS_CLOSE) | (1u << ND_SS_LISTEN) |
					    (1u << ND_SS_SYN_SENT)) },
		{ "bucket", (1u << ND_SS_SYN_RECV) | (1u << ND_SS_TIME_WAIT) },
		{ "big", ((1u << ND_SS_NEW_SYN_RECV) - 1) &
				 ~((1u << ND_SS_SYN_RECV) | (1u << ND_SS_TIME_WAIT)) },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*mask = names[i].mask;
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- tokens ---- */

/* The words cut into tokens: both arrays are sized from the words, so they never run out. */
struct parser {
	char **tok;
	int ntok, pos;
	int family; /* from -4/-6 */
	struct nd_filter *f;
	char *err;
	size_t errlen;
	char *buf;
};

enum tok {
	T_END, T_LPAREN, T_RPAREN, T_NOT, T_AND, T_OR, T_SRC, T_DST, T_SPORT, T_DPORT, T_AUTO,
	T_UID, T_PID, T_COMM,
	T_EQ, T_NE, T_LT, T_GT, T_LE, T_GE, T_WORD
};

static enum tok classify(const char *t)
{
	static const struct {
		const char *s;
		enum tok t;
	} words[] = {
		{ "(", T_LPAREN }, { ")", T_RPAREN }, { "!", T_NOT }, { "not", T_NOT },
		{ "&", T_AND }, { "&&", T_AND }, { "and", T_AND }, { "|", T_OR }, { "||", T_OR },
		{ "or", T_OR }, { "src", T_SRC }, { "dst", T_DST }, { "sport", T_SPORT },
		{ "dport", T_DPORT }, { "autobound", T_AUTO }, { "uid", T_UID }, { "pid", T_PID },
		{ "comm", T_COMM }, { "=", T_EQ }, { "==", T_EQ },
		{ "eq", T_EQ }, { "!=", T_NE }, { "ne", T_NE }, { "neq", T_NE }, { "<", T_LT },
		{ "lt", T_LT }, { ">", T_GT }, { "gt", T_GT }, { "<=", T_LE }, { "le", T_LE },
		{ "leq", T_LE }, { ">=", T_GE }, { "ge", T_GE }, { "geq", T_GE },
	};

	if (!t)
		return T_END;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(t, words[i].s) == 0)
			return words[i].t;
	return T_WORD;
}

__attribute__((format(printf, 2, 3))) static int perr(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err && p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err, p->errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/*
 * Split every word at blanks (as ss does) and cut parentheses off the words they touch.  A
 * token takes at least one character of the words and its text one byte more, so twice their
 * length bounds the buffer and their length the token count.
 */
static int tokenize(struct parser *p, int argc, char *const argv[])
{
	size_t used = 0, total = 1;

	for (int i = 0; i < argc; i++)
		total += strlen(argv[i]) + 1;
	if (total > INT_MAX / 2)
		return perr(p, "filter: expression too long");
	p->buf = malloc(2 * total);
	p->tok = malloc(total * sizeof(*p->tok));
	if (!p->buf || !p->tok) {
		perr(p, "filter: out of memory");
		return -ENOMEM;
	}
	for (int i = 0; i < argc; i++) {
		const char *s = argv[i];

		while (*s) {
			size_t n;

			while (*s == ' ' || *s == '\t' || *s == '\n')
				s++;
			if (!*s)
				break;
			if (*s == '(' || *s == ')')
				n = 1;
			else
				n = strcspn(s, " \t\n()");
			memcpy(p->buf + used, s, n);
			p->buf[used + n] = '\0';
			p->tok[p->ntok++] = p->buf + used;
			used += n + 1;
			s += n;
		}
	}
	return 0;
}

/* The one limit of the parser: the tree's nodes. */
static int too_many(struct parser *p)
{
	return perr(p, "filter: expression too long: more than %d terms and operators",
		    ND_FILTER_MAX_NODES);
}

static const char *peek(struct parser *p)
{
	return p->pos < p->ntok ? p->tok[p->pos] : NULL;
}

static const char *next(struct parser *p)
{
	return p->pos < p->ntok ? p->tok[p->pos++] : NULL;
}

static struct nd_fnode *node(struct parser *p, enum nd_fnode_type type)
{
	struct nd_fnode *n;

	if (p->f->nnodes == ND_FILTER_MAX_NODES)
		return NULL;
	n = &p->f->nodes[p->f->nnodes++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->port = -1;
	n->auto_hi = 65535;
	return n;
}

/* ---- host and port conditions ---- */

static int parse_port(struct parser *p, const char *s, const char *tok, int *port)
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
			return perr(p, "filter: bad port in \"%s\"", tok);
		if (errno || v > 65535)
			return perr(p, "filter: port out of range in \"%s\"", tok);
		*port = (int)v;
		return 0;
	}
	if (*s == '-')
		return perr(p, "filter: port out of range in \"%s\"", tok);
	{
		/* getservbyname returns one static entry: keep each answer's port before the next call */
		struct servent *e = getservbyname(s, "tcp");
		int t = e ? ntohs((uint16_t)e->s_port) : -1;
		int u;

		e = getservbyname(s, "udp");
		u = e ? ntohs((uint16_t)e->s_port) : -1;
		if (t >= 0 && u >= 0 && t != u)
			return perr(p, "filter: ambiguous port \"%s\"", tok);
		if (t < 0)
			t = u;
		if (t < 0)
			return perr(p, "filter: \"%s\" does not look like a port", tok);
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

/*
 * Every address of the name @name (getaddrinfo: /etc/hosts, then DNS) of family @fam, as host
 * conditions joined by "or" into *@n (which keeps @n's type and port).  ss means all of them;
 * ss 6.1's bytecode compares with only one (see tests/integration/test_connstat_names.sh).
 */
/* Whether the OR tree @t of host conditions holds one equal to @c. */
static bool has_cond(const struct nd_fnode *t, const struct nd_fnode *c)
{
	if (t->type == ND_F_OR)
		return has_cond(t->a, c) || has_cond(t->b, c);
	return t->family == c->family && memcmp(t->addr, c->addr, sizeof(c->addr)) == 0;
}

static int resolve_host(struct parser *p, const char *name, int fam, const char *tok,
			struct nd_fnode *n)
{
	struct addrinfo hints = { .ai_family = fam, .ai_socktype = SOCK_STREAM };
	struct addrinfo *res, *ai;
	struct nd_fnode tmpl = *n;
	bool first = false;
	int e = getaddrinfo(name, NULL, &hints, &res);

	if (e)
		return perr(p, "filter: cannot resolve \"%s\": %s", tok,
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
			struct nd_fnode *l = node(p, ND_F_AND), *r = node(p, tmpl.type);

			if (!l || !r) {
				freeaddrinfo(res);
				return too_many(p);
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
		return perr(p, "filter: cannot resolve \"%s\": no address", tok);
	return 0;
}

/* HOST as ss reads it (parse_hostcond): the port is after the last ':' (after any '/'). */
static int parse_host(struct parser *p, const char *tok, struct nd_fnode *n)
{
	char a[256];
	char *addr = a, *port = NULL;
	int fam = p->family;
	struct nd_addr na;

	if (strlen(tok) >= sizeof(a))
		return perr(p, "filter: address too long: \"%s\"", tok);
	strcpy(a, tok);
	if (strncmp(addr, "unix:", 5) == 0) {
		n->family = AF_UNIX;
		if (strlen(addr + 5) >= sizeof(n->pattern))
			return perr(p, "filter: path too long: \"%s\"", tok);
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
			return perr(p, "filter: bad address \"%s\"", tok);
		*port++ = '\0';
		/* "[::1]/64:80" keeps its prefix after the bracket */
		if (*port == '/') {
			char *colon = strchr(port, ':');
			size_t l = strlen(addr);

			if (colon)
				*colon = '\0';
			if (l + strlen(port) + 1 > sizeof(a) - (size_t)(addr - a))
				return perr(p, "filter: bad address \"%s\"", tok);
			memmove(addr + l, port, strlen(port) + 1);
			port = colon ? colon + 1 : addr + strlen(addr);
		} else if (*port == ':') {
			port++;
		} else if (*port) {
			return perr(p, "filter: bad address \"%s\"", tok);
		}
	} else if (addr[0] == '*') {
		port = addr + 1;
		if (*port == ':')
			port++;
		else if (*port)
			return perr(p, "filter: bad address \"%s\"", tok);
		addr[0] = '\0';
	} else {
		char *slash = strchr(addr, '/');

		port = strrchr(slash ? slash : addr, ':');
		if (port)
			*port++ = '\0';
	}
	if (port && parse_port(p, port, tok, &n->port))
		return -EINVAL;
	if (*addr && strcmp(addr, "*") != 0) {
		if (nd_addr_parse(addr, fam == AF_UNSPEC ? AF_UNSPEC : fam, &na)) {
			if (!looks_like_name(addr))
				return perr(p, "filter: bad address \"%s\"", tok);
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

/* ---- owner terms: uid, pid, comm ---- */

/* "uid N|USER", "pid N", "comm NAME" (after the word, an optional "="): into @n. */
static struct nd_fnode *parse_owner(struct parser *p, enum tok which, const char *word)
{
	const char *t;
	struct nd_fnode *n;
	char *end;
	unsigned long v;

	if (classify(peek(p)) == T_EQ)
		next(p);
	t = next(p);
	if (classify(t) != T_WORD) {
		perr(p, t ? "filter: expected a value after \"%s\", not \"%s\"" :
			    "filter: expected a value after \"%s\"%s", word, t ? t : "");
		return NULL;
	}
	n = node(p, which == T_UID ? ND_F_UID : which == T_PID ? ND_F_PID : ND_F_COMM);
	if (!n) {
		too_many(p);
		return NULL;
	}
	if (which == T_COMM) {
		if (strlen(t) >= sizeof(n->pattern)) {
			perr(p, "filter: process name too long: \"%s\"", t);
			return NULL;
		}
		strcpy(n->pattern, t);
		return n;
	}
	errno = 0;
	v = *t >= '0' && *t <= '9' ? strtoul(t, &end, 10) : 0;
	if (*t >= '0' && *t <= '9') {
		if (*end || errno || v > (which == T_PID ? 4194304ul : 4294967294ul)) {
			perr(p, "filter: bad %s \"%s\"", word, t);
			return NULL;
		}
		n->id = (uint32_t)v;
		return n;
	}
	if (which == T_UID) {
		/* a user name, as lsof -u takes one: the passwd database */
		struct passwd *pw = getpwnam(t);

		if (pw) {
			n->id = pw->pw_uid;
			return n;
		}
		perr(p, "filter: no such user \"%s\"", t);
		return NULL;
	}
	perr(p, "filter: bad pid \"%s\"", t);
	return NULL;
}

bool nd_filter_has_owner(const struct nd_filter *f)
{
	for (int i = 0; i < f->nnodes; i++)
		if (f->nodes[i].type == ND_F_PID || f->nodes[i].type == ND_F_COMM)
			return true;
	return false;
}

/* ---- grammar ---- */

static struct nd_fnode *parse_list(struct parser *p, int depth);

static struct nd_fnode *parse_expr(struct parser *p, int depth)
{
	const char *t = next(p);
	struct nd_fnode *n = NULL, *m;
	enum tok op;

	if (depth > 64) {
		perr(p, "filter: expression nested too deeply");
		return NULL;
	}
	switch (classify(t)) {
	case T_END:
		perr(p, "filter: expression ends too early");
		return NULL;
	case T_LPAREN:
		n = parse_list(p, depth + 1);
		if (!n)
			return NULL;
		t = next(p);
		if (classify(t) != T_RPAREN) {
			perr(p, t ? "filter: expected \")\" before \"%s\"" : "filter: missing \")\"%s",
			     t ? t : "");
			return NULL;
		}
		return n;
	case T_NOT:
		m = parse_expr(p, depth + 1);
		if (!m)
			return NULL;
		n = node(p, ND_F_NOT);
		if (n)
			n->a = m;
		break;
	case T_AUTO:
		n = node(p, ND_F_AUTO);
		break;
	case T_UID:
	case T_PID:
	case T_COMM:
		return parse_owner(p, classify(t), t);
	case T_SRC:
	case T_DST: {
		bool src = classify(t) == T_SRC;

		if (classify(peek(p)) == T_EQ)
			next(p);
		t = next(p);
		if (classify(t) != T_WORD) {
			perr(p, t ? "filter: expected an address, not \"%s\"" :
				    "filter: expected an address after \"%s\"",
			     t ? t : (src ? "src" : "dst"));
			return NULL;
		}
		n = node(p, src ? ND_F_SCOND : ND_F_DCOND);
		if (n && parse_host(p, t, n))
			return NULL;
		break;
	}
	case T_SPORT:
	case T_DPORT: {
		bool src = classify(t) == T_SPORT;
		const char *word = t;

		op = classify(peek(p));
		if (op >= T_EQ && op <= T_GE)
			next(p);
		else
			op = T_EQ;
		t = next(p);
		if (classify(t) != T_WORD) {
			perr(p, t ? "filter: expected a port, not \"%s\"" :
				    "filter: expected a port after \"%s\"",
			     t ? t : word);
			return NULL;
		}
		m = node(p, ND_F_SCOND);
		if (!m)
			break;
		if (parse_port(p, t[0] == ':' ? t + 1 : t, t, &m->port))
			return NULL;
		if (m->port < 0 && op != T_EQ && op != T_NE) {
			perr(p, "filter: \"%s\" needs a port number", t);
			return NULL;
		}
		/* ss: > is not <=, < is not >=, != is not = */
		switch (op) {
		case T_EQ: m->type = src ? ND_F_SCOND : ND_F_DCOND; return m;
		case T_NE: m->type = src ? ND_F_SCOND : ND_F_DCOND; break;
		case T_GE: m->type = src ? ND_F_S_GE : ND_F_D_GE; return m;
		case T_LE: m->type = src ? ND_F_S_LE : ND_F_D_LE; return m;
		case T_GT: m->type = src ? ND_F_S_LE : ND_F_D_LE; break;
		case T_LT: m->type = src ? ND_F_S_GE : ND_F_D_GE; break;
		default: break;
		}
		n = node(p, ND_F_NOT);
		if (n)
			n->a = m;
		break;
	}
	default:
		perr(p, "filter: unexpected \"%s\"", t);
		return NULL;
	}
	if (!n)
		too_many(p);
	return n;
}

static struct nd_fnode *parse_list(struct parser *p, int depth)
{
	struct nd_fnode *l = parse_expr(p, depth);

	while (l) {
		enum tok t = classify(peek(p));
		enum nd_fnode_type type = ND_F_AND;
		struct nd_fnode *r, *n;

		if (t == T_END || t == T_RPAREN)
			break;
		if (t == T_OR || t == T_AND) {
			type = t == T_OR ? ND_F_OR : ND_F_AND;
			next(p);
		}
		r = parse_expr(p, depth);
		if (!r)
			return NULL;
		n = node(p, type);
		if (!n) {
			too_many(p);
			return NULL;
		}
		n->a = l;
		n->b = r;
		l = n;
	}
	return l;
}

int nd_filter_parse(int argc, char *const argv[], int family, struct nd_filter *f, char *err,
		    size_t errlen)
{
	struct parser *p = calloc(1, sizeof(*p));
	int ret = 0;

	if (!p)
		return -ENOMEM;
	f->states = 0;
	f->states_set = false;
	f->family = AF_UNSPEC;
	f->root = NULL;
	f->nnodes = 0;
	p->f = f;
	p->family = family;
	p->err = err;
	p->errlen = errlen;
	ret = tokenize(p, argc, argv);
	if (ret)
		goto out;
	/* leading "state NAME" / "exclude NAME" words, as ss takes them */
	for (;;) {
		const char *w = peek(p);
		bool excl;
		uint32_t m;

		if (!w || (strcmp(w, "state") != 0 && strcmp(w, "exclude") != 0 &&
			   strcmp(w, "excl") != 0))
			break;
		excl = w[0] == 'e';
		next(p);
		w = next(p);
		if (!w) {
			ret = perr(p, "filter: a state name must follow \"%s\"", excl ? "exclude" : "state");
			goto out;
		}
		if (nd_filter_state(w, &m)) {
			ret = perr(p, "unknown state: \"%s\"", w);
			goto out;
		}
		if (!f->states_set)
			f->states = excl ? (1u << ND_SS_NEW_SYN_RECV) - 1 : 0;
		f->states_set = true;
		if (excl)
			f->states &= ~m;
		else
			f->states |= m;
	}
	if (peek(p)) {
		f->root = parse_list(p, 0);
		if (!f->root) {
			ret = -EINVAL;
			goto out;
		}
		if (peek(p)) {
			ret = perr(p, "filter: unexpected \"%s\"", peek(p));
			goto out;
		}
	}
out:
	free(p->buf);
	free(p->tok);
	free(p);
	return ret;
}

bool nd_filter_set_local_ports(struct nd_filter *f, uint16_t lo, uint16_t hi)
{
	bool any = false;

	for (int i = 0; i < f->nnodes; i++) {
		if (f->nodes[i].type != ND_F_AUTO)
			continue;
		f->nodes[i].auto_lo = lo;
		f->nodes[i].auto_hi = hi;
		any = true;
	}
	return any;
}

/* ---- bytecode, as ss's ssfilter_bytecompile() lays it out ---- */

static void put_op(uint8_t *at, uint8_t code, uint8_t yes, uint16_t no)
{
	struct inet_diag_bc_op op = { .code = code, .yes = yes, .no = no };

	memcpy(at, &op, sizeof(op));
}

/* Jumps of the first part that reject (land 4 past its end) now land past the second part. */
static void patch_rejects(uint8_t *a, ssize_t len, ssize_t reloc)
{
	while (len > 0) {
		struct inet_diag_bc_op op;

		memcpy(&op, a, sizeof(op));
		if (op.no == len + 4) {
			op.no = (uint16_t)(op.no + reloc);
			memcpy(a, &op, sizeof(op));
		}
		len -= op.yes;
		a += op.yes;
	}
}

ssize_t nd_filter_compile(const struct nd_fnode *n, uint8_t *buf, size_t size)
{
	ssize_t l1, l2;

	switch (n->type) {
	case ND_F_AUTO:
		if (size < 4)
			return -ENOSPC;
		put_op(buf, INET_DIAG_BC_AUTO, 4, 8);
		return 4;
	case ND_F_SCOND:
	case ND_F_DCOND: {
		struct inet_diag_hostcond hc = { 0 };
		size_t alen = n->family == AF_INET6 ? 16 : 4;
		size_t oplen = 4 + sizeof(hc) + alen;

		if (n->family == AF_UNIX)
			return -EOPNOTSUPP;
		if (size < oplen)
			return -ENOSPC;
		put_op(buf, n->type == ND_F_SCOND ? INET_DIAG_BC_S_COND : INET_DIAG_BC_D_COND,
		       (uint8_t)oplen, (uint16_t)(oplen + 4));
		hc.family = (uint8_t)n->family;
		hc.prefix_len = (uint8_t)n->prefixlen;
		hc.port = n->port;
		memcpy(buf + 4, &hc, sizeof(hc));
		memcpy(buf + 4 + sizeof(hc), n->addr, alen);
		return (ssize_t)oplen;
	}
	case ND_F_S_GE:
	case ND_F_S_LE:
	case ND_F_D_GE:
	case ND_F_D_LE: {
		static const uint8_t code[] = {
			[ND_F_S_GE] = INET_DIAG_BC_S_GE, [ND_F_S_LE] = INET_DIAG_BC_S_LE,
			[ND_F_D_GE] = INET_DIAG_BC_D_GE, [ND_F_D_LE] = INET_DIAG_BC_D_LE,
		};

		if (size < 8)
			return -ENOSPC;
		put_op(buf, code[n->type], 8, 12);
		put_op(buf + 4, 0, 0, (uint16_t)n->port);
		return 8;
	}
	case ND_F_AND:
		l1 = nd_filter_compile(n->a, buf, size);
		if (l1 < 0)
			return l1;
		l2 = nd_filter_compile(n->b, buf + l1, size - (size_t)l1);
		if (l2 < 0)
			return l2;
		if (l1 + l2 > 65535)
			return -ENOSPC;
		patch_rejects(buf, l1, l2);
		return l1 + l2;
	case ND_F_OR:
		l1 = nd_filter_compile(n->a, buf, size);
		if (l1 < 0)
			return l1;
		if ((size_t)l1 + 4 > size)
			return -ENOSPC;
		l2 = nd_filter_compile(n->b, buf + l1 + 4, size - (size_t)l1 - 4);
		if (l2 < 0)
			return l2;
		if (l1 + l2 + 4 > 65535)
			return -ENOSPC;
		put_op(buf + l1, INET_DIAG_BC_JMP, 4, (uint16_t)(l2 + 4));
		return l1 + l2 + 4;
	case ND_F_NOT:
		l1 = nd_filter_compile(n->a, buf, size);
		if (l1 < 0)
			return l1;
		if ((size_t)l1 + 4 > size)
			return -ENOSPC;
		put_op(buf + l1, INET_DIAG_BC_JMP, 4, 8);
		return l1 + 4;
	case ND_F_UID:
	case ND_F_PID:
	case ND_F_COMM:
		return -EOPNOTSUPP; /* inet_diag has no uid, pid or name condition */
	}
	return -EINVAL;
}

/* ---- evaluation ---- */

static bool prefix_match(const uint8_t *a, const uint8_t *p, int bits)
{
	int i = 0;

	for (; bits >= 8; bits -= 8, i++)
		if (a[i] != p[i])
			return false;
	if (bits) {
		uint8_t mask = (uint8_t)(0xff << (8 - bits));

		return (a[i] & mask) == (p[i] & mask);
	}
	return true;
}

/* The kernel's host condition: port, family (v4-mapped matches an IPv4 rule), prefix. */
static bool hostcond(int family, int prefixlen, int port, const uint8_t *caddr,
		     const struct nd_sock *s, bool src)
{
	const uint8_t *addr = src ? s->laddr : s->paddr;
	static const uint8_t mapped[12] = { [10] = 0xff, [11] = 0xff };

	if (port != -1 && port != (src ? s->lport : s->pport))
		return false;
	if (family != AF_UNSPEC && family != s->family) {
		return family == AF_INET && s->family == AF_INET6 &&
		       memcmp(addr, mapped, 12) == 0 && prefix_match(addr + 12, caddr, prefixlen);
	}
	if (prefixlen == 0)
		return true;
	return prefix_match(addr, caddr, prefixlen);
}

bool nd_filter_bc_run(const uint8_t *bc, size_t blen, const struct nd_sock *s,
		      bool userlocks_bindport)
{
	long len = (long)blen;

	while (len > 0) {
		struct inet_diag_bc_op op, op2;
		bool yes = true;

		memcpy(&op, bc, sizeof(op));
		switch (op.code) {
		case INET_DIAG_BC_NOP:
			break;
		case INET_DIAG_BC_JMP:
			yes = false;
			break;
		case INET_DIAG_BC_S_EQ:
		case INET_DIAG_BC_S_GE:
		case INET_DIAG_BC_S_LE:
		case INET_DIAG_BC_D_EQ:
		case INET_DIAG_BC_D_GE:
		case INET_DIAG_BC_D_LE: {
			bool sp = op.code == INET_DIAG_BC_S_EQ || op.code == INET_DIAG_BC_S_GE ||
				  op.code == INET_DIAG_BC_S_LE;
			unsigned int port = sp ? s->lport : s->pport;

			memcpy(&op2, bc + 4, sizeof(op2));
			if (op.code == INET_DIAG_BC_S_EQ || op.code == INET_DIAG_BC_D_EQ)
				yes = port == op2.no;
			else if (op.code == INET_DIAG_BC_S_GE || op.code == INET_DIAG_BC_D_GE)
				yes = port >= op2.no;
			else
				yes = port <= op2.no;
			break;
		}
		case INET_DIAG_BC_AUTO:
			yes = !userlocks_bindport;
			break;
		case INET_DIAG_BC_S_COND:
		case INET_DIAG_BC_D_COND: {
			struct inet_diag_hostcond hc;

			memcpy(&hc, bc + 4, sizeof(hc));
			yes = hostcond(hc.family, hc.prefix_len, hc.port, bc + 4 + sizeof(hc), s,
				       op.code == INET_DIAG_BC_S_COND);
			break;
		}
		default:
			return false;
		}
		if (yes) {
			len -= op.yes;
			bc += op.yes;
		} else {
			len -= op.no;
			bc += op.no;
		}
	}
	return len == 0;
}

bool nd_filter_match(const struct nd_fnode *n, const struct nd_sock *s)
{
	bool unix_sock = s->family == AF_UNIX;

	if (!n)
		return true;
	switch (n->type) {
	case ND_F_AND:
		return nd_filter_match(n->a, s) && nd_filter_match(n->b, s);
	case ND_F_OR:
		return nd_filter_match(n->a, s) || nd_filter_match(n->b, s);
	case ND_F_NOT:
		return !nd_filter_match(n->a, s);
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
	case ND_F_S_GE:
		return !unix_sock && s->lport >= n->port;
	case ND_F_S_LE:
		return !unix_sock && s->lport <= n->port;
	case ND_F_D_GE:
		return !unix_sock && s->pport >= n->port;
	case ND_F_D_LE:
		return !unix_sock && s->pport <= n->port;
	case ND_F_UID:
		return s->has_uid && s->uid == n->id;
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
