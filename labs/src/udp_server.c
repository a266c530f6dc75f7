/*
 * udp_server.c — lab 08: a UDP server: recvfrom() and sendto(), no connection.
 *
 * The note: UDP has no context (无上下文).  The server binds one socket to a port and loops on
 * recvfrom(), which hands it one datagram and the address it came from; it answers with
 * sendto() to that address.  There is no listen(), no accept(), no new fd per client: every
 * client, from any host, talks to this one socket, and the kernel keeps no state between two
 * datagrams.
 *
 *   usage: udp_server PORT
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
	fprintf(stderr, "udp_server: %s: %s\n", call, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	char *end;
	long port = argc == 2 ? strtol(argv[1], &end, 10) : 0;

	if (argc != 2 || *argv[1] == '\0' || *end != '\0' || port <= 0 || port > 65535) {
		fprintf(stderr, "usage: udp_server PORT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	struct sockaddr_in me = { .sin_family = AF_INET, .sin_port = htons((int)port) };
	me.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		die("bind");
	printf("udp_server: pid %d, fd %d bound to port %ld; waiting in recvfrom()\n", (int)getpid(),
	       fd, port);

	for (;;) {
		char buf[1500], reply[1600], ip[INET_ADDRSTRLEN];
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("recvfrom");
		printf("recvfrom() returned %zd bytes from %s:%d: \"%.*s\"\n", n,
		       inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip)), ntohs(from.sin_port), (int)n,
		       buf);
		/* The answer goes back to the address recvfrom() gave us: that is all we know. */
		int rlen = snprintf(reply, sizeof(reply), "echo: %.*s", (int)n, buf);
		if (sendto(fd, reply, (size_t)rlen, 0, (struct sockaddr *)&from, len) < 0)
			perror("udp_server: sendto");
	}
}
