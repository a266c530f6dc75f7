/*
 * cast_recv.c — lab 08: receive broadcast and multicast datagrams.
 *
 * It binds to PORT on every address (INADDR_ANY), so it gets datagrams sent to this host's own
 * address, to the subnet's broadcast address, and — once it has joined GROUP with
 * setsockopt(IP_ADD_MEMBERSHIP) — to that multicast group.  Joining makes the kernel accept the
 * group's frames on the interface and tell the routers on the link (IGMP).
 *
 *   usage: cast_recv PORT [GROUP]
 * It prints one line per datagram until you stop it (Ctrl-C).
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
	fprintf(stderr, "cast_recv: %s: %s\n", call, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	char *end;
	long port = argc >= 2 ? strtol(argv[1], &end, 10) : 0;

	if (argc < 2 || argc > 3 || *argv[1] == '\0' || *end != '\0' || port <= 0 || port > 65535) {
		fprintf(stderr, "usage: cast_recv PORT [GROUP]\n");
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
	if (argc == 3) {
		/* Join GROUP on the interface the routing table picks for it (INADDR_ANY). */
		struct ip_mreq mreq = { .imr_interface.s_addr = htonl(INADDR_ANY) };
		if (inet_pton(AF_INET, argv[2], &mreq.imr_multiaddr) != 1) {
			fprintf(stderr, "cast_recv: bad group address: %s\n", argv[2]);
			return 2;
		}
		if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mreq, sizeof(mreq)) < 0)
			die("setsockopt IP_ADD_MEMBERSHIP");
		printf("joined group %s; ", argv[2]);
	}
	printf("waiting on port %ld\n", port);
	for (;;) {
		char buf[1500], ip[INET_ADDRSTRLEN];
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("recvfrom");
		printf("recvfrom() returned %zd bytes from %s: \"%.*s\"\n", n,
		       inet_ntop(AF_INET, &from.sin_addr, ip, sizeof(ip)), (int)n, buf);
	}
}
