/*
 * srv_steps.c — lab 03: a TCP server that stops after every call.
 *
 * The study note says a server does three things: socket() and bind() to an address and port,
 * listen() to turn the socket into a server socket, then accept() to wait for a client.  This
 * program does exactly that, one call at a time, and waits for you to press Enter between the
 * calls, so that you can look at the kernel's view of the socket (connstat -a, ls -l /proc/PID/fd)
 * after each one.
 *
 *   usage: srv_steps [-b BACKLOG] [-p PORT] [ADDR]       (defaults: backlog 2, port 5000, 0.0.0.0)
 *
 * Each stop reads one line from standard input, so a script can drive it through a pipe or a FIFO.
 * At the end of standard input (Ctrl-D) it closes every socket and exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* Wait for the user: one line on stdin.  Returns 0, or -1 at end of input. */
static int stop_here(const char *next)
{
	char line[128];

	printf("  -> press Enter to call %s\n", next);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return -1;
	return 0;
}

static void die(const char *call)
{
	fprintf(stderr, "srv_steps: %s: %s\n", call, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	int backlog = 2, port = 5000, opt;
	const char *addr = "0.0.0.0";

	while ((opt = getopt(argc, argv, "b:p:")) != -1) {
		if (opt == 'b')
			backlog = atoi(optarg);
		else if (opt == 'p')
			port = atoi(optarg);
		else {
			fprintf(stderr, "usage: srv_steps [-b BACKLOG] [-p PORT] [ADDR]\n");
			return 2;
		}
	}
	if (optind < argc)
		addr = argv[optind];
	if (port <= 0 || port > 65535 || backlog < 0) {
		fprintf(stderr, "srv_steps: bad port or backlog\n");
		return 2;
	}
	/* Output may go to a file or a pipe: print each line at once, not when a buffer fills. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("srv_steps: pid %d\n", (int)getpid());

	/* 1. socket(domain, type, protocol): IPv4, a byte stream (TCP), protocol 0: the default */
	if (stop_here("socket()") < 0)
		return 0;
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	printf("socket() returned fd %d: a TCP socket with no address yet\n", lfd);

	/* SO_REUSEADDR: restart the server at once even while old connections sit in TIME-WAIT. */
	int one = 1;
	if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		die("setsockopt SO_REUSEADDR");

	/* 2. bind(fd, addr, len): give the socket its local address and port. */
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((unsigned short)port);
	if (inet_pton(AF_INET, addr, &sa.sin_addr) != 1) {
		fprintf(stderr, "srv_steps: not an IPv4 address: %s\n", addr);
		return 2;
	}
	if (stop_here("bind()") < 0)
		return 0;
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	printf("bind() returned 0: fd %d now owns %s:%d (bound, not yet listening)\n", lfd, addr,
	       port);

	/* 3. listen(fd, backlog): now a server socket.  The kernel completes handshakes on its own
	 *    and queues up to backlog (+1 on Linux) finished connections until we accept() them. */
	if (stop_here("listen()") < 0)
		return 0;
	if (listen(lfd, backlog) < 0)
		die("listen");
	printf("listen() returned 0: fd %d is LISTENing, backlog %d\n", lfd, backlog);

	/* 4. accept(fd, &peer, &len): take the oldest finished connection off the queue (or block
	 *    until there is one).  It returns a NEW fd for that connection; lfd still listens. */
	for (int n = 1;; n++) {
		if (stop_here("accept()") < 0)
			break;
		struct sockaddr_in peer;
		socklen_t len = sizeof(peer);
		int cfd = accept(lfd, (struct sockaddr *)&peer, &len);
		if (cfd < 0)
			die("accept");
		char ip[INET_ADDRSTRLEN];
		if (inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof(ip)) == NULL)
			die("inet_ntop");
		printf(
		    "accept() returned fd %d: connection %d from %s:%d (listening fd %d stays)\n",
		    cfd, n, ip, ntohs(peer.sin_port), lfd);
		/* We keep cfd open on purpose, to see it in /proc/PID/fd; exit closes them all. */
	}
	printf("srv_steps: end of input, closing and exiting\n");
	if (close(lfd) < 0)
		die("close");
	return 0;
}
