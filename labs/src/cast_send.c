/*
 * cast_send.c — lab 08: one sendto() that reaches every host on the link.
 *
 * The note's reason to choose UDP: broadcast and multicast send one message to many hosts at
 * once.  TCP cannot: a connection has exactly two ends.
 *   - broadcast: to the subnet's broadcast address (10.200.2.255).  The kernel refuses with
 *     EACCES unless the socket says it means it: setsockopt(SO_BROADCAST).
 *   - multicast: to a group address (224.0.0.0/4, e.g. 239.1.2.3); only hosts that joined the
 *     group take it.  -i names the local address whose interface sends it (IP_MULTICAST_IF).
 *
 *   usage: cast_send [-b] [-i IFADDR] ADDR PORT MESSAGE
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void usage(void)
{
	fprintf(stderr, "usage: cast_send [-b] [-i IFADDR] ADDR PORT MESSAGE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int broadcast = 0, opt;
	const char *ifaddr = NULL;

	while ((opt = getopt(argc, argv, "bi:")) != -1) {
		if (opt == 'b')
			broadcast = 1;
		else if (opt == 'i')
			ifaddr = optarg;
		else
			usage();
	}
	if (argc - optind != 3)
		usage();
	char *end;
	long port = strtol(argv[optind + 1], &end, 10);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((int)port) };
	if (*end != '\0' || port <= 0 || port > 65535 ||
	    inet_pton(AF_INET, argv[optind], &to.sin_addr) != 1) {
		fprintf(stderr, "cast_send: bad address or port: %s %s\n", argv[optind],
			argv[optind + 1]);
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0) {
		perror("cast_send: socket");
		return 1;
	}
	if (broadcast) {
		int one = 1;
		if (setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0) {
			perror("cast_send: setsockopt SO_BROADCAST");
			return 1;
		}
	}
	if (ifaddr != NULL) {
		struct in_addr a;
		if (inet_pton(AF_INET, ifaddr, &a) != 1) {
			fprintf(stderr, "cast_send: bad interface address: %s\n", ifaddr);
			return 2;
		}
		if (setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &a, sizeof(a)) < 0) {
			perror("cast_send: setsockopt IP_MULTICAST_IF");
			return 1;
		}
	}
	const char *msg = argv[optind + 2];
	ssize_t n = sendto(fd, msg, strlen(msg), 0, (struct sockaddr *)&to, sizeof(to));
	if (n < 0) {
		fprintf(stderr, "cast_send: sendto %s: %s\n", argv[optind], strerror(errno));
		close(fd);
		return 1;
	}
	printf("sendto(%s:%ld) returned %zd\n", argv[optind], port, n);
	if (close(fd) < 0) {
		perror("cast_send: close");
		return 1;
	}
	return 0;
}
