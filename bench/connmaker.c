// SPDX-License-Identifier: MIT
/*
 * connmaker N [PER_CHILD] - hold N established loopback TCP connections (2N sockets) for the
 * connstat bench.  The per-process fd limit here is 20,000, so the connections are spread over
 * child processes, each listening on its own 127.0.0.K:5000 and connecting to itself.  Prints
 * "ready N" when all are up, then waits for SIGTERM/SIGINT and takes the children with it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static int child(int k, int n, int ready)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(5000) };
	struct rlimit rl;
	int one = 1, l;

	getrlimit(RLIMIT_NOFILE, &rl);
	rl.rlim_cur = rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	a.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)(k + 2));
	l = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 4096)) {
		fprintf(stderr, "connmaker: listen on 127.0.0.%d: %s\n", k + 2, strerror(errno));
		return 1;
	}
	for (int i = 0; i < n; i++) {
		int c = socket(AF_INET, SOCK_STREAM, 0);

		if (c < 0 || connect(c, (struct sockaddr *)&a, sizeof(a)) || accept(l, NULL, NULL) < 0) {
			fprintf(stderr, "connmaker: connection %d of child %d: %s\n", i, k,
				strerror(errno));
			return 1;
		}
	}
	if (write(ready, "x", 1) != 1)
		return 1;
	pause();
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char *argv[])
{
	long total = argc > 1 ? atol(argv[1]) : 50000;
	long per = argc > 2 ? atol(argv[2]) : 9000;
	int nkids, p[2];
	pid_t kids[256];
	char c;

	if (total <= 0 || per <= 0 || (nkids = (int)((total + per - 1) / per)) > 250) {
		fprintf(stderr, "usage: connmaker [N [PER_CHILD]]\n");
		return 2;
	}
	if (pipe(p))
		return 2;
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	for (int k = 0; k < nkids; k++) {
		int n = (int)(total - (long)k * per < per ? total - (long)k * per : per);

		kids[k] = fork();
		if (kids[k] == 0) {
			signal(SIGTERM, SIG_DFL);
			close(p[0]);
			_exit(child(k, n, p[1]));
		}
	}
	close(p[1]);
	for (int k = 0; k < nkids; k++) {
		if (read(p[0], &c, 1) != 1) {
			fprintf(stderr, "connmaker: a child failed\n");
			stop = 1;
			break;
		}
	}
	if (!stop) {
		printf("ready %ld\n", total);
		fflush(stdout);
	}
	while (!stop)
		pause();
	for (int k = 0; k < nkids; k++)
		kill(kids[k], SIGKILL);
	while (wait(NULL) > 0)
		;
	return 0;
}
