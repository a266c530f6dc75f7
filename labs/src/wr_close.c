/*
 * wr_close.c — labs 03 and 06: connect, write once, then leave politely (FIN) or rudely (RST).
 *
 * One write() of BYTES bytes (100 KB by default), a pause, then one of the two ways a TCP
 * connection can end:
 *   - close(): the orderly way.  The kernel sends what is still queued, then a FIN; the peer's
 *     read() returns 0 (end of file) once it has read every byte before it.
 *   - -r: SO_LINGER with a linger time of 0, then close(): the abortive way.  The kernel throws
 *     away whatever is still queued and sends a reset (RST); the peer's next read() or write()
 *     fails with ECONNRESET.
 *
 *   usage: wr_close [-n BYTES] [-d SECONDS] [-r] HOST PORT
 *     -n BYTES    how much the one write() sends (default 102400)
 *     -d SECONDS  pause between the write and the close (default 0.5), so the data arrives first
 *     -r          end with a reset instead of a FIN
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long bytes = 102400;
	double pause_s = 0.5;
	int reset = 0, opt;

	while ((opt = getopt(argc, argv, "n:d:r")) != -1) {
		if (opt == 'n')
			bytes = atol(optarg);
		else if (opt == 'd')
			pause_s = atof(optarg);
		else if (opt == 'r')
			reset = 1;
		else
			goto usage;
	}
	if (argc - optind != 2 || bytes < 0 || pause_s < 0)
		goto usage;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	int port = atoi(argv[optind + 1]);
	if (inet_pton(AF_INET, argv[optind], &sa.sin_addr) != 1 || port <= 0 || port > 65535)
		goto usage;
	sa.sin_port = htons((unsigned short)port);
	setvbuf(stdout, NULL, _IOLBF, 0);

	char *buf = malloc(bytes > 0 ? (size_t)bytes : 1);
	if (buf == NULL) {
		perror("wr_close: malloc");
		return 2;
	}
	memset(buf, 'x', (size_t)bytes);

	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("wr_close: socket");
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("wr_close: connect");
		return 1;
	}
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	if (getsockname(fd, (struct sockaddr *)&me, &len) < 0) {
		perror("wr_close: getsockname");
		return 2;
	}
	char ip[INET_ADDRSTRLEN];
	if (inet_ntop(AF_INET, &me.sin_addr, ip, sizeof(ip)) == NULL) {
		perror("wr_close: inet_ntop");
		return 2;
	}
	printf("connected from %s:%d\n", ip, ntohs(me.sin_port));

	/* One write() call.  A blocking TCP socket takes it all unless a signal interrupts it. */
	ssize_t w = write(fd, buf, (size_t)bytes);
	if (w < 0) {
		perror("wr_close: write");
		return 1;
	}
	printf("write(%ld bytes) returned %zd\n", bytes, w);

	struct timespec ts = {(time_t)pause_s, (long)((pause_s - (time_t)pause_s) * 1e9)};
	nanosleep(&ts, NULL);

	if (reset) {
		/* SO_LINGER on, time 0: close() resets the connection instead of closing it. */
		struct linger lg = {.l_onoff = 1, .l_linger = 0};
		if (setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)) < 0) {
			perror("wr_close: setsockopt SO_LINGER");
			return 2;
		}
	}
	if (close(fd) < 0) {
		perror("wr_close: close");
		return 1;
	}
	printf("close(): sent %s\n", reset ? "RST (reset, SO_LINGER 0)" : "FIN (orderly close)");
	free(buf);
	return 0;

usage:
	fprintf(stderr, "usage: wr_close [-n BYTES] [-d SECONDS] [-r] HOST PORT\n");
	return 2;
}
