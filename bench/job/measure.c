/* The measuring wrapper of `npm run bench:job`: runs a command, then prints its wall time and
 * peak RSS (of the command and every process it waited for: wait4's ru_maxrss) as one JSON line
 * on fd 3, leaving the command's own stdout and stderr alone.
 *     measure CMD [ARGS...]  3>result.json */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv) {
  if (argc < 2) return 2;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid == 0) {
    close(3);
    execvp(argv[1], argv + 1);
    perror("exec");
    _exit(127);
  }
  int status = 0;
  struct rusage ru;
  wait4(pid, &status, 0, &ru);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double wall = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
  dprintf(3, "{\"wallS\":%.4f,\"rssKB\":%ld,\"exit\":%d,\"userS\":%.3f,\"sysS\":%.3f}\n", wall, ru.ru_maxrss,
          WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status),
          ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6, ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6);
  return 0;
}
