/*
 * slow_reader.c — lab 05: a receiver that takes its time, so the sender's buffers fill up.
 *
 * It accepts one connection, then does not read at all for WAIT seconds: every byte the sender
 * writes in that time waits in the kernel, first in our receive buffer (Recv-Q), then, once our
 * window is closed, in the sender's send buffer (its Send-Q).  After the wait it reads CHUNK
 * bytes every INTERVAL milliseconds until end of file, printing what it has read so far.
 *
 *   usage: slow_reader [-p PORT] [-w WAIT] [-c CHUNK] [-i MS]
 *          (defaults: port 5500, wait 5 s, 64 KiB per read, one read every 20 ms)
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

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int main(int argc, char **argv)
{
	int port = 5500, wait_s = 5, opt;
	long chunk = 65536, interval = 20;

	while ((opt = getopt(argc, argv, "p:w:c:i:")) != -1) {
		if (opt == 'p')
			port = atoi(optarg);
		else if (opt == 'w')
			wait_s = atoi(optarg);
		else if (opt == 'c')
			chunk = atol(optarg);
		else if (opt == 'i')
			interval = atol(optarg);
		else
			goto usage;
	}
	if (optind != argc || port <= 0 || port > 65535 || wait_s < 0 || chunk <= 0 || interval < 0)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	char *buf = malloc((size_t)chunk);
	if (buf == NULL) {
		perror("slow_reader: malloc");
		return 2;
	}

	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("slow_reader: socket");
		return 2;
	}
	int one = 1;
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		perror("slow_reader: setsockopt");
		return 2;
	}
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	sa.sin_port = htons((unsigned short)port);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0) {
		perror("slow_reader: bind/listen");
		return 2;
	}
	printf("slow_reader: pid %d waiting on port %d\n", (int)getpid(), port);
	int fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		perror("slow_reader: accept");
		return 2;
	}
	if (close(lfd) < 0) /* one client only: stop listening */
		perror("slow_reader: close");

	printf("connected; not reading for %d s\n", wait_s);
	sleep_ms(wait_s * 1000L);
	printf("reading now, %ld bytes every %ld ms\n", chunk, interval);

	unsigned long total = 0;
	for (;;) {
		ssize_t n = read(fd, buf, (size_t)chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			printf("read error: %s after %lu bytes\n", strerror(errno), total);
			return 1;
		}
		if (n == 0)
			break;
		total += (unsigned long)n;
		printf("read %zd, total %lu\n", n, total);
		sleep_ms(interval);
	}
	printf("EOF after %lu bytes\n", total);
	if (close(fd) < 0)
		perror("slow_reader: close");
	free(buf);
	return 0;

usage:
	fprintf(stderr, "usage: slow_reader [-p PORT] [-w WAIT] [-c CHUNK] [-i MS]\n");
	return 2;
}
