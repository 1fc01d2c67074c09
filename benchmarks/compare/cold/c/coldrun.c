/* benchmarks/compare/cold's runner: starts each command as a fresh process, ROUNDS times, the commands in turn
 * (so that load that comes and goes is shared out), inside one new network namespace made for the run
 * (unshare(CLONE_NEWNET): every child inherits it; it disappears with the last of them). Per command it times the
 * whole process (wall clock from before posix_spawn to the return of waitpid) and reads the number the process
 * prints (its own in-process figure, ns), and prints one line per command:
 *   LABEL <TAB> whole-process median ns <TAB> whole min <TAB> in-process median ns <TAB> in-process min <TAB> rounds
 *   coldrun ROUNDS LABEL ARGV... [:: LABEL ARGV...]...
 * Needs root (CAP_SYS_ADMIN for the namespace). Nothing is left behind. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
static long long now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec * 1000000000LL + t.tv_nsec; }
static int cmp(const void *a, const void *b) { long long x = *(const long long *)a, y = *(const long long *)b; return x < y ? -1 : x > y; }

struct command { const char *label; char **argv; long long *whole, *inside; };

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: coldrun ROUNDS LABEL ARGV... [:: LABEL ARGV...]...\n");
		return 2;
	}
	int rounds = atoi(argv[1]);
	struct command cmds[32];
	int n = 0;
	for (int i = 2; i < argc && n < 32;) {
		cmds[n].label = argv[i++];
		cmds[n].argv = &argv[i];
		while (i < argc && strcmp(argv[i], "::") != 0)
			i++;
		if (i < argc)
			argv[i++] = NULL;
		cmds[n].whole = calloc(rounds, sizeof(long long));
		cmds[n].inside = calloc(rounds, sizeof(long long));
		n++;
	}
	if (unshare(CLONE_NEWNET) != 0) {
		perror("unshare(CLONE_NEWNET)");
		return 1;
	}
	for (int r = 0; r < rounds; r++) {
		for (int c = 0; c < n; c++) {
			int out[2];
			if (pipe(out) != 0) { perror("pipe"); return 1; }
			posix_spawn_file_actions_t fa;
			posix_spawn_file_actions_init(&fa);
			posix_spawn_file_actions_adddup2(&fa, out[1], 1);
			posix_spawn_file_actions_addclose(&fa, out[0]);
			pid_t pid;
			long long t0 = now();
			int e = posix_spawn(&pid, cmds[c].argv[0], &fa, NULL, cmds[c].argv, environ);
			if (e != 0) { fprintf(stderr, "coldrun: %s: %s\n", cmds[c].argv[0], strerror(e)); return 1; }
			int status;
			while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
				;
			long long t1 = now();
			posix_spawn_file_actions_destroy(&fa);
			close(out[1]);
			char text[64] = { 0 };
			ssize_t got = read(out[0], text, sizeof text - 1);
			close(out[0]);
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "coldrun: %s failed (status %d)\n", cmds[c].label, status);
				return 1;
			}
			cmds[c].whole[r] = t1 - t0;
			cmds[c].inside[r] = got > 0 ? atoll(text) : -1; /* -1: the program prints no in-process figure */
		}
	}
	for (int c = 0; c < n; c++) {
		qsort(cmds[c].whole, rounds, sizeof(long long), cmp);
		qsort(cmds[c].inside, rounds, sizeof(long long), cmp);
		printf("%s\t%lld\t%lld\t%lld\t%lld\t%d\n", cmds[c].label, cmds[c].whole[rounds / 2], cmds[c].whole[0],
		       cmds[c].inside[rounds / 2], cmds[c].inside[0], rounds);
	}
	return 0;
}
