// SPDX-License-Identifier: MIT
/* sock_diag requests and the pure parsers of their answers. */
#include "diag.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/inet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>

struct nlmsghdr *nd_diag_inet_request(struct nd_nl *nl, int family, int protocol, uint32_t states,
				      unsigned int ext, const void *bc, size_t bclen)
{
	struct nlmsghdr *nlh = nd_nl_request(nl, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
	struct inet_diag_req_v2 *r;

	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = (uint8_t)family;
	r->sdiag_protocol = (uint8_t)protocol;
	r->idiag_states = states;
	if (ext & ND_DIAG_INFO)
		/* the VEGASINFO bit asks a congestion control for its numbers (BBRINFO for bbr) */
		r->idiag_ext |= (1 << (INET_DIAG_INFO - 1)) | (1 << (INET_DIAG_CONG - 1)) |
				(1 << (INET_DIAG_VEGASINFO - 1));
	if (ext & ND_DIAG_SKMEM)
		r->idiag_ext |= 1 << (INET_DIAG_SKMEMINFO - 1);
	/* raw_diag reads a protocol to match from the padding; 0 there, as ss sends, dumps all */
	if (bclen) {
		if (bclen > ND_DIAG_BC_MAX)
			return NULL;
		mnl_attr_put(nlh, INET_DIAG_REQ_BYTECODE, bclen, bc);
	}
	return nlh;
}

struct nlmsghdr *nd_diag_unix_request(struct nd_nl *nl, uint32_t states, unsigned int ext)
{
	struct nlmsghdr *nlh = nd_nl_request(nl, SOCK_DIAG_BY_FAMILY, NLM_F_DUMP);
	struct unix_diag_req *r;

	r = mnl_nlmsg_put_extra_header(nlh, sizeof(*r));
	r->sdiag_family = AF_UNIX;
	r->udiag_states = states;
	r->udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN | UDIAG_SHOW_UID;
	if (ext & ND_DIAG_SKMEM)
		r->udiag_show |= UDIAG_SHOW_MEMINFO;
	return nlh;
}

static enum nd_netid inet_netid(int protocol)
{
	switch (protocol) {
	case IPPROTO_TCP: return ND_TCP;
	case IPPROTO_UDP: return ND_UDP;
	default: return ND_RAW;
	}
}

/* Clear everything but the tcp_info, which is cleared only when the kernel sends one. */
static void sock_clear(struct nd_sock *s)
{
	memset(s, 0, offsetof(struct nd_sock, info));
}

/* Which table fields a diag message carried, for struct nd_sock's has_ flags. */
enum { DIAG_HAS_SKMEM = 1 << 0, DIAG_HAS_UID = 1 << 1 };

struct diag_ctx {
	struct nd_sock *s;
	unsigned int has; /* DIAG_HAS_*, of the fields the table took */
};

/* Set the has_ flags of the fields the table took. */
static void diag_done(const struct diag_ctx *c)
{
	if (c->has & DIAG_HAS_SKMEM)
		c->s->has_skmem = true;
	if (c->has & DIAG_HAS_UID)
		c->s->has_uid = true;
}

static int inet_attr(unsigned int type, const void *p, size_t n, void *data)
{
	struct diag_ctx *c = data;
	struct nd_sock *s = c->s;

	switch (type) {
	case INET_DIAG_SHUTDOWN:
		if (n >= 1)
			s->shutdown = *(const uint8_t *)p & 3;
		break;
	case INET_DIAG_INFO:
		memset(&s->info, 0, sizeof(s->info));
		s->info_len = n < sizeof(s->info) ? n : sizeof(s->info);
		memcpy(&s->info, p, s->info_len);
		s->has_info = true;
		break;
	case INET_DIAG_BBRINFO:
		if (n >= sizeof(struct tcp_bbr_info)) {
			struct tcp_bbr_info b;

			memcpy(&b, p, sizeof(b));
			s->bbr.bw = (uint64_t)b.bbr_bw_hi << 32 | b.bbr_bw_lo;
			s->bbr.min_rtt_us = b.bbr_min_rtt;
			s->bbr.pacing_gain = b.bbr_pacing_gain;
			s->bbr.cwnd_gain = b.bbr_cwnd_gain;
			s->has_bbr = true;
		}
		break;
	case INET_DIAG_CONG:
		/* a NUL-terminated name; refuse one that is not terminated */
		if (n > 0 && memchr(p, '\0', n))
			s->cong = p;
		break;
	}
	return 0;
}

/*
 * What an inet_diag answer's attributes are to the parser: the u8 protocol is a field, and
 * the meminfo array, which has grown over kernels (as many counters as came are kept).
 */
#define SKMEM_ROW(type)                                                                  \
	ND_ATTR_FIELD(type, struct nd_sock, skmem, sizeof(((struct nd_sock *)0)->skmem), \
		      ND_ATTR_UPTO, DIAG_HAS_SKMEM)
static const struct nd_attr_field inet_rows[] = {
	ND_ATTR_U8_ROW(INET_DIAG_PROTOCOL, struct nd_sock, protocol, 0),
	SKMEM_ROW(INET_DIAG_SKMEMINFO),
	ND_ATTR_CODE_ROW(INET_DIAG_SHUTDOWN),
	ND_ATTR_CODE_ROW(INET_DIAG_INFO),
	ND_ATTR_CODE_ROW(INET_DIAG_BBRINFO),
	ND_ATTR_CODE_ROW(INET_DIAG_CONG),
};
static const struct nd_attr_policy inet_policy = ND_ATTR_POLICY(inet_rows, inet_attr);

int nd_diag_parse_inet(const struct nlmsghdr *nlh, int protocol, struct nd_sock *s)
{
	const struct inet_diag_msg *m;
	struct diag_ctx c = { .s = s };
	int err;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*m))
		return -EBADMSG;
	m = mnl_nlmsg_get_payload(nlh);
	if (m->idiag_family != AF_INET && m->idiag_family != AF_INET6)
		return -EBADMSG;
	sock_clear(s);
	s->family = m->idiag_family;
	s->netid = (uint8_t)inet_netid(protocol);
	s->protocol = (uint8_t)protocol;
	s->state = m->idiag_state < ND_SS_MAX ? m->idiag_state : ND_SS_UNKNOWN;
	s->timer = m->idiag_timer;
	s->retrans = m->idiag_retrans;
	s->expires_ms = m->idiag_expires;
	s->recv_q = m->idiag_rqueue;
	s->send_q = m->idiag_wqueue;
	s->uid = m->idiag_uid;
	s->has_uid = true;
	s->inode = m->idiag_inode;
	s->lport = ntohs(m->id.idiag_sport);
	s->pport = ntohs(m->id.idiag_dport);
	s->ifindex = m->id.idiag_if;
	s->cookie = (uint64_t)m->id.idiag_cookie[1] << 32 | m->id.idiag_cookie[0];
	memcpy(s->laddr, m->id.idiag_src, s->family == AF_INET ? 4 : 16);
	memcpy(s->paddr, m->id.idiag_dst, s->family == AF_INET ? 4 : 16);

	err = nd_attr_parse_msg(nlh, sizeof(*m), &inet_policy, s, &c.has, &c);
	diag_done(&c);
	if (!s->has_info)
		s->info_len = 0;
	return err;
}

static enum nd_netid unix_netid(unsigned int type)
{
	switch (type) {
	case SOCK_DGRAM: return ND_U_DGR;
	case SOCK_SEQPACKET: return ND_U_SEQ;
	default: return ND_U_STR;
	}
}

static int unix_attr(unsigned int type, const void *p, size_t n, void *data)
{
	struct diag_ctx *c = data;
	struct nd_sock *s = c->s;

	switch (type) {
	case UNIX_DIAG_NAME:
		if (n > 0) {
			s->path = p;
			s->path_len = n;
			/* a path name may come with its terminating NUL */
			if (s->path[0] != '\0')
				s->path_len = strnlen(s->path, n);
		}
		break;
	case UNIX_DIAG_RQLEN:
		if (n >= sizeof(struct unix_diag_rqlen)) {
			const struct unix_diag_rqlen *q = p;

			s->recv_q = q->udiag_rqueue;
			s->send_q = q->udiag_wqueue;
		}
		break;
	case UNIX_DIAG_SHUTDOWN:
		if (n >= 1)
			s->shutdown = *(const uint8_t *)p & 3;
		break;
	}
	return 0;
}

/* The same for unix_diag: the peer's inode and the uid are u32 fields, meminfo as above. */
static const struct nd_attr_field unix_rows[] = {
	ND_ATTR_U32_ROW(UNIX_DIAG_PEER, struct nd_sock, peer_inode, 0),
	ND_ATTR_U32_ROW(UNIX_DIAG_UID, struct nd_sock, uid, DIAG_HAS_UID),
	SKMEM_ROW(UNIX_DIAG_MEMINFO),
	ND_ATTR_CODE_ROW(UNIX_DIAG_NAME),
	ND_ATTR_CODE_ROW(UNIX_DIAG_RQLEN),
	ND_ATTR_CODE_ROW(UNIX_DIAG_SHUTDOWN),
};
#undef SKMEM_ROW
static const struct nd_attr_policy unix_policy = ND_ATTR_POLICY(unix_rows, unix_attr);

int nd_diag_parse_unix(const struct nlmsghdr *nlh, struct nd_sock *s)
{
	const struct unix_diag_msg *m;
	struct diag_ctx c = { .s = s };
	int err;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*m))
		return -EBADMSG;
	m = mnl_nlmsg_get_payload(nlh);
	if (m->udiag_family != AF_UNIX)
		return -EBADMSG;
	sock_clear(s);
	s->family = AF_UNIX;
	s->netid = (uint8_t)unix_netid(m->udiag_type);
	s->state = m->udiag_state < ND_SS_MAX ? m->udiag_state : ND_SS_UNKNOWN;
	s->inode = m->udiag_ino;
	s->cookie = (uint64_t)m->udiag_cookie[1] << 32 | m->udiag_cookie[0];

	err = nd_attr_parse_msg(nlh, sizeof(*m), &unix_policy, s, &c.has, &c);
	diag_done(&c);
	return err;
}

const char *nd_sock_state_name(unsigned int state)
{
	static const char *const names[ND_SS_MAX] = {
		[ND_SS_UNKNOWN] = "UNKNOWN",       [ND_SS_ESTABLISHED] = "ESTAB",
		[ND_SS_SYN_SENT] = "SYN-SENT",     [ND_SS_SYN_RECV] = "SYN-RECV",
		[ND_SS_FIN_WAIT1] = "FIN-WAIT-1",  [ND_SS_FIN_WAIT2] = "FIN-WAIT-2",
		[ND_SS_TIME_WAIT] = "TIME-WAIT",   [ND_SS_CLOSE] = "UNCONN",
		[ND_SS_CLOSE_WAIT] = "CLOSE-WAIT", [ND_SS_LAST_ACK] = "LAST-ACK",
		[ND_SS_LISTEN] = "LISTEN",         [ND_SS_CLOSING] = "CLOSING",
		[ND_SS_NEW_SYN_RECV] = "SYN-RECV",
	};

	return state < ND_SS_MAX ? names[state] : "UNKNOWN";
}

const char *nd_sock_state_netstat(unsigned int state)
{
	static const char *const names[ND_SS_MAX] = {
		[ND_SS_UNKNOWN] = "UNKNOWN",       [ND_SS_ESTABLISHED] = "ESTABLISHED",
		[ND_SS_SYN_SENT] = "SYN_SENT",     [ND_SS_SYN_RECV] = "SYN_RECV",
		[ND_SS_FIN_WAIT1] = "FIN_WAIT1",   [ND_SS_FIN_WAIT2] = "FIN_WAIT2",
		[ND_SS_TIME_WAIT] = "TIME_WAIT",   [ND_SS_CLOSE] = "CLOSE",
		[ND_SS_CLOSE_WAIT] = "CLOSE_WAIT", [ND_SS_LAST_ACK] = "LAST_ACK",
		[ND_SS_LISTEN] = "LISTEN",         [ND_SS_CLOSING] = "CLOSING",
		[ND_SS_NEW_SYN_RECV] = "SYN_RECV",
	};

	return state < ND_SS_MAX ? names[state] : "UNKNOWN";
}

const char *nd_netid_name(unsigned int netid)
{
	static const char *const names[ND_NETID_MAX] = {
		[ND_TCP] = "tcp",     [ND_UDP] = "udp",     [ND_RAW] = "raw",
		[ND_U_STR] = "u_str", [ND_U_DGR] = "u_dgr", [ND_U_SEQ] = "u_seq",
	};

	return netid < ND_NETID_MAX ? names[netid] : "?";
}

const char *nd_timer_name(unsigned int timer)
{
	static const char *const names[] = { "off", "on", "keepalive", "timewait", "persist" };

	return timer < 5 ? names[timer] : "unknown";
}
