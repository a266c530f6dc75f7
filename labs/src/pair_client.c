/*
 * pair_client.c — lab 02: a TCP client that prints the four numbers naming its connection.
 *
 * socket(), then connect() to the server.  We never call bind(), so the kernel picks our local
 * address (the one on the route to the server) and a free local port (an "ephemeral" port).
 * getsockname() tells us what it picked, getpeername() confirms the server's end:
 *
 *     connect() ok: 10.200.1.2:51360 -> 10.200.2.2:5000
 *
 * With a third argument we bind() to that local port ourselves first (with SO_REUSEADDR, so that
 * two of our sockets may share the port).  Two connections may share a local port as long as
 * their four numbers differ; a second connect() with all four equal fails with EADDRNOTAVAIL.
 *
 * After connecting it waits, holding the connection open, until the server closes or you end it
 * (Ctrl-C, or kill %N for a background job).
 *
 *   usage: pair_client SERVER-IPv4 PORT [LOCAL-PORT]
 * Exit status: 0 the server closed, 1 a call failed, 2 usage.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *fmt_addr(const struct sockaddr_in *sa, char *buf, size_t size)
{
	char ip[INET_ADDRSTRLEN];

	if (!inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	snprintf(buf, size, "%s:%u", ip, ntohs(sa->sin_port));
	return buf;
}

/* A port number 1..65535 from text, or -1. */
static int parse_port(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	return (*s && !*end && v > 0 && v <= 65535) ? (int)v : -1;
}

/* bind() FD to 0.0.0.0:PORT, sharing the port with our other sockets (SO_REUSEADDR). */
static int bind_local(int fd, int port)
{
	struct sockaddr_in local;
	int one = 1;

	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		perror("setsockopt SO_REUSEADDR");
		return -1;
	}
	memset(&local, 0, sizeof(local));
	local.sin_family = AF_INET;
	local.sin_addr.s_addr = htonl(INADDR_ANY);
	local.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&local, sizeof(local)) < 0) {
		perror("bind");
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_in server, self, peer;
	socklen_t slen = sizeof(self), plen = sizeof(peer);
	int fd, port, lport = 0;
	char a[64], b[64], buf[512];
	ssize_t got;

	if (argc < 3 || argc > 4 || (port = parse_port(argv[2])) < 0 ||
	    (argc == 4 && (lport = parse_port(argv[3])) < 0))
		goto usage;
	memset(&server, 0, sizeof(server));
	server.sin_family = AF_INET;
	server.sin_port = htons(port);
	if (inet_pton(AF_INET, argv[1], &server.sin_addr) != 1)
		goto usage;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		return 1;
	}
	if (lport && bind_local(fd, lport) < 0)
		return 1;
	if (connect(fd, (struct sockaddr *)&server, sizeof(server)) < 0) {
		perror("connect");
		return 1;
	}
	if (getsockname(fd, (struct sockaddr *)&self, &slen) < 0 ||
	    getpeername(fd, (struct sockaddr *)&peer, &plen) < 0) {
		perror("getsockname/getpeername");
		return 1;
	}
	printf("connect() ok: %s -> %s\n", fmt_addr(&self, a, sizeof(a)), fmt_addr(&peer, b, sizeof(b)));
	fflush(stdout);
	/* hold the connection: read() blocks until the server sends something or closes */
	while ((got = read(fd, buf, sizeof(buf))) > 0)
		;
	if (got < 0) {
		perror("read");
		return 1;
	}
	printf("the server closed the connection\n");
	close(fd);
	return 0;
usage:
	fprintf(stderr, "usage: pair_client SERVER-IPv4 PORT [LOCAL-PORT]\n");
	return 2;
}
