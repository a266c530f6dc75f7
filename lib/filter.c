// SPDX-License-Identifier: MIT
/*
 * ss-style filter expressions, the parser: states, tokens, owner terms and the grammar.  Host
 * and port conditions: filter_host.c; bytecode: filter_bc.c; user-space evaluation:
 * filter_match.c.
 */
#define _GNU_SOURCE
#include "filter.h"
#include "array.h"
#include "filter_int.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

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
		{ "synchronized",
		  ((1u << ND_SS_NEW_SYN_RECV) - 1) &
			  ~((1u << ND_SS_CLOSE) | (1u << ND_SS_LISTEN) | (1u << ND_SS_SYN_SENT)) },
		{ "bucket", (1u << ND_SS_SYN_RECV) | (1u << ND_SS_TIME_WAIT) },
		{ "big", ((1u << ND_SS_NEW_SYN_RECV) - 1) &
				 ~((1u << ND_SS_SYN_RECV) | (1u << ND_SS_TIME_WAIT)) },
	};

	for (size_t i = 0; i < ND_ARRAY_SIZE(names); i++) {
		if (strcasecmp(name, names[i].name) == 0) {
			*mask = names[i].mask;
			return 0;
		}
	}
	return -EINVAL;
}

/* ---- tokens ---- */

enum tok nd_fp_classify(const char *t)
{
	static const struct {
		const char *s;
		enum tok t;
	} words[] = {
		{ "(", T_LPAREN },    { ")", T_RPAREN },    { "!", T_NOT },
		{ "not", T_NOT },     { "&", T_AND },       { "&&", T_AND },
		{ "and", T_AND },     { "|", T_OR },        { "||", T_OR },
		{ "or", T_OR },       { "src", T_SRC },     { "dst", T_DST },
		{ "sport", T_SPORT }, { "dport", T_DPORT }, { "autobound", T_AUTO },
		{ "uid", T_UID },     { "pid", T_PID },     { "comm", T_COMM },
		{ "=", T_EQ },        { "==", T_EQ },       { "eq", T_EQ },
		{ "!=", T_NE },       { "ne", T_NE },       { "neq", T_NE },
		{ "<", T_LT },        { "lt", T_LT },       { ">", T_GT },
		{ "gt", T_GT },       { "<=", T_LE },       { "le", T_LE },
		{ "leq", T_LE },      { ">=", T_GE },       { "ge", T_GE },
		{ "geq", T_GE },
	};

	if (!t)
		return T_END;
	for (size_t i = 0; i < ND_ARRAY_SIZE(words); i++)
		if (strcmp(t, words[i].s) == 0)
			return words[i].t;
	return T_WORD;
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
		return nd_fp_err(p, "filter: expression too long");
	p->buf = malloc(2 * total);
	p->tok = malloc(total * sizeof(*p->tok));
	if (!p->buf || !p->tok) {
		nd_fp_err(p, "filter: out of memory");
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
int nd_fp_too_many(struct parser *p)
{
	return nd_fp_err(p, "filter: expression too long: more than %d terms and operators",
			 ND_FILTER_MAX_NODES);
}

const char *nd_fp_peek(struct parser *p)
{
	return p->pos < p->ntok ? p->tok[p->pos] : NULL;
}

const char *nd_fp_next(struct parser *p)
{
	return p->pos < p->ntok ? p->tok[p->pos++] : NULL;
}

struct nd_fnode *nd_fp_node(struct parser *p, enum nd_fnode_type type)
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

/* ---- owner terms: uid, pid, comm ---- */

/* "uid N|USER", "pid N", "comm NAME" (after the word, an optional "="): into @n. */
static struct nd_fnode *parse_owner(struct parser *p, enum tok which, const char *word)
{
	const char *t;
	struct nd_fnode *n;
	char *end;
	unsigned long v;

	if (nd_fp_classify(nd_fp_peek(p)) == T_EQ)
		nd_fp_next(p);
	t = nd_fp_next(p);
	if (nd_fp_classify(t) != T_WORD) {
		nd_fp_err(p,
			  t ? "filter: expected a value after \"%s\", not \"%s\""
			    : "filter: expected a value after \"%s\"%s",
			  word, t ? t : "");
		return NULL;
	}
	n = nd_fp_node(p, which == T_UID ? ND_F_UID : which == T_PID ? ND_F_PID : ND_F_COMM);
	if (!n) {
		nd_fp_too_many(p);
		return NULL;
	}
	if (which == T_COMM) {
		if (strlen(t) >= sizeof(n->pattern)) {
			nd_fp_err(p, "filter: process name too long: \"%s\"", t);
			return NULL;
		}
		strcpy(n->pattern, t);
		return n;
	}
	errno = 0;
	v = *t >= '0' && *t <= '9' ? strtoul(t, &end, 10) : 0;
	if (*t >= '0' && *t <= '9') {
		if (*end || errno || v > (which == T_PID ? 4194304ul : 4294967294ul)) {
			nd_fp_err(p, "filter: bad %s \"%s\"", word, t);
			return NULL;
		}
		n->id = (uint32_t)v;
		return n;
	}
	if (which == T_UID) {
		/* a user name, as lsof -u takes one: the passwd database */
		if (p->names && p->names->user && p->names->user(t, &n->id) == 0)
			return n;
		nd_fp_err(p, "filter: no such user \"%s\"", t);
		return NULL;
	}
	nd_fp_err(p, "filter: bad pid \"%s\"", t);
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
	const char *t = nd_fp_next(p);
	struct nd_fnode *n = NULL, *m;
	enum tok op;

	if (depth > 64) {
		nd_fp_err(p, "filter: expression nested too deeply");
		return NULL;
	}
	switch (nd_fp_classify(t)) {
	case T_END: nd_fp_err(p, "filter: expression ends too early"); return NULL;
	case T_LPAREN:
		n = parse_list(p, depth + 1);
		if (!n)
			return NULL;
		t = nd_fp_next(p);
		if (nd_fp_classify(t) != T_RPAREN) {
			nd_fp_err(p,
				  t ? "filter: expected \")\" before \"%s\""
				    : "filter: missing \")\"%s",
				  t ? t : "");
			return NULL;
		}
		return n;
	case T_NOT:
		m = parse_expr(p, depth + 1);
		if (!m)
			return NULL;
		n = nd_fp_node(p, ND_F_NOT);
		if (n)
			n->a = m;
		break;
	case T_AUTO: n = nd_fp_node(p, ND_F_AUTO); break;
	case T_UID:
	case T_PID:
	case T_COMM: return parse_owner(p, nd_fp_classify(t), t);
	case T_SRC:
	case T_DST: {
		bool src = nd_fp_classify(t) == T_SRC;

		if (nd_fp_classify(nd_fp_peek(p)) == T_EQ)
			nd_fp_next(p);
		t = nd_fp_next(p);
		if (nd_fp_classify(t) != T_WORD) {
			nd_fp_err(p,
				  t ? "filter: expected an address, not \"%s\""
				    : "filter: expected an address after \"%s\"",
				  t ? t : (src ? "src" : "dst"));
			return NULL;
		}
		n = nd_fp_node(p, src ? ND_F_SCOND : ND_F_DCOND);
		if (n && nd_fp_host(p, t, n))
			return NULL;
		break;
	}
	case T_SPORT:
	case T_DPORT: {
		bool src = nd_fp_classify(t) == T_SPORT;
		const char *word = t;

		op = nd_fp_classify(nd_fp_peek(p));
		if (op >= T_EQ && op <= T_GE)
			nd_fp_next(p);
		else
			op = T_EQ;
		t = nd_fp_next(p);
		if (nd_fp_classify(t) != T_WORD) {
			nd_fp_err(p,
				  t ? "filter: expected a port, not \"%s\""
				    : "filter: expected a port after \"%s\"",
				  t ? t : word);
			return NULL;
		}
		m = nd_fp_node(p, ND_F_SCOND);
		if (!m)
			break;
		if (nd_fp_port(p, t[0] == ':' ? t + 1 : t, t, &m->port))
			return NULL;
		if (m->port < 0 && op != T_EQ && op != T_NE) {
			nd_fp_err(p, "filter: \"%s\" needs a port number", t);
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
		n = nd_fp_node(p, ND_F_NOT);
		if (n)
			n->a = m;
		break;
	}
	default: nd_fp_err(p, "filter: unexpected \"%s\"", t); return NULL;
	}
	if (!n)
		nd_fp_too_many(p);
	return n;
}

static struct nd_fnode *parse_list(struct parser *p, int depth)
{
	struct nd_fnode *l = parse_expr(p, depth);

	while (l) {
		enum tok t = nd_fp_classify(nd_fp_peek(p));
		enum nd_fnode_type type = ND_F_AND;
		struct nd_fnode *r, *n;

		if (t == T_END || t == T_RPAREN)
			break;
		if (t == T_OR || t == T_AND) {
			type = t == T_OR ? ND_F_OR : ND_F_AND;
			nd_fp_next(p);
		}
		r = parse_expr(p, depth);
		if (!r)
			return NULL;
		n = nd_fp_node(p, type);
		if (!n) {
			nd_fp_too_many(p);
			return NULL;
		}
		n->a = l;
		n->b = r;
		l = n;
	}
	return l;
}

int nd_filter_parse(int argc, char *const argv[], int family, const struct nd_filter_names *names,
		    struct nd_filter *f, char *err, size_t errlen)
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
	p->names = names;
	p->err = err;
	p->errlen = errlen;
	ret = tokenize(p, argc, argv);
	if (ret)
		goto out;
	/* leading "state NAME" / "exclude NAME" words, as ss takes them */
	for (;;) {
		const char *w = nd_fp_peek(p);
		bool excl;
		uint32_t m;

		if (!w || (strcmp(w, "state") != 0 && strcmp(w, "exclude") != 0 &&
			   strcmp(w, "excl") != 0))
			break;
		excl = w[0] == 'e';
		nd_fp_next(p);
		w = nd_fp_next(p);
		if (!w) {
			ret = nd_fp_err(p, "filter: a state name must follow \"%s\"",
					excl ? "exclude" : "state");
			goto out;
		}
		if (nd_filter_state(w, &m)) {
			ret = nd_fp_err(p, "unknown state: \"%s\"", w);
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
	if (nd_fp_peek(p)) {
		f->root = parse_list(p, 0);
		if (!f->root) {
			ret = -EINVAL;
			goto out;
		}
		if (nd_fp_peek(p)) {
			ret = nd_fp_err(p, "filter: unexpected \"%s\"", nd_fp_peek(p));
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
