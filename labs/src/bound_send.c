/*
 * bound_send.c — lab 07: two writes on a stream socket, two sendto()s on a datagram socket.
 *
 * The note: TCP is a byte stream (字节流套接字) — what you write arrives as bytes, in order, with
 * no marks between your writes; UDP sends datagrams (数据报套接字) — each sendto() is one message
 * and arrives (if it arrives) as one message.  This program sends the same two short messages
 * either way; bound_recv on the other host shows what the reader gets.
 *
 *   usage: bound_send tcp|udp HOST PORT [MESSAGE...]     (default messages: hello world)
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
	fprintf(stderr, "bound_send: %s: %s\n", call, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: bound_send tcp|udp HOST PORT [MESSAGE...]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	static char *defaults[] = { "hello", "world" };
	char **msgs = defaults;
	int nmsgs = 2;

	if (argc < 4)
		usage();
	int tcp = strcmp(argv[1], "tcp") == 0;
	if (!tcp && strcmp(argv[1], "udp") != 0)
		usage();
	char *end;
	long port = strtol(argv[3], &end, 10);
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons((int)port) };
	if (*end != '\0' || port <= 0 || port > 65535 || inet_pton(AF_INET, argv[2], &to.sin_addr) != 1) {
		fprintf(stderr, "bound_send: bad address or port: %s %s\n", argv[2], argv[3]);
		return 2;
	}
	if (argc > 4) {
		msgs = argv + 4;
		nmsgs = argc - 4;
	}

	if (tcp) {
		/* A stream: connect() once, then write() bytes into the connection. */
		int fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd < 0)
			die("socket");
		if (connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0)
			die("connect");
		for (int i = 0; i < nmsgs; i++) {
			ssize_t n = write(fd, msgs[i], strlen(msgs[i]));
			if (n < 0)
				die("write");
			printf("write() returned %zd\n", n);
		}
		if (close(fd) < 0)
			die("close");
	} else {
		/* Datagrams: no connection; every sendto() names where its message goes. */
		int fd = socket(AF_INET, SOCK_DGRAM, 0);
		if (fd < 0)
			die("socket");
		for (int i = 0; i < nmsgs; i++) {
			ssize_t n = sendto(fd, msgs[i], strlen(msgs[i]), 0, (struct sockaddr *)&to,
					   sizeof(to));
			if (n < 0)
				die("sendto");
			printf("sendto() returned %zd\n", n);
		}
		if (close(fd) < 0)
			die("close");
	}
	return 0;
}
