/* SPDX-License-Identifier: MIT */
/* lib/workers.c — a few threads on one job (see workers.h). */
#define _GNU_SOURCE
#include "workers.h"

#include <pthread.h>
#include <sched.h>
#include <stdbool.h>

int nd_workers_count(void)
{
	cpu_set_t set;
	int n;

	if (sched_getaffinity(0, sizeof(set), &set))
		return 1;
	n = CPU_COUNT(&set);
	return n < 1 ? 1 : n > ND_WORKERS_MAX ? ND_WORKERS_MAX : n;
}

void nd_workers_run(int n, void *(*fn)(void *), void *job)
{
	struct nd_worker w[ND_WORKERS_MAX];
	pthread_t th[ND_WORKERS_MAX];
	bool started[ND_WORKERS_MAX] = { false };

	if (n < 1)
		n = 1;
	if (n > ND_WORKERS_MAX)
		n = ND_WORKERS_MAX;
	for (int i = 0; i < n; i++)
		w[i] = (struct nd_worker){ .job = job, .id = i };
	for (int i = 1; i < n; i++)
		started[i] = pthread_create(&th[i], NULL, fn, &w[i]) == 0;
	fn(&w[0]);
	for (int i = 1; i < n; i++)
		if (started[i])
			pthread_join(th[i], NULL);
}
