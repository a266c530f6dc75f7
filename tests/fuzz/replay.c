// SPDX-License-Identifier: MIT
/*
 * The plain-C driver of a fuzz harness, so that `make test` replays every seed and every past
 * crash without clang or libFuzzer:
 *
 *   fuzz_NAME PATH...     each file, or each file in a directory (one level), is read into a
 *                         buffer of exactly its size and given to LLVMFuzzerTestOneInput()
 *
 * Every input runs in a child process of its own (with a 20 s alarm), so a crash names its input
 * and the other inputs still run; the child ends with exit(), so atexit handlers and the leak
 * check of a sanitized build run as they do at the end of a libFuzzer run.  Output: one
 * "FAIL: NAME: FILE: why" line per input that crashed, hung or exited non-zero, and
 * "PASS: NAME replays N inputs" when none did.  No input at all is a failure too: every harness
 * has seeds.  Exit status 0 when everything passed, 1 otherwise.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static const char *name;
static unsigned ran, failed;

/* Reads PATH whole into a malloc'd buffer of exactly its size (an over-read is then visible). */
static uint8_t *slurp(const char *path, size_t *size)
{
	struct stat st;
	uint8_t *buf;
	ssize_t n;
	size_t got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) < 0 || (buf = malloc(st.st_size ? (size_t)st.st_size : 1)) == NULL) {
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size && (n = read(fd, buf + got, st.st_size - got)) > 0)
		got += n;
	close(fd);
	*size = got;
	return buf;
}

/* Runs one input in a child; counts and reports what became of it. */
static void replay(const char *path)
{
	int status;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("FAIL: %s: %s: fork: %s\n", name, path, strerror(errno));
		failed++;
		return;
	}
	if (pid == 0) {
		size_t size = 0;
		uint8_t *data = slurp(path, &size);

		if (!data) {
			fprintf(stderr, "%s: %s: %s\n", name, path, strerror(errno));
			_exit(125);
		}
		alarm(20);
		LLVMFuzzerTestOneInput(data, size);
		free(data);
		exit(0);
	}
	ran++;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFSIGNALED(status)) {
		printf("FAIL: %s: %s: %s\n", name, path,
		       WTERMSIG(status) == SIGALRM ? "hung (20 s)" : strsignal(WTERMSIG(status)));
		failed++;
	} else if (WEXITSTATUS(status) != 0) {
		printf("FAIL: %s: %s: exit status %d\n", name, path, WEXITSTATUS(status));
		failed++;
	}
}

/* A file is one input; a directory gives each regular file in it, in readdir order. */
static void replay_path(const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (stat(path, &st) < 0) {
		printf("FAIL: %s: %s: %s\n", name, path, strerror(errno));
		failed++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		replay(path);
		return;
	}
	d = opendir(path);
	if (!d) {
		printf("FAIL: %s: %s: %s\n", name, path, strerror(errno));
		failed++;
		return;
	}
	while ((de = readdir(d)) != NULL) {
		char file[4096];

		if (de->d_name[0] == '.')
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, de->d_name);
		if (stat(file, &st) == 0 && S_ISREG(st.st_mode))
			replay(file);
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		replay_path(argv[i]);
	if (ran == 0) {
		printf("FAIL: %s: no inputs to replay (every harness needs seeds in tests/fuzz/seeds/)\n", name);
		return 1;
	}
	if (failed)
		return 1;
	printf("PASS: %s replays %u inputs\n", name, ran);
	return 0;
}
