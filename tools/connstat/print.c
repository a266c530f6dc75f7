// SPDX-License-Identifier: MIT
/* One socket as a netstat row (text) or an object (JSON), through lib/out. */
#include "connstat.h"

#include "addr.h"
#include "array.h"
#include "out.h"
#include "services.h"
#include "units.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <net/if.h>
#include <netdb.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#define ADDR_W     23
#define MAX_OWNERS 64

/* A text row is built here by hand and written with one call: this runs per socket. */
/* @s left-aligned in @w columns, then one space (as printf "%-Ws "). */
static void col_left(struct nd_line *l, const char *s, size_t w)
{
	size_t start = l->n;

	nd_line_put(l, s, strlen(s));
	nd_line_pad_to(l, start + w);
	nd_line_put(l, " ", 1);
}

/* @v right-aligned in @w columns, then one space (as printf "%Wu "). */
static void col_right_u32(struct nd_line *l, uint32_t v, size_t w)
{
	char t[ND_U64_DIGITS];
	size_t n = nd_fmt_u64(t, v);

	if (n < w)
		nd_line_pad_to(l, l->n + (w - n));
	nd_line_put(l, t, n);
	nd_line_put(l, " ", 1);
}

static void col_left_u32(struct nd_line *l, uint32_t v, size_t w)
{
	char t[ND_U64_DIGITS + 1];

	t[nd_fmt_u64(t, v)] = '\0';
	col_left(l, t, w);
}

/* The row without its trailing blanks, then a fresh line. */
static void emit(struct nd_line *l)
{
	nd_line_trim(l);
	nd_line_write(l);
}

/* ---- headers ---- */

static const char *scope(const struct cs_opts *o)
{
	return o->all      ? "(servers and established)"
	       : o->listen ? "(only servers)"
			   : "(w/o servers)";
}

void cs_print_begin(const struct cs_opts *o)
{
	if (o->json)
		nd_out_open_array(NULL);
}

void cs_print_end(const struct cs_opts *o)
{
	if (o->json)
		nd_out_close_array();
}

void cs_print_section(const struct cs_opts *o, bool unix_section)
{
	struct nd_line l;

	if (o->json || o->no_header)
		return;
	nd_line_init(&l);
	if (!unix_section) {
		nd_out_text("Active Internet connections %s\n", scope(o));
		nd_line_put(&l, "Proto Recv-Q Send-Q ", 20);
		col_left(&l, "Local Address", ADDR_W);
		col_left(&l, "Foreign Address", ADDR_W);
		col_left(&l, "State", 11);
		if (o->ext) {
			col_left(&l, "User", 10);
			col_left(&l, "Inode", 10);
		}
	} else {
		nd_out_text("Active UNIX domain sockets %s\n", scope(o));
		nd_line_put(&l, "Proto Recv-Q Send-Q ", 20);
		col_left(&l, "Flags", 11);
		col_left(&l, "Type", 10);
		col_left(&l, "State", 13);
		col_left(&l, "I-Node", 8);
		if (o->ext)
			col_left(&l, "User", 10);
	}
	if (o->procs)
		col_left(&l, "PID/Program name", 19);
	if (unix_section)
		nd_line_put(&l, "Path", 4);
	else if (o->timers)
		nd_line_put(&l, "Timer", 5);
	emit(&l);
	nd_line_free(&l);
	nd_out_text("\n");
}

/* ---- names ---- */

static const char *family_name(int family)
{
	return family == AF_INET ? "inet" : family == AF_INET6 ? "inet6" : "unix";
}

static const char *text_state(const struct nd_sock *s)
{
	if (s->family == AF_UNIX) {
		switch (s->state) {
		case ND_SS_LISTEN: return "LISTENING";
		case ND_SS_ESTABLISHED: return "CONNECTED";
		case ND_SS_SYN_SENT: return "CONNECTING";
		case ND_SS_CLOSE: return "";
		default: return "UNKNOWN";
		}
	}
	if (s->netid == ND_RAW) {
		/* netstat shows a RAW socket's state as the kernel's number (1 connected, 7 not) */
		static char num[4];

		num[nd_fmt_u64(num, s->state)] = '\0';
		return num;
	}
	if (s->netid != ND_TCP)
		return s->state == ND_SS_ESTABLISHED ? "ESTABLISHED" : "";
	return nd_sock_state_netstat(s->state);
}

static const char *unix_type(unsigned int netid)
{
	return netid == ND_U_DGR ? "DGRAM" : netid == ND_U_SEQ ? "SEQPACKET" : "STREAM";
}

/* A host name for -r, cached for the last few addresses asked. */
static const char *host_name(int family, const uint8_t *addr)
{
	static struct {
		int family;
		uint8_t addr[16];
		char name[NI_MAXHOST];
		bool ok;
	} cache[64];
	static unsigned int next;
	size_t alen = family == AF_INET ? 4 : 16;
	struct sockaddr_storage ss;
	socklen_t sl;

	for (size_t i = 0; i < ND_ARRAY_SIZE(cache); i++)
		if (cache[i].family == family && memcmp(cache[i].addr, addr, alen) == 0)
			return cache[i].ok ? cache[i].name : NULL;
	sl = nd_sockaddr_from(&ss, family, addr, 0);
	next = (next + 1) % ND_ARRAY_SIZE(cache);
	cache[next].family = family;
	memcpy(cache[next].addr, addr, alen);
	cache[next].ok = getnameinfo((struct sockaddr *)&ss, sl, cache[next].name,
				     sizeof(cache[next].name), NULL, 0, NI_NAMEREQD) == 0;
	return cache[next].ok ? cache[next].name : NULL;
}

static bool addr_is_any(int family, const uint8_t *a)
{
	static const uint8_t zero[16];

	return memcmp(a, zero, family == AF_INET ? 4 : 16) == 0;
}

static const char *service(const struct cs_opts *o, const struct nd_sock *s, uint16_t port)
{
	if (o->numeric || port == 0)
		return NULL;
	if (s->netid == ND_RAW)
		return nd_proto_name((uint8_t)port);
	return nd_service_name(port, s->netid == ND_UDP ? "udp" : "tcp");
}

static const char *host(const struct cs_opts *o, const struct nd_sock *s, const uint8_t *a)
{
	if (!o->resolve || addr_is_any(s->family, a))
		return NULL;
	return host_name(s->family, a);
}

/*
 * The name of the interface a socket is bound to (SO_BINDTODEVICE, or the scope of a
 * link-local address), as ss shows it after the address; "if<N>" when the index has no name
 * here.  The last few answers are kept: if_indextoname opens a socket per call.
 */
static const char *dev_name(uint32_t ifindex)
{
	static struct {
		uint32_t ifindex;
		char name[IF_NAMESIZE + 8];
	} cache[8];
	static unsigned int next;

	for (size_t i = 0; i < ND_ARRAY_SIZE(cache); i++)
		if (cache[i].ifindex == ifindex)
			return cache[i].name;
	next = (next + 1) % ND_ARRAY_SIZE(cache);
	cache[next].ifindex = ifindex;
	if (!if_indextoname(ifindex, cache[next].name))
		snprintf(cache[next].name, sizeof(cache[next].name), "if%u", ifindex);
	return cache[next].name;
}

/* ---- text ---- */

/* The local endpoint with ss's "%dev" before the port when the socket is bound to a device. */
static void text_local(char *ep, size_t size, const struct cs_opts *o, const struct nd_sock *s)
{
	size_t n = cs_fmt_endpoint(ep, size, s->family, s->laddr, s->lport, service(o, s, s->lport),
				   host(o, s, s->laddr));
	const char *dev;
	char *colon;
	size_t dl;

	if (!s->ifindex)
		return;
	dev = dev_name(s->ifindex);
	dl = strlen(dev);
	colon = strrchr(ep, ':');
	if (!colon || n + dl + 2 > size)
		return;
	memmove(colon + dl + 1, colon, strlen(colon) + 1);
	colon[0] = '%';
	memcpy(colon + 1, dev, dl);
}

/* "pid/comm", built by hand: this runs per row of -p */
static void text_owner(struct nd_line *l, const struct nd_proc_owner *ow, size_t n)
{
	char t[ND_U64_DIGITS + 1 + 64];
	size_t k, c;

	if (n == 0) {
		col_left(l, "-", 19);
		return;
	}
	k = nd_fmt_u64(t, (uint64_t)ow[0].pid);
	t[k++] = '/';
	c = strnlen(ow[0].comm, sizeof(t) - k - 1);
	memcpy(t + k, ow[0].comm, c);
	t[k + c] = '\0';
	col_left(l, t, 19);
}

static void text_row(const struct cs_run *r, const struct nd_sock *s,
		     const struct nd_proc_owner *ow, size_t nown)
{
	const struct cs_opts *o = r->o;
	struct nd_line l;
	char ep[ND_ADDRSTRLEN + NI_MAXHOST + 48];

	nd_line_init(&l);
	if (s->family == AF_UNIX) {
		col_left(&l, "unix", 5);
		col_right_u32(&l, s->recv_q, 6);
		col_right_u32(&l, s->send_q, 6);
		col_left(&l, s->state == ND_SS_LISTEN ? "[ ACC ]" : "[ ]", 11);
		col_left(&l, unix_type(s->netid), 10);
		col_left(&l, text_state(s), 13);
		col_left_u32(&l, s->inode, 8);
		if (o->ext)
			col_left_u32(&l, s->uid, 10);
		if (o->procs)
			text_owner(&l, ow, nown);
		if (s->path) {
			cs_fmt_unix_path(ep, sizeof(ep), s->path, s->path_len);
			nd_line_put(&l, ep, strlen(ep));
		}
		emit(&l);
		nd_line_free(&l);
		return;
	}
	nd_line_put(&l, nd_netid_name(s->netid), 3);
	if (s->family == AF_INET6)
		nd_line_put(&l, "6", 1);
	nd_line_pad_to(&l, 6);
	col_right_u32(&l, s->recv_q, 6);
	/*
	 * A listener's Send-Q is its backlog, as ss shows it (netstat, reading /proc/net/tcp, shows
	 * 0): kept, the one place the text leaves netstat, since it is what listen() set (lab 03).
	 */
	col_right_u32(&l, s->send_q, 6);
	text_local(ep, sizeof(ep), o, s);
	col_left(&l, ep, ADDR_W);
	cs_fmt_endpoint(ep, sizeof(ep), s->family, s->paddr, s->pport, service(o, s, s->pport),
			host(o, s, s->paddr));
	col_left(&l, ep, ADDR_W);
	col_left(&l, text_state(s), 11);
	if (o->ext) {
		col_left_u32(&l, s->uid, 10);
		col_left_u32(&l, s->inode, 10);
	}
	if (o->procs)
		text_owner(&l, ow, nown);
	if (o->timers) {
		snprintf(ep, sizeof(ep), "%s (%.2f/%u/0)", nd_timer_name(s->timer),
			 s->expires_ms / 1000.0, s->retrans);
		nd_line_put(&l, ep, strlen(ep));
	}
	emit(&l);
	nd_line_free(&l);
}

/* ---- JSON (and the text of -i / -m, which come from the same calls) ---- */

static void json_endpoint(const struct cs_opts *o, const char *key, const struct nd_sock *s,
			  const uint8_t *a, uint16_t port)
{
	char buf[ND_ADDRSTRLEN];
	const char *h = host(o, s, a);

	nd_out_open_object(key);
	nd_out_str(ND_JSON, "address", NULL, nd_addr_fmt(s->family, a, buf, sizeof(buf)));
	nd_out_uint(ND_JSON, "port", NULL, port);
	if (h)
		nd_out_str(ND_JSON, "host", NULL, h);
	if (a == s->laddr && s->ifindex)
		nd_out_str(ND_JSON, "dev", NULL, dev_name(s->ifindex));
	nd_out_close_object();
}

static void json_owners(const struct nd_proc_owner *ow, size_t n)
{
	nd_out_open_array("process");
	for (size_t i = 0; i < n; i++) {
		nd_out_open_object(NULL);
		nd_out_int(ND_JSON, "pid", NULL, (int)ow[i].pid);
		nd_out_str(ND_JSON, "comm", NULL, ow[i].comm);
		nd_out_int(ND_JSON, "fd", NULL, ow[i].fd);
		nd_out_close_object();
	}
	nd_out_close_array();
}

static void json_sock(const struct cs_run *r, const struct nd_sock *s,
		      const struct nd_proc_owner *ow, size_t nown)
{
	const struct cs_opts *o = r->o;

	nd_out_str(ND_JSON, "netid", NULL, nd_netid_name(s->netid));
	nd_out_str(ND_JSON, "family", NULL, family_name(s->family));
	nd_out_str(ND_JSON, "state", NULL, nd_sock_state_name(s->state));
	nd_out_uint(ND_JSON, "recv_q", NULL, s->recv_q);
	nd_out_uint(ND_JSON, "send_q", NULL, s->send_q);
	if (s->family == AF_UNIX) {
		if (s->path) {
			char p[256];

			cs_fmt_unix_path(p, sizeof(p), s->path, s->path_len);
			nd_out_str(ND_JSON, "path", NULL, p);
		} else {
			nd_out_null(ND_JSON, "path", NULL);
		}
		nd_out_str(ND_JSON, "type", NULL,
			   s->netid == ND_U_DGR   ? "dgram"
			   : s->netid == ND_U_SEQ ? "seqpacket"
						  : "stream");
		nd_out_uint(ND_JSON, "inode", NULL, s->inode);
		nd_out_uint(ND_JSON, "peer_inode", NULL, s->peer_inode);
	} else {
		json_endpoint(o, "local", s, s->laddr, s->lport);
		json_endpoint(o, "peer", s, s->paddr, s->pport);
		nd_out_uint(ND_JSON, "inode", NULL, s->inode);
		if (s->netid == ND_RAW)
			nd_out_uint(ND_JSON, "protocol", NULL, s->protocol);
	}
	if (o->ext) {
		nd_out_uint(ND_JSON, "uid", NULL, s->uid);
		nd_out_u64(ND_JSON, "cookie", NULL, s->cookie);
	}
	if (o->procs)
		json_owners(ow, nown);
	if (o->timers && s->family != AF_UNIX) {
		nd_out_open_object("timer");
		nd_out_str(ND_JSON, "name", NULL, nd_timer_name(s->timer));
		nd_out_uint(ND_JSON, "expires_ms", NULL, s->expires_ms);
		nd_out_uint(ND_JSON, "retrans", NULL, s->retrans);
		nd_out_close_object();
	}
}

#define HAS(s, f) ((s)->info_len >= offsetof(struct tcp_info, f) + sizeof((s)->info.f))

static void info_u32(const struct nd_sock *s, size_t end, const char *key, const char *fmt,
		     uint32_t v)
{
	if (s->info_len >= end)
		nd_out_uint(ND_ANY, key, fmt, v);
}

static void info_u64(const struct nd_sock *s, size_t end, const char *key, const char *fmt,
		     uint64_t v)
{
	if (s->info_len >= end)
		nd_out_u64(ND_ANY, key, fmt, v);
}

#define END(f) (offsetof(struct tcp_info, f) + sizeof(((struct tcp_info *)0)->f))

/*
 * A rate the kernel gives in bytes/s, shown in bits/s.  ~0 means "unlimited" (a listener's
 * pacing rate, no SO_MAX_PACING_RATE): shown as nothing, as ss does; times 8 saturates.
 */
static void info_rate(const struct nd_sock *s, size_t end, const char *key, const char *fmt,
		      uint64_t bytes_per_s)
{
	if (s->info_len < end || bytes_per_s == UINT64_MAX)
		return;
	nd_out_u64(ND_ANY, key, fmt, bytes_per_s > UINT64_MAX / 8 ? UINT64_MAX : bytes_per_s * 8);
}

/* The kernel's TCP_INFINITE_SSTHRESH: no loss seen yet, so no slow-start threshold (ss: none). */
#define INFINITE_SSTHRESH 0x7fffffffu

/*
 * What ss shows beside the plain counters: window scales (when negotiated), backoff, BBR's
 * estimate, the send rate it derives (cwnd * mss / rtt, when the kernel sent those) and whether
 * the last delivery-rate sample was application-limited.  The flags sit in tcp_info's first 8
 * bytes, which every kernel sends.
 */
static void tcp_info_ss(const struct nd_sock *s)
{
	const struct tcp_info *i = &s->info;
	char t[64];

	if (s->info_len < 8)
		return;
	if (i->tcpi_options & TCPI_OPT_WSCALE) {
		nd_out_uint(ND_JSON, "snd_wscale", NULL, i->tcpi_snd_wscale);
		nd_out_uint(ND_JSON, "rcv_wscale", NULL, i->tcpi_rcv_wscale);
		snprintf(t, sizeof(t), " wscale:%u,%u", i->tcpi_snd_wscale, i->tcpi_rcv_wscale);
		nd_out_text("%s", t);
	}
	nd_out_uint(ND_ANY, "backoff", " backoff:%u", i->tcpi_backoff);
	nd_out_bool(ND_JSON, "app_limited", NULL, i->tcpi_delivery_rate_app_limited);
	if (i->tcpi_delivery_rate_app_limited)
		nd_out_text(" app_limited");
	if (HAS(s, tcpi_snd_cwnd) && i->tcpi_rtt) {
		double bps = (double)i->tcpi_snd_cwnd * i->tcpi_snd_mss * 8e6 / i->tcpi_rtt;

		nd_out_u64(ND_ANY, "send_rate_bps", " send:%" PRIu64 "bps", (uint64_t)(bps + 0.5));
	}
	if (s->has_bbr) {
		nd_out_open_object("bbr");
		nd_out_u64(ND_ANY, "bw_bps", " bbr:(bw:%" PRIu64 "bps",
			   s->bbr.bw > UINT64_MAX / 8 ? UINT64_MAX : s->bbr.bw * 8);
		nd_out_double(ND_ANY, "min_rtt_ms", ",mrtt:%g", s->bbr.min_rtt_us / 1000.0, 3);
		nd_out_double(ND_ANY, "pacing_gain", ",pacing_gain:%g", s->bbr.pacing_gain / 256.0,
			      3);
		nd_out_double(ND_ANY, "cwnd_gain", ",cwnd_gain:%g)", s->bbr.cwnd_gain / 256.0, 3);
		nd_out_close_object();
	}
}

static void tcp_info(const struct nd_sock *s)
{
	const struct tcp_info *i = &s->info;

	nd_out_open_object("tcp_info");
	if (s->cong)
		nd_out_str(ND_ANY, "cong", " %s", s->cong);
	tcp_info_ss(s);
	if (HAS(s, tcpi_rto))
		nd_out_double(ND_ANY, "rto_ms", " rto:%g", i->tcpi_rto / 1000.0, 3);
	if (HAS(s, tcpi_rttvar)) {
		nd_out_double(ND_ANY, "rtt_ms", " rtt:%g", i->tcpi_rtt / 1000.0, 3);
		nd_out_double(ND_ANY, "rttvar_ms", "/%g", i->tcpi_rttvar / 1000.0, 3);
	}
	if (HAS(s, tcpi_ato))
		nd_out_double(ND_ANY, "ato_ms", " ato:%g", i->tcpi_ato / 1000.0, 3);
	info_u32(s, END(tcpi_snd_mss), "mss", " mss:%u", i->tcpi_snd_mss);
	info_u32(s, END(tcpi_pmtu), "pmtu", " pmtu:%u", i->tcpi_pmtu);
	info_u32(s, END(tcpi_rcv_mss), "rcv_mss", " rcvmss:%u", i->tcpi_rcv_mss);
	info_u32(s, END(tcpi_advmss), "advmss", " advmss:%u", i->tcpi_advmss);
	info_u32(s, END(tcpi_snd_cwnd), "cwnd", " cwnd:%u", i->tcpi_snd_cwnd);
	if (i->tcpi_snd_ssthresh != INFINITE_SSTHRESH)
		info_u32(s, END(tcpi_snd_ssthresh), "ssthresh", " ssthresh:%u",
			 i->tcpi_snd_ssthresh);
	info_u64(s, END(tcpi_bytes_sent), "bytes_sent", " bytes_sent:%" PRIu64, i->tcpi_bytes_sent);
	info_u64(s, END(tcpi_bytes_retrans), "bytes_retrans", " bytes_retrans:%" PRIu64,
		 i->tcpi_bytes_retrans);
	info_u64(s, END(tcpi_bytes_acked), "bytes_acked", " bytes_acked:%" PRIu64,
		 i->tcpi_bytes_acked);
	info_u64(s, END(tcpi_bytes_received), "bytes_received", " bytes_received:%" PRIu64,
		 i->tcpi_bytes_received);
	info_u32(s, END(tcpi_segs_out), "segs_out", " segs_out:%u", i->tcpi_segs_out);
	info_u32(s, END(tcpi_segs_in), "segs_in", " segs_in:%u", i->tcpi_segs_in);
	info_u32(s, END(tcpi_data_segs_out), "data_segs_out", " data_segs_out:%u",
		 i->tcpi_data_segs_out);
	info_u32(s, END(tcpi_data_segs_in), "data_segs_in", " data_segs_in:%u",
		 i->tcpi_data_segs_in);
	info_rate(s, END(tcpi_pacing_rate), "pacing_rate_bps", " pacing_rate:%" PRIu64 "bps",
		  i->tcpi_pacing_rate);
	info_rate(s, END(tcpi_max_pacing_rate), "max_pacing_rate_bps",
		  " max_pacing_rate:%" PRIu64 "bps", i->tcpi_max_pacing_rate);
	info_rate(s, END(tcpi_delivery_rate), "delivery_rate_bps", " delivery_rate:%" PRIu64 "bps",
		  i->tcpi_delivery_rate);
	info_u32(s, END(tcpi_delivered), "delivered", " delivered:%u", i->tcpi_delivered);
	info_u32(s, END(tcpi_last_data_sent), "lastsnd_ms", " lastsnd:%u", i->tcpi_last_data_sent);
	info_u32(s, END(tcpi_last_data_recv), "lastrcv_ms", " lastrcv:%u", i->tcpi_last_data_recv);
	info_u32(s, END(tcpi_last_ack_recv), "lastack_ms", " lastack:%u", i->tcpi_last_ack_recv);
	info_u32(s, END(tcpi_unacked), "unacked", " unacked:%u", i->tcpi_unacked);
	info_u32(s, END(tcpi_retrans), "retrans", " retrans:%u", i->tcpi_retrans);
	info_u32(s, END(tcpi_total_retrans), "total_retrans", "/%u", i->tcpi_total_retrans);
	info_u32(s, END(tcpi_lost), "lost", " lost:%u", i->tcpi_lost);
	info_u32(s, END(tcpi_reordering), "reordering", " reordering:%u", i->tcpi_reordering);
	if (HAS(s, tcpi_rcv_rtt))
		nd_out_double(ND_ANY, "rcv_rtt_ms", " rcv_rtt:%g", i->tcpi_rcv_rtt / 1000.0, 3);
	info_u32(s, END(tcpi_rcv_space), "rcv_space", " rcv_space:%u", i->tcpi_rcv_space);
	info_u32(s, END(tcpi_rcv_ssthresh), "rcv_ssthresh", " rcv_ssthresh:%u",
		 i->tcpi_rcv_ssthresh);
	info_u32(s, END(tcpi_notsent_bytes), "notsent", " notsent:%u", i->tcpi_notsent_bytes);
	if (HAS(s, tcpi_min_rtt))
		nd_out_double(ND_ANY, "min_rtt_ms", " minrtt:%g", i->tcpi_min_rtt / 1000.0, 3);
	info_u32(s, END(tcpi_snd_wnd), "snd_wnd", " snd_wnd:%u", i->tcpi_snd_wnd);
	nd_out_close_object();
}

static void skmem(const struct nd_sock *s)
{
	static const char *const keys[9] = { "rmem_alloc", "rcvbuf",    "wmem_alloc",
					     "sndbuf",     "fwd_alloc", "wmem_queued",
					     "optmem",     "backlog",   "drops" };
	static const char *const fmts[9] = { " skmem:(r%u", ",rb%u", ",t%u",  ",tb%u", ",f%u",
					     ",w%u",        ",o%u",  ",bl%u", ",d%u)" };

	nd_out_open_object("skmem");
	for (int k = 0; k < 9; k++)
		nd_out_uint(ND_ANY, keys[k], fmts[k], s->skmem[k]);
	nd_out_close_object();
}

void cs_print_sock(const struct cs_run *r, const struct nd_sock *s)
{
	const struct cs_opts *o = r->o;
	struct nd_proc_owner ow[MAX_OWNERS];
	size_t nown = 0;
	bool more;

	if (r->procs) {
		nown = nd_proc_lookup(r->procs, s->inode, ow, MAX_OWNERS);
		if (nown > MAX_OWNERS)
			nown = MAX_OWNERS;
	}
	if (o->json) {
		nd_out_open_object(NULL);
		json_sock(r, s, ow, nown);
	} else {
		text_row(r, s, ow, nown);
	}
	more = (o->info && s->has_info) || (o->mem && s->has_skmem);
	if (more)
		nd_out_text("\n\t");
	if (o->info && s->has_info)
		tcp_info(s);
	if (o->mem && s->has_skmem)
		skmem(s);
	if (o->json)
		nd_out_close_object();
	else
		nd_out_text("\n");
}
