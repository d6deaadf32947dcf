// The machine's own parallel capacity, measured beside the library's figures: two plain JS
// loops, run on one thread and then on two at once (worker threads, best of several rounds).
// A latency-bound loop (a chain of square roots) leaves a core's execution units idle, so two
// SMT siblings run it at full speed each; a throughput-bound float loop (the arithmetic of a
// Welford update, on cache-sized arrays) does not scale on SMT siblings, only on separate cores.
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';

const n = 1 << 14;
function run(kind) {
  const acc = new Float64Array(4 * n);
  const x = Float64Array.from({ length: n }, (_, i) => i % 100);
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const t = performance.now();
    if (kind === 'latency') {
      let s = 0;
      for (let i = 0; i < 64 * n; i++) s = Math.sqrt(s + i);
      acc[0] = s;
    } else {
      for (let rep = 0; rep < 64; rep++) {
        const r = 1 / (rep + 1);
        for (let i = 0; i < n; i++) {
          const m = acc[i] + acc[n + i];
          const d = x[i] - m;
          const m2 = m + d * r;
          const S = acc[2 * n + i] + acc[3 * n + i] + d * (x[i] - m2);
          acc[i] = Math.fround(m2);
          acc[n + i] = m2 - acc[i];
          acc[2 * n + i] = Math.fround(S);
          acc[3 * n + i] = S - acc[2 * n + i];
        }
      }
    }
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/** [ms on one thread, ms per thread with two at once] for each kind of loop. */
export async function calibrate() {
  const out = {};
  for (const kind of ['latency', 'throughput']) {
    const one = run(kind);
    const two = await Promise.all(
      [0, 1].map(
        () =>
          new Promise((resolve, reject) => {
            const w = new Worker(new URL(import.meta.url), { workerData: kind });
            w.on('message', resolve);
            w.on('error', reject);
          }),
      ),
    );
    out[kind] = [one, Math.max(...two)];
  }
  return out;
}

if (!isMainThread && workerData) parentPort.postMessage(run(workerData));
