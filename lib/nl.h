/* SPDX-License-Identifier: MIT */
#ifndef ND_NL_H
#define ND_NL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <libmnl/libmnl.h>

#include "array.h"

/*
 * A netlink socket through libmnl, with the dump loop every tool needs: sequence and port id
 * checked, NLMSG_ERROR turned into a negative errno, NLM_F_DUMP_INTR handled by running the whole
 * dump again, and a receive buffer large enough that a dump of 100,000 sockets does not overrun.
 */
struct nd_nl;

/* Size of one receive: the kernel fills dump messages up to 32 KiB. */
#define ND_NL_RECV_SIZE 32768
/* Size of the request buffer: room for a sock_diag filter of 64 KiB (see ND_DIAG_BC_MAX). */
#define ND_NL_REQ_SIZE (65536 + 1024)
/* How often a dump interrupted by a concurrent change is started again. */
#define ND_NL_DUMP_RETRIES 8

/*
 * nd_nl_open - open and bind a netlink socket of @bus (NETLINK_ROUTE, NETLINK_SOCK_DIAG, ...).
 * Returns 0 and sets *@nl, or a negative errno.
 */
int nd_nl_open(struct nd_nl **nl, int bus);

/* nd_nl_close - close the socket and free @nl; NULL is allowed. */
void nd_nl_close(struct nd_nl *nl);

/* nd_nl_fd - the socket's file descriptor. */
int nd_nl_fd(const struct nd_nl *nl);

/*
 * nd_nl_request - start a new request message of @type with @flags (NLM_F_REQUEST is added) in
 * @nl's request buffer, with a fresh sequence number, and return its header so that the caller
 * can add a family header and attributes with mnl_nlmsg_put_extra_header() / mnl_attr_put_*().
 */
struct nlmsghdr *nd_nl_request(struct nd_nl *nl, uint16_t type, uint16_t flags);

/*
 * nd_nl_dump - send @req and run @cb on every message of the answer until NLMSG_DONE.
 * A callback returns MNL_CB_OK to go on, MNL_CB_STOP to end early, MNL_CB_ERROR (with errno
 * set) to fail.  When the kernel marks the dump NLM_F_DUMP_INTR (the table changed under it)
 * and @reset is not NULL, @reset(@data) is called to forget what was gathered and the whole dump
 * is run again, up to ND_NL_DUMP_RETRIES times; without @reset the dump is taken as it is (the
 * caller streams and cannot take back what it printed).
 * Returns 0 or a negative errno: -ENOBUFS when the kernel dropped messages, the kernel's error
 * for NLMSG_ERROR (-EPERM, -EOPNOTSUPP, ...), -EPROTO for a reply that is not ours, -EINTR when
 * the dump stayed interrupted past the retries (what the last pass gave the callback is kept, so
 * the caller may still show it, as ip does with a warning).
 */
int nd_nl_dump(struct nd_nl *nl, struct nlmsghdr *req, mnl_cb_t cb, void (*reset)(void *data),
	       void *data);

/* What nd_nl_run() saw, carried from one receive buffer to the next. */
struct nd_nl_state {
	int intr;    /* a message carried NLM_F_DUMP_INTR */
	int stopped; /* the callback returned MNL_CB_STOP: later messages are skipped */
	int done;    /* NLMSG_DONE or the final ack/error arrived */
};

/*
 * nd_nl_run - parse the messages in @buf (@len bytes), checking @seq and @portid, with @cb per
 * data message.  Split out of nd_nl_dump() so that canned bytes can be fed to it in tests.
 * Returns 0 (look at @st->done to know whether more is expected) or a negative errno: the
 * kernel's error from NLMSG_ERROR or DONE, -ENOBUFS on overrun, -EPROTO for a message that is
 * not ours, or the errno a callback set when it returned MNL_CB_ERROR.
 */
int nd_nl_run(const void *buf, size_t len, uint32_t seq, uint32_t portid, mnl_cb_t cb, void *data,
	      struct nd_nl_state *st);

/* nd_nl_strerror - a message for a negative errno from this module, netlink in mind. */
const char *nd_nl_strerror(int err);

/*
 * Attributes.  Every parser in lib/ reads a message's attributes through nd_attr_parse(),
 * with one policy for a malformed attribute and a table that says, per attribute type, what
 * the parser wants of it: a fixed-size field the walker copies itself, the parser's own code
 * (strings, nested attributes, structs to convert), or nothing (skipped, without a call).
 */

/* What a row of an attribute table does with its attribute (struct nd_attr_field.how). */
enum {
	ND_ATTR_SKIP,  /* not wanted: the table's holes */
	ND_ATTR_CODE,  /* passed to the policy's callback */
	ND_ATTR_U8,    /* a field of 1 byte: the payload holds at least 1 (the kernel's NLA_U8) */
	ND_ATTR_U32,   /* a field of 4 bytes from a payload of at least 4 (NLA_U32, NLA_S32) */
	ND_ATTR_EXACT, /* a field: the payload is exactly .size bytes (an address of its family) */
	ND_ATTR_UPTO,  /* a field: up to .size bytes, all that came (a struct grown over kernels) */
};

/*
 * One row of an attribute table, indexed by attribute type.  For the field kinds, a payload
 * that does not fit .how counts as absent: nothing copied, no bit set.
 */
struct nd_attr_field {
	uint8_t how;     /* ND_ATTR_* */
	uint8_t size;    /* bytes the field takes from the payload */
	uint16_t offset; /* of the field in the parsed struct */
	uint32_t bit;    /* or'ed into the parser's has-mask when the field is taken; 0: none */
};

/* Fails to compile unless @cond holds; 0 otherwise (for the rows' constant expressions). */
#define ND_ATTR_CHECK(cond) (0 * sizeof(char[(cond) ? 1 : -1]))

/*
 * ND_ATTR_FIELD - the row for attribute @type: @size bytes of @field of struct type @st, taken
 * as @how says, setting @bit.  A @size larger than the field (or than 255), a U8 or U32 row
 * on a field of another size, or a field past the first 64 KiB of its struct do not compile.
 */
/* clang-format off */
#define ND_ATTR_FIELD(type, st, field, size_, how_, bit_)                                    \
	[type] = { .how = (how_),                                                             \
		   .size = (size_) + ND_ATTR_CHECK((size_) <= sizeof(((st *)0)->field) &&      \
						   (size_) <= UINT8_MAX &&                        \
						   ((how_) != ND_ATTR_U8 ||                        \
						    sizeof(((st *)0)->field) == 1) &&             \
						   ((how_) != ND_ATTR_U32 ||                       \
						    sizeof(((st *)0)->field) == 4)),              \
		   .offset = offsetof(st, field) + ND_ATTR_CHECK(offsetof(st, field) <= UINT16_MAX), \
		   .bit = (bit_) }
/* clang-format on */

/* ND_ATTR_U32_ROW, ND_ATTR_U8_ROW - ND_ATTR_FIELD() for the kernel's NLA_U32 / NLA_S32, NLA_U8. */
#define ND_ATTR_U32_ROW(type, st, field, bit) ND_ATTR_FIELD(type, st, field, 4, ND_ATTR_U32, bit)
#define ND_ATTR_U8_ROW(type, st, field, bit)  ND_ATTR_FIELD(type, st, field, 1, ND_ATTR_U8, bit)

/* ND_ATTR_CODE_ROW - the row for attribute @type that the policy's callback handles. */
#define ND_ATTR_CODE_ROW(type) [type] = { .how = ND_ATTR_CODE }

/*
 * nd_attr_fn - a policy's callback for its ND_ATTR_CODE attributes: @type with NLA_F_NESTED
 * and NLA_F_NET_BYTEORDER masked off, its payload @v of @n bytes (0 for an empty one), and the
 * parse's @data.  Returns 0 to go on, or a negative errno that ends the parse and is returned.
 */
typedef int (*nd_attr_fn)(unsigned int type, const void *v, size_t n, void *data);

/* What a parser wants of the attributes of one kind of message (or of one nest). */
struct nd_attr_policy {
	const struct nd_attr_field *rows; /* indexed by type; types past @nrows are skipped */
	size_t nrows;
	nd_attr_fn fn; /* for the ND_ATTR_CODE rows; NULL when there are none */
};

/* ND_ATTR_POLICY - a policy of the table @rows (an array) and the callback @fn. */
/* clang-format off */
#define ND_ATTR_POLICY(rows_, fn_) { .rows = (rows_), .nrows = ND_ARRAY_SIZE(rows_), .fn = (fn_) }
/* clang-format on */

/* Copy the field of row @f from the payload @v of @n bytes into @obj, when it fits. */
static inline void nd_attr_take(const struct nd_attr_field *f, const void *v, size_t n, void *obj,
				unsigned int *has)
{
	uint8_t *dst = (uint8_t *)obj + f->offset;

	switch (f->how) {
	case ND_ATTR_U8:
		if (n < 1)
			return;
		*dst = *(const uint8_t *)v;
		break;
	case ND_ATTR_U32:
		if (n < 4)
			return;
		memcpy(dst, v, 4);
		break;
	case ND_ATTR_EXACT:
		if (n != f->size)
			return;
		/* the two address lengths as constants, so the copy is a move or two */
		if (n == 4)
			memcpy(dst, v, 4);
		else if (n == 16)
			memcpy(dst, v, 16);
		else
			memcpy(dst, v, n);
		break;
	default: memcpy(dst, v, n < f->size ? n : f->size); /* ND_ATTR_UPTO */
	}
	*has |= f->bit;
}

/*
 * nd_attr_parse - walk the attributes in the @len bytes at @p, in order, and do with each what
 * @pol's row for its type says: copy a field into @obj (its bit into *@has), call @pol->fn with
 * @data, or skip it.
 *
 * The one policy for malformed attributes: a header whose nla_len is below the 4-byte header
 * itself, or that runs past the @len bytes (a truncated last attribute), makes the parse fail
 * with -EBADMSG.  An attribute with an empty payload is passed on as it is (a field row counts
 * it absent, a callback decides); fewer than 4 bytes left after the last attribute are padding
 * and ignored, as is the alignment padding after an attribute whose length is not a multiple
 * of 4, whether @len counts that padding or not.
 * Why fail rather than keep what came before: the kernel writes every attribute whole
 * (nla_put), so a header that breaks the framing means the bytes are not what the parser thinks
 * (a wrong message type, a corrupted buffer), and quietly dropping the rest would show a link or
 * socket with fields missing, its counters as zeros.  libmnl's mnl_attr_parse() stops there
 * silently and iproute2's parse_rtattr() only prints "!!!Deficit" and goes on; the kernel's own
 * strict parsing (nla_parse() with NL_VALIDATE_TRAILING) refuses such a message, and so do we,
 * since a parser here returns errors instead of printing.
 * Returns 0, -EBADMSG, or the first error a callback returned.
 */
static inline int nd_attr_parse(const void *p, size_t len, const struct nd_attr_policy *pol,
				void *obj, unsigned int *has, void *data)
{
	const uint8_t *at = p;

	while (len >= NLA_HDRLEN) {
		const struct nlattr *a = (const struct nlattr *)at;
		size_t alen = a->nla_len, step;
		unsigned int type = a->nla_type & NLA_TYPE_MASK;

		if (alen < NLA_HDRLEN || alen > len)
			return -EBADMSG;
		switch (type < pol->nrows ? pol->rows[type].how : ND_ATTR_SKIP) {
		case ND_ATTR_SKIP: break;
		case ND_ATTR_CODE: {
			int err = pol->fn(type, at + NLA_HDRLEN, alen - NLA_HDRLEN, data);

			if (err)
				return err;
			break;
		}
		default:
			nd_attr_take(&pol->rows[type], at + NLA_HDRLEN, alen - NLA_HDRLEN, obj,
				     has);
		}
		step = NLA_ALIGN(alen);
		if (step >= len)
			break;
		at += step;
		len -= step;
	}
	return 0;
}

/*
 * nd_attr_parse_msg - nd_attr_parse() over the attributes of @nlh, which follow its family
 * header of @hdrlen bytes (aligned to 4).  -EBADMSG also when the message is shorter than that.
 */
static inline int nd_attr_parse_msg(const struct nlmsghdr *nlh, size_t hdrlen,
				    const struct nd_attr_policy *pol, void *obj, unsigned int *has,
				    void *data)
{
	size_t off = NLMSG_HDRLEN + NLMSG_ALIGN(hdrlen);

	if (nlh->nlmsg_len < off)
		return -EBADMSG;
	return nd_attr_parse((const uint8_t *)nlh + off, nlh->nlmsg_len - off, pol, obj, has, data);
}

#endif
