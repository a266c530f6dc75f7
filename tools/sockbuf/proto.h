/* SPDX-License-Identifier: MIT */
#ifndef SOCKBUF_PROTO_H
#define SOCKBUF_PROTO_H

#include <stddef.h>
#include <stdint.h>

/*
 * The control protocol between a sockbuf client and `sockbuf serve`: one TCP connection, lines of
 * text "VERB key=value key=value\n" (an error is "ERR free text").  Data moves on separate
 * connections or datagrams whose port the server names in a PORT reply.
 *
 *   client                                  server
 *   HELLO v=1                               HELLO v=1
 *   HOLD rcvbuf=N                           PORT port=P          (fill: accepts, never reads)
 *   QUERY                                   QUEUE inq=N rcvbuf=N bytes_received=N rcv_space=N
 *   DRAIN delay_ms=D                        OK; after D ms DRAINING t=NS (CLOCK_REALTIME);
 *                                           at EOF DRAINED bytes=N
 *   CLOSE                                   OK                   (drops the held connection)
 *   SINK rcvbuf=N                           PORT port=P; at EOF DONE bytes=N rcvbuf=N
 *   UDP rcvbuf=N rate=R                     PORT port=P
 *   SENT count=N                            RESULT received=N drops=N rcvbuf_errors=N rcvbuf=N
 *   BYE                                     (closes)
 */
#define SB_PORT_DEFAULT  5301
#define SB_PROTO_VERSION 1
#define SB_KV_MAX        8
#define SB_LINE_MAX      512

struct sb_msg {
	char verb[16];
	int n;
	char key[SB_KV_MAX][24];
	char val[SB_KV_MAX][40];
	char text[SB_LINE_MAX]; /* the rest of an ERR line */
};

/*
 * sb_msg_parse - one line (without its newline) into @m.  Verbs are upper-case letters, keys
 * lower-case letters, digits and '_', values printable without spaces or '='.
 * Returns 0 or -EINVAL.
 */
int sb_msg_parse(const char *line, size_t len, struct sb_msg *m);

/* sb_msg_u64 - the value of @key as a number.  Returns 0, -ENOENT or -EINVAL. */
int sb_msg_u64(const struct sb_msg *m, const char *key, uint64_t *v);

/*
 * sb_hostport_parse - "HOST", "HOST:PORT", "[V6]", "[V6]:PORT" or a bare IPv6 address into
 * @host and @port (@def when none is given).  Returns 0 or -EINVAL.
 */
int sb_hostport_parse(const char *s, char *host, size_t hlen, uint16_t *port, uint16_t def);

/* A control connection with a small line buffer; every wait is bounded by timeout_ms. */
struct sb_ctl {
	int fd;
	int timeout_ms;
	size_t len;
	char buf[2 * SB_LINE_MAX];
};

void sb_ctl_init(struct sb_ctl *c, int fd, int timeout_ms);

/* sb_ctl_send - send one line (printf format, the newline is added).  Returns 0 or -errno. */
int sb_ctl_send(struct sb_ctl *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * sb_ctl_recv - the next line as a message.  Returns 0, -ETIMEDOUT, -ECONNRESET (the peer
 * closed), -EPROTO (a line that is not a message), -EMSGSIZE (no line end within the buffer)
 * or another -errno.
 */
int sb_ctl_recv(struct sb_ctl *c, struct sb_msg *m);

/*
 * sb_ctl_expect - sb_ctl_recv and require @verb: -EPROTO for another verb, -EREMOTEIO for an
 * ERR reply (its text is in m->text).
 */
int sb_ctl_expect(struct sb_ctl *c, const char *verb, struct sb_msg *m);

/* sb_ctl_pending - whether a whole line is already buffered. */
int sb_ctl_pending(const struct sb_ctl *c);

#endif
