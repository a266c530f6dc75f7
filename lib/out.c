// SPDX-License-Identifier: MIT
/* The one output writer: aligned text and streaming JSON from the same calls. */
#define _GNU_SOURCE /* the _unlocked stdio calls: one thread writes, see nd_out_init() */
#include "out.h"
#include "units.h"

#include <inttypes.h>

#include <errno.h>
#include <math.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>

/* Formats come from the tool's field descriptions, one conversion each (see out.h). */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

static struct {
	FILE *f;
	bool json;
	bool want_json; /* asked for before nd_out_init(): an error may come first */
	bool wrote;     /* some JSON was written: a document has begun */
	bool registered;
	int err; /* errno of the first failed flush, 0 while none failed */
	int depth;
	/* per level: whether something was written at that level (a comma is needed) */
	bool comma[ND_OUT_MAX_DEPTH];
	char close[ND_OUT_MAX_DEPTH];
} W = { .f = NULL };

static FILE *out(void)
{
	return W.f ? W.f : stdout;
}

static void at_exit(void)
{
	nd_out_finish();
}

void nd_out_init(FILE *f, bool json)
{
	W.f = f;
	W.json = json;
	W.depth = 0;
	W.comma[0] = false;
	/*
	 * Fully buffered in 64 KiB: a tool writes many small pieces.  glibc ignores the size
	 * unless it is given the buffer too (it takes st_blksize, 4 KiB: 294 writes for ifinfo -a
	 * on 2,000 links), so stdout gets one of its own, while it has no buffer yet.
	 */
	if (__fbufsize(f) == 0) {
		static char stdout_buf[1 << 16];

		setvbuf(f, f == stdout ? stdout_buf : NULL, _IOFBF, sizeof(stdout_buf));
	}
	/*
	 * Only the thread that called this writes to @f, so stdio need not lock it on each of the
	 * many small writes (the lock was 8% of ifinfo --json on 2,000 links).
	 */
	__fsetlocking(f, FSETLOCKING_BYCALLER);
	if (!W.registered) {
		atexit(at_exit);
		W.registered = true;
	}
}

bool nd_out_json(void)
{
	return W.json;
}

FILE *nd_out_stream(void)
{
	return out();
}

static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2, cp = c & 0x1f;
	else if (c >= 0xe0 && c <= 0xef)
		len = 3, cp = c & 0x0f;
	else if (c >= 0xf0 && c <= 0xf4)
		len = 4, cp = c & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* reject overlong forms, surrogates and values past U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

void nd_json_escape(FILE *f, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	putc_unlocked('"', f);
	while (i < len) {
		unsigned char c = s[i];
		size_t n;

		/* a run of plain printable ASCII goes out in one write (keys, names, numbers) */
		for (n = i; n < len && s[n] >= 0x20 && s[n] < 0x7f && s[n] != '"' && s[n] != '\\';
		     n++)
			;
		if (n > i) {
			fwrite_unlocked(s + i, 1, n - i, f);
			i = n;
			continue;
		}
		/* clang-format off */
		switch (c) {
		case '"': fputs_unlocked("\\\"", f); i++; continue;
		case '\\': fputs_unlocked("\\\\", f); i++; continue;
		case '\n': fputs_unlocked("\\n", f); i++; continue;
		case '\r': fputs_unlocked("\\r", f); i++; continue;
		case '\t': fputs_unlocked("\\t", f); i++; continue;
		case '\b': fputs_unlocked("\\b", f); i++; continue;
		case '\f': fputs_unlocked("\\f", f); i++; continue;
		}
		/* clang-format on */
		if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
			i++;
			continue;
		}
		n = utf8_len(s + i, len - i);
		if (n == 0) {
			fprintf(f, "\\u%04x", c);
			i++;
			continue;
		}
		fwrite_unlocked(s + i, 1, n, f);
		i += n;
	}
	putc_unlocked('"', f);
}

/* Write the separator and key that come before a JSON value at the current level. */
static void json_prefix(const char *key)
{
	FILE *f = out();

	W.wrote = true;
	if (W.comma[W.depth])
		putc_unlocked(',', f);
	W.comma[W.depth] = true;
	if (key && W.depth > 0) {
		nd_json_escape(f, key, strlen(key));
		putc_unlocked(':', f);
	}
}

/* After a value at level 0 (a whole document) ends the line: JSON lines. */
static void json_suffix(void)
{
	if (W.depth == 0) {
		putc_unlocked('\n', out());
		W.comma[0] = false;
	}
}

static bool to_json(enum nd_pr pr)
{
	return W.json && pr != ND_TEXT;
}

static bool to_text(enum nd_pr pr, const char *fmt)
{
	return !W.json && pr != ND_JSON && fmt;
}

static void open_container(const char *key, char open, char close)
{
	if (!W.json)
		return;
	if (W.depth + 1 >= ND_OUT_MAX_DEPTH)
		abort(); /* a programming error: nesting is fixed by the tool's code */
	json_prefix(key);
	putc_unlocked(open, out());
	W.depth++;
	W.comma[W.depth] = false;
	W.close[W.depth] = close;
}

static void close_container(void)
{
	if (!W.json || W.depth == 0)
		return;
	putc_unlocked(W.close[W.depth], out());
	W.depth--;
	json_suffix();
}

void nd_out_open_object(const char *key)
{
	open_container(key, '{', '}');
}

void nd_out_close_object(void)
{
	close_container();
}

void nd_out_open_array(const char *key)
{
	open_container(key, '[', ']');
}

void nd_out_close_array(void)
{
	close_container();
}

void nd_out_strn(enum nd_pr pr, const char *key, const char *fmt, const char *v, size_t len)
{
	if (to_json(pr)) {
		json_prefix(key);
		nd_json_escape(out(), v, len);
		json_suffix();
	} else if (to_text(pr, fmt)) {
		/* text: the bytes as they are, up to a NUL */
		char buf[256];
		char *p = len < sizeof(buf) ? buf : malloc(len + 1);

		if (!p)
			return;
		memcpy(p, v, len);
		p[len] = '\0';
		fprintf(out(), fmt, p);
		if (p != buf)
			free(p);
	}
}

void nd_out_str(enum nd_pr pr, const char *key, const char *fmt, const char *v)
{
	if (!v) {
		/* no value: null in JSON, a dash in the text column */
		if (to_json(pr))
			nd_out_null(pr, key, NULL);
		else if (to_text(pr, fmt))
			fprintf(out(), fmt, "-");
		return;
	}
	if (to_json(pr)) {
		json_prefix(key);
		nd_json_escape(out(), v, strlen(v));
		json_suffix();
	} else if (to_text(pr, fmt)) {
		fprintf(out(), fmt, v);
	}
}

/* Integers in JSON without printf: it was a third of the time of a large --json document. */
static void json_u64(uint64_t v)
{
	char b[ND_U64_DIGITS];

	fwrite_unlocked(b, 1, nd_fmt_u64(b, v), out());
}

static void json_s64(int64_t v)
{
	if (v < 0) {
		putc_unlocked('-', out());
		json_u64(-(uint64_t)v);
	} else {
		json_u64((uint64_t)v);
	}
}

#define NUMBER_WRITER(name, type, jwrite)                                  \
	void name(enum nd_pr pr, const char *key, const char *fmt, type v) \
	{                                                                  \
		if (to_json(pr)) {                                         \
			json_prefix(key);                                  \
			jwrite(v);                                         \
			json_suffix();                                     \
		} else if (to_text(pr, fmt)) {                             \
			fprintf(out(), fmt, v);                            \
		}                                                          \
	}

NUMBER_WRITER(nd_out_u64, uint64_t, json_u64)
NUMBER_WRITER(nd_out_s64, int64_t, json_s64)
NUMBER_WRITER(nd_out_uint, unsigned int, json_u64)
NUMBER_WRITER(nd_out_int, int, json_s64)

/* A fixed-point number without printf: @v / 10^@decimals, every digit exact. */
static void json_fixed(int64_t v, unsigned int decimals)
{
	char b[ND_U64_DIGITS + 4], *p = b + sizeof(b);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	for (unsigned int i = 0; i < decimals; i++, u /= 10)
		*--p = (char)('0' + u % 10);
	if (decimals)
		*--p = '.';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	fwrite_unlocked(p, 1, (size_t)(b + sizeof(b) - p), out());
}

void nd_out_fixed(enum nd_pr pr, const char *key, const char *fmt, int64_t v, unsigned int decimals)
{
	if (decimals > 18)
		decimals = 18;
	if (to_json(pr)) {
		json_prefix(key);
		json_fixed(v, decimals);
		json_suffix();
	} else if (to_text(pr, fmt)) {
		double d = (double)v;

		for (unsigned int i = 0; i < decimals; i++)
			d /= 10;
		fprintf(out(), fmt, d);
	}
}

void nd_out_double(enum nd_pr pr, const char *key, const char *fmt, double v, int prec)
{
	if (to_json(pr)) {
		json_prefix(key);
		if (isfinite(v))
			fprintf(out(), "%.*f", prec, v);
		else
			fputs_unlocked("null", out());
		json_suffix();
	} else if (to_text(pr, fmt)) {
		fprintf(out(), fmt, v);
	}
}

void nd_out_bool(enum nd_pr pr, const char *key, const char *fmt, bool v)
{
	if (to_json(pr)) {
		json_prefix(key);
		fputs_unlocked(v ? "true" : "false", out());
		json_suffix();
	} else if (to_text(pr, fmt)) {
		fprintf(out(), fmt, v ? "true" : "false");
	}
}

void nd_out_null(enum nd_pr pr, const char *key, const char *fmt)
{
	if (to_json(pr)) {
		json_prefix(key);
		fputs_unlocked("null", out());
		json_suffix();
	} else if (to_text(pr, fmt)) {
		fputs_unlocked(fmt, out());
	}
}

void nd_out_text(const char *fmt, ...)
{
	va_list ap;

	if (W.json)
		return;
	va_start(ap, fmt);
	vfprintf(out(), fmt, ap);
	va_end(ap);
}

void nd_out_textn(const char *s, size_t len)
{
	if (!W.json)
		fwrite_unlocked(s, 1, len, out());
}

void nd_line_init(struct nd_line *l)
{
	l->b = l->small;
	l->n = 0;
	l->cap = sizeof(l->small);
}

void nd_line_free(struct nd_line *l)
{
	if (l->b != l->small)
		free(l->b);
	nd_line_init(l);
}

bool nd_line_grow(struct nd_line *l, size_t more)
{
	size_t cap = l->cap;
	char *b;

	while (cap - l->n < more) {
		if (cap > SIZE_MAX / 2)
			goto nomem;
		cap *= 2;
	}
	b = l->b == l->small ? malloc(cap) : realloc(l->b, cap);
	if (!b)
		goto nomem;
	if (l->b == l->small)
		memcpy(b, l->small, l->n);
	l->b = b;
	l->cap = cap;
	return true;
nomem:
	if (!W.err)
		W.err = ENOMEM;
	return false;
}

void nd_line_u64(struct nd_line *l, uint64_t v)
{
	char d[ND_U64_DIGITS];

	nd_line_put(l, d, nd_fmt_u64(d, v));
}

void nd_line_pad_to(struct nd_line *l, size_t col)
{
	size_t k = col > l->n ? col - l->n : 0;

	if (k > l->cap - l->n && !nd_line_grow(l, k))
		k = l->cap - l->n;
	memset(l->b + l->n, ' ', k);
	l->n += k;
}

void nd_line_trim(struct nd_line *l)
{
	while (l->n && l->b[l->n - 1] == ' ')
		l->n--;
}

void nd_line_write(struct nd_line *l)
{
	nd_out_textn(l->b, l->n);
	l->n = 0;
}

/* Flush, keeping the errno of the first failure: stdio keeps only that an error happened. */
static void flush(void)
{
	if (fflush(out()) == EOF && !W.err)
		W.err = errno ? errno : EIO;
}

void nd_out_flush(void)
{
	flush();
}

void nd_out_want_json(bool json)
{
	W.want_json = json;
}

void nd_out_error(const char *msg, int code)
{
	FILE *f = out();

	/* inside a document begun, no second one: nd_out_finish() closes it */
	if (!(W.json || W.want_json) || (W.wrote && W.depth > 0))
		return;
	fputs("{\"error\":", f);
	nd_json_escape(f, msg, strlen(msg));
	fprintf(f, ",\"exit\":%d}\n", code);
	W.wrote = true;
	flush();
}

void nd_out_finish(void)
{
	while (W.json && W.depth > 0)
		close_container();
	flush();
}

int nd_out_write_error(void)
{
	flush();
	if (W.err)
		return W.err;
	return ferror(out()) || (out() != stdout && ferror(stdout)) ? EIO : 0;
}
