/*
 * seq_send.c — lab 07: numbered messages over TCP or UDP, to see what a lossy link does.
 *
 * Sends COUNT messages of 64 bytes, each starting with its number (00000001, 00000002, ...), GAP
 * milliseconds apart.  Over UDP each message is one datagram: whatever the link loses is lost.
 * Over TCP the kernel numbers the bytes, and resends what the peer did not acknowledge; after the
 * last write the program waits until the peer has acknowledged every byte (Send-Q 0), then asks
 * the kernel how many segments it had to retransmit (getsockopt TCP_INFO).
 *
 *   usage: seq_send [-n COUNT] [-g GAP_MS] [-H HOLD_S] tcp|udp HOST PORT
 *          (defaults: 500 messages, 1 ms apart; -H keeps the TCP connection open HOLD_S seconds
 *          at the end, so that you can look at it with connstat -ti)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MSG_SIZE 64

static void die(const char *call)
{
	fprintf(stderr, "seq_send: %s: %s\n", call, strerror(errno));
	exit(1);
}

static long number(const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "seq_send: bad number: %s (want %ld..%ld)\n", s, lo, hi);
		exit(2);
	}
	return v;
}

/* Write all len bytes: a blocking write() on a stream may still take fewer. */
static void write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("write");
		buf += n;
		len -= (size_t)n;
	}
}

int main(int argc, char **argv)
{
	long count = 500, gap_ms = 1, hold_s = 0;
	int opt;

	while ((opt = getopt(argc, argv, "n:g:H:")) != -1) {
		if (opt == 'n')
			count = number(optarg, 1, 10000000);
		else if (opt == 'g')
			gap_ms = number(optarg, 0, 10000);
		else if (opt == 'H')
			hold_s = number(optarg, 0, 3600);
		else
			goto usage;
	}
	if (argc - optind != 3)
		goto usage;
	int tcp = strcmp(argv[optind], "tcp") == 0;
	if (!tcp && strcmp(argv[optind], "udp") != 0)
		goto usage;
	struct sockaddr_in to = { .sin_family = AF_INET };
	to.sin_port = htons((uint16_t)number(argv[optind + 2], 1, 65535));
	if (inet_pton(AF_INET, argv[optind + 1], &to.sin_addr) != 1) {
		fprintf(stderr, "seq_send: bad IPv4 address: %s\n", argv[optind + 1]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);

	int fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
	if (fd < 0)
		die("socket");
	if (tcp && connect(fd, (struct sockaddr *)&to, sizeof(to)) < 0)
		die("connect");
	for (long i = 1; i <= count; i++) {
		char msg[MSG_SIZE];
		memset(msg, '.', sizeof(msg));
		int len = snprintf(msg, sizeof(msg), "%08ld message", i);
		msg[len] = ' ';
		msg[MSG_SIZE - 1] = '\n';
		if (tcp)
			write_all(fd, msg, sizeof(msg));
		else if (sendto(fd, msg, sizeof(msg), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
			die("sendto");
		if (gap_ms > 0)
			usleep((useconds_t)gap_ms * 1000);
	}
	printf("sent %ld messages of %d bytes over %s\n", count, MSG_SIZE, tcp ? "TCP" : "UDP");
	if (tcp) {
		/* write() returning means only that the kernel has the bytes.  Wait until the peer
		 * has acknowledged every one: SIOCOUTQ is the Send-Q that connstat shows. */
		int unacked;
		for (;;) {
			if (ioctl(fd, SIOCOUTQ, &unacked) < 0)
				die("ioctl SIOCOUTQ");
			if (unacked == 0)
				break;
			usleep(10000);
		}
		struct tcp_info ti;
		socklen_t len = sizeof(ti);
		if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
			die("getsockopt TCP_INFO");
		printf("the receiver acknowledged every byte; the kernel retransmitted %u segments\n",
		       ti.tcpi_total_retrans);
		if (hold_s > 0) {
			printf("holding the connection for %ld s (connstat -tni shows retrans)\n", hold_s);
			sleep((unsigned)hold_s);
		}
	}
	if (close(fd) < 0)
		die("close");
	return 0;
usage:
	fprintf(stderr, "usage: seq_send [-n COUNT] [-g GAP_MS] [-H HOLD_S] tcp|udp HOST PORT\n");
	return 2;
}
