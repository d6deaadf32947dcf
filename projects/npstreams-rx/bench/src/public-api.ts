/*
 * npstreams-rx/bench: the library's benchmark as functions, for a page or a script that measures
 * it where it runs (the reductions against plain loops, the live-preview workload). Not needed to
 * use the library; `npm run bench:browser` and `spec/benchmark.spec.ts` call it.
 */
export { benchmark, benchmarkPreview, type BenchmarkOptions, type BenchmarkRow, type PreviewOptions } from './benchmark';
export type { BenchStat, PreviewResult } from './workload';
