/*
 * pair_server.c — lab 02: a TCP server that prints the socket pair of every connection it accepts.
 *
 * The study note's server: socket(), bind() to an address and port, listen(), then accept().
 * accept() hands back a NEW socket for each client and fills in the client's address: with
 * getsockname() on that new socket we also learn our own end, so each connection is printed as its
 * four numbers, the socket pair:
 *
 *     accept() -> fd 4: 10.200.2.2:5000 <- 10.200.1.2:51360
 *
 * Every accepted socket shares our local address and port; only the client's end differs.
 * The server keeps all its connections open, watching them with poll() (lab 11 explains poll),
 * and prints when a client goes away (read() returns 0, lab 06).
 *
 *   usage: pair_server [PORT]      (default 5000; listens on every IPv4 address of the host)
 * Exit status: 1 when socket(), bind() or listen() fail, 2 usage.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONN 64

/* "a.b.c.d:port" of an IPv4 socket address, into buf. */
static const char *fmt_addr(const struct sockaddr_in *sa, char *buf, size_t size)
{
	char ip[INET_ADDRSTRLEN];

	if (!inet_ntop(AF_INET, &sa->sin_addr, ip, sizeof(ip)))
		snprintf(ip, sizeof(ip), "?");
	snprintf(buf, size, "%s:%u", ip, ntohs(sa->sin_port));
	return buf;
}

/* socket() + bind() + listen(): the listening socket, or exit 1 saying which call failed. */
static int listen_on(int port)
{
	struct sockaddr_in addr;
	int fd, one = 1;

	fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("socket");
		exit(1);
	}
	/* SO_REUSEADDR: restart the server at once even while old connections sit in TIME-WAIT */
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		perror("setsockopt SO_REUSEADDR");
		exit(1);
	}
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_ANY); /* every address of this host */
	addr.sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		perror("bind");
		exit(1);
	}
	if (listen(fd, 16) < 0) {
		perror("listen");
		exit(1);
	}
	return fd;
}

/* accept() one client and print its socket pair; the new fd, or -1. */
static int accept_one(int lfd)
{
	struct sockaddr_in peer, self;
	socklen_t plen = sizeof(peer), slen = sizeof(self);
	char a[64], b[64];
	int fd;

	fd = accept(lfd, (struct sockaddr *)&peer, &plen);
	if (fd < 0) {
		perror("accept");
		return -1;
	}
	if (getsockname(fd, (struct sockaddr *)&self, &slen) < 0) {
		perror("getsockname");
		close(fd);
		return -1;
	}
	printf("accept() -> fd %d: %s <- %s\n", fd, fmt_addr(&self, a, sizeof(a)),
	       fmt_addr(&peer, b, sizeof(b)));
	fflush(stdout);
	return fd;
}

int main(int argc, char **argv)
{
	struct pollfd pfd[MAX_CONN + 1];
	int n = 1, i, port = 5000;
	char buf[512];
	ssize_t got;

	if (argc > 2 || (argc == 2 && (port = atoi(argv[1])) <= 0) || port > 65535) {
		fprintf(stderr, "usage: pair_server [PORT]\n");
		return 2;
	}
	pfd[0].fd = listen_on(port);
	pfd[0].events = POLLIN;
	printf("listening on 0.0.0.0:%d\n", port);
	fflush(stdout);
	for (;;) {
		if (poll(pfd, n, -1) < 0) {
			perror("poll");
			return 1;
		}
		if ((pfd[0].revents & POLLIN) && n <= MAX_CONN) {
			int fd = accept_one(pfd[0].fd);

			if (fd >= 0) {
				pfd[n].fd = fd;
				pfd[n].events = POLLIN;
				pfd[n].revents = 0;
				n++;
			}
		}
		for (i = 1; i < n; i++) {
			if (!(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			got = read(pfd[i].fd, buf, sizeof(buf)); /* data is read and thrown away */
			if (got > 0)
				continue;
			printf("fd %d: the client closed (read() returned %zd)\n", pfd[i].fd, got);
			fflush(stdout);
			close(pfd[i].fd);
			pfd[i] = pfd[--n]; /* the last one takes its place... */
			i--;               /* ...and is looked at next */
		}
	}
}
