// SPDX-License-Identifier: MIT
/*
 * sockmaker [-s ADDR] [-d DIR] [-w] - make sockets in every state connstat must list, then wait to be
 * killed.  Prints "ready" on stdout when everything is in place.
 *
 *   TCP  LISTEN 127.0.0.1:7001 and [::1]:7002; ESTABLISHED pairs to both; FIN-WAIT-2 and
 *        CLOSE-WAIT (one side shut down for writing); TIME-WAIT (closed from the client side)
 *   SYN-SENT with -s ADDR: a non-blocking connect to ADDR:80, routed where nobody answers
 *   UDP  127.0.0.1:7003 and [::1]:7004 unconnected, one connected 127.0.0.1 -> 7003
 *   RAW  ICMP and ICMPv6; with -w also protocol 253 (experimental) in both families: bound to
 *        127.0.0.1 / ::1, connected (state ESTAB) to 127.0.0.2 / ::1, and unbound, with one
 *        datagram sent to 127.0.0.1 and one to ::1 (loopback), so that receive queues are not 0
 *   UNIX stream listener DIR/stream.sock, a stream socketpair, dgram bound to an abstract name,
 *        seqpacket listener DIR/seq.sock (DIR defaults to /tmp)
 * Ports are fixed: the tests run it in a fresh namespace.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <stdbool.h>
#include <stddef.h>
#include <unistd.h>

static void die(const char *what)
{
	fprintf(stderr, "sockmaker: %s: %s\n", what, strerror(errno));
	exit(2);
}

static socklen_t addr_of(const char *ip, int port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (strchr(ip, ':')) {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		a->sin6_family = AF_INET6;
		a->sin6_port = htons((uint16_t)port);
		if (inet_pton(AF_INET6, ip, &a->sin6_addr) != 1)
			die("bad address");
		return sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		a->sin_family = AF_INET;
		a->sin_port = htons((uint16_t)port);
		if (inet_pton(AF_INET, ip, &a->sin_addr) != 1)
			die("bad address");
		return sizeof(*a);
	}
}

static int sock_at(const char *ip, int type, int port, int do_listen)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_of(ip, port, &ss);
	int one = 1, s = socket(ss.ss_family, type, 0);

	if (s < 0)
		die("socket");
	setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (struct sockaddr *)&ss, sl))
		die("bind");
	if (do_listen && listen(s, 16))
		die("listen");
	return s;
}

/* A connected pair: *c the client, *a the accepted side. */
static void pair(const char *ip, int port, int l, int *c, int *a)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_of(ip, port, &ss);

	*c = socket(ss.ss_family, SOCK_STREAM, 0);
	if (*c < 0 || connect(*c, (struct sockaddr *)&ss, sl))
		die("connect");
	*a = accept(l, NULL, NULL);
	if (*a < 0)
		die("accept");
}

static int unix_sock(int type, const char *path, bool abstract, bool do_listen)
{
	struct sockaddr_un un = { .sun_family = AF_UNIX };
	socklen_t len;
	int s = socket(AF_UNIX, type, 0);

	if (s < 0)
		die("unix socket");
	if (abstract) {
		snprintf(un.sun_path + 1, sizeof(un.sun_path) - 1, "%s", path);
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + strlen(path));
	} else {
		unlink(path);
		snprintf(un.sun_path, sizeof(un.sun_path), "%s", path);
		len = sizeof(un);
	}
	if (bind(s, (struct sockaddr *)&un, len))
		die("unix bind");
	if (do_listen && listen(s, 8))
		die("unix listen");
	return s;
}

/* RAW protocol 253 sockets of @local's family: bound, connected to @peer, unbound + a datagram. */
static void raw_set(const char *local, const char *peer)
{
	struct sockaddr_storage ss;
	socklen_t sl = addr_of(local, 0, &ss);
	int fam = ss.ss_family, b = socket(fam, SOCK_RAW, 253), c = socket(fam, SOCK_RAW, 253);
	int u = socket(fam, SOCK_RAW, 253);
	static const char msg[] = "sockmaker raw";

	if (b < 0 || c < 0 || u < 0 || bind(b, (struct sockaddr *)&ss, sl))
		die("raw 253 socket");
	sl = addr_of(peer, 0, &ss);
	if (connect(c, (struct sockaddr *)&ss, sl))
		die("raw connect");
	sl = addr_of(local, 0, &ss);
	if (sendto(u, msg, sizeof(msg), 0, (struct sockaddr *)&ss, sl) != sizeof(msg))
		die("raw sendto");
}

int main(int argc, char *argv[])
{
	const char *syn = NULL, *dir = "/tmp";
	char path[200], abs_name[64];
	int l4, l6, c, a, sp[2], opt;
	bool raw = false;

	while ((opt = getopt(argc, argv, "s:d:w")) != -1) {
		if (opt == 'w')
			raw = true;
		else if (opt == 's')
			syn = optarg;
		else if (opt == 'd')
			dir = optarg;
		else
			return 2;
	}
	l4 = sock_at("127.0.0.1", SOCK_STREAM, 7001, 1);
	l6 = sock_at("::1", SOCK_STREAM, 7002, 1);
	pair("127.0.0.1", 7001, l4, &c, &a); /* ESTABLISHED, both sides */
	pair("::1", 7002, l6, &c, &a);
	pair("127.0.0.1", 7001, l4, &c, &a);
	if (shutdown(c, SHUT_WR)) /* client FIN-WAIT-2, server CLOSE-WAIT */
		die("shutdown");
	pair("::1", 7002, l6, &c, &a);
	if (shutdown(a, SHUT_WR)) /* the other way round, over IPv6 */
		die("shutdown");
	pair("127.0.0.1", 7001, l4, &c, &a);
	close(c); /* the client closes first: TIME-WAIT once the server closes too */
	usleep(20000);
	close(a);
	/* data waiting in a receive queue, so that some queue is not 0 */
	pair("127.0.0.1", 7001, l4, &c, &a);
	if (write(c, "hello", 5) != 5)
		die("write");
	if (syn) {
		struct sockaddr_storage ss;
		socklen_t sl = addr_of(syn, 80, &ss);
		int s = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (s < 0 || (connect(s, (struct sockaddr *)&ss, sl) && errno != EINPROGRESS))
			die("connect for SYN-SENT");
	}
	sock_at("127.0.0.1", SOCK_DGRAM, 7003, 0);
	sock_at("::1", SOCK_DGRAM, 7004, 0);
	{
		struct sockaddr_storage ss;
		socklen_t sl = addr_of("127.0.0.1", 7003, &ss);
		int u = socket(AF_INET, SOCK_DGRAM, 0);

		if (u < 0 || connect(u, (struct sockaddr *)&ss, sl))
			die("udp connect");
	}
	if (socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) < 0 ||
	    socket(AF_INET6, SOCK_RAW, IPPROTO_ICMPV6) < 0)
		die("raw socket");
	if (raw) {
		raw_set("127.0.0.1", "127.0.0.2");
		raw_set("::1", "::1");
	}
	snprintf(path, sizeof(path), "%s/stream.sock", dir);
	unix_sock(SOCK_STREAM, path, false, true);
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sp))
		die("socketpair");
	snprintf(abs_name, sizeof(abs_name), "sockmaker-%d", (int)getpid());
	unix_sock(SOCK_DGRAM, abs_name, true, false);
	snprintf(path, sizeof(path), "%s/seq.sock", dir);
	unix_sock(SOCK_SEQPACKET, path, false, true);
	printf("ready\n");
	fflush(stdout);
	for (;;)
		pause();
}
