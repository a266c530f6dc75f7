// SPDX-License-Identifier: MIT
/* /proc/sys values and /proc/net/snmp counters: pure parsers and thin readers. */
#include "sysctl.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int nd_sysctl_parse(const char *text, size_t len, int64_t *vals, int max)
{
	size_t i = 0;
	int n = 0;

	while (i < len) {
		char num[24];
		size_t k = 0;
		char *end;

		if (is_space(text[i])) {
			i++;
			continue;
		}
		while (i < len && !is_space(text[i])) {
			if (k + 1 >= sizeof(num))
				return -EINVAL;
			num[k++] = text[i++];
		}
		num[k] = '\0';
		if (n >= max)
			return -EINVAL;
		if (!((num[0] >= '0' && num[0] <= '9') || (num[0] == '-' && k > 1)))
			return -EINVAL;
		errno = 0;
		vals[n] = strtoll(num, &end, 10);
		if (*end || errno)
			return -EINVAL;
		n++;
	}
	return n ? n : -EINVAL;
}

int nd_sysctl_path(const char *name, char *buf, size_t len)
{
	static const char pre[] = "/proc/sys/";
	size_t n = strlen(name);

	if (sizeof(pre) + n > len)
		return -ENAMETOOLONG;
	memcpy(buf, pre, sizeof(pre) - 1);
	for (size_t i = 0; i <= n; i++)
		buf[sizeof(pre) - 1 + i] = name[i] == '.' ? '/' : name[i];
	return 0;
}

/* Read a small /proc file whole; returns its length or a negative errno. */
static ssize_t read_small(const char *path, char *buf, size_t len)
{
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while (got < len) {
		ssize_t r = read(fd, buf + got, len - got);

		if (r < 0) {
			int e = errno;

			if (e == EINTR)
				continue;
			close(fd);
			return -e;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	return (ssize_t)got;
}

int nd_sysctl_read(const char *name, int64_t *vals, int max)
{
	char path[256], buf[256];
	ssize_t n;
	int r = nd_sysctl_path(name, path, sizeof(path));

	if (r < 0)
		return r;
	n = read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return nd_sysctl_parse(buf, (size_t)n, vals, max);
}

/* The next line of @text from *@pos: its start and length (without the newline). */
static int next_line(const char *text, size_t len, size_t *pos, const char **line, size_t *llen)
{
	size_t s = *pos, e = s;

	if (s >= len)
		return 0;
	while (e < len && text[e] != '\n')
		e++;
	*line = text + s;
	*llen = e - s;
	*pos = e < len ? e + 1 : e;
	return 1;
}

/* The next space-separated word of @l (@ll bytes) from *@i: its start and length, or NULL. */
static const char *next_word(const char *l, size_t ll, size_t *i, size_t *wl)
{
	size_t s;

	while (*i < ll && l[*i] == ' ')
		(*i)++;
	if (*i >= ll)
		return NULL;
	s = *i;
	while (*i < ll && l[*i] != ' ')
		(*i)++;
	*wl = *i - s;
	return l + s;
}

/* The decimal word @w (@wl bytes) as a number. */
static int word_u64(const char *w, size_t wl, uint64_t *out)
{
	char num[24];
	char *end;

	if (!w || wl == 0 || wl >= sizeof(num) || w[0] < '0' || w[0] > '9')
		return -EINVAL;
	memcpy(num, w, wl);
	num[wl] = '\0';
	errno = 0;
	*out = strtoull(num, &end, 10);
	return *end || errno ? -EINVAL : 0;
}

int nd_snmp_parse(const char *text, size_t len, const char *proto, const char *field, uint64_t *out)
{
	size_t pos = 0, plen = strlen(proto), flen = strlen(field);
	const char *hdr, *val;
	size_t hl, vl;

	while (next_line(text, len, &pos, &hdr, &hl)) {
		size_t hi = 0, vi = 0, hwl, vwl;
		const char *hw, *vw;

		if (hl <= plen || memcmp(hdr, proto, plen) != 0 || hdr[plen] != ':')
			continue;
		/* the header line; the values follow on the next line with the same prefix */
		if (!next_line(text, len, &pos, &val, &vl))
			return -EINVAL;
		if (vl <= plen || memcmp(val, proto, plen) != 0 || val[plen] != ':')
			return -EINVAL;
		/* names and values side by side, one pass over both lines ("Udp:" first) */
		next_word(hdr, hl, &hi, &hwl);
		next_word(val, vl, &vi, &vwl);
		while ((hw = next_word(hdr, hl, &hi, &hwl))) {
			vw = next_word(val, vl, &vi, &vwl);
			if (hwl == flen && memcmp(hw, field, flen) == 0)
				return word_u64(vw, vwl, out);
			if (!vw)
				return -EINVAL; /* fewer values than names */
		}
		return -ENOENT;
	}
	return -ENOENT;
}

int nd_snmp_read(const char *proto, const char *field, uint64_t *out)
{
	char buf[8192];
	ssize_t n = read_small("/proc/net/snmp", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return nd_snmp_parse(buf, (size_t)n, proto, field, out);
}

int nd_snmp6_parse(const char *text, size_t len, const char *field, uint64_t *out)
{
	size_t pos = 0, flen = strlen(field);
	const char *l;
	size_t ll;

	while (next_line(text, len, &pos, &l, &ll)) {
		size_t i = flen, s, e;
		char num[24];
		char *end;

		if (ll <= flen || memcmp(l, field, flen) != 0 ||
		    (l[flen] != ' ' && l[flen] != '\t'))
			continue;
		while (i < ll && (l[i] == ' ' || l[i] == '\t'))
			i++;
		s = i;
		while (i < ll && l[i] >= '0' && l[i] <= '9')
			i++;
		e = i;
		while (i < ll && (l[i] == ' ' || l[i] == '\t' || l[i] == '\r'))
			i++;
		if (e == s || e - s >= sizeof(num) || i != ll)
			return -EINVAL;
		memcpy(num, l + s, e - s);
		num[e - s] = '\0';
		errno = 0;
		*out = strtoull(num, &end, 10);
		return errno ? -EINVAL : 0;
	}
	return -ENOENT;
}

int nd_snmp6_read(const char *field, uint64_t *out)
{
	char buf[16384];
	ssize_t n = read_small("/proc/net/snmp6", buf, sizeof(buf));

	if (n < 0)
		return (int)n;
	return nd_snmp6_parse(buf, (size_t)n, field, out);
}
