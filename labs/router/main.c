/* labs/router/main.c — labimpair: the labs' impairment forwarder, for kernels without sch_netem.
 *
 *   labimpair [--dev NAME] [--delay MS] [--loss PCT] [--reorder PCT] [--dup PCT] [--drop-last-ack]
 *             [--seed N]
 *
 * Runs in the router namespace.  Policy routing there (labs/impair.sh) sends the traffic between
 * h1's link and the bridge into the TUN device NAME (default imp0); this program reads each packet,
 * decides its fate (impair.c), raises its TTL by one to undo the extra hop and writes it back into
 * the TUN device, where the kernel routes it on.  TTL exceeded thus still comes from the real router
 * r, on the first pass.  SIGTERM or SIGINT: print the counters and exit 0. */
#define _GNU_SOURCE /* ppoll */
#include "impair.h"
#include "queue.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define QUEUE_CAP 8192
#define MAX_PKT 65536

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void usage_exit(const char *msg)
{
	fprintf(stderr, "labimpair: %s\n", msg);
	exit(2);
}

/* A whole decimal number no larger than MAX, or exit 2 naming OPT. */
static uint64_t parse_uint(const char *opt, const char *s, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	if (!s || *s < '0' || *s > '9')
		goto bad;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		goto bad;
	return v;
bad:
	fprintf(stderr, "labimpair: %s wants a whole number up to %llu, not '%s'\n", opt,
		(unsigned long long)max, s ? s : "");
	exit(2);
}

static uint32_t parse_pct(const char *opt, const char *s)
{
	uint32_t ppm;

	if (impair_parse_pct(s, &ppm) < 0) {
		fprintf(stderr, "labimpair: %s wants a percentage 0..100, not '%s'\n", opt, s);
		exit(2);
	}
	return ppm;
}

static void parse_args(int argc, char **argv, struct impair_cfg *cfg, const char **dev)
{
	static const struct option opts[] = {
		{ "dev", required_argument, NULL, 'i' },     { "delay", required_argument, NULL, 'd' },
		{ "loss", required_argument, NULL, 'l' },    { "reorder", required_argument, NULL, 'r' },
		{ "dup", required_argument, NULL, 'u' },     { "drop-last-ack", no_argument, NULL, 'a' },
		{ "seed", required_argument, NULL, 's' },    { NULL, 0, NULL, 0 },
	};
	int c;

	memset(cfg, 0, sizeof(*cfg));
	cfg->seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
	*dev = "imp0";
	opterr = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (strlen(optarg) == 0 || strlen(optarg) >= IFNAMSIZ)
				usage_exit("--dev wants an interface name of 1 to 15 characters");
			*dev = optarg;
			break;
		case 'd': cfg->delay_ms = (uint32_t)parse_uint("--delay", optarg, 60000); break;
		case 'l': cfg->loss_ppm = parse_pct("--loss", optarg); break;
		case 'r': cfg->reorder_ppm = parse_pct("--reorder", optarg); break;
		case 'u': cfg->dup_ppm = parse_pct("--dup", optarg); break;
		case 'a': cfg->drop_last_ack = 1; break;
		case 's': cfg->seed = parse_uint("--seed", optarg, UINT64_MAX); break;
		default:
			fprintf(stderr, "labimpair: unknown or incomplete option '%s'\n", argv[optind - 1]);
			exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "labimpair: unexpected argument '%s'\n", argv[optind]);
		exit(2);
	}
}

/* Attach to the TUN device DEV (made by `ip tuntap add`); the fd, or -1 with a message. */
static int tun_open(const char *dev)
{
	struct ifreq ifr;
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		perror("labimpair: /dev/net/tun");
		return -1;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
		fprintf(stderr, "labimpair: attach to %s: %s\n", dev, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}

/* Read every packet waiting on FD and queue the copies IM decides on. */
static void take_in(int fd, struct impair *im, struct pqueue *q, uint8_t *buf, uint64_t *qfull)
{
	uint64_t delay[2];
	struct pkt_info pi;
	char what[128];
	ssize_t n;
	int copies, i;

	while ((n = read(fd, buf, MAX_PKT)) > 0) {
		copies = impair_decide(im, buf, (size_t)n, delay, &pi);
		if (im->was_last_ack) {
			pkt_fmt_tcp(&pi, what, sizeof(what));
			printf("drop-last-ack: %s ack %u\n", what, pi.ack);
			fflush(stdout);
		}
		(void)pkt_ttl_inc(buf, (size_t)n);
		for (i = 0; i < copies; i++)
			if (pq_push(q, now_ns() + delay[i], buf, (size_t)n) < 0)
				(*qfull)++;
	}
}

/* Write back every queued packet that is due. */
static void send_due(int fd, struct pqueue *q, uint64_t *werr)
{
	uint64_t due;
	struct qpkt p;

	while (pq_next_due(q, &due) == 0 && due <= now_ns()) {
		p = pq_pop(q);
		if (write(fd, p.data, p.len) != (ssize_t)p.len)
			(*werr)++;
		free(p.data);
	}
}

int main(int argc, char **argv)
{
	static struct impair im;
	static uint8_t buf[MAX_PKT];
	struct impair_cfg cfg;
	struct pqueue q;
	struct pollfd pfd;
	struct timespec ts, *tsp;
	uint64_t due, now, qfull = 0, werr = 0;
	const char *dev;
	int fd;

	parse_args(argc, argv, &cfg, &dev);
	fd = tun_open(dev);
	if (fd < 0)
		return 1;
	if (pq_init(&q, QUEUE_CAP) < 0) {
		fprintf(stderr, "labimpair: out of memory\n");
		return 1;
	}
	impair_init(&im, &cfg);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	/* the first line says the device is attached, and which pid to stop (lab.sh reads both) */
	printf("labimpair on %s (pid %d): delay %u ms, loss %u ppm, reorder %u ppm, dup %u ppm, "
	       "drop-last-ack %s, seed %llu\n", dev, (int)getpid(), cfg.delay_ms, cfg.loss_ppm,
	       cfg.reorder_ppm, cfg.dup_ppm,
	       cfg.drop_last_ack ? "on" : "off", (unsigned long long)cfg.seed);
	fflush(stdout);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	while (!stop) {
		tsp = NULL;
		if (pq_next_due(&q, &due) == 0) {
			now = now_ns();
			due = due > now ? due - now : 0;
			ts = (struct timespec){ .tv_sec = (time_t)(due / 1000000000u),
						.tv_nsec = (long)(due % 1000000000u) };
			tsp = &ts;
		}
		if (ppoll(&pfd, 1, tsp, NULL) < 0 && errno != EINTR) {
			perror("labimpair: ppoll");
			break;
		}
		if (pfd.revents & POLLIN)
			take_in(fd, &im, &q, buf, &qfull);
		send_due(fd, &q, &werr);
	}
	printf("labimpair: %llu packets in, %llu link chatter dropped, %llu lost, %llu duplicated, %llu reordered, "
	       "%llu last ACKs dropped, %llu dropped on a full queue, %llu failed writes\n",
	       (unsigned long long)im.st.in, (unsigned long long)im.st.chatter,
	       (unsigned long long)im.st.lost,
	       (unsigned long long)im.st.dup, (unsigned long long)im.st.reordered,
	       (unsigned long long)im.st.last_ack, (unsigned long long)qfull,
	       (unsigned long long)werr);
	pq_free(&q);
	close(fd);
	return 0;
}
