/*
 * echo_concurrent.c — lab 11 exercise: make the echo service serve its clients together.
 *
 * As it stands this server is iterative, like echo_iter: main() calls serve() itself, so while
 * one client is served the other nineteen wait in the accept queue.  Make it concurrent, with
 * either of the note's two core skills:
 *   - threads: give every accepted connection a thread of its own (pthread_create), or
 *   - I/O events: one thread that asks the kernel with poll() (or epoll) which socket is ready.
 * The TODOs mark the places to change; the read/write loop in serve() is already right.
 *
 * Build and grade it (the checker runs 20 slow clients against it and against echo_iter):
 *   cc -Wall -pthread -o echo_concurrent labs/exercises/echo_concurrent.c
 *   labs/lab.sh check 11 --student labs/exercises/echo_concurrent.c
 * It passes when 20 slow clients finish in a fraction of the time the iterative server needs.
 *
 *   usage: echo_concurrent PORT
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
	fprintf(stderr, "echo_concurrent: %s: %s\n", call, strerror(errno));
	exit(1);
}

/* socket(), bind() to PORT on every address, listen() with room for 32 waiting clients. */
static int open_listener(const char *arg)
{
	char *end;
	long port = strtol(arg, &end, 10);

	if (*arg == '\0' || *end != '\0' || port <= 0 || port > 65535) {
		fprintf(stderr, "echo_concurrent: bad port: %s\n", arg);
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

/* Echo everything the client writes until it closes, then close the fd.  Its shape is a
 * thread's body (void *(void *)) so that pthread_create() can run it as it is; the fd travels
 * in the argument as an integer. */
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
			perror("echo_concurrent: read");
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
			perror("echo_concurrent: write");
			break;
		}
	}
	if (close(fd) < 0)
		perror("echo_concurrent: close");
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: echo_concurrent PORT\n");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int lfd = open_listener(argv[1]);
	printf("echo_concurrent: pid %d, listening on port %s\n", (int)getpid(), argv[1]);

	/* TODO (threads): prepare a pthread_attr_t with PTHREAD_CREATE_DETACHED here, so that
	 * nobody has to pthread_join() the threads.  (Or, for poll(): set up the struct pollfd
	 * array here, with lfd in it, and replace the whole loop below.) */

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

		/* TODO: this call serves the client to its end before the loop can accept() the
		 * next one.  Run serve() in a new thread instead (pthread_create returns an error
		 * number, not -1: check it, and close fd if no thread was made). */
		serve((void *)(intptr_t)fd);
	}
}
