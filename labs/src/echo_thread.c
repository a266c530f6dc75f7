/*
 * echo_thread.c — lab 11: the echo service, one thread per connection.
 *
 * The note's second core skill: use threads for concurrency.  The main thread only accept()s;
 * each accepted connection gets a thread of its own (pthread_create) that runs the same read/write
 * loop as echo_iter.  A thread blocked in read() on one client no longer stops the others.  All
 * threads share one process and one table of file descriptors: connstat -p shows every
 * connection owned by the same pid.
 *
 *   usage: echo_thread PORT
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *call)
{
	fprintf(stderr, "echo_thread: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* socket(), bind() to PORT on every address, listen() with room for 32 waiting clients. */
static int open_listener(const char *arg)
{
	char *end;
	long port = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || port <= 0 || port > 65535) {
		fprintf(stderr, "echo_thread: bad port: %s\n", arg);
		exit(2);
	}
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	int one = 1;
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt SO_REUSEADDR");
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((int)port) };
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	if (listen(lfd, 32) < 0)
		die("listen");
	return lfd;
}

/* The thread's body: echo until the client closes, then close the fd.  The fd travels in the
 * void * argument as an integer, so no memory is shared between threads. */
static void *serve(void *arg)
{
	int fd = (int)(intptr_t)arg;
	char buf[4096];

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0)
			break; /* EOF: the client closed its side */
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			perror("echo_thread: read");
			break;
		}
		ssize_t off = 0;
		while (off < n) { /* write() may take less than we asked */
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0)
				break;
			off += w;
		}
		if (off < n) {
			perror("echo_thread: write");
			break;
		}
	}
	if (close(fd) < 0)
		perror("echo_thread: close");
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: echo_thread PORT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int lfd = open_listener(argv[1]);
	printf("echo_thread: pid %d, listening on port %s, one thread per client\n", (int)getpid(),
	       argv[1]);

	/* Threads are created detached: nobody join()s them, they clean up when they return. */
	pthread_attr_t attr;
	int err = pthread_attr_init(&attr);
	if (err == 0)
		err = pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (err != 0) {
		fprintf(stderr, "echo_thread: pthread_attr: %s\n", strerror(err));
		return 1;
	}
	for (;;) {
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		int fd = accept(lfd, (struct sockaddr *)&peer, &len);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			die("accept");
		}
		printf("accepted fd %d from port %d\n", fd, ntohs(peer.sin_port));
		pthread_t tid;
		err = pthread_create(&tid, &attr, serve, (void *)(intptr_t)fd);
		if (err != 0) { /* pthread_* return the error, they do not set errno */
			fprintf(stderr, "echo_thread: pthread_create: %s\n", strerror(err));
			close(fd);
		}
	}
}
