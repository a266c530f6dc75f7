// SPDX-License-Identifier: MIT
/*
 * The system's lookups for the names in a filter expression (struct nd_filter_names): the only
 * part of the filter code that asks anything outside the process.
 */
#include "filter.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <pwd.h>
#include <sys/socket.h>

static int host(const char *name, int family, struct addrinfo **res)
{
	struct addrinfo hints = { .ai_family = family, .ai_socktype = SOCK_STREAM };

	return getaddrinfo(name, NULL, &hints, res);
}

static int service(const char *name, const char *proto)
{
	/* getservbyname returns one static entry: the port is taken before the next call */
	struct servent *e = getservbyname(name, proto);

	return e ? ntohs((uint16_t)e->s_port) : -1;
}

static int user(const char *name, uint32_t *uid)
{
	struct passwd *pw = getpwnam(name);

	if (!pw)
		return -ENOENT;
	*uid = pw->pw_uid;
	return 0;
}

const struct nd_filter_names nd_filter_names_system = {
	.host = host,
	.service = service,
	.user = user,
};
