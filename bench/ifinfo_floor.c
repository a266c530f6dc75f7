// SPDX-License-Identifier: MIT
/*
 * ifinfo_floor - the floor under ifinfo: one RTM_GETLINK and one RTM_GETADDR dump through
 * lib/nl, the requests ifinfo sends, with a callback that does nothing but count.  Prints
 * nothing (unless -v).
 *
 *   ifinfo_floor [-v] [-l LINKFILE] [-a ADDRFILE]
 *
 * With -l / -a it also writes every message of the dump, as the kernel sent it, to the file:
 * that is how the canned rtnetlink bytes in tests/data/unit/ were captured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>

#include "link.h"
#include "nl.h"

struct sink {
	FILE *f;
	unsigned long n;
};

static int count_cb(const struct nlmsghdr *nlh, void *data)
{
	struct sink *s = data;

	s->n++;
	if (s->f && fwrite(nlh, 1, nlh->nlmsg_len, s->f) != nlh->nlmsg_len)
		return MNL_CB_ERROR;
	return MNL_CB_OK;
}

static void rewind_sink(void *data)
{
	struct sink *s = data;

	s->n = 0;
	if (s->f && (fflush(s->f) || ftruncate(fileno(s->f), 0) || fseek(s->f, 0, SEEK_SET)))
		s->f = NULL;
}

static int dump(struct nd_nl *nl, uint16_t type, struct sink *s)
{
	struct nlmsghdr *req = nd_nl_request(nl, type, NLM_F_DUMP);

	/* the requests ifinfo sends */
	if (type == RTM_GETLINK)
		nd_link_dump_req(req, AF_UNSPEC);
	else
		nd_ifaddr_dump_req(req, AF_UNSPEC);
	return nd_nl_dump(nl, req, count_cb, rewind_sink, s);
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "wb");

	if (!f) {
		fprintf(stderr, "ifinfo_floor: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	return f;
}

int main(int argc, char *argv[])
{
	struct sink links = { 0 }, addrs = { 0 };
	struct nd_nl *nl;
	int opt, err, verbose = 0;

	while ((opt = getopt(argc, argv, "vl:a:")) != -1) {
		switch (opt) {
		case 'v': verbose = 1; break;
		case 'l': links.f = open_out(optarg); break;
		case 'a': addrs.f = open_out(optarg); break;
		default:
			fprintf(stderr, "usage: ifinfo_floor [-v] [-l LINKFILE] [-a ADDRFILE]\n");
			return 2;
		}
	}
	err = nd_nl_open(&nl, NETLINK_ROUTE);
	if (!err)
		err = dump(nl, RTM_GETLINK, &links);
	if (!err)
		err = dump(nl, RTM_GETADDR, &addrs);
	if (err) {
		fprintf(stderr, "ifinfo_floor: dump: %s\n", nd_nl_strerror(err));
		return 2;
	}
	nd_nl_close(nl);
	if ((links.f && fclose(links.f)) || (addrs.f && fclose(addrs.f))) {
		fprintf(stderr, "ifinfo_floor: write: %s\n", strerror(errno));
		return 2;
	}
	if (verbose)
		printf("%lu links, %lu addresses\n", links.n, addrs.n);
	return 0;
}
