/*
 * tcp_steps.c — lab 10: one TCP connection, closed one step at a time.
 *
 * The study note draws the four-way close: the side that closes first sends FIN (j), the other
 * answers with ACK (j+1); later that side sends its own FIN (k) and gets ACK (k+1), and the side
 * that closed first waits in TIME-WAIT.  This program opens one connection, then does nothing
 * until you type a command, so you can watch both ends with connstat after every step:
 *
 *   usage: tcp_steps [-r] listen PORT          wait for one client (socket, bind, listen, accept)
 *          tcp_steps connect HOST PORT         connect to a server (socket, connect)
 *
 *   commands (one per line on standard input):
 *     fill      write() until the send buffer and the peer's receive buffer are both full
 *               (until write() has said EAGAIN for half a second)
 *     shutdown  shutdown(fd, SHUT_WR): send FIN — "I have nothing more to write"
 *     read      read() until it returns 0 (the peer's FIN) and say how many bytes came
 *     state     ask the kernel which TCP state this socket is in (getsockopt TCP_INFO)
 *     close     close(fd) and exit
 *
 * -r sets SO_REUSEADDR on the listening socket before bind().  End of input (Ctrl-D) closes too.
 * Every command reads one line, so a script can drive the program through a FIFO.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void die(const char *call)
{
	fprintf(stderr, "tcp_steps: %s: %s\n", call, strerror(errno));
	exit(1);
}

static void usage(void)
{
	fprintf(stderr, "usage: tcp_steps [-r] listen PORT | tcp_steps connect HOST PORT\n");
	exit(2);
}

static int parse_port(const char *s)
{
	char *end;
	long port = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || port <= 0 || port > 65535) {
		fprintf(stderr, "tcp_steps: bad port: %s\n", s);
		exit(2);
	}
	return (int)port;
}

/* The server side: socket(), bind(), listen(), accept() one client, close the listening socket.
 * Closing it leaves the connection as the only socket on PORT, so that later a TIME-WAIT on
 * this connection is the only thing that holds the port. */
static int open_server(int port, int reuse)
{
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	if (lfd < 0)
		die("socket");
	if (reuse) {
		int one = 1;
		if (setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
			die("setsockopt SO_REUSEADDR");
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	sa.sin_addr.s_addr = htonl(INADDR_ANY);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("bind");
	if (listen(lfd, 1) < 0)
		die("listen");
	printf("listening on port %d%s; waiting in accept()\n", port,
	       reuse ? " (SO_REUSEADDR set)" : "");

	struct sockaddr_in peer;
	socklen_t len = sizeof(peer);
	int fd = accept(lfd, (struct sockaddr *)&peer, &len);
	if (fd < 0)
		die("accept");
	char ip[INET_ADDRSTRLEN];
	printf("accept() returned fd %d: connection from %s:%d\n", fd,
	       inet_ntop(AF_INET, &peer.sin_addr, ip, sizeof(ip)), ntohs(peer.sin_port));
	if (close(lfd) < 0)
		die("close listening socket");
	return fd;
}

/* The client side: socket() and connect(), which runs the three-way handshake. */
static int open_client(const char *host, int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	if (inet_pton(AF_INET, host, &sa.sin_addr) != 1) {
		fprintf(stderr, "tcp_steps: bad IPv4 address: %s\n", host);
		exit(2);
	}
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		die("socket");
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die("connect");
	struct sockaddr_in me;
	socklen_t len = sizeof(me);
	if (getsockname(fd, (struct sockaddr *)&me, &len) < 0)
		die("getsockname");
	printf("connect() returned 0: connected from port %d to %s:%d\n", ntohs(me.sin_port), host,
	       port);
	return fd;
}

/* fill: write without blocking until the kernel says EAGAIN, and again each time it makes room,
 * until it has made no room for half a second.  EAGAIN alone means only that our send buffer is
 * full; it stays full only once the peer's receive buffer is full too (the peer advertises a
 * zero window and stops acknowledging).  Then anything we queue next, a FIN too, has to wait. */
static void do_fill(int fd)
{
	static char chunk[65536];
	long long total = 0;
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0)
		die("fcntl O_NONBLOCK");
	memset(chunk, 'x', sizeof(chunk));
	for (;;) {
		ssize_t n = write(fd, chunk, sizeof(chunk));
		if (n >= 0) {
			total += n;
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			die("write");
		struct pollfd p = { .fd = fd, .events = POLLOUT };
		int r = poll(&p, 1, 500);
		if (r < 0 && errno != EINTR)
			die("poll");
		if (r == 0)
			break; /* no room for 0.5 s: both buffers are full */
	}
	if (fcntl(fd, F_SETFL, flags) < 0)
		die("fcntl");
	printf("write() took %lld bytes, then said EAGAIN: the buffers are full\n", total);
}

/* read: the read loop of the note.  0 means the peer sent FIN (end of file); -1 is an error. */
static void do_read(int fd)
{
	static char buf[65536];
	long long total = 0;

	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf));
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("read");
		total += n;
	}
	printf("read %lld bytes, then read() returned 0: the peer sent FIN\n", total);
}

/* state: the kernel's own name for where this socket is in the state machine. */
static void do_state(int fd)
{
	static const char *const names[] = {
		"?", "ESTABLISHED", "SYN-SENT", "SYN-RECV", "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT",
		"CLOSE", "CLOSE-WAIT", "LAST-ACK", "LISTEN", "CLOSING",
	};
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		die("getsockopt TCP_INFO");
	printf("state: %s\n", ti.tcpi_state < 12 ? names[ti.tcpi_state] : "?");
}

int main(int argc, char **argv)
{
	int reuse = 0, fd;

	/* Our output may go to a file or a pipe: print every line at once. */
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc > 1 && strcmp(argv[1], "-r") == 0) {
		reuse = 1;
		argc--;
		argv++;
	}
	if (argc == 3 && strcmp(argv[1], "listen") == 0)
		fd = open_server(parse_port(argv[2]), reuse);
	else if (argc == 4 && strcmp(argv[1], "connect") == 0)
		fd = open_client(argv[2], parse_port(argv[3]));
	else
		usage();
	printf("pid %d; commands: fill, shutdown, read, state, close\n", (int)getpid());

	char line[128];
	while (printf("> "), fflush(stdout), fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strcmp(line, "fill") == 0) {
			do_fill(fd);
		} else if (strcmp(line, "shutdown") == 0) {
			if (shutdown(fd, SHUT_WR) < 0)
				die("shutdown");
			printf("shutdown(SHUT_WR) returned 0: FIN is sent (or queued behind unsent data)\n");
		} else if (strcmp(line, "read") == 0) {
			do_read(fd);
		} else if (strcmp(line, "state") == 0) {
			do_state(fd);
		} else if (strcmp(line, "close") == 0) {
			break;
		} else if (line[0] != '\0') {
			printf("unknown command '%s' (fill, shutdown, read, state, close)\n", line);
		}
	}
	if (close(fd) < 0)
		die("close");
	printf("close() returned 0; exiting\n");
	return 0;
}
