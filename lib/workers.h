/* SPDX-License-Identifier: MIT */
#ifndef ND_WORKERS_H
#define ND_WORKERS_H

/*
 * A few threads on one job: the /proc scan and connstat's BPF owner reader share their work out
 * to up to ND_WORKERS_MAX workers, each taking units from an atomic counter in the job.
 */
#define ND_WORKERS_MAX 4

/* What a worker function is given: the job all workers share, and its own number. */
struct nd_worker {
	void *job;
	int id; /* 0 .. n-1 */
};

/*
 * nd_workers_count - how many workers are worth starting: the CPUs this process may run on
 * (its affinity, as taskset sets it; more threads would only take turns), from 1 to
 * ND_WORKERS_MAX.
 */
int nd_workers_count(void);

/*
 * nd_workers_run - run @fn on @n workers (1 to ND_WORKERS_MAX), each given a struct nd_worker
 * with @job and its id: worker 0 in this thread, the others each in a thread of its own, and
 * return when all have returned.  A worker whose thread cannot be started does not run at all,
 * so @fn must take its work from a shared counter, never from a share fixed by its id.
 */
void nd_workers_run(int n, void *(*fn)(void *), void *job);

#endif
