// SPDX-License-Identifier: MIT
/* Shared options and the error/exit conventions. */
#include "cli.h"
#include "errbuf.h"
#include "out.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The name for messages is copied here: the struct nd_cli a tool passes in often lives in a
 * parse_options() frame that is gone by the time nd_die() runs, so nothing here points into it.
 */
static char prog_name[64];

/*
 * Output that did not reach stdout is an error (iputils' close_stdout): one line and exit 2.
 * A broken pipe stays quiet, as its reader left on purpose.  Runs from atexit, hence _exit.
 */
static void check_output(void)
{
	int err;

	nd_out_finish();
	if (fflush(stdout) == EOF && errno == EPIPE)
		return;
	err = nd_out_write_error();
	if (!err || err == EPIPE)
		return;
	nd_err("write error: %s", strerror(err));
	_exit(ND_EXIT_ERROR);
}

/*
 * A tool started with fd 0, 1 or 2 closed would get its first socket there, and print into
 * it (connstat wrote its table into its sock_diag socket).  Fill each gap as glibc does for
 * setuid programs: with a descriptor every use of which fails, so output is a write error.
 */
static void std_fds_open(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int nfd;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		nfd = fd == 0 ? open("/dev/full", O_WRONLY) : open("/dev/null", O_RDONLY);
		if (nfd < 0)
			_exit(ND_EXIT_ERROR);
		if (nfd != fd) {
			dup2(nfd, fd);
			close(nfd);
		}
	}
}

void nd_cli_init(struct nd_cli *cli, const char *prog, const char *usage)
{
	static bool registered;

	std_fds_open();
	cli->prog = prog;
	cli->usage = usage;
	cli->json = false;
	snprintf(prog_name, sizeof(prog_name), "%s", prog ? prog : "");
	opterr = 0; /* we print the one line ourselves */
	if (!registered) {
		atexit(check_output);
		registered = true;
	}
}

const char *nd_cli_prog(void)
{
	return prog_name[0] ? prog_name : "netdiag";
}

/* The whole line goes out in one write, so lines from several processes do not interleave. */
__attribute__((format(printf, 1, 0))) static void verr(const char *fmt, va_list ap)
{
	char line[1024];
	int n = snprintf(line, sizeof(line), "%s: ", nd_cli_prog());

	if (n < 0 || (size_t)n >= sizeof(line))
		n = 0;
	vsnprintf(line + n, sizeof(line) - (size_t)n, fmt, ap);
	fprintf(stderr, "%s\n", line);
}

void nd_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	verr(fmt, ap);
	va_end(ap);
}

/* The one way out on an error: the JSON error document when JSON was asked, the line, exit. */
__attribute__((format(printf, 2, 0))) static noreturn void vdie(int code, const char *fmt,
								va_list ap)
{
	char msg[1024];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	nd_out_error(msg, code);
	nd_out_finish();
	fprintf(stderr, "%s: %s\n", nd_cli_prog(), msg);
	exit(code);
}

noreturn void nd_die(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(code, fmt, ap);
}

noreturn void nd_usage_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vdie(ND_EXIT_ERROR, fmt, ap);
}

void nd_cli_json_asked(int argc, char *const argv[])
{
	for (int i = 1; i < argc && argv[i]; i++) {
		if (strcmp(argv[i], "--") == 0)
			return;
		if (strcmp(argv[i], "--json") == 0) {
			nd_out_want_json(true);
			return;
		}
	}
}

/* Whether the option getopt just refused was a long one (it stands whole in argv). */
static bool is_long(char *const argv[])
{
	return optind > 0 && strncmp(argv[optind - 1], "--", 2) == 0;
}

/* The length of "--name" in "--name=value". */
static int long_len(const char *arg)
{
	const char *eq = strchr(arg, '=');

	return eq ? (int)(eq - arg) : (int)strlen(arg);
}

void nd_cli_help(const struct nd_cli *cli)
{
	fputs(cli->usage, stdout);
	exit(ND_EXIT_OK);
}

void nd_cli_version(const struct nd_cli *cli)
{
	printf("%s (netdiag) %s\n", cli->prog, ND_VERSION);
	exit(ND_EXIT_OK);
}

enum nd_cli_ask nd_cli_classify(int opt, char *const argv[], char *err, size_t errlen)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";

	switch (opt) {
	case 'h': /* -h and -V: every tool puts ND_CLI_SHORT_OPTIONS in its optstring */
	case ND_OPT_HELP: return ND_CLI_HELP;
	case 'V':
	case ND_OPT_VERSION: return ND_CLI_VERSION;
	case ND_OPT_JSON: return ND_CLI_JSON;
	case ':':
		if (is_long(argv))
			nd_errf(err, errlen, 0, "option %.*s needs an argument", long_len(arg),
				arg);
		else
			nd_errf(err, errlen, 0, "option -%c needs an argument", optopt);
		return ND_CLI_BAD;
	case '?':
		/*
		 * getopt sets optopt to 0 for an unknown long option, and to the option's code for
		 * a known one given "=value" that takes none (never a character to print)
		 */
		if (is_long(argv) && optopt != 0)
			nd_errf(err, errlen, 0, "option %.*s takes no argument", long_len(arg),
				arg);
		else if (is_long(argv))
			nd_errf(err, errlen, 0, "unknown option %.*s (try --help)", long_len(arg),
				arg);
		else
			nd_errf(err, errlen, 0, "unknown option -%c (try --help)", optopt);
		return ND_CLI_BAD;
	default: return ND_CLI_NONE;
	}
}

bool nd_cli_common(struct nd_cli *cli, int opt, char *const argv[])
{
	char err[256];

	switch (nd_cli_classify(opt, argv, err, sizeof(err))) {
	case ND_CLI_HELP: nd_cli_help(cli);
	case ND_CLI_VERSION: nd_cli_version(cli);
	case ND_CLI_JSON: cli->json = true; return true;
	case ND_CLI_BAD: nd_usage_error("%s", err);
	case ND_CLI_NONE:
	default: return false;
	}
}

/*
 * A number must start at once: not empty, no leading space (strto* would skip it), none of
 * @more (strtoull would take "-1" as a huge number).
 */
static bool bad_start(const char *s, const char *more)
{
	return !s || !*s || *s == ' ' || strchr(more, *s);
}

/* After strto*: -EINVAL when text follows the number, -ERANGE when it is out of bounds. */
static int number_end(const char *end, bool out_of_bounds)
{
	if (*end)
		return -EINVAL;
	return errno == ERANGE || out_of_bounds ? -ERANGE : 0;
}

int nd_parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;
	int r;

	if (bad_start(s, "-+"))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	r = number_end(end, v < min || v > max);
	if (!r)
		*out = v;
	return r;
}

int nd_parse_int(const char *s, long min, long max, long *out)
{
	long v;
	char *end;
	int r;

	if (bad_start(s, ""))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 0);
	r = number_end(end, v < min || v > max);
	if (!r)
		*out = v;
	return r;
}

int nd_parse_seconds(const char *s, double max, double *out)
{
	double v;
	char *end;
	int r;

	if (bad_start(s, ""))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	r = isnan(v) ? -EINVAL : number_end(end, v < 0 || v > max);
	if (!r)
		*out = v;
	return r;
}
