/* The C in-place loops of the benchmark (bench/run.mjs): the memory-bandwidth limit.
 * usage: c-loop STAT FRAMES SIDE OUT.f32 [reference]
 *   STAT: sum | mean | max | var (Welford, float32)
 *   with `reference`, computes the float64 result instead (untimed use: the error baseline).
 * Prints one JSON line: {"genMs":..,"netMs":..,"rssKB":..}; writes the result as raw float32
 * (float64 with `reference`). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include "frames.h"

/* Peak RSS of this process (VmHWM: getrusage's ru_maxrss can report the RSS of the process
 * that forked this one, here the benchmark's Node orchestrator). */
static long peak_rss_kb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long kb = -1;
  while (f && fgets(line, sizeof line, f)) {
    if (strncmp(line, "VmHWM:", 6) == 0) kb = atol(line + 6);
  }
  if (f) fclose(f);
  if (kb < 0) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    kb = ru.ru_maxrss;
  }
  return kb;
}

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char **argv) {
  if (argc < 5) { fprintf(stderr, "usage: c-loop STAT FRAMES SIDE OUT [reference]\n"); return 2; }
  const char *stat = argv[1];
  int frames = atoi(argv[2]);
  size_t n = (size_t)atoi(argv[3]) * (size_t)atoi(argv[3]);
  int reference = argc > 5 && strcmp(argv[5], "reference") == 0;
  float *x = malloc(n * sizeof(float));
  float *a = calloc(n, sizeof(float)), *b = calloc(n, sizeof(float));
  double *ra = calloc(n, sizeof(double)), *rb = calloc(n, sizeof(double));
  double gen = 0, net = 0;
  int isMax = strcmp(stat, "max") == 0, isVar = strcmp(stat, "var") == 0;
  for (int k = 0; k < frames; k++) {
    double t0 = now_ms();
    for (size_t i = 0; i < n; i++) x[i] = frame_value((uint32_t)i, (uint32_t)k);
    double t1 = now_ms();
    gen += t1 - t0;
    if (reference) {
      if (isMax) for (size_t i = 0; i < n; i++) ra[i] = k == 0 || x[i] > ra[i] ? x[i] : ra[i];
      else if (isVar) for (size_t i = 0; i < n; i++) { double d = x[i] - ra[i]; ra[i] += d / (k + 1); rb[i] += d * (x[i] - ra[i]); }
      else for (size_t i = 0; i < n; i++) ra[i] += x[i];
    } else if (isMax) {
      if (k == 0) memcpy(a, x, n * sizeof(float));
      else for (size_t i = 0; i < n; i++) a[i] = x[i] > a[i] ? x[i] : a[i];
    } else if (isVar) {
      float r = 1.0f / (float)(k + 1);
      for (size_t i = 0; i < n; i++) { float d = x[i] - a[i]; a[i] += d * r; b[i] += d * (x[i] - a[i]); }
    } else {
      for (size_t i = 0; i < n; i++) a[i] += x[i];
    }
    net += now_ms() - t1;
  }
  double t2 = now_ms();
  if (reference) {
    for (size_t i = 0; i < n; i++) ra[i] = isVar ? rb[i] / frames : strcmp(stat, "mean") == 0 ? ra[i] / frames : ra[i];
  } else if (strcmp(stat, "mean") == 0) {
    for (size_t i = 0; i < n; i++) a[i] /= (float)frames;
  } else if (isVar) {
    for (size_t i = 0; i < n; i++) a[i] = b[i] / (float)frames;
  }
  net += now_ms() - t2;
  FILE *out = fopen(argv[4], "wb");
  if (!out || fwrite(reference ? (void *)ra : (void *)a, reference ? sizeof(double) : sizeof(float), n, out) != n) { perror("write"); return 1; }
  fclose(out);
  printf("{\"genMs\":%.3f,\"netMs\":%.3f,\"rssKB\":%ld}\n", gen, net, peak_rss_kb());
  return 0;
}
