/* SPDX-License-Identifier: MIT */
#ifndef SOCKBUF_CHART_H
#define SOCKBUF_CHART_H

#include <stdbool.h>
#include <stddef.h>

/*
 * sb_chart_bar - a horizontal bar of @value on a scale where @max fills @width cells, into @buf
 * (NUL-terminated).  Unicode: full blocks U+2588 and a last partial cell in eighths
 * (U+2589..U+258F), so a bar is exact to 1/8 cell; @ascii: '#' per whole cell, rounded.
 * A value above zero always shows at least the smallest mark.  Returns the number of cells the
 * bar covers, or -1 when @buf is too small (needs 3 * @width + 1 bytes).
 */
int sb_chart_bar(char *buf, size_t len, double value, double max, int width, bool ascii);

#endif
