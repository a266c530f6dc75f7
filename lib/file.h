/* SPDX-License-Identifier: MIT */
#ifndef ND_FILE_H
#define ND_FILE_H

#include <stddef.h>

/*
 * nd_file_read - the contents of the file at @path, at most @max bytes of it, in a new buffer
 * (free it) with their length in *@len.  For configuration files read once (/etc/services,
 * iproute2's group file).  Returns NULL when the file cannot be opened (errno says why); when
 * memory runs out part way, what was read so far.
 */
char *nd_file_read(const char *path, size_t max, size_t *len);

#endif
