// SPDX-License-Identifier: MIT
/* Socket inode -> owning processes: the threaded scan of /proc (the map: proc_map.c). */
#define _GNU_SOURCE
#include "proc.h"
#include "workers.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int nd_proc_parse_socket_link(const char *s, size_t len, uint64_t *inode)
{
	uint64_t v = 0;
	size_t i;

	if (len < 10 || memcmp(s, "socket:[", 8) != 0 || s[len - 1] != ']')
		return -EINVAL;
	for (i = 8; i < len - 1; i++) {
		if (s[i] < '0' || s[i] > '9' || v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	*inode = v;
	return 0;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* The process name as /proc/<pid>/comm gives it, without the newline. */
static void read_comm(int pdir, char *comm, size_t len)
{
	int fd = openat(pdir, "comm", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	comm[0] = '\0';
	if (fd < 0)
		return;
	n = read(fd, comm, len - 1);
	close(fd);
	if (n <= 0)
		return;
	if (comm[n - 1] == '\n')
		n--;
	comm[n] = '\0';
}

/*
 * The kernel's work per fd (a dentry lookup for the listing and again for readlink) is the whole
 * cost, and it runs in parallel for different processes: the pids are shared out to a few
 * threads, each with its own map, merged at the end.  A process with many fds (a server holding
 * most of the sockets) would leave one thread doing all the work: its fd list is kept, and its
 * readlinks are shared out in chunks in a second pass.
 */
#define BIG_FDS 1024 /* more fds than this: the readlinks go to the second pass */
#define CHUNK   512  /* readlinks per unit of work in the second pass */
#define MAX_BIG 64   /* processes kept for the second pass (each keeps its fd directory open) */

struct big {
	int dfd; /* the open /proc/<pid>/fd */
	pid_t pid;
	int *fds;
	size_t n;
	char comm[64];
};

struct scan {
	int rootfd;
	int *pids;
	size_t npids;
	atomic_size_t next;
	struct nd_proc_map *map[ND_WORKERS_MAX];
	int err[ND_WORKERS_MAX];
	pthread_mutex_t lock; /* big, nbig */
	struct big big[MAX_BIG];
	size_t nbig;
	size_t nchunks;
	atomic_size_t next_chunk;
};

/* Whether fd @fd in the directory @dfd is a socket; its inode in *@ino. */
static bool socket_inode(int dfd, int fd, uint64_t *ino)
{
	char name[16], link[64];
	ssize_t n;

	snprintf(name, sizeof(name), "%d", fd);
	n = readlinkat(dfd, name, link, sizeof(link));
	return n >= 10 && link[0] == 's' && nd_proc_parse_socket_link(link, (size_t)n, ino) == 0;
}

/*
 * The entries of the directory @dirfd that are numbers (pids in /proc, fds in /proc/<pid>/fd),
 * into a new array *@out (*@n of them).
 */
static int list_numbers(int dirfd, int **out, size_t *n)
{
	size_t cap = 0;
	struct dirent *de;
	int dup_fd = dup(dirfd);
	DIR *d;

	*out = NULL;
	*n = 0;
	if (dup_fd < 0)
		return -errno;
	d = fdopendir(dup_fd);
	if (!d) {
		close(dup_fd);
		return -errno;
	}
	while ((de = readdir(d))) {
		if (!all_digits(de->d_name))
			continue;
		if (*n == cap) {
			int *t = realloc(*out, (cap = cap ? cap * 2 : 256) * sizeof(**out));

			if (!t) {
				closedir(d);
				free(*out);
				*out = NULL;
				return -ENOMEM;
			}
			*out = t;
		}
		(*out)[(*n)++] = atoi(de->d_name);
	}
	closedir(d);
	return 0;
}

int nd_proc_list_pids(const char *root, int **pids, size_t *n)
{
	int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int err;

	*pids = NULL;
	*n = 0;
	if (fd < 0)
		return -errno;
	err = list_numbers(fd, pids, n);
	close(fd);
	return err;
}

static int scan_pid(struct nd_proc_map *m, struct scan *sc, const char *name)
{
	char comm[64] = "";
	bool have_comm = false;
	int pdir, dfd, *fds;
	pid_t pid = (pid_t)atoi(name);
	size_t n;
	int err = 0;

	pdir = openat(sc->rootfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pdir < 0)
		return 0;
	dfd = openat(pdir, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 && (errno == EACCES || errno == EPERM))
		nd_proc_map_deny(m);
	if (dfd < 0 || list_numbers(dfd, &fds, &n)) {
		if (dfd >= 0)
			close(dfd);
		close(pdir);
		return 0; /* gone, or not ours to read */
	}
	if (n > BIG_FDS) {
		struct big *b = NULL;

		pthread_mutex_lock(&sc->lock);
		if (sc->nbig < MAX_BIG)
			b = &sc->big[sc->nbig++];
		pthread_mutex_unlock(&sc->lock);
		if (b) {
			*b = (struct big){ .dfd = dfd, .pid = pid, .fds = fds, .n = n };
			read_comm(pdir, b->comm, sizeof(b->comm));
			close(pdir);
			return 0;
		}
	}
	for (size_t i = 0; i < n && !err; i++) {
		uint64_t ino;

		if (!socket_inode(dfd, fds[i], &ino))
			continue;
		if (!have_comm) { /* only for a process that holds sockets */
			read_comm(pdir, comm, sizeof(comm));
			have_comm = true;
		}
		err = nd_proc_map_add(m, ino, pid, fds[i], comm);
	}
	free(fds);
	close(dfd);
	close(pdir);
	return err;
}

static void *worker_run(void *arg)
{
	struct nd_worker *w = arg;
	struct scan *sc = w->job;
	size_t i;

	while ((i = atomic_fetch_add(&sc->next, 1)) < sc->npids) {
		char name[16];

		snprintf(name, sizeof(name), "%d", sc->pids[i]);
		sc->err[w->id] = scan_pid(sc->map[w->id], sc, name);
		if (sc->err[w->id])
			break;
	}
	return NULL;
}

/* The second pass: chunk @i of the big processes' fds, in order. */
static void *worker_chunks(void *arg)
{
	struct nd_worker *w = arg;
	struct scan *sc = w->job;
	size_t i;

	while (!sc->err[w->id] && (i = atomic_fetch_add(&sc->next_chunk, 1)) < sc->nchunks) {
		struct big *b = sc->big;
		size_t start, end;

		while (i >= (b->n + CHUNK - 1) / CHUNK) {
			i -= (b->n + CHUNK - 1) / CHUNK;
			b++;
		}
		start = i * CHUNK;
		end = start + CHUNK < b->n ? start + CHUNK : b->n;
		for (size_t k = start; k < end && !sc->err[w->id]; k++) {
			uint64_t ino;

			if (socket_inode(b->dfd, b->fds[k], &ino))
				sc->err[w->id] = nd_proc_map_add(sc->map[w->id], ino, b->pid,
								 b->fds[k], b->comm);
		}
	}
	return NULL;
}

int nd_proc_scan(const char *root, struct nd_proc_map **out)
{
	struct scan sc = { .rootfd = -1 };
	int nw = nd_workers_count();
	int err = 0;

	sc.rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sc.rootfd < 0)
		return -errno;
	pthread_mutex_init(&sc.lock, NULL);
	atomic_init(&sc.next, 0);
	atomic_init(&sc.next_chunk, 0);
	err = list_numbers(sc.rootfd, &sc.pids, &sc.npids);
	for (int i = 0; !err && i < nw; i++)
		err = nd_proc_map_new(&sc.map[i]);
	/* first pass: every process; few processes are not worth a thread */
	if (!err)
		nd_workers_run(sc.npids < 64 ? 1 : nw, worker_run, &sc);
	for (int i = 0; !err && i < nw; i++)
		err = sc.err[i];
	/* second pass: the readlinks of the processes with many fds, in chunks */
	for (size_t b = 0; b < sc.nbig; b++)
		sc.nchunks += (sc.big[b].n + CHUNK - 1) / CHUNK;
	if (!err && sc.nchunks)
		nd_workers_run(sc.nchunks < 2 ? 1 : nw, worker_chunks, &sc);
	for (int i = 0; !err && i < nw; i++)
		err = sc.err[i];
	for (int i = 1; !err && i < nw; i++)
		err = nd_proc_map_merge(sc.map[0], sc.map[i]);
	for (int i = 1; i < nw; i++)
		nd_proc_free(sc.map[i]);
	for (size_t b = 0; b < sc.nbig; b++) {
		close(sc.big[b].dfd);
		free(sc.big[b].fds);
	}
	pthread_mutex_destroy(&sc.lock);
	close(sc.rootfd);
	free(sc.pids);
	if (err) {
		nd_proc_free(sc.map[0]);
		return err;
	}
	*out = sc.map[0];
	return 0;
}
