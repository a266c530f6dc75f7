// SPDX-License-Identifier: MIT
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdatomic.h>

#include "workers.h"

/* What the workers saw: which ids ran, in which threads, and the units they took. */
struct job {
	atomic_int ran[ND_WORKERS_MAX];
	pthread_t thread[ND_WORKERS_MAX];
	atomic_size_t next;
	atomic_int done[1000];
};

static void *work(void *arg)
{
	struct nd_worker *w = arg;
	struct job *j = w->job;
	size_t i;

	atomic_fetch_add(&j->ran[w->id], 1);
	j->thread[w->id] = pthread_self();
	while ((i = atomic_fetch_add(&j->next, 1)) < 1000)
		atomic_fetch_add(&j->done[i], 1);
	return NULL;
}

static void run(struct job *j, int n)
{
	*j = (struct job){ 0 };
	nd_workers_run(n, work, j);
}

static void test_count(void **state)
{
	int n = nd_workers_count();

	(void)state;
	assert_in_range(n, 1, ND_WORKERS_MAX);
}

/* each worker runs once, worker 0 in the caller's thread, the others elsewhere; every unit once */
static void test_run(void **state)
{
	static struct job j;

	(void)state;
	for (int n = 1; n <= ND_WORKERS_MAX; n++) {
		run(&j, n);
		for (int i = 0; i < ND_WORKERS_MAX; i++)
			assert_int_equal(atomic_load(&j.ran[i]), i < n);
		assert_true(pthread_equal(j.thread[0], pthread_self()));
		for (int i = 1; i < n; i++)
			assert_false(pthread_equal(j.thread[i], pthread_self()));
		for (int i = 0; i < 1000; i++)
			assert_int_equal(atomic_load(&j.done[i]), 1);
	}
}

/* a count out of range is brought into it */
static void test_clamp(void **state)
{
	static struct job j;

	(void)state;
	run(&j, 0);
	assert_int_equal(atomic_load(&j.ran[0]), 1);
	run(&j, ND_WORKERS_MAX + 5);
	for (int i = 0; i < ND_WORKERS_MAX; i++)
		assert_int_equal(atomic_load(&j.ran[i]), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count),
		cmocka_unit_test(test_run),
		cmocka_unit_test(test_clamp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
