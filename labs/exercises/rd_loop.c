/*
 * rd_loop.c — lab 06 exercise: write the read loop.
 *
 * This program accepts one TCP connection and should read it to the end.  As given it calls
 * read() once, which is the classic bug: read(fd, buf, size) returns AT MOST size bytes, and
 * one write of 100 KB on the other side comes out as several reads here.
 * Write the loop (the TODO below), then grade your file:
 *     labs/lab.sh check 6 --student labs/exercises/rd_loop.c      (or a copy of it)
 * The grader sends 100 KB and closes (FIN), then 100 KB and resets (RST), and expects:
 *   - one line "read() returned N" per successful read;
 *   - after a FIN:  "total 102400 bytes in M reads, then EOF", exit status 0;
 *   - after a RST:  "total N bytes in M reads, then error: Connection reset by peer"
 *                   (that is strerror(ECONNRESET)), exit status 1.
 *
 *   usage: rd_loop [-p PORT] [-b BUFSIZE]    (defaults: port 6000, a 64 KiB buffer)
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
		else {
			fprintf(stderr, "usage: rd_loop [-p PORT] [-b BUFSIZE]\n");
			return 2;
		}
	}
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
	int status = 0;

	/* TODO: turn this single read into the read loop.
	 *   n > 0   count the bytes and the read, print "read() returned N", and read again;
	 *   n == 0  EOF: print the summary line ending in "then EOF", status 0, leave the loop;
	 *   n < 0   EINTR: read again; any other errno: print the summary line ending in
	 *           "then error: " and strerror(errno), status 1, leave the loop. */
	ssize_t n = read(fd, buf, (size_t)bufsize);
	if (n > 0) {
		reads++;
		total += (unsigned long)n;
		printf("read() returned %zd\n", n);
	}
	printf("total %lu bytes in %lu reads, then EOF\n", total, reads);

	if (close(fd) < 0)
		perror("rd_loop: close");
	free(buf);
	return status;
}
