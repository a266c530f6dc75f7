// SPDX-License-Identifier: MIT
/* sockbuf info: buffer sizes as created, the sysctls behind them, and set-versus-get. */
#include "sockbuf.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <linux/capability.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "array.h"
#include "cli.h"
#include "out.h"
#include "priv.h"
#include "rules.h"
#include "sockopt.h"
#include "sysctl.h"
#include "units.h"

static const char usage[] =
	"Usage: sockbuf [info] [--type TYPE] [--sizes LIST] [--json]\n"
	"Show SO_SNDBUF and SO_RCVBUF of new TCP, UDP and UNIX sockets, the /proc/sys settings\n"
	"behind them, and what the kernel makes of a ladder of requested sizes: doubled, clamped\n"
	"at wmem_max/rmem_max, raised to the minimum, or forced past the maximum (root).\n"
	"\n"
	"  -t, --type TYPE    socket for the ladder: tcp (default), udp, unix, unix-dgram\n"
	"  -s, --sizes LIST   requested sizes, comma-separated (k, M, Ki, Mi; 'auto': none set,\n"
	"                     the kernel default), default 1,1Ki,2Ki,4Ki,16Ki,64Ki,256Ki,1Mi,4Mi,\n"
	"                     16Mi,64Mi\n"
	"      --json         JSON output\n"
	"      --help         this text\n";

struct sock_type {
	const char *name;
	int family, type;
	const char *snd_from, *rcv_from; /* the sysctl that sets the value at creation */
};

static const struct sock_type types[] = {
	{ "tcp", AF_INET, SOCK_STREAM, "net.ipv4.tcp_wmem[1]", "net.ipv4.tcp_rmem[1]" },
	{ "udp", AF_INET, SOCK_DGRAM, "net.core.wmem_default", "net.core.rmem_default" },
	{ "unix", AF_UNIX, SOCK_STREAM, "net.core.wmem_default", "net.core.rmem_default" },
	{ "unix-dgram", AF_UNIX, SOCK_DGRAM, "net.core.wmem_default", "net.core.rmem_default" },
};

static const char *const sysctls[] = {
	"net.core.rmem_default",
	"net.core.rmem_max",
	"net.core.wmem_default",
	"net.core.wmem_max",
	"net.ipv4.tcp_rmem",
	"net.ipv4.tcp_wmem",
	"net.ipv4.udp_mem",
	"net.ipv4.udp_rmem_min",
	"net.ipv4.udp_wmem_min",
	"net.ipv4.tcp_moderate_rcvbuf",
	"net.ipv4.tcp_window_scaling",
	"net.unix.max_dgram_qlen",
};
#define NSYSCTL ND_ARRAY_SIZE(sysctls)

struct settings {
	int64_t v[NSYSCTL][3];
	int n[NSYSCTL]; /* values read, or a negative errno */
};

/* The value of "name" or "name[i]", or -1 when it could not be read. */
static int64_t setting(const struct settings *s, const char *ref)
{
	size_t l = strcspn(ref, "[");
	int idx = ref[l] == '[' ? ref[l + 1] - '0' : 0;

	for (size_t i = 0; i < NSYSCTL; i++)
		if (strlen(sysctls[i]) == l && strncmp(sysctls[i], ref, l) == 0)
			return idx < s->n[i] ? s->v[i][idx] : -1;
	return -1;
}

static int new_socket(const struct sock_type *t)
{
	int fd = socket(t->family, t->type | SOCK_CLOEXEC, 0);

	if (fd < 0)
		nd_die(ND_EXIT_ERROR, "socket %s: %s", t->name, strerror(errno));
	return fd;
}

static void print_created(const struct settings *s)
{
	nd_out_text("socket buffers as created (getsockopt right after socket())\n");
	nd_out_text("%-11s %10s %10s  %s\n", "type", "SO_SNDBUF", "SO_RCVBUF", "set by");
	nd_out_open_array("created");
	for (size_t i = 0; i < ND_ARRAY_SIZE(types); i++) {
		const struct sock_type *t = &types[i];
		int fd = new_socket(t), snd = -1, rcv = -1;

		nd_sock_getbuf(fd, &snd, &rcv);
		close(fd);
		nd_out_open_object(NULL);
		nd_out_str(ND_ANY, "type", "%-11s", t->name);
		nd_out_int(ND_ANY, "sndbuf", " %10d", snd);
		nd_out_int(ND_ANY, "rcvbuf", " %10d", rcv);
		nd_out_str(ND_ANY, "sndbuf_from", "  %s", t->snd_from);
		nd_out_str(ND_ANY, "rcvbuf_from", ", %s", t->rcv_from);
		nd_out_s64(ND_JSON, "sndbuf_expected", NULL, setting(s, t->snd_from));
		nd_out_s64(ND_JSON, "rcvbuf_expected", NULL, setting(s, t->rcv_from));
		nd_out_text("%s\n", snd == setting(s, t->snd_from) && rcv == setting(s, t->rcv_from)
					    ? ""
					    : "  (differs from the sysctl)");
		nd_out_close_object();
	}
	nd_out_close_array();
}

static void print_settings(const struct settings *s)
{
	nd_out_text("\nsettings (/proc/sys)\n");
	nd_out_open_object("sysctl");
	for (size_t i = 0; i < NSYSCTL; i++) {
		nd_out_text("%-28s", sysctls[i]);
		if (s->n[i] < 0) {
			/* some (udp_mem) exist only in the initial network namespace */
			nd_out_null(ND_ANY, sysctls[i],
				    s->n[i] == -ENOENT ? " (not in this network namespace)"
						       : " (unreadable)");
		} else if (s->n[i] == 1) {
			nd_out_s64(ND_ANY, sysctls[i], " %" PRId64, s->v[i][0]);
		} else {
			nd_out_open_array(sysctls[i]);
			for (int k = 0; k < s->n[i]; k++)
				nd_out_s64(ND_ANY, NULL, " %" PRId64, s->v[i][k]);
			nd_out_close_array();
			if (s->n[i] == 3)
				nd_out_text("   (min default max)");
		}
		nd_out_text("\n");
	}
	nd_out_close_object();
}

/* SOCK_MIN_*BUF depend on sizeof(struct sk_buff): a request of 0 reads them back. */
static int64_t probe_min(const struct sock_type *t, int opt)
{
	int fd = new_socket(t), v = -1;
	socklen_t l = sizeof(v);

	nd_sock_setint(fd, SOL_SOCKET, opt, 0);
	getsockopt(fd, SOL_SOCKET, opt, &v, &l);
	close(fd);
	return v;
}

static void ladder_row(const struct sock_type *t, const struct sb_limits *lim, int req,
		       enum sb_opt o)
{
	static const int set[] = { SO_SNDBUF, SO_RCVBUF, SO_SNDBUFFORCE, SO_RCVBUFFORCE };
	struct sb_predict p = sb_rule_predict(lim, o, req);
	int fd = new_socket(t), got = -1, err = 0;
	char hb[32];

	if (setsockopt(fd, SOL_SOCKET, set[o], &req, sizeof(req)) < 0)
		err = -errno;
	nd_sock_getbuf(fd, sb_opt_is_snd(o) ? &got : NULL, sb_opt_is_snd(o) ? NULL : &got);
	close(fd);
	nd_out_open_object(NULL);
	nd_human_size((uint64_t)req, hb, sizeof(hb));
	nd_out_int(ND_JSON, "requested", NULL, req);
	nd_out_str(ND_TEXT, NULL, "%-11s", o == SB_SNDBUF ? hb : "");
	nd_out_str(ND_ANY, "option", " %-15s", sb_opt_name(o));
	if (err) {
		/* nd_out_null writes its format as text: the error goes in the column instead */
		nd_out_null(ND_JSON, "got", NULL);
		nd_out_str(ND_ANY, "error", " %10s", err == -EPERM ? "EPERM" : strerror(-err));
	} else {
		nd_out_int(ND_ANY, "got", " %10d", got);
	}
	if (p.err)
		nd_out_null(ND_JSON, "predicted", NULL);
	else
		nd_out_s64(ND_JSON, "predicted", NULL, p.value);
	nd_out_str(ND_JSON, "rule", NULL, sb_rule_key(p.rule));
	nd_out_str(ND_ANY, "rule_text", "  %s", sb_rule_name(p.rule, o));
	bool match = p.err ? err == p.err : (!err && got == p.value);
	nd_out_bool(ND_JSON, "match", NULL, match);
	nd_out_text("%s\n", match ? "" : "  (the model predicted otherwise)");
	nd_out_close_object();
}

/* --sizes auto: no setsockopt at all, so the buffer keeps the default its sysctl gave it. */
#define SIZE_AUTO (-1)

static void auto_row(const struct sock_type *t, const struct settings *s, bool snd)
{
	const char *from = snd ? t->snd_from : t->rcv_from;
	int64_t want = setting(s, from);
	int fd = new_socket(t), got = -1;
	char rule[64];

	nd_sock_getbuf(fd, snd ? &got : NULL, snd ? NULL : &got);
	close(fd);
	nd_out_open_object(NULL);
	nd_out_null(ND_JSON, "requested", NULL);
	nd_out_str(ND_TEXT, NULL, "%-11s", snd ? "auto" : "");
	nd_out_str(ND_ANY, "option", " %-15s", snd ? "SO_SNDBUF" : "SO_RCVBUF");
	nd_out_int(ND_ANY, "got", " %10d", got);
	nd_out_s64(ND_JSON, "predicted", NULL, want);
	nd_out_str(ND_JSON, "rule", NULL, "default");
	snprintf(rule, sizeof(rule), "not set: the default, %s", from);
	nd_out_str(ND_ANY, "rule_text", "  %s", rule);
	nd_out_bool(ND_JSON, "match", NULL, got == want);
	nd_out_text("%s\n", got == want ? "" : "  (differs from the sysctl)");
	nd_out_close_object();
}

int sb_info_main(int argc, char **argv)
{
	static const struct option lopts[] = {
		{ "type", required_argument, NULL, 't' },
		{ "sizes", required_argument, NULL, 's' },
		ND_CLI_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	static int sizes[32] = { 1,      1024,    2048,    4096,     16384,   65536,
				 262144, 1 << 20, 4 << 20, 16 << 20, 64 << 20 };
	int nsizes = 11, opt;
	const struct sock_type *lt = &types[0];
	struct sb_opts co = { .take = 0 }; /* none of the common ones */
	struct nd_cli cli;
	struct settings s;
	struct sb_limits lim;

	nd_cli_init(&cli, "sockbuf", usage);
	while ((opt = sb_next_opt(argc, argv, ":t:s:" ND_CLI_SHORT_OPTIONS, lopts, &cli, &co)) !=
	       -1) {
		switch (opt) {
		case 't':
			lt = NULL;
			for (size_t i = 0; i < ND_ARRAY_SIZE(types); i++)
				if (strcmp(optarg, types[i].name) == 0)
					lt = &types[i];
			if (!lt)
				nd_usage_error(
					"bad socket type for --type: '%s': expected tcp, udp, unix or unix-dgram",
					optarg);
			break;
		case 's':
			nsizes = sb_parse_size_list("--sizes", optarg, sizes, 32, SIZE_AUTO);
			break;
		}
	}
	sb_opts_done(&(struct sb_opts){ 0 }, argc, argv, cli.json);

	nd_out_init(stdout, cli.json);
	nd_out_open_object(NULL);
	memset(&s, 0, sizeof(s));
	/* settings first: the created rows compare against them */
	for (size_t i = 0; i < NSYSCTL; i++)
		s.n[i] = nd_sysctl_read(sysctls[i], s.v[i], 3);
	print_created(&s);
	print_settings(&s);

	lim.wmem_max = setting(&s, "net.core.wmem_max");
	lim.rmem_max = setting(&s, "net.core.rmem_max");
	lim.min_sndbuf = probe_min(lt, SO_SNDBUF);
	lim.min_rcvbuf = probe_min(lt, SO_RCVBUF);
	lim.cap_net_admin = nd_priv_cap_effective(CAP_NET_ADMIN);
	nd_out_open_object("limits");
	nd_out_str(ND_ANY, "type", "\nset versus get on a new %s socket", lt->name);
	nd_out_s64(ND_ANY, "min_sndbuf", " (SOCK_MIN_SNDBUF %" PRId64, lim.min_sndbuf);
	nd_out_s64(ND_ANY, "min_rcvbuf", ", SOCK_MIN_RCVBUF %" PRId64, lim.min_rcvbuf);
	nd_out_bool(ND_ANY, "cap_net_admin", ", CAP_NET_ADMIN %s)\n", lim.cap_net_admin);
	nd_out_close_object();
	nd_out_text("%-11s %-15s %10s  %s\n", "requested", "option", "got", "rule");
	nd_out_open_array("ladder");
	for (int i = 0; i < nsizes; i++) {
		if (sizes[i] == SIZE_AUTO) {
			auto_row(lt, &s, true);
			auto_row(lt, &s, false);
			continue;
		}
		for (int o = 0; o < SB_NOPTS; o++)
			ladder_row(lt, &lim, sizes[i], (enum sb_opt)o);
	}
	nd_out_close_array();
	nd_out_close_object();
	nd_out_finish();
	return ND_EXIT_OK;
}
