/* SPDX-License-Identifier: MIT */
#ifndef ND_CLI_H
#define ND_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdnoreturn.h>

/*
 * Options every tool shares (--help, --version, --json) and the error conventions every tool
 * follows: one line "tool: what failed: why" on stderr; exit 0 ok, 1 a negative result, 2 usage
 * or system error.  Errors close any open JSON document first, so stdout stays valid JSON.
 */
enum { ND_EXIT_OK = 0, ND_EXIT_NEGATIVE = 1, ND_EXIT_ERROR = 2 };

#ifndef ND_VERSION
#define ND_VERSION "0.1.0"
#endif

/* Long-option codes of the shared options, out of the range of short options. */
enum { ND_OPT_HELP = 0x1000, ND_OPT_VERSION, ND_OPT_JSON, ND_OPT_TOOL_BASE = 0x1100 };

/* Put this in a tool's struct option table, before its terminating zero entry. */
/* -h and -V, help and version in every tool (as ss, ip): for the tool's getopt optstring. */
#define ND_CLI_SHORT_OPTIONS "hV"

/* as written: clang-format takes a macro of table rows for one braced expression */
/* clang-format off */
#define ND_CLI_LONG_OPTIONS                                      \
	{ "help", no_argument, NULL, ND_OPT_HELP },              \
	{ "version", no_argument, NULL, ND_OPT_VERSION },        \
	{ "json", no_argument, NULL, ND_OPT_JSON }
/* clang-format on */

struct nd_cli {
	const char *prog;  /* name used in messages */
	const char *usage; /* full --help text */
	bool json;         /* --json was given */
};

/*
 * nd_cli_init - set up @cli for option parsing and keep a copy of @prog for messages.  @cli is
 * read only by nd_cli_common(), so it may live in a parse_options() frame that has returned
 * before nd_die() runs; @usage must outlive the parsing.  Call it before anything else: it opens
 * whichever of fds 0-2 is closed (so no socket becomes stdout), and registers the exit check
 * that turns a failed write to stdout into one line "prog: write error: why" and exit 2.
 */
void nd_cli_init(struct nd_cli *cli, const char *prog, const char *usage);

/* What a shared option asks for (nd_cli_classify). */
enum nd_cli_ask {
	ND_CLI_NONE,    /* not a shared option: the tool's own */
	ND_CLI_HELP,    /* -h, --help */
	ND_CLI_VERSION, /* -V, --version */
	ND_CLI_JSON,    /* --json */
	ND_CLI_BAD,     /* getopt's '?' or ':': an unknown option, or one missing its argument */
};

/*
 * nd_cli_classify - what the getopt_long result @opt asks for, without printing or exiting: the
 * one place that knows the shared options and words the usage error.  For ND_CLI_BAD the line
 * naming the option ("unknown option -z (try --help)", "option -c needs an argument") is written
 * into @err (@errlen bytes), without the program's name.  Call it right after getopt_long, with
 * the @argv given to it, so that optind and optopt still describe @opt.  A pure parser (ping's)
 * calls it; a tool that may exit calls nd_cli_common().
 */
enum nd_cli_ask nd_cli_classify(int opt, char *const argv[], char *err, size_t errlen);

/*
 * nd_cli_common - handle a shared option (or getopt's '?' / ':'); returns true when @opt was
 * one.  --help prints the usage and exits 0, --version exits 0, an unknown or incomplete
 * option exits 2 with nd_cli_classify()'s line.  Give getopt_long an optstring that starts with
 * ':' so that a missing argument comes back as ':'; @argv is the one given to getopt_long.
 */
bool nd_cli_common(struct nd_cli *cli, int opt, char *const argv[]);

/* nd_cli_help - the usage text of @cli on stdout, then exit 0 (-h, --help). */
noreturn void nd_cli_help(const struct nd_cli *cli);

/* nd_cli_version - "prog (netdiag) VERSION" on stdout, then exit 0 (-V, --version). */
noreturn void nd_cli_version(const struct nd_cli *cli);

/* nd_cli_prog - the program name set by nd_cli_init(). */
const char *nd_cli_prog(void);

/* nd_err - print "prog: message" on stderr (no exit). */
void nd_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * nd_die - print "prog: message" on stderr and exit with @code; with --json, stdout then holds
 * {"error": "message", "exit": code} when no JSON was written yet, else the document, closed.
 */
noreturn void nd_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * nd_cli_json_asked - note whether --json is among @argv (before any "--"), so that an error
 * found before the options are all parsed still leaves a JSON document on stdout (nd_die).
 * Each tool calls it first thing in main().
 */
void nd_cli_json_asked(int argc, char *const argv[]);

/* nd_usage_error - nd_die(ND_EXIT_ERROR, ...) for bad input. */
noreturn void nd_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * nd_parse_u64 - parse all of @s as a decimal (or 0x hex) integer in [@min, @max].
 * Returns 0, -EINVAL for text that is not a number, -ERANGE outside the bounds.
 */
int nd_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);
int nd_parse_int(const char *s, long min, long max, long *out);

/*
 * nd_parse_seconds - parse all of @s as a non-negative decimal number of seconds ("0.2", "5")
 * no larger than @max.  Returns 0, -EINVAL or -ERANGE.
 */
int nd_parse_seconds(const char *s, double max, double *out);

#endif
