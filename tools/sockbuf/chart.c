// SPDX-License-Identifier: MIT
/* Bar chart cells in Unicode eighths or ASCII, without I/O. */
#include "chart.h"

#include <math.h>
#include <string.h>

int sb_chart_bar(char *buf, size_t len, double value, double max, int width, bool ascii)
{
	/* U+2588 full block, then U+2589 (7/8) .. U+258F (1/8) */
	static const char *const part[8] = { "",       "\u258f", "\u258e", "\u258d",
					     "\u258c", "\u258b", "\u258a", "\u2589" };
	long eighths, full, rest;
	size_t n = 0;

	if (width < 0 || len < (size_t)width * 3 + 1)
		return -1;
	buf[0] = '\0';
	if (!(max > 0) || !(value > 0) || !isfinite(value))
		return 0;
	if (value > max)
		value = max;
	if (ascii) {
		full = lround(value / max * width);
		if (full == 0)
			full = 1;
		memset(buf, '#', (size_t)full);
		buf[full] = '\0';
		return (int)full;
	}
	eighths = lround(value / max * width * 8);
	if (eighths == 0)
		eighths = 1;
	full = eighths / 8;
	rest = eighths % 8;
	for (long i = 0; i < full; i++) {
		memcpy(buf + n, "\u2588", 3);
		n += 3;
	}
	memcpy(buf + n, part[rest], strlen(part[rest]));
	n += strlen(part[rest]);
	buf[n] = '\0';
	return (int)(full + (rest ? 1 : 0));
}
