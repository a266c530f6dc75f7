/*
 * srv_echo.c — lab 03 exercise: make this echo server survive its clients.
 *
 * It compiles and it echoes, but it is naive: the first client that leaves brings it down.
 * Fix the three TODOs, then grade your file:
 *     labs/lab.sh check 3 --student labs/exercises/srv_echo.c      (or a copy of it)
 * The grader connects clients that (1) send a line and read it back, (2) close orderly (EOF),
 * (3) reset the connection (RST) while the server is still writing, and after each one checks
 * that the server closed that client's socket and still serves the next client.
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

/* Echo one client until it leaves.  It must return (never exit) whatever the client does. */
static void serve_client(int cfd, const char *who)
{
	char buf[16384];

	for (;;) {
		ssize_t n = read(cfd, buf, sizeof(buf));
		/* TODO 1: read() returned 0: what does that mean, and what must the server do now?
		 *         (Hint: as written, the loop spins forever writing 0 bytes.) */

		/* TODO 2: read() returned -1: which errno values can you ignore and read again, and
		 *         which mean this connection is over?  The server must not exit. */
		if (n < 0) {
			perror("srv_echo: read");
			exit(1);
		}
		if (write_all(cfd, buf, (size_t)n) < 0) {
			perror("srv_echo: write");
			exit(1);
		}
	}
	/* TODO 3: when the loop ends, the socket is still open: the client sees no EOF, and the
	 *         kernel keeps the connection in CLOSE-WAIT.  Release it. */
	(void)who;
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
	/* TODO 4: writing to a connection the peer has reset raises SIGPIPE, and its default action
	 *         kills the process.  Make write() return -1 EPIPE instead. */

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
