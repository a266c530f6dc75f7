// SPDX-License-Identifier: MIT
/* -s: counts per netid and per state, from a dump that prints no socket. */
#include "connstat.h"

#include "out.h"

#include <inttypes.h>

void cs_summary_add(struct cs_summary *sum, const struct nd_sock *s)
{
	unsigned int state = s->state;

	/* a request socket is shown as SYN-RECV, as ss does */
	if (state == ND_SS_NEW_SYN_RECV)
		state = ND_SS_SYN_RECV;
	sum->total[s->netid]++;
	sum->states[s->netid][state]++;
}

static void print_netid(const struct cs_summary *sum, unsigned int id)
{
	bool first = true;

	nd_out_open_object(nd_netid_name(id));
	nd_out_u64(ND_ANY, "total", "%" PRIu64, sum->total[id]);
	nd_out_open_object("states");
	for (unsigned int st = 0; st < ND_SS_NEW_SYN_RECV; st++) {
		if (!sum->states[id][st])
			continue;
		nd_out_text(first ? " (" : ", ");
		nd_out_text("%s ", nd_sock_state_name(st));
		nd_out_u64(ND_ANY, nd_sock_state_name(st), "%" PRIu64, sum->states[id][st]);
		first = false;
	}
	nd_out_text(first ? "" : ")");
	nd_out_close_object();
	nd_out_close_object();
}

/* Whether -t/-u/-w/-x asked for the netid @id: the others are neither counted nor shown. */
static bool selected(const struct cs_opts *o, unsigned int id)
{
	switch (id) {
	case ND_TCP: return o->tcp;
	case ND_UDP: return o->udp;
	case ND_RAW: return o->raw;
	default: return o->unix_;
	}
}

void cs_summary_print(const struct cs_summary *sum, const struct cs_opts *o)
{
	uint64_t total = 0;

	for (unsigned int id = 0; id < ND_NETID_MAX; id++)
		total += sum->total[id];
	nd_out_open_object(NULL);
	nd_out_u64(ND_ANY, "total", "Total: %" PRIu64 " sockets\n", total);
	for (unsigned int id = 0; id < ND_NETID_MAX; id++) {
		if (!selected(o, id))
			continue;
		nd_out_text("%-6s ", nd_netid_name(id));
		print_netid(sum, id);
		nd_out_text("\n");
	}
	nd_out_close_object();
}
