/* SPDX-License-Identifier: MIT */
#ifndef ND_ERRBUF_H
#define ND_ERRBUF_H

#include <stddef.h>

/*
 * The error convention of the pure parsers (filter, ping's options): the message goes into a
 * buffer of the caller's, the return value says what went wrong, and nothing is printed.
 */

/*
 * nd_errf - write the message @fmt into @err (@len bytes, cut to fit; nothing when @err is NULL
 * or @len is 0) and return @ret, so that "return nd_errf(err, len, -EINVAL, ...)" is one line.
 */
__attribute__((format(printf, 4, 5))) int nd_errf(char *err, size_t len, int ret, const char *fmt,
						  ...);

#endif
