// SPDX-License-Identifier: MIT
/* Whole files into memory. */
#include "file.h"

#include <stdio.h>
#include <stdlib.h>

char *nd_file_read(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf = NULL;
	size_t cap = 0, n;

	*len = 0;
	if (!f)
		return NULL;
	for (;;) {
		if (*len == cap) {
			size_t want = cap ? cap * 2 : 4096;
			char *t;

			if (cap >= max)
				break;
			if (want > max)
				want = max;
			t = realloc(buf, want);
			if (!t)
				break;
			buf = t;
			cap = want;
		}
		n = fread(buf + *len, 1, cap - *len, f);
		if (n == 0)
			break;
		*len += n;
	}
	fclose(f);
	return buf;
}
