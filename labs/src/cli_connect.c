/*
 * cli_connect.c — labs 03 and 04: a TCP client that calls connect() and tells what happened.
 *
 * The study note's client: socket(), then connect() to the server's address and port; connect()
 * sets off the three-way handshake and returns when it is over.  It can end three ways:
 *   - the server answers SYN with SYN-ACK: connect() returns 0 (the port is live);
 *   - the host answers SYN with RST (nobody listens there): -1, errno ECONNREFUSED, at once;
 *   - nobody answers at all (a black hole): the kernel resends the SYN, doubling its wait each
 *     time (1 s, 2 s, 4 s, ...), and after the last retry connect() gives -1, errno ETIMEDOUT.
 *
 *   usage: cli_connect [-s SYNCNT] [-w SECONDS] HOST PORT
 *     -s N  resend the SYN at most N times (socket option TCP_SYNCNT; without it the namespace's
 *           sysctl net.ipv4.tcp_syn_retries decides, 6 by default: over two minutes)
 *     -w S  stay connected S seconds after connect() succeeds, then close (default: close at once)
 * Exit status: 0 connected, 1 connect() failed, 2 usage.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static const char *errno_name(int e)
{
	switch (e) {
	case ECONNREFUSED:
		return "ECONNREFUSED";
	case ETIMEDOUT:
		return "ETIMEDOUT";
	case EHOSTUNREACH:
		return "EHOSTUNREACH";
	case ENETUNREACH:
		return "ENETUNREACH";
	default:
		return "another error";
	}
}

int main(int argc, char **argv)
{
	int syncnt = -1, hold = 0, opt;

	while ((opt = getopt(argc, argv, "s:w:")) != -1) {
		if (opt == 's')
			syncnt = atoi(optarg);
		else if (opt == 'w')
			hold = atoi(optarg);
		else
			goto usage;
	}
	if (argc - optind != 2)
		goto usage;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	int port = atoi(argv[optind + 1]);
	if (inet_pton(AF_INET, argv[optind], &sa.sin_addr) != 1 || port <= 0 || port > 65535) {
		fprintf(stderr, "cli_connect: need an IPv4 address and a port 1-65535\n");
		return 2;
	}
	sa.sin_port = htons((unsigned short)port);
	setvbuf(stdout, NULL, _IOLBF, 0);

	/* socket(): an IPv4 byte-stream socket, as a server's. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("cli_connect: socket");
		return 2;
	}
	if (syncnt >= 0) {
		/* TCP_SYNCNT: how often this one socket resends its SYN before giving up (1-127) */
		if (setsockopt(fd, IPPROTO_TCP, TCP_SYNCNT, &syncnt, sizeof(syncnt)) < 0) {
			perror("cli_connect: setsockopt TCP_SYNCNT");
			return 2;
		}
	}

	/* connect() with no bind() first: the kernel picks our address and a free port. */
	printf("connect() to %s:%d ...\n", argv[optind], port);
	double t0 = now();
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int e = errno;
		printf("connect() returned -1 after %.3f s: errno %d %s (%s)\n", now() - t0, e,
		       errno_name(e), strerror(e));
		if (close(fd) < 0)
			perror("cli_connect: close");
		return 1;
	}

	/* getsockname(): which address and port did the kernel choose for us? */
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	if (getsockname(fd, (struct sockaddr *)&me, &len) < 0) {
		perror("cli_connect: getsockname");
		return 2;
	}
	char ip[INET_ADDRSTRLEN];
	if (inet_ntop(AF_INET, &me.sin_addr, ip, sizeof(ip)) == NULL) {
		perror("cli_connect: inet_ntop");
		return 2;
	}
	printf("connect() returned 0 after %.3f s: connected from %s:%d\n", now() - t0, ip,
	       ntohs(me.sin_port));
	if (hold > 0)
		sleep((unsigned)hold);
	if (close(fd) < 0) {
		perror("cli_connect: close");
		return 2;
	}
	return 0;

usage:
	fprintf(stderr, "usage: cli_connect [-s SYNCNT] [-w SECONDS] HOST PORT\n");
	return 2;
}
