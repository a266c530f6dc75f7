/*
 * bound_recv.c — lab 07: what a reader gets from two writes (TCP) or two sendto()s (UDP).
 *
 * It waits until the first bytes are there, then waits one second more so that everything the
 * sender sent has arrived, and only then reads.  A TCP read() returns whatever bytes are in the
 * receive buffer, up to the size asked: the two writes come back as one piece.  A UDP recvfrom()
 * returns exactly one datagram: two sendto()s stay two recvfrom()s.
 *
 *   usage: bound_recv tcp|udp PORT
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

static void die(const char *call)
{
	fprintf(stderr, "bound_recv: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* Block until fd is readable, then give the sender one more second. */
static void wait_then_pause(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	while (poll(&p, 1, -1) < 0)
		if (errno != EINTR)
			die("poll");
	sleep(1);
}

static void show(const char *call, const char *buf, ssize_t n, const char *from)
{
	printf("%s() returned %zd bytes%s%s: \"%.*s\"\n", call, n, from ? " from " : "", from ? from : "",
	       (int)n, buf);
}

int main(int argc, char **argv)
{
	char buf[2048];

	if (argc != 3 || (strcmp(argv[1], "tcp") != 0 && strcmp(argv[1], "udp") != 0)) {
		fprintf(stderr, "usage: bound_recv tcp|udp PORT\n");
		return 2;
	}
	char *end;
	long port = strtol(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0' || port <= 0 || port > 65535) {
		fprintf(stderr, "bound_recv: bad port: %s\n", argv[2]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int tcp = strcmp(argv[1], "tcp") == 0;
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((int)port) };
	me.sin_addr.s_addr = htonl(INADDR_ANY);
	int fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	int one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		die("bind");

	if (tcp) {
		if (listen(fd, 1) < 0)
			die("listen");
		printf("waiting for a TCP connection on port %ld\n", port);
		int cfd = accept(fd, NULL, NULL);
		if (cfd < 0)
			die("accept");
		wait_then_pause(cfd);
		/* The read loop: read() until it returns 0, the sender's FIN. */
		for (;;) {
			ssize_t n = read(cfd, buf, sizeof(buf));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				die("read");
			if (n == 0) {
				printf("read() returned 0: end of the stream\n");
				break;
			}
			show("read", buf, n, NULL);
		}
		if (close(cfd) < 0)
			die("close");
	} else {
		printf("waiting for UDP datagrams on port %ld\n", port);
		wait_then_pause(fd);
		/* Every recvfrom() takes one datagram; MSG_DONTWAIT stops us when none is left. */
		for (;;) {
			struct sockaddr_in from;
			socklen_t len = sizeof(from);
			ssize_t n = recvfrom(fd, buf, sizeof(buf), MSG_DONTWAIT, (struct sockaddr *)&from,
					     &len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
				printf("recvfrom() would block: no datagram left\n");
				break;
			}
			if (n < 0)
				die("recvfrom");
			char who[INET_ADDRSTRLEN + 8];
			char ip[INET_ADDRSTRLEN];
			snprintf(who, sizeof(who), "%s:%d",
				 inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip)), ntohs(from.sin_port));
			show("recvfrom", buf, n, who);
		}
	}
	if (close(fd) < 0)
		die("close");
	return 0;
}
