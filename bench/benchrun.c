// SPDX-License-Identifier: MIT
/*
 * benchrun RUNS CMD [ARG...] - run CMD RUNS times with stdout and stderr on /dev/null and
 * print "MEDIAN_MS MAX_RSS_KIB MEDIAN_CPU_MS MIN_MS": wall time from fork to exit, peak RSS
 * and user+system CPU time from wait4(), the fastest run's wall time.  No shell or
 * ip-netns-exec start-up is counted.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char *argv[])
{
	int runs = argc > 2 ? atoi(argv[1]) : 0;
	double *ms, *cpu;
	long rss = 0;

	if (runs <= 0 || runs > 1000) {
		fprintf(stderr, "usage: benchrun RUNS CMD [ARG...]\n");
		return 2;
	}
	ms = calloc((size_t)runs, sizeof(*ms));
	cpu = calloc((size_t)runs, sizeof(*cpu));
	if (!ms || !cpu)
		return 2;
	for (int i = 0; i < runs; i++) {
		struct timespec a, b;
		struct rusage ru;
		int st;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &a);
		pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			dup2(null, 1);
			dup2(null, 2);
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (pid < 0 || wait4(pid, &st, 0, &ru) < 0)
			return 2;
		clock_gettime(CLOCK_MONOTONIC, &b);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "benchrun: %s failed\n", argv[2]);
			return 1;
		}
		ms[i] = (double)(b.tv_sec - a.tv_sec) * 1e3 + (double)(b.tv_nsec - a.tv_nsec) / 1e6;
		cpu[i] = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e3 +
			 (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e3;
		if (ru.ru_maxrss > rss)
			rss = ru.ru_maxrss;
	}
	qsort(ms, (size_t)runs, sizeof(*ms), cmp);
	qsort(cpu, (size_t)runs, sizeof(*cpu), cmp);
	printf("%.1f %ld %.1f %.1f\n", ms[runs / 2], rss, cpu[runs / 2], ms[0]);
	return 0;
}
