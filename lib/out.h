/* SPDX-License-Identifier: MIT */
#ifndef ND_OUT_H
#define ND_OUT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/*
 * The one output writer.  A tool describes each field once, naming both its JSON key and its
 * text format; in text mode the format is printed, in JSON mode the key and value are.  So the
 * two outputs come from the same calls and cannot drift apart (iproute2's print_*(PRINT_ANY)).
 *
 * Which output a call speaks to:
 *   ND_ANY   both: text through fmt, JSON through key
 *   ND_JSON  JSON only (fmt ignored)
 *   ND_TEXT  text only (key ignored)
 *
 * Inside a JSON array, key is NULL.  A NULL fmt prints nothing in text mode.
 * fmt holds exactly one conversion matching the value (%s, %PRIu64, %d, %.3f, ...).
 *
 * The writer is streaming: nothing is kept but the nesting stack.  Several top-level values may
 * be written one after another (JSON lines); each ends with a newline.  Containers left open when
 * the process exits, or when nd_out_finish() is called on an error path, are closed, so stdout
 * always holds valid JSON.
 */
enum nd_pr { ND_ANY, ND_JSON, ND_TEXT };

#define ND_OUT_MAX_DEPTH 32

/*
 * nd_out_init - choose text or JSON output to @f (normally stdout), fully buffered.  Only the
 * calling thread may write to @f afterwards: stdio's per-call locking is turned off for it.
 */
void nd_out_init(FILE *f, bool json);

/* nd_out_json - true when JSON output was chosen. */
bool nd_out_json(void);

/* nd_out_stream - the FILE the writer prints to. */
FILE *nd_out_stream(void);

/*
 * nd_out_open_object / nd_out_open_array - in JSON, begin an object or array: the member @key of
 * the object around it, or a value of the array around it (@key NULL), or a whole document at
 * the top (one line of its own).  Nothing in text mode.  Nesting is at most ND_OUT_MAX_DEPTH.
 * nd_out_close_object / nd_out_close_array - end the innermost one (nothing when none is open);
 * closing a top-level document ends its line.
 */
void nd_out_open_object(const char *key);
void nd_out_close_object(void);
void nd_out_open_array(const char *key);
void nd_out_close_array(void);

/*
 * The value calls below write one field: in JSON the member @key (NULL inside an array) with
 * the value, in text @fmt (one conversion of the value's type; NULL: nothing), as @pr allows.
 */

/* nd_out_str - the string @v, escaped in JSON; a NULL @v is null in JSON and "-" in text. */
void nd_out_str(enum nd_pr pr, const char *key, const char *fmt, const char *v);
/*
 * nd_out_strn - the @len bytes at @v, which may hold any byte (a NUL, bytes that are not
 * UTF-8): escaped whole in JSON; in text up to the first NUL.
 */
void nd_out_strn(enum nd_pr pr, const char *key, const char *fmt, const char *v, size_t len);
/* nd_out_u64 / s64 / uint / int - an integer, written exactly in JSON (no quotes). */
void nd_out_u64(enum nd_pr pr, const char *key, const char *fmt, uint64_t v);
void nd_out_s64(enum nd_pr pr, const char *key, const char *fmt, int64_t v);
void nd_out_uint(enum nd_pr pr, const char *key, const char *fmt, unsigned int v);
void nd_out_int(enum nd_pr pr, const char *key, const char *fmt, int v);
/* nd_out_double - a real number: @prec decimals in JSON; non-finite values become null. */
void nd_out_double(enum nd_pr pr, const char *key, const char *fmt, double v, int prec);
/*
 * nd_out_fixed - the fixed-point number @v / 10^@decimals (at most 18): in JSON written exactly
 * and without printf (1796163766539181, 6 -> 1796163766.539181); in text @fmt takes a double.
 */
void nd_out_fixed(enum nd_pr pr, const char *key, const char *fmt, int64_t v,
		  unsigned int decimals);
/* nd_out_bool - true or false in JSON; "true" or "false" through @fmt (a %s) in text. */
void nd_out_bool(enum nd_pr pr, const char *key, const char *fmt, bool v);
/* nd_out_null - null in JSON; in text @fmt itself, printed as it is (no conversion). */
void nd_out_null(enum nd_pr pr, const char *key, const char *fmt);

/* nd_out_text - printf to the text output; nothing in JSON mode. */
void nd_out_text(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* nd_out_textn - @len bytes of @s, as they are, to the text output; nothing in JSON mode. */
void nd_out_textn(const char *s, size_t len);

/*
 * A text line built piece by piece (columns, numbers, padding), then written with
 * nd_line_write().  The first ND_LINE_SMALL bytes live in the struct; a longer line moves to the
 * heap and grows, so nothing is cut (should memory run out, the line is cut and the writer's
 * error is ENOMEM, which the tool reports at exit).  nd_line_init() first, nd_line_free() last.
 */
#define ND_LINE_SMALL 1024

struct nd_line {
	char *b;    /* small, or the heap */
	size_t n;   /* bytes in the line */
	size_t cap; /* room at b */
	char small[ND_LINE_SMALL];
};

/* nd_line_init - @l empty. */
void nd_line_init(struct nd_line *l);

/* nd_line_free - give back the heap a long line took; @l is empty (and usable) after. */
void nd_line_free(struct nd_line *l);

/* nd_line_grow - room for @more bytes past l->n; false when memory ran out (nd_line_put's). */
bool nd_line_grow(struct nd_line *l, size_t more);

/* nd_line_put - append the @len bytes at @s. */
static inline void nd_line_put(struct nd_line *l, const char *s, size_t len)
{
	if (len > l->cap - l->n && !nd_line_grow(l, len))
		len = l->cap - l->n;
	memcpy(l->b + l->n, s, len);
	l->n += len;
}

/* nd_line_str - append the string @s. */
static inline void nd_line_str(struct nd_line *l, const char *s)
{
	nd_line_put(l, s, strlen(s));
}

/* nd_line_u64 - append @v in decimal. */
void nd_line_u64(struct nd_line *l, uint64_t v);

/* nd_line_pad_to - append spaces until the line is @col bytes long (nothing when it is). */
void nd_line_pad_to(struct nd_line *l, size_t col);

/* nd_line_trim - drop the spaces at the end of the line. */
void nd_line_trim(struct nd_line *l);

/* nd_line_write - the line to the text output (nothing in JSON mode); @l is empty after. */
void nd_line_write(struct nd_line *l);

/* nd_out_flush - flush the stream (a line of live output that must be seen now). */
void nd_out_flush(void);

/*
 * nd_out_finish - close every open JSON container, end the line and flush.  Safe to call more
 * than once; called at exit as well.
 */
void nd_out_finish(void);

/*
 * nd_out_error - the tool is about to exit with @code after @msg: when JSON was asked for
 * (nd_out_init's @json, or nd_out_want_json() before it) and no document is open, write
 * {"error": @msg, "exit": @code} on a line of its own: the whole output when nothing came
 * before, the last line after JSON lines (--watch, miniping's events).  A document already
 * begun is left to nd_out_finish() to close.  nd_die() calls it.
 */
void nd_out_error(const char *msg, int code);

/* nd_out_want_json - JSON was asked for, known before nd_out_init() (see nd_cli_json_asked). */
void nd_out_want_json(bool json);

/*
 * nd_out_write_error - flush, then 0 when all output reached the kernel, else the errno of the
 * first write that failed (EIO when stdio did not keep it).  lib/cli checks it at exit.
 */
int nd_out_write_error(void);

/*
 * nd_json_escape - write @s (@len bytes) to @f as a JSON string with its quotes.  Quotes,
 * backslashes and control bytes are escaped; valid UTF-8 passes through; every byte that is not
 * part of valid UTF-8 is written as \u00XX (its Latin-1 reading), so the result is always valid.
 */
void nd_json_escape(FILE *f, const char *s, size_t len);

#endif
