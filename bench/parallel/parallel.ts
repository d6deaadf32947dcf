// `npm run bench:parallel`: what worker threads buy on this machine, measured side by side in
// one process (medians of ROUNDS, the two ways alternating, so the load of a shared machine
// hits both alike):
//  1. a CPU-bound per-frame transform (a 3x3 median filter) inline, then in `workers` threads
//     through pmap(pool.fn('denoise', { transfer: true }), { concurrency: pool.size });
//  2. reduceVar on the cpu backend in one pass, then parallelReduce(partials.var()) over
//     `workers` threads (each on its own cpu backend), frames moved to them (transfer); and the
//     same of .npy files: load + reduceVar on the main thread, then reduceFilesPartial, whose
//     workers read their own shares of the files;
//  3. the command's peak RSS (whole process) for 50 and 500 files, main thread and --workers;
//  4. the machine's own capacity: plain JS loops, latency-bound and throughput-bound, on one
//     thread and on two at once (bench/parallel/calibrate.mjs).
// The pools start before the timing (their start is printed apart). Frames are made the same
// way in both: a copy of a base frame plus the frame's index.
//   node bench/parallel.mjs [--side 512] [--frames 32] [--rounds 3] [--workers 2] [--skip-rss]
import * as tf from '@tensorflow/tfjs-core';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { from, lastValueFrom, map } from 'rxjs';
import { disposePartial, partialValue, partials, pmap, reduceVar, useBackend } from '../../projects/npstreams-rx/src/public-api';
import { load, parallelPool, parallelReduce, reduceFilesPartial, save, workerPool } from '../../projects/npstreams-rx/node/src/public-api';
import { makeSamples } from '../../scripts/samples';
// @ts-expect-error: plain JS, shared with the worker threads
import { denoise } from './transform.mjs';
// @ts-expect-error: plain JS, run in worker threads
import { calibrate } from './calibrate.mjs';

const { values } = parseArgs({
  options: {
    side: { type: 'string', default: '512' },
    frames: { type: 'string', default: '32' },
    'var-side': { type: 'string', default: '1024' },
    'var-frames': { type: 'string', default: '96' },
    rounds: { type: 'string', default: '3' },
    workers: { type: 'string', default: '2' },
    'skip-rss': { type: 'boolean', default: false },
  },
});
const side = Number(values.side);
const count = Number(values.frames);
const varSide = Number(values['var-side']);
const varCount = Number(values['var-frames']);
const rounds = Number(values.rounds);
const workers = Number(values.workers);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

/** n frames of s x s, made one at a time as the consumer takes them (an asynchronous source, as
 * files or a camera are: a synchronous one would make every frame before the first is reduced). */
function frames(n: number, s: number) {
  const base = Float32Array.from({ length: s * s }, (_, i) => (i * 7919) % 1000);
  return from(
    (async function* () {
      for (let k = 0; k < n; k++) {
        const data = new Float32Array(base);
        for (let i = 0; i < data.length; i += 97) data[i] += k;
        yield { data, shape: [s, s], dtype: 'float32' as const };
      }
    })(),
  );
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function sideBySide(a: () => Promise<unknown>, b: () => Promise<unknown>): Promise<[number, number]> {
  await a();
  await b(); // warm up both
  const ta: number[] = [];
  const tb: number[] = [];
  for (let r = 0; r < rounds; r++) {
    ta.push(await timed(a));
    tb.push(await timed(b));
  }
  return [median(ta), median(tb)];
}

console.log(`node ${process.version}, ${(await import('node:os')).cpus().length} CPUs; ${workers} workers; medians of ${rounds} rounds\n`);
await useBackend('cpu');

// 1. the transform
let t0 = performance.now();
const pool = workerPool(new URL('../../bench/parallel/transform.mjs', import.meta.url), { size: workers });
await Promise.all(Array.from({ length: workers }, () => pool.exec('denoise', [{ data: new Float32Array(4), shape: [2, 2] }])));
const poolStart = performance.now() - t0;
const [inline, threaded] = await sideBySide(
  () => lastValueFrom(frames(count, side).pipe(map(denoise))),
  () => lastValueFrom(frames(count, side).pipe(pmap(pool.fn('denoise', { transfer: true }), { concurrency: pool.size }))),
);
await pool.terminate();

// 2. reduceVar on cpu
t0 = performance.now();
const reducers = parallelPool({ workers, backend: 'cpu' });
await lastValueFrom(frames(workers, 8).pipe(parallelReduce(partials.var(), { pool: reducers, chunkSize: 1 }))).then((t) => (t as tf.Tensor).dispose());
const reducersStart = performance.now() - t0;
const [onePass, parallel] = await sideBySide(
  async () => ((await lastValueFrom(frames(varCount, varSide).pipe(reduceVar()))) as tf.Tensor).dispose(),
  async () => ((await lastValueFrom(frames(varCount, varSide).pipe(parallelReduce(partials.var(), { pool: reducers, chunkSize: 8, transfer: true })))) as tf.Tensor).dispose(),
);

// the same with one worker: what the batch fold gives without a second thread
const single = parallelPool({ workers: 1, backend: 'cpu' });
await lastValueFrom(frames(2, 8).pipe(parallelReduce(partials.var(), { pool: single, chunkSize: 1 }))).then((t) => (t as tf.Tensor).dispose());
const [, oneWorker] = await sideBySide(
  async () => undefined,
  async () => ((await lastValueFrom(frames(varCount, varSide).pipe(parallelReduce(partials.var(), { pool: single, chunkSize: 8, transfer: true })))) as tf.Tensor).dispose(),
);
await single.terminate();

// 2b. reduceVar on cpu of .npy files: read and reduced on the main thread, or read and reduced
// by the workers themselves (reduceFilesPartial, what the command's --workers does)
const filesDir = '.tmp/bench-files';
rmSync(filesDir, { recursive: true, force: true });
mkdirSync(filesDir, { recursive: true });
await lastValueFrom(frames(varCount, varSide).pipe(pmap((f, k) => save(f, `${filesDir}/f${String(k).padStart(3, '0')}.npy`), { concurrency: 2 })), { defaultValue: null });
const [filesOnePass, filesParallel] = await sideBySide(
  async () => ((await lastValueFrom(load(`${filesDir}/*.npy`).pipe(reduceVar()))) as tf.Tensor).dispose(),
  async () => {
    const p = await lastValueFrom(reduceFilesPartial(partials.var(), `${filesDir}/*.npy`, { pool: reducers, chunkSize: 12 }));
    (partialValue(p) as tf.Tensor).dispose();
    disposePartial(p);
  },
);
rmSync(filesDir, { recursive: true, force: true });
await reducers.terminate();

const row = (what: string, a: number, b: number, n: number, target: string) => `| ${what} | ${(a / n).toFixed(2)} | ${(b / n).toFixed(2)} | **${(a / b).toFixed(2)}x** | ${target} |`;
console.log('| per frame, ms | one thread | workers | speed-up | target |');
console.log('|---|---|---|---|---|');
console.log(row(`3x3 median filter, ${side}x${side} float32, ${count} frames`, inline, threaded, count, '>= 1.6x'));
console.log(row(`reduceVar on cpu, ${varSide}x${varSide} float32, ${varCount} frames`, onePass, parallel, varCount, '>= 1.5x'));
console.log(row(`(the same on 1 worker: the batch fold without a second thread)`, onePass, oneWorker, varCount, ''));
console.log(row(`reduceVar on cpu of ${varCount} .npy files of ${varSide}x${varSide}, read by the workers`, filesOnePass, filesParallel, varCount, '>= 1.5x'));
console.log(`\n(pool start, not timed above: transform ${poolStart.toFixed(0)} ms, reduction ${reducersStart.toFixed(0)} ms)`);

// the machine: what two threads can give to a latency-bound and to a throughput-bound loop
const machine = (await calibrate()) as Record<string, [number, number]>;
console.log('\n| plain JS loop, two threads at once | one thread, ms | each of two, ms | throughput of two |');
console.log('|---|---|---|---|');
for (const [kind, [one, two]] of Object.entries(machine)) {
  console.log(
    `| ${kind === 'latency' ? 'latency-bound (a chain of sqrt)' : 'throughput-bound (Welford arithmetic, in cache)'} | ${one.toFixed(1)} | ${two.toFixed(1)} | **${((2 * one) / two).toFixed(2)}x** |`,
  );
}

// 3. the command's peak RSS against the number of files
if (!values['skip-rss']) {
  const dir = '.tmp/bench-rss';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await makeSamples(`${dir}/500`, { count: 500, size: 256, formats: ['npy'] });
  await makeSamples(`${dir}/50`, { count: 50, size: 256, formats: ['npy'] });
  /** Peak RSS of the command (its whole process), read by Python's getrusage of children. */
  const rss = (files: string, extra: string[]) => {
    const argv = JSON.stringify(['node', 'scripts/npstreams-rx.mjs', 'var', files, '-o', `${dir}/var.npy`, '-q', ...extra]);
    const py = `import resource, subprocess, sys; r = subprocess.run(${argv}, capture_output=True, text=True); sys.stderr.write(r.stderr); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)`;
    const out = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(out.stderr);
    return Number(out.stdout.trim()) / 1024;
  };
  console.log('\n| npstreams-rx var, 256x256 .npy files, peak RSS MB | 50 files | 500 files | ratio |');
  console.log('|---|---|---|---|');
  for (const extra of [[], ['--workers', String(workers)]]) {
    const [a, b] = [rss(`${dir}/50/*.npy`, extra), rss(`${dir}/500/*.npy`, extra)];
    console.log(`| ${extra.length ? `--workers ${workers}` : 'main thread'} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(2)} |`);
  }
  rmSync(dir, { recursive: true, force: true });
}
