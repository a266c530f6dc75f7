/*
 * wr_timed.c — lab 05: write() in a loop and time every call.
 *
 * The study note: write() does not send anything; it copies bytes from the program into the
 * kernel's send buffer and returns.  The kernel sends them later, as fast as the network and the
 * receiver's window allow.  When the send buffer is full, write() blocks until acknowledged bytes
 * leave it.  So: the first writes return at once, then a write takes as long as the receiver
 * makes it wait.  And "write() returned" only means "the kernel has the bytes", not "the peer
 * has them": after the last write, SIOCOUTQ still counts bytes the peer has not acknowledged.
 *
 *   usage: wr_timed [-n TOTAL] [-c CHUNK] [-w HOLD] HOST PORT
 *          (defaults: 2 MiB in writes of 64 KiB; stay HOLD seconds (default 0) before close())
 * Per write it prints how long the call took and the send queue after it (ioctl SIOCOUTQ).
 * If the reader dies, a later write() fails (ECONNRESET or EPIPE): the bytes earlier writes
 * accepted are lost, and write() had said nothing about it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Bytes in our send queue not yet acknowledged by the peer (what connstat shows as Send-Q). */
static int send_queue(int fd)
{
	int q = -1;

	if (ioctl(fd, SIOCOUTQ, &q) < 0)
		return -1;
	return q;
}

int main(int argc, char **argv)
{
	long total = 2L << 20, chunk = 65536;
	int hold = 0, opt;

	while ((opt = getopt(argc, argv, "n:c:w:")) != -1) {
		if (opt == 'n')
			total = atol(optarg);
		else if (opt == 'c')
			chunk = atol(optarg);
		else if (opt == 'w')
			hold = atoi(optarg);
		else
			goto usage;
	}
	if (argc - optind != 2 || total <= 0 || chunk <= 0 || hold < 0)
		goto usage;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	int port = atoi(argv[optind + 1]);
	if (inet_pton(AF_INET, argv[optind], &sa.sin_addr) != 1 || port <= 0 || port > 65535)
		goto usage;
	sa.sin_port = htons((unsigned short)port);
	setvbuf(stdout, NULL, _IOLBF, 0);
	/* A write to a reset connection should fail with EPIPE and be reported, not kill us. */
	if (signal(SIGPIPE, SIG_IGN) == SIG_ERR) {
		perror("wr_timed: signal");
		return 2;
	}
	char *buf = malloc((size_t)chunk);
	if (buf == NULL) {
		perror("wr_timed: malloc");
		return 2;
	}
	memset(buf, 'x', (size_t)chunk);

	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0) {
		perror("wr_timed: socket");
		return 2;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("wr_timed: connect");
		return 1;
	}

	double start = now();
	long done = 0;
	for (int i = 1; done < total; i++) {
		size_t want = (size_t)(total - done < chunk ? total - done : chunk);
		double t0 = now();
		ssize_t w = write(fd, buf, want);
		double took = now() - t0;
		if (w < 0) {
			if (errno == EINTR)
				continue;
			printf("write #%d: -1 %s\n", i, strerror(errno));
			return 1;
		}
		done += w;
		printf("write #%d: %zd bytes in %.3f s, written %ld, send queue %d\n", i, w, took,
		       done, send_queue(fd));
	}
	printf("all %ld bytes written after %.3f s; send queue still %d bytes\n", done,
	       now() - start, send_queue(fd));
	if (hold > 0)
		sleep((unsigned)hold);
	if (close(fd) < 0) {
		perror("wr_timed: close");
		return 1;
	}
	free(buf);
	return 0;

usage:
	fprintf(stderr, "usage: wr_timed [-n TOTAL] [-c CHUNK] [-w HOLD] HOST PORT\n");
	return 2;
}
