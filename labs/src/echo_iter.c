/*
 * echo_iter.c — lab 11: the echo service, iterative: one client at a time.
 *
 * The simplest server there is: accept() a client, serve it until it closes, then accept() the
 * next.  While it serves one client the others are not ignored by the kernel: their three-way
 * handshakes complete, and they wait in the accept queue (the Recv-Q of the LISTEN row in
 * connstat -tln) until this program comes back to accept().  Nobody reads their bytes meanwhile.
 *
 *   usage: echo_iter PORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *call)
{
	fprintf(stderr, "echo_iter: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* socket(), bind() to PORT on every address, listen().  The backlog of 32 lets all 20 clients
 * of the lab wait in the accept queue. */
static int open_listener(const char *arg)
{
	char *end;
	long port = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || port <= 0 || port > 65535) {
		fprintf(stderr, "echo_iter: bad port: %s\n", arg);
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

/* Echo everything the client writes until it closes (read() returns 0). */
static void serve(int fd)
{
	char buf[4096];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0)
			return; /* EOF: the client closed its side */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("echo_iter: read");
			return;
		}
		for (ssize_t off = 0; off < n;) { /* write() may take less than we asked */
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0) {
				perror("echo_iter: write");
				return;
			}
			off += w;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: echo_iter PORT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int lfd = open_listener(argv[1]);
	printf("echo_iter: pid %d, listening on port %s, one client at a time\n", (int)getpid(),
	       argv[1]);
	for (;;) {
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		int fd = accept(lfd, (struct sockaddr *)&peer, &len);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		printf("accepted fd %d from port %d\n", fd, ntohs(peer.sin_port));
		serve(fd); /* every other client waits until this one is done */
		if (close(fd) < 0)
			die("close");
	}
}
