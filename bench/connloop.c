// SPDX-License-Identifier: MIT
/*
 * connloop N [PORT] - make N loopback TCP connections to 127.0.0.1:PORT (default 7300) one after
 * another: connect, accept, the client closes, the server reads the end and closes.  Each makes
 * ten state changes (five per end) and leaves the client in TIME-WAIT.  Prints the wall time
 * and the CPU time (user + system, which holds the kernel's work on loopback and any BPF program
 * run on the way) of the loop in ms, for the connstat -E bench.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double cpu_ms(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
}

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char *argv[])
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	int one = 1, l;
	double t0, c0;
	char b;

	a.sin_port = htons(argc > 2 ? (uint16_t)atoi(argv[2]) : 7300);
	if (n <= 0) {
		fprintf(stderr, "usage: connloop N [PORT]\n");
		return 2;
	}
	l = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 128)) {
		fprintf(stderr, "connloop: listen: %s\n", strerror(errno));
		return 2;
	}
	t0 = now_ms();
	c0 = cpu_ms();
	for (long i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0), s;

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) ||
		    (s = accept(l, NULL, NULL)) < 0) {
			fprintf(stderr, "connloop: connection %ld: %s\n", i, strerror(errno));
			return 2;
		}
		close(c);
		if (read(s, &b, 1) != 0) /* the client's FIN */
			return 2;
		close(s);
	}
	printf("%.1f %.1f\n", now_ms() - t0, cpu_ms() - c0);
	close(l);
	return 0;
}
