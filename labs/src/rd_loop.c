/*
 * rd_loop.c — lab 06 (reference solution of labs/exercises/rd_loop.c): the read loop.
 *
 * The study note: read(fd, buf, size) asks the kernel for AT MOST size bytes and returns how many
 * it really gave, so a reader must call it in a loop.  TCP is a byte stream: the sender's writes
 * do not survive as units, one write of 100 KB can come out as many reads of any size.  The loop
 * ends in one of two ways:
 *   read() == 0   end of file: the peer closed its side (its FIN came after every byte it sent);
 *   read() == -1  an error; ECONNRESET means the peer reset the connection (RST).
 * EINTR (a signal arrived while we waited) is not an end: read again.
 *
 *   usage: rd_loop [-p PORT] [-b BUFSIZE]    (defaults: port 6000, a 64 KiB buffer)
 * It accepts one connection, reads it to the end, and prints one line per read and a summary:
 *   total N bytes in M reads, then EOF                              (exit status 0)
 *   total N bytes in M reads, then error: Connection reset by peer  (exit status 1)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* socket, bind, listen, accept: returns the connected fd of the first client, or -1. */
static int accept_one(int port)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0) {
		perror("rd_loop: socket");
		return -1;
	}
	int one = 1;
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) {
		perror("rd_loop: setsockopt");
		return -1;
	}
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	sa.sin_port = htons((unsigned short)port);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(lfd, 1) < 0) {
		perror("rd_loop: bind/listen");
		return -1;
	}
	printf("rd_loop: pid %d waiting on port %d\n", (int)getpid(), port);
	int cfd = accept(lfd, NULL, NULL);
	if (cfd < 0)
		perror("rd_loop: accept");
	if (close(lfd) < 0) /* one client only: stop listening */
		perror("rd_loop: close");
	return cfd;
}

int main(int argc, char **argv)
{
	int port = 6000, opt;
	long bufsize = 65536;

	while ((opt = getopt(argc, argv, "p:b:")) != -1) {
		if (opt == 'p')
			port = atoi(optarg);
		else if (opt == 'b')
			bufsize = atol(optarg);
		else
			goto usage;
	}
	if (optind != argc || port <= 0 || port > 65535 || bufsize <= 0)
		goto usage;
	setvbuf(stdout, NULL, _IOLBF, 0);
	char *buf = malloc((size_t)bufsize);
	if (buf == NULL) {
		perror("rd_loop: malloc");
		return 2;
	}
	int fd = accept_one(port);
	if (fd < 0)
		return 2;

	unsigned long total = 0, reads = 0;
	int status;
	for (;;) {
		ssize_t n = read(fd, buf, (size_t)bufsize);
		if (n > 0) {
			reads++;
			total += (unsigned long)n;
			printf("read() returned %zd\n", n);
			continue; /* a real program would use the bytes here */
		}
		if (n == 0) {
			/* EOF: the peer will send nothing more.  Finish our work, then close. */
			printf("read() returned 0\n");
			printf("total %lu bytes in %lu reads, then EOF\n", total, reads);
			status = 0;
			break;
		}
		if (errno == EINTR)
			continue; /* interrupted before any byte came: not an end */
		/* ECONNRESET (reset), ETIMEDOUT (keepalive or retransmissions gave up), ...: the
		 * connection is dead.  Close it; a server would go on serving its other clients. */
		int e = errno;
		printf("read() returned -1, errno %d\n", e);
		printf("total %lu bytes in %lu reads, then error: %s\n", total, reads, strerror(e));
		status = 1;
		break;
	}
	if (close(fd) < 0)
		perror("rd_loop: close");
	free(buf);
	return status;

usage:
	fprintf(stderr, "usage: rd_loop [-p PORT] [-b BUFSIZE]\n");
	return 2;
}
