/*
 * echo_poll.c — lab 11: the echo service, one thread, the kernel tells us who is ready.
 *
 * The note's first core skill: let the kernel sense the I/O events.  Instead of blocking in
 * accept() or in one client's read(), this server hands the kernel the whole list of its
 * sockets with poll() and sleeps until at least one of them is readable.  Then it does only the
 * calls that cannot block: accept() on the listening socket when a client is waiting, read()
 * (and the echo write()) on a connection that has bytes or an EOF.  One process, one thread,
 * every client served together.  (epoll is the same idea, with the list kept in the kernel.)
 *
 *   usage: echo_poll PORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 256 /* the listening socket and up to 255 clients */

static void die(const char *call)
{
	fprintf(stderr, "echo_poll: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* socket(), bind() to PORT on every address, listen() with room for 32 waiting clients. */
static int open_listener(const char *arg)
{
	char *end;
	long port = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || port <= 0 || port > 65535) {
		fprintf(stderr, "echo_poll: bad port: %s\n", arg);
		exit(2);
	}
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	int one = 1;
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt SO_REUSEADDR");
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((int)port) };
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	if (listen(lfd, 32) < 0)
		die("listen");
	return lfd;
}

/* One readable client: read() once (poll said it will not block) and echo what came.
 * Returns 0 to keep the client, -1 when it closed or failed. */
static int serve_once(int fd)
{
	char buf[4096];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n == 0)
		return -1; /* EOF: the client closed its side */
	if (n < 0) {
		if (errno == EINTR)
			return 0;
		perror("echo_poll: read");
		return -1;
	}
	/* A small echo fits in the send buffer, so this write() does not block.  A server that
	 * sends a lot would keep the rest and wait for POLLOUT instead. */
	for (ssize_t off = 0; off < n;) {
		ssize_t w = write(fd, buf + off, (size_t)(n - off));
		if (w < 0) {
			perror("echo_poll: write");
			return -1;
		}
		off += w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: echo_poll PORT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	struct pollfd fds[MAX_FDS];
	int nfds = 1;

	fds[0].fd = open_listener(argv[1]);
	fds[0].events = POLLIN; /* readable listening socket = a client waits in the accept queue */
	printf("echo_poll: pid %d, listening on port %s, one thread, poll()\n", (int)getpid(),
	       argv[1]);
	for (;;) {
		/* Sleep until at least one socket is ready; -1 = no timeout. */
		int ready = poll(fds, (nfds_t)nfds, -1);
		if (ready < 0) {
			if (errno == EINTR)
				continue;
			die("poll");
		}
		/* Clients first, walking backwards so that removing one keeps the walk right. */
		for (int i = nfds - 1; i >= 1; i--) {
			if (fds[i].revents == 0)
				continue;
			if (serve_once(fds[i].fd) < 0) {
				if (close(fds[i].fd) < 0)
					perror("echo_poll: close");
				fds[i] = fds[--nfds]; /* the last entry takes this slot */
			}
		}
		if (fds[0].revents & POLLIN) {
			struct sockaddr_in peer;
			socklen_t len = sizeof(peer);
			int fd = accept(fds[0].fd, (struct sockaddr *)&peer, &len);
			if (fd < 0) {
				if (errno != EINTR && errno != ECONNABORTED)
					die("accept");
			} else if (nfds == MAX_FDS) {
				fprintf(stderr, "echo_poll: too many clients, closing fd %d\n", fd);
				close(fd);
			} else {
				printf("accepted fd %d from port %d\n", fd, ntohs(peer.sin_port));
				fds[nfds].fd = fd;
				fds[nfds].events = POLLIN;
				fds[nfds].revents = 0;
				nfds++;
			}
		}
	}
}
