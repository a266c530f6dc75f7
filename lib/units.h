/* SPDX-License-Identifier: MIT */
#ifndef ND_UNITS_H
#define ND_UNITS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The most digits a uint64_t takes in decimal. */
#define ND_U64_DIGITS 20

/*
 * nd_fmt_u64 - @v in decimal at @p (ND_U64_DIGITS bytes at most, no NUL); returns how many.
 * By hand, for the hot paths (JSON integers, ifconfig's counters, connstat's columns), where
 * printf's format parsing cost more than the digits.
 */
size_t nd_fmt_u64(char *p, uint64_t v);

/*
 * nd_human_bytes - @v in ifconfig's style: "0.0 B", "47.9 KiB", "18.1 MiB" (powers of 1024, one
 * decimal, truncated; a unit is used once the value is above it).  Writes into @buf, returns it.
 */
char *nd_human_bytes(uint64_t v, char *buf, size_t len);

/*
 * nd_human_size - a size as a person would write it in an option: "1 B", "64 KiB", "1 MiB",
 * "1.5 MiB" (powers of 1024, a unit once the value reaches it, a decimal only when not whole).
 * Suited to labels of chosen sizes; nd_human_bytes() is ifconfig's style for counters.
 */
char *nd_human_size(uint64_t v, char *buf, size_t len);

/*
 * nd_human_rate - a rate in units of 1000 with a suffix, for bits or bytes per second:
 * "0 B/s", "12.3 kB/s", "1.25 GB/s".  @unit is "B/s" or "bit/s".
 */
char *nd_human_rate(double v, const char *unit, char *buf, size_t len);

/*
 * nd_parse_size - parse a byte size: a number with an optional suffix k, M, G (powers of 1000)
 * or Ki, Mi, Gi (powers of 1024), and an optional trailing B ("64k", "4Mi", "1500", "2MiB").
 * Returns 0, -EINVAL for bad text ("12q", "", "-1"), -ERANGE when it does not fit @max.
 */
int nd_parse_size(const char *s, uint64_t max, uint64_t *out);

/* Timespec helpers. */
static inline int64_t nd_ts_ns(const struct timespec *t)
{
	return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static inline double nd_ts_diff_ms(const struct timespec *a, const struct timespec *b)
{
	return (double)(nd_ts_ns(a) - nd_ts_ns(b)) / 1e6;
}

/*
 * nd_now - CLOCK_MONOTONIC now, in nanoseconds.  Inline: ping's loop reads the clock a few times
 * per packet, and a call (with its stack-protector check) cost 17 instructions a packet there.
 */
static inline int64_t nd_now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return nd_ts_ns(&t);
}

#endif
