// `npm run bench:kernels`: what bounds the library per frame on the CPU backends, measured in
// one process: each fused kernel with the frame already where it reads it, and the copy of a
// frame from a JS Float32Array into the wasm heap (what a frame given as JS data costs on wasm
// before any arithmetic), next to a plain JS loop over the same data; and what a preview costs on
// the page's thread (a statistic's value, pooled to a panel's size, against tfjs's AvgPool).
// Medians of ROUNDS.
//   node bench/kernels.mjs [side=2048] [rounds=5]
import * as tf from '@tensorflow/tfjs-core';
import * as api from '../projects/npstreams-rx/src/public-api';
import { colorize, meanAll, momentsValue, momentsZero, pool2d, sumInit } from '../projects/npstreams-rx/src/lib/kernels/accumulators';
import { colorizeLoop } from '../projects/npstreams-rx/src/lib/kernels/shared/colorize';
import { view, wasmKernels } from '../projects/npstreams-rx/src/lib/kernels/wasm/heap';
import { meanAll as tfMeanAll } from '../projects/npstreams-rx/src/lib/kernels/reference/mean-all';
import { pool2d as tfPool2d } from '../projects/npstreams-rx/src/lib/kernels/reference/pool';
import { frame } from '../projects/npstreams-rx/bench/src/workload';

const side = Number(process.argv[2] ?? 2048);
const rounds = Number(process.argv[3] ?? 5);
const n = side * side;
const data = frame(0, n);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

function time(fn: () => void, reps = 10): number {
  fn();
  const ts: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let k = 0; k < reps; k++) fn();
    ts.push((performance.now() - t0) / reps);
  }
  return median(ts);
}

const rows: string[] = [];
const lut = Int32Array.from({ length: 256 }, (_, k) => k * 0x010101 + (255 << 24));
for (const backend of ['wasm', 'cpu'] as const) {
  await api.useBackend(backend);
  const x = tf.tensor(data);
  let sum = tf.tidy(() => sumInit(x));
  let mom = tf.tidy(() => api.momentsUpdate(momentsZero([n], false), x, 1, 1, false));
  let max = x.clone();
  let W = 1;
  const step = (acc: tf.Tensor, next: tf.Tensor) => (next !== acc ? (acc.dispose(), next) : next);
  const kernels: Record<string, () => void> = {
    sumAdd: () =>
      (sum = step(
        sum,
        tf.tidy(() => api.sumAdd(sum, x)),
      )),
    momentsUpdate: () =>
      (mom = step(
        mom,
        tf.tidy(() => api.momentsUpdate(mom, x, 1, ++W, false)),
      )),
    extremaUpdate: () =>
      (max = step(
        max,
        tf.tidy(() => api.extremaUpdate(max, x, 'max')),
      )),
    'tf.tensor(frame) (the copy in)': () => tf.tensor(data).dispose(),
    // what a preview costs: the value drawn, and pooled to a panel's size (2048 -> 409 at f = 5)
    "momentsValue 'sem'": () => tf.tidy(() => momentsValue(mom, W, 1, 'sem')).dispose(),
    'pool2d (mean, f = 5)': () => tf.tidy(() => pool2d(tf.reshape(x, [side, side]), 5, 'mean')).dispose(),
    'tfjs avgPool (mean, f = 5)': () => tf.tidy(() => tfPool2d(tf.reshape(x, [side, side]), 5, 'mean')).dispose(),
    // frameStats' per-emission mean over every element
    meanAll: () => meanAll(x).dispose(),
    'tfjs Mean': () => tfMeanAll(x).dispose(),
    // a frame drawn at full resolution on wasm and cpu: its colours, 'auto' range (the JS loop
    // over the tensor's own memory is what ran on wasm before the fused module did it)
    "colorize ('auto')": () => void colorize(x, lut, 'auto'),
    "colorize, the JS loop ('auto')": () => void colorizeLoop(backend === 'wasm' ? view(wasmKernels()!.memory, x) : (x.dataSync() as Float32Array), lut, 'auto'),
  };
  for (const [name, fn] of Object.entries(kernels)) rows.push(`| ${backend} | ${name} | ${time(fn).toFixed(2)} |`);
  tf.dispose([x, sum, mom, max]);
}
const a = new Float32Array(n);
const b = new Float32Array(n);
rows.push(
  `| plain JS | acc[i] += x[i] (float32, naive) | ${time(() => {
    for (let i = 0; i < n; i++) a[i] += data[i];
  }).toFixed(2)} |`,
);
rows.push(`| plain JS | Float32Array.set (a copy) | ${time(() => b.set(data)).toFixed(2)} |`);
console.log(`${side}x${side} float32 (${(n * 4) / 2 ** 20} MiB per frame), medians of ${rounds}\n`);
console.log(['| backend | kernel | ms per frame |', '|---|---|---|', ...rows].join('\n'));
