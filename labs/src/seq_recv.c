/*
 * seq_recv.c — lab 07: receive seq_send's numbered messages and say what arrived.
 *
 * Over TCP it reads the stream, cuts it into 64-byte messages again (the stream has no marks
 * between them: the receiver must know the size), and checks that message i carries number i.
 * Over UDP each recvfrom() is one message; it counts the ones that never came, the ones that came
 * after a higher number (out of order) and the ones that came twice.  UDP has no end: it stops
 * after WAIT seconds without a datagram.
 *
 *   usage: seq_recv [-n COUNT] [-w WAIT_S] tcp|udp PORT     (defaults: 500 messages, 2 s)
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

#define MSG_SIZE 64

static void die(const char *call)
{
	fprintf(stderr, "seq_recv: %s: %s\n", call, strerror(errno));
	exit(1);
}

static long number(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "seq_recv: bad number: %s (want %ld..%ld)\n", s, lo, hi);
		exit(2);
	}
	return v;
}

/* The stream: read() whatever comes, and take 64-byte messages out of it. */
static void recv_tcp(int lfd, long count)
{
	char buf[MSG_SIZE * 64];
	size_t have = 0;
	long got = 0, bad = 0, bytes = 0, reads = 0;

	if (listen(lfd, 1) < 0)
		die("listen");
	int fd = accept(lfd, NULL, NULL);
	if (fd < 0)
		die("accept");
	for (;;) {
		ssize_t n = read(fd, buf + have, sizeof(buf) - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		if (n == 0)
			break; /* FIN: the sender has nothing more */
		reads++;
		bytes += n;
		have += (size_t)n;
		size_t off = 0;
		for (; have - off >= MSG_SIZE; off += MSG_SIZE) {
			long seq = strtol(buf + off, NULL, 10);
			got++;
			if (seq != got && bad++ < 5)
				printf("message %ld carries number %ld\n", got, seq);
		}
		memmove(buf, buf + off, have - off); /* keep a message cut in two for the next read */
		have -= off;
	}
	printf("TCP: %ld bytes in %ld reads; %ld of %ld messages, %s\n", bytes, reads, got, count,
	       bad == 0 && got == count && have == 0 ? "every one in order" : "NOT all in order");
	if (close(fd) < 0)
		die("close");
}

/* Datagrams: one recvfrom() per message; stop after wait_s seconds of silence. */
static void recv_udp(int fd, long count, long wait_s)
{
	char *seen = calloc((size_t)count + 1, 1);
	long got = 0, late = 0, dups = 0, highest = 0, shown = 0;
	char buf[2048];

	if (seen == NULL)
		die("calloc");
	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int r = poll(&p, 1, got == 0 ? -1 : (int)wait_s * 1000);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			die("poll");
		if (r == 0)
			break; /* silence: whatever has not come by now is lost */
		ssize_t n = recvfrom(fd, buf, sizeof(buf) - 1, 0, NULL, NULL);
		if (n < 0)
			die("recvfrom");
		buf[n] = '\0';
		long seq = strtol(buf, NULL, 10);
		if (seq < 1 || seq > count)
			continue; /* not one of ours */
		if (seen[seq]) {
			dups++;
			continue;
		}
		seen[seq] = 1;
		got++;
		if (seq < highest) {
			late++;
			if (shown++ < 3)
				printf("datagram %ld arrived after %ld\n", seq, highest);
		} else {
			highest = seq;
		}
	}
	printf("UDP: %ld of %ld datagrams arrived, %ld lost, %ld out of order, %ld duplicates\n", got,
	       count, count - got, late, dups);
	free(seen);
}

int main(int argc, char **argv)
{
	long count = 500, wait_s = 2;
	int opt;

	while ((opt = getopt(argc, argv, "n:w:")) != -1) {
		if (opt == 'n')
			count = number(optarg, 1, 10000000);
		else if (opt == 'w')
			wait_s = number(optarg, 1, 3600);
		else
			goto usage;
	}
	if (argc - optind != 2)
		goto usage;
	int tcp = strcmp(argv[optind], "tcp") == 0;
	if (!tcp && strcmp(argv[optind], "udp") != 0)
		goto usage;
	struct sockaddr_in me = { .sin_family = AF_INET };
	me.sin_port = htons((uint16_t)number(argv[optind + 1], 1, 65535));
	me.sin_addr.s_addr = htonl(INADDR_ANY);
	setvbuf(stdout, NULL, _IOLBF, 0);

	int fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	int one = 1;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt SO_REUSEADDR");
	if (bind(fd, (struct sockaddr *)&me, sizeof(me)) < 0)
		die("bind");
	if (tcp)
		recv_tcp(fd, count);
	else
		recv_udp(fd, count, wait_s);
	if (close(fd) < 0)
		die("close");
	return 0;
usage:
	fprintf(stderr, "usage: seq_recv [-n COUNT] [-w WAIT_S] tcp|udp PORT\n");
	return 2;
}
