// SPDX-License-Identifier: MIT
/* sockbuf: what the kernel's socket buffers are, and what a write really does. */
#include <stdio.h>
#include <string.h>

#include "array.h"
#include "cli.h"
#include "sockbuf.h"

static const char usage[] =
	"Usage: sockbuf [SUBCOMMAND] [OPTIONS]\n"
	"Make socket send and receive buffers visible: their sizes and who decides them, what a\n"
	"write() does when they fill, how they bound throughput, and UDP drops when they overflow.\n"
	"\n"
	"Subcommands (each takes --help and --json; `sockbuf --json SUB` works too):\n"
	"  info     buffer sizes as created, the /proc/sys settings, set versus get (default)\n"
	"  fill     a TCP connection whose reader does not read: where the written bytes sit\n"
	"  sweep    TCP throughput for a ladder of SO_SNDBUF/SO_RCVBUF sizes and autotuning\n"
	"  udp      a UDP sender faster than its receiver: drops per SO_RCVBUF size\n"
	"  serve    the peer for fill, sweep and udp across two hosts\n"
	"\n"
	"  --version  print the version\n";

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
} cmds[] = {
	{ "info", sb_info_main }, { "fill", sb_fill_main },   { "sweep", sb_sweep_main },
	{ "udp", sb_udp_main },   { "serve", sb_serve_main },
};

/*
 * `sockbuf --json fill ...` means `sockbuf fill --json ...`, as `ip -j addr` does: a leading
 * --json is moved behind the subcommand, whose own parser takes it.
 */
static char **json_behind(int argc, char **argv)
{
	static char *moved[256];

	if (argc < 3 || argc >= (int)ND_ARRAY_SIZE(moved) || strcmp(argv[1], "--json") != 0 ||
	    argv[2][0] == '-')
		return argv;
	moved[0] = argv[0];
	moved[1] = argv[2];
	moved[2] = argv[1];
	for (int i = 3; i <= argc; i++)
		moved[i] = argv[i];
	return moved;
}

int main(int argc, char **argv)
{
	struct nd_cli cli;

	nd_cli_init(&cli, "sockbuf", usage);
	nd_cli_json_asked(argc, argv);
	argv = json_behind(argc, argv);
	if (argc < 2 || argv[1][0] == '-') {
		if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0))
			nd_cli_help(&cli);
		if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0))
			nd_cli_version(&cli);
		return sb_info_main(argc, argv); /* info is the default */
	}
	for (size_t i = 0; i < ND_ARRAY_SIZE(cmds); i++)
		if (strcmp(argv[1], cmds[i].name) == 0)
			return cmds[i].run(argc - 1, argv + 1);
	nd_usage_error("unknown subcommand '%s' (try --help)", argv[1]);
}
