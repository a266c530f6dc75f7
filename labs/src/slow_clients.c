/*
 * slow_clients.c — lab 11: many slow clients of an echo service at the same time.
 *
 * Starts N clients together (one thread each).  The clients connect() one after another, in their
 * order, so that a server's accept queue holds them as numbered (client 20 is the last one an
 * iterative server accepts); each client's thread starts as soon as it is connected and then, M
 * times, write()s a short line, read()s the echo back and checks it, and thinks for D milliseconds
 * between lines.
 * One client alone needs about (M-1)*D ms.  A server that serves the clients together finishes
 * all of them in about that time too; a server that serves one at a time needs N times as long.
 *
 *   usage: slow_clients [-n CLIENTS] [-m MESSAGES] [-d MS] HOST PORT   (defaults: 20, 3, 100)
 *
 * It prints, per client, how long it waited for its first echo and when it was done, then one
 * line "N clients ... all done in S s".  Exit status 0 when every echo came back right, 1 if not.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CLIENTS 200

struct client {
	int id;
	int fd;            /* the connected socket, or -1 (then error says why) */
	pthread_t tid;
	double first_echo; /* seconds from the start until the first echo came back */
	double done;       /* seconds from the start until the client closed */
	const char *error; /* NULL when every echo came back right */
};

static struct sockaddr_in server;
static int messages = 3, think_ms = 100;
static struct timespec start;

static double since_start(void)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start.tv_sec) + (double)(now.tv_nsec - start.tv_nsec) / 1e9;
}

/* Read exactly len bytes: TCP is a byte stream, one read() may return only part of the echo. */
static int read_full(int fd, char *buf, size_t len)
{
	size_t got = 0;
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n == 0)
			return -1; /* the server closed before echoing everything */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		got += (size_t)n;
	}
	return 0;
}

/* Connect client C's socket (in the main thread, so that the clients connect in their order). */
static void connect_client(struct client *c)
{
	c->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (c->fd < 0) {
		c->error = "socket failed";
		return;
	}
	if (connect(c->fd, (struct sockaddr *)&server, sizeof(server)) < 0) {
		c->error = "connect failed";
		close(c->fd);
		c->fd = -1;
	}
}

/* One connected client: write a line, read its echo, think; M times; close. */
static void *run_client(void *arg)
{
	struct client *c = arg;
	int fd = c->fd;

	if (fd < 0)
		return NULL;
	for (int i = 0; i < messages && c->error == NULL; i++) {
		char line[64], echo[64];
		int len = snprintf(line, sizeof(line), "client %d message %d\n", c->id, i + 1);
		if (write(fd, line, (size_t)len) != len)
			c->error = "write failed";
		else if (read_full(fd, echo, (size_t)len) < 0)
			c->error = "no echo";
		else if (memcmp(line, echo, (size_t)len) != 0)
			c->error = "wrong echo";
		if (i == 0)
			c->first_echo = since_start();
		if (i + 1 < messages)
			usleep((useconds_t)think_ms * 1000);
	}
	if (close(fd) < 0 && c->error == NULL)
		c->error = "close failed";
	c->done = since_start();
	return NULL;
}

static int number(const char *s, int lo, int hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < lo || v > hi) {
		fprintf(stderr, "slow_clients: bad number: %s (want %d..%d)\n", s, lo, hi);
		exit(2);
	}
	return (int)v;
}

int main(int argc, char **argv)
{
	static struct client clients[MAX_CLIENTS];
	int n = 20, opt;

	while ((opt = getopt(argc, argv, "n:m:d:")) != -1) {
		if (opt == 'n')
			n = number(optarg, 1, MAX_CLIENTS);
		else if (opt == 'm')
			messages = number(optarg, 1, 1000);
		else if (opt == 'd')
			think_ms = number(optarg, 0, 60000);
		else
			goto usage;
	}
	if (argc - optind != 2)
		goto usage;
	server.sin_family = AF_INET;
	server.sin_port = htons((uint16_t)number(argv[optind + 1], 1, 65535));
	if (inet_pton(AF_INET, argv[optind], &server.sin_addr) != 1) {
		fprintf(stderr, "slow_clients: bad IPv4 address: %s\n", argv[optind]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (int i = 0; i < n; i++) {
		clients[i].id = i + 1;
		connect_client(&clients[i]);
		int err = pthread_create(&clients[i].tid, NULL, run_client, &clients[i]);
		if (err != 0) {
			fprintf(stderr, "slow_clients: pthread_create: %s\n", strerror(err));
			return 1;
		}
	}
	int bad = 0;
	for (int i = 0; i < n; i++) {
		int err = pthread_join(clients[i].tid, NULL);
		if (err != 0) {
			fprintf(stderr, "slow_clients: pthread_join: %s\n", strerror(err));
			return 1;
		}
		struct client *c = &clients[i];
		if (c->error != NULL) {
			printf("client %2d: %s\n", c->id, c->error);
			bad++;
		} else {
			printf("client %2d: first echo after %.2f s, done after %.2f s\n", c->id,
			       c->first_echo, c->done);
		}
	}
	printf("%d clients, %d messages each, %d ms apart: all done in %.2f s%s\n", n, messages,
	       think_ms, since_start(), bad ? " (with errors)" : "");
	return bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: slow_clients [-n CLIENTS] [-m MESSAGES] [-d MS] HOST PORT\n");
	return 2;
}
