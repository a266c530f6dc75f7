/*
 * srv_echo.c — lab 03 (reference solution of labs/exercises/srv_echo.c): an echo server that
 * survives whatever its clients do.
 *
 * It serves one client at a time (socket, bind, listen, then accept in a loop) and writes back
 * every byte it reads.  A client can leave in two ways, and the server must live through both:
 *   - orderly: the client calls close(); its FIN makes our read() return 0 (end of file).  We are
 *     done with this client: close our side too, or the socket stays in CLOSE-WAIT forever.
 *   - abortive: the client's kernel sends a reset (RST); our read() or write() returns -1 with
 *     errno ECONNRESET (or EPIPE).  Again: close this socket and go back to accept().
 * One more trap: writing to a socket the peer has reset raises the signal SIGPIPE, whose default
 * action kills the whole server.  We ignore it, and write() returns -1 EPIPE instead.
 *
 *   usage: srv_echo [-p PORT]        (default port 7000, all addresses)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Write all n bytes: write() may take fewer than asked.  Returns 0, or -1 with errno set. */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Echo one client until it leaves; say how it left.  Never exits the process. */
static void serve_client(int cfd, const char *who)
{
	char buf[16384];
	unsigned long total = 0;

	for (;;) {
		ssize_t n = read(cfd, buf, sizeof(buf));
		if (n == 0) {
			/* EOF: the client closed its side (its FIN came); no more will come. */
			printf("%s: EOF after %lu bytes, closing\n", who, total);
			break;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue; /* a signal interrupted the wait: just read again */
			/* ECONNRESET and friends: this connection is dead, the server is not. */
			printf("%s: read error %s after %lu bytes, closing\n", who, strerror(errno),
			       total);
			break;
		}
		total += (unsigned long)n;
		if (write_all(cfd, buf, (size_t)n) < 0) {
			printf("%s: write error %s after %lu bytes, closing\n", who,
			       strerror(errno), total);
			break;
		}
	}
	if (close(cfd) < 0)
		perror("srv_echo: close");
}

int main(int argc, char **argv)
{
	int port = 7000, opt;

	while ((opt = getopt(argc, argv, "p:")) != -1) {
		if (opt != 'p') {
			fprintf(stderr, "usage: srv_echo [-p PORT]\n");
			return 2;
		}
		port = atoi(optarg);
	}
	if (port <= 0 || port > 65535) {
		fprintf(stderr, "srv_echo: bad port\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A write to a reset connection must not kill us: ask for EPIPE instead of SIGPIPE. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		perror("srv_echo: signal");
		return 2;
	}

	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("srv_echo: socket");
		return 2;
	}
	int one = 1;
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		perror("srv_echo: setsockopt");
		return 2;
	}
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	sa.sin_port = htons((unsigned short)port);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("srv_echo: bind");
		return 2;
	}
	if (listen(lfd, 16) < 0) {
		perror("srv_echo: listen");
		return 2;
	}
	printf("srv_echo: pid %d listening on port %d\n", (int)getpid(), port);

	for (;;) {
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		int cfd = accept(lfd, (struct sockaddr *)&peer, &len);
		if (cfd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue; /* not fatal: the next client may be fine */
			perror("srv_echo: accept");
			return 1;
		}
		char who[64], ip[INET_ADDRSTRLEN];
		if (inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof(ip)) == NULL)
			strcpy(ip, "?");
		snprintf(who, sizeof(who), "client %s:%d", ip, ntohs(peer.sin_port));
		printf("%s: connected\n", who);
		serve_client(cfd, who);
	}
}
