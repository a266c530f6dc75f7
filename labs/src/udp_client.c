/*
 * udp_client.c — lab 08: send one datagram with sendto() and wait for the answer.
 *
 * No connect(): the socket gets a port of its own at the first sendto(), and every sendto()
 * names the destination.  sendto() returning means only that the datagram left this host;
 * nothing tells us it arrived.  So the client waits for the answer with a timeout
 * (SO_RCVTIMEO) — without one, a lost datagram would make recvfrom() wait forever.
 *
 *   usage: udp_client [-w WAIT_S] HOST PORT MESSAGE        (default wait: 2 s)
 * Exit status 0 with an answer, 1 without.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

static void die(const char *call)
{
	fprintf(stderr, "udp_client: %s: %s\n", call, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	long wait_s = 2;
	char *end;

	if (argc == 6 && strcmp(argv[1], "-w") == 0) {
		wait_s = strtol(argv[2], &end, 10);
		if (*end != '\0' || wait_s < 1 || wait_s > 3600) {
			fprintf(stderr, "udp_client: bad wait: %s\n", argv[2]);
			return 2;
		}
		argc -= 2;
		argv += 2;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: udp_client [-w WAIT_S] HOST PORT MESSAGE\n");
		return 2;
	}
	long port = strtol(argv[2], &end, 10);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((int)port) };
	if (*end != '\0' || port <= 0 || port > 65535 || inet_pton(AF_INET, argv[1], &to.sin_addr) != 1) {
		fprintf(stderr, "udp_client: bad address or port: %s %s\n", argv[1], argv[2]);
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	struct timeval tv = { .tv_sec = wait_s };
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		die("setsockopt SO_RCVTIMEO");

	ssize_t n = sendto(fd, argv[3], strlen(argv[3]), 0, (struct sockaddr *)&to, sizeof(to));
	if (n < 0)
		die("sendto");
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	if (getsockname(fd, (struct sockaddr *)&me, &len) < 0)
		die("getsockname");
	printf("sendto() returned %zd (from port %d)\n", n, ntohs(me.sin_port));

	char buf[2048], ip[INET_ADDRSTRLEN];
	struct sockaddr_in from;
	len = sizeof(from);
	n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
		printf("no answer within %ld s (recvfrom: %s)\n", wait_s, strerror(errno));
		close(fd);
		return 1;
	}
	if (n < 0)
		die("recvfrom");
	printf("recvfrom() returned %zd bytes from %s:%d: \"%.*s\"\n", n,
	       inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip)), ntohs(from.sin_port), (int)n, buf);
	if (close(fd) < 0)
		die("close");
	return 0;
}
