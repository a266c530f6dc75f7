// SPDX-License-Identifier: MIT
/* Socket inode -> owning processes, from one scan of /proc. */
#define _GNU_SOURCE
#include "proc.h"

#include "mem.h"

#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * The map is one open-addressing table of (inode, pid, fd) with linear probing, an inode's
 * owners side by side in its probe run: a lookup is one cache miss, which matters when 100,000
 * sockets are looked up in the kernel's (random) dump order.  Inode 0 is no socket's and marks a
 * free slot.  Process names live in a pool, found through a small table keyed by pid.
 */
struct entry {
	uint64_t inode;
	int32_t pid;
	int32_t fd;
};

struct name {
	uint32_t pid1; /* pid + 1; 0: free */
	uint32_t off;  /* into the pool */
};

struct nd_proc_map {
	struct entry *t;
	size_t nslots;  /* a power of two */
	size_t n;       /* entries */
	struct name *names;
	size_t nnames, names_used;
	char *pool;     /* process names, NUL-terminated */
	size_t pool_len, pool_cap;
	int32_t last_pid; /* the last name added: a process's fds come one after another */
	size_t denied;  /* processes whose fds could not be read (EACCES, EPERM) */
};

static size_t hash64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	return (size_t)x;
}

#define MIN_SLOTS 1024
#define MIN_NAMES 64

int nd_proc_map_new(struct nd_proc_map **out)
{
	struct nd_proc_map *m = calloc(1, sizeof(*m));

	if (!m)
		return -ENOMEM;
	m->t = nd_map_grow(NULL, 0, MIN_SLOTS * sizeof(*m->t));
	m->names = calloc(MIN_NAMES, sizeof(*m->names));
	if (!m->t || !m->names) {
		nd_map_free(m->t, MIN_SLOTS * sizeof(*m->t));
		free(m->names);
		free(m);
		return -ENOMEM;
	}
	m->nslots = MIN_SLOTS;
	m->nnames = MIN_NAMES;
	m->last_pid = -1;
	*out = m;
	return 0;
}

void nd_proc_free(struct nd_proc_map *m)
{
	if (!m)
		return;
	nd_map_free(m->t, m->nslots * sizeof(*m->t));
	free(m->names);
	free(m->pool);
	free(m);
}

size_t nd_proc_count(const struct nd_proc_map *m)
{
	return m->n;
}

size_t nd_proc_denied(const struct nd_proc_map *m)
{
	return m->denied;
}

/*
 * Where an inode's probe run starts: scattered, so that runs stay short.  (Keeping consecutive
 * inodes in adjacent slots makes adding them cheaper, but a lookup scans its whole run for
 * more owners, and consecutive inodes make one run of them all.)
 */
static size_t inode_slot(uint64_t inode, size_t nslots)
{
	return hash64(inode) & (nslots - 1);
}

static void put_entry(struct entry *t, size_t nslots, struct entry e)
{
	size_t h = inode_slot(e.inode, nslots);

	while (t[h].inode)
		h = (h + 1) & (nslots - 1);
	t[h] = e;
}

/* Twice the slots, in a fresh (zeroed, populated) mapping. */
static int grow_table(struct nd_proc_map *m)
{
	size_t n = m->nslots * 2;
	struct entry *t = nd_map_grow(NULL, 0, n * sizeof(*t));

	if (!t)
		return -ENOMEM;
	for (size_t i = 0; i < m->nslots; i++)
		if (m->t[i].inode)
			put_entry(t, n, m->t[i]);
	nd_map_free(m->t, m->nslots * sizeof(*m->t));
	m->t = t;
	m->nslots = n;
	return 0;
}

static struct name *find_name(const struct nd_proc_map *m, pid_t pid)
{
	size_t h = hash64((uint64_t)pid) & (m->nnames - 1);

	while (m->names[h].pid1 && m->names[h].pid1 != (uint32_t)pid + 1)
		h = (h + 1) & (m->nnames - 1);
	return &m->names[h];
}

static int grow_names(struct nd_proc_map *m)
{
	struct nd_proc_map old = *m;

	m->nnames *= 2;
	m->names = calloc(m->nnames, sizeof(*m->names));
	if (!m->names) {
		*m = old;
		return -ENOMEM;
	}
	for (size_t i = 0; i < old.nnames; i++)
		if (old.names[i].pid1)
			*find_name(m, (pid_t)(old.names[i].pid1 - 1)) = old.names[i];
	free(old.names);
	return 0;
}

/* Remember @comm as the name of @pid, unless it has one already. */
static int add_comm(struct nd_proc_map *m, pid_t pid, const char *comm)
{
	size_t l = strlen(comm) + 1;
	struct name *nm;

	if (m->last_pid == pid)
		return 0;
	if ((m->names_used + 1) * 2 > m->nnames && grow_names(m))
		return -ENOMEM;
	nm = find_name(m, pid);
	if (nm->pid1) {
		m->last_pid = pid;
		return 0;
	}
	if (m->pool_len + l > m->pool_cap) {
		size_t cap = m->pool_cap ? m->pool_cap * 2 : 4096;
		char *p;

		while (cap < m->pool_len + l)
			cap *= 2;
		p = realloc(m->pool, cap);
		if (!p)
			return -ENOMEM;
		m->pool = p;
		m->pool_cap = cap;
	}
	memcpy(m->pool + m->pool_len, comm, l);
	*nm = (struct name){ .pid1 = (uint32_t)pid + 1, .off = (uint32_t)m->pool_len };
	m->names_used++;
	m->last_pid = pid;
	m->pool_len += l;
	return 0;
}

int nd_proc_map_add(struct nd_proc_map *m, uint64_t inode, pid_t pid, int fd, const char *comm)
{
	if (inode == 0)
		return 0;
	if (add_comm(m, pid, comm))
		return -ENOMEM;
	if ((m->n + 1) * 2 > m->nslots && grow_table(m))
		return -ENOMEM;
	put_entry(m->t, m->nslots, (struct entry){ .inode = inode, .pid = pid, .fd = fd });
	m->n++;
	return 0;
}

static bool owner_before(const struct nd_proc_owner *a, const struct nd_proc_owner *b)
{
	return a->pid < b->pid || (a->pid == b->pid && a->fd < b->fd);
}

/*
 * Put @o into the @k owners of @out (room for @max), kept in (pid, fd) order; when @out is
 * full the last one drops out.  The scan's threads and the BPF iterator find the owners of a
 * shared socket in different orders: the output must not depend on which one ran.  A socket
 * rarely has more than a couple of owners.
 */
static void insert_owner(struct nd_proc_owner *out, size_t k, size_t max, struct nd_proc_owner o)
{
	if (max == 0)
		return;
	if (k >= max) {
		if (!owner_before(&o, &out[max - 1]))
			return;
		k = max - 1;
	}
	for (; k > 0 && owner_before(&o, &out[k - 1]); k--)
		out[k] = out[k - 1];
	out[k] = o;
}

size_t nd_proc_lookup(const struct nd_proc_map *m, uint64_t inode, struct nd_proc_owner *out,
		      size_t max)
{
	size_t h = inode_slot(inode, m->nslots);
	size_t k = 0;

	if (inode == 0)
		return 0;
	for (; m->t[h].inode; h = (h + 1) & (m->nslots - 1)) {
		const struct entry *e = &m->t[h];
		const struct name *nm;

		if (e->inode != inode)
			continue;
		nm = find_name(m, e->pid);
		insert_owner(out, k++, max, (struct nd_proc_owner){
			.pid = e->pid, .fd = e->fd, .comm = nm->pid1 ? m->pool + nm->off : "" });
	}
	return k;
}

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
#define MAX_WORKERS 4
#define BIG_FDS 1024 /* more fds than this: the readlinks go to the second pass */
#define CHUNK 512    /* readlinks per unit of work in the second pass */
#define MAX_BIG 64   /* processes kept for the second pass (each keeps its fd directory open) */

struct big {
	int dfd;       /* the open /proc/<pid>/fd */
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
	struct nd_proc_map *map[MAX_WORKERS];
	int err[MAX_WORKERS];
	pthread_mutex_t lock; /* big, nbig */
	struct big big[MAX_BIG];
	size_t nbig;
	size_t nchunks;
	atomic_size_t next_chunk;
};

struct worker {
	struct scan *sc;
	int id;
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
		m->denied++;
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
	struct worker *w = arg;
	struct scan *sc = w->sc;
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
	struct worker *w = arg;
	struct scan *sc = w->sc;
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

static int merge(struct nd_proc_map *into, const struct nd_proc_map *from)
{
	into->denied += from->denied;
	for (size_t i = 0; i < from->nslots; i++) {
		const struct entry *e = &from->t[i];
		const struct name *nm;
		int err;

		if (!e->inode)
			continue;
		nm = find_name(from, e->pid);
		err = nd_proc_map_add(into, e->inode, e->pid, e->fd,
				      nm->pid1 ? from->pool + nm->off : "");
		if (err)
			return err;
	}
	return 0;
}

/* Run @fn on @nw workers: this thread is worker 0. */
static void run_pass(struct scan *sc, int nw, void *(*fn)(void *))
{
	struct worker w[MAX_WORKERS];
	pthread_t th[MAX_WORKERS];
	bool started[MAX_WORKERS] = { false };

	for (int i = 0; i < nw; i++)
		w[i] = (struct worker){ .sc = sc, .id = i };
	for (int i = 1; i < nw; i++)
		started[i] = pthread_create(&th[i], NULL, fn, &w[i]) == 0;
	fn(&w[0]);
	for (int i = 1; i < nw; i++)
		if (started[i])
			pthread_join(th[i], NULL);
}

int nd_proc_scan(const char *root, struct nd_proc_map **out)
{
	struct scan sc = { .rootfd = -1 };
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int nw = ncpu < 1 ? 1 : ncpu > MAX_WORKERS ? MAX_WORKERS : (int)ncpu;
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
		run_pass(&sc, sc.npids < 64 ? 1 : nw, worker_run);
	for (int i = 0; !err && i < nw; i++)
		err = sc.err[i];
	/* second pass: the readlinks of the processes with many fds, in chunks */
	for (size_t b = 0; b < sc.nbig; b++)
		sc.nchunks += (sc.big[b].n + CHUNK - 1) / CHUNK;
	if (!err && sc.nchunks)
		run_pass(&sc, sc.nchunks < 2 ? 1 : nw, worker_chunks);
	for (int i = 0; !err && i < nw; i++)
		err = sc.err[i];
	for (int i = 1; !err && i < nw; i++)
		err = merge(sc.map[0], sc.map[i]);
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
