// SPDX-License-Identifier: MIT
/* The options the sockbuf subcommands share, parsed in one place (see sockbuf.h). */
#include <getopt.h>

#include "cli.h"
#include "sockbuf.h"

bool sb_opt_common(struct sb_opts *o, int opt, const char *arg)
{
	switch (opt) {
	case 'c':
		if (!(o->take & SB_OPT_CONNECT))
			return false;
		o->tgt.connect = arg;
		return true;
	case 'w':
		if (!(o->take & SB_OPT_TIMEOUT))
			return false;
		o->tgt.timeout_ms =
			(int)(sb_parse_time_opt("--timeout", arg, o->timeout_max) * 1000);
		return true;
	case 'k':
		if (!(o->take & SB_OPT_CHUNK))
			return false;
		o->chunk = sb_parse_size_opt("--chunk", arg);
		return true;
	case SB_LOPT_CSV:
		if (!(o->take & SB_OPT_CSV))
			return false;
		o->csv = true;
		return true;
	}
	return false;
}

int sb_next_opt(int argc, char **argv, const char *optstring, const struct option *lopts,
		struct nd_cli *cli, struct sb_opts *o)
{
	int opt;

	while ((opt = getopt_long(argc, argv, optstring, lopts, NULL)) != -1)
		if (!nd_cli_common(cli, opt, argv) && !sb_opt_common(o, opt, optarg))
			return opt;
	return -1;
}

void sb_opts_done(const struct sb_opts *o, int argc, char **argv, bool json)
{
	if (optind < argc)
		nd_usage_error("unexpected argument '%s' (try --help)", argv[optind]);
	if ((o->take & SB_OPT_CHUNK) && (o->chunk < 1 || o->chunk > (64 << 20)))
		nd_usage_error("bad size for --chunk: must be 1 to 64Mi bytes");
	if (o->csv && json)
		nd_usage_error("--csv and --json exclude each other");
}
