// The Node contenders of the benchmark (bench/run.mjs), one process per run:
//   node node-contender.mjs CONTENDER STAT FRAMES SIDE OUT.f32 [BACKEND]
// CONTENDER: js-naive | js-compensated (plain JS in-place loops), tfjs (a plain tfjs
// accumulator: tf.add / tf.maximum / tf-op Welford), lib (this library's reduceX).
// `npstreams-rx-under-test` is aliased by bench/run.mjs to this checkout's source, or to an
// earlier commit's for the `lib-before` contender. Prints one JSON line
// {"genMs","netMs","rssKB"}; writes the result as raw float32.
import * as tf from '@tensorflow/tfjs-core';
import { readFileSync, writeFileSync } from 'node:fs';
import { lastValueFrom, map, range } from 'rxjs';
import * as lib from 'npstreams-rx-under-test';

const [contender, stat, framesArg, sideArg, out, backend = 'wasm'] = process.argv.slice(2);
const FRAMES = Number(framesArg);
const SIDE = Number(sideArg);
const N = SIDE * SIDE;

/** Element i of frame k: the same 32-bit hash as bench/contenders/frames.h, exactly a float32. */
function frame(k: number): Float32Array {
  const x = new Float32Array(N);
  const kk = Math.imul(k + 1, 0x85ebca77);
  for (let i = 0; i < N; i++) {
    let h = (Math.imul(i, 0x9e3779b1) + kk) | 0;
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 12;
    h = Math.imul(h, 0x297a2d39);
    h ^= h >>> 15;
    x[i] = (h >>> 8) * 5.9604644775390625e-8;
  }
  return x;
}

let genMs = 0;
function timedFrame(k: number): Float32Array {
  const t0 = performance.now();
  const x = frame(k);
  genMs += performance.now() - t0;
  return x;
}

/**
 * Plain JS in-place loops over Float32Arrays: naive float32, or the algorithms of the library's
 * cpu kernels written out again (a float32 pair hi + lo read as one float64, updated, split
 * back), so that "lib:cpu vs js-compensated" is the cost of the library around the same loop.
 */
function jsLoop(compensated: boolean): Float32Array {
  const a = new Float32Array(N);
  const b = new Float32Array(N);
  const c = new Float32Array(N);
  const e = new Float32Array(N);
  const f = Math.fround;
  for (let k = 0; k < FRAMES; k++) {
    const x = timedFrame(k);
    if (stat === 'max') {
      if (k === 0) a.set(x);
      else for (let i = 0; i < N; i++) a[i] = x[i] > a[i] || x[i] !== x[i] ? x[i] : a[i];
    } else if (stat === 'var') {
      const r = 1 / (k + 1);
      if (!compensated) {
        const r32 = f(r);
        for (let i = 0; i < N; i++) {
          const d = f(x[i] - a[i]);
          a[i] = f(a[i] + f(d * r32));
          b[i] = f(b[i] + f(d * f(x[i] - a[i])));
        }
      } else {
        for (let i = 0; i < N; i++) {
          const xi = x[i];
          const m = a[i] + b[i];
          const d = xi - m;
          const m2 = m + d * r;
          const S = c[i] + e[i] + d * (xi - m2);
          const mh = f(m2);
          const Sh = f(S);
          a[i] = mh;
          b[i] = m2 - mh;
          c[i] = Sh;
          e[i] = S - Sh;
        }
      }
    } else if (!compensated) {
      for (let i = 0; i < N; i++) a[i] += x[i];
    } else {
      for (let i = 0; i < N; i++) {
        const v = a[i] + b[i] + x[i];
        const h = f(v);
        a[i] = h;
        b[i] = v - h;
      }
    }
  }
  if (stat === 'mean') for (let i = 0; i < N; i++) a[i] = compensated ? (a[i] + b[i]) / FRAMES : a[i] / FRAMES;
  else if (stat === 'sum' && compensated) for (let i = 0; i < N; i++) a[i] += b[i];
  else if (stat === 'var') for (let i = 0; i < N; i++) a[i] = compensated ? (c[i] + e[i]) / FRAMES : b[i] / FRAMES;
  return a;
}

/** A plain tfjs accumulator: one op per frame for sum, mean and max; Welford in tf ops for var. */
async function tfjsPlain(): Promise<Float32Array> {
  let acc: tf.Tensor | null = null;
  let m2: tf.Tensor | null = null;
  for (let k = 0; k < FRAMES; k++) {
    const x = tf.tensor(timedFrame(k), [SIDE, SIDE]);
    const prev: tf.Tensor | null = acc;
    const prevM2: tf.Tensor | null = m2;
    if (prev === null) {
      acc = tf.clone(x);
      if (stat === 'var') m2 = tf.zerosLike(x);
    } else if (stat === 'max') acc = tf.maximum(prev, x);
    else if (stat === 'var') {
      [acc, m2] = tf.tidy(() => {
        const d = tf.sub(x, prev);
        const mean = tf.add(prev, tf.div(d, k + 1));
        return [mean, tf.add(prevM2!, tf.mul(d, tf.sub(x, mean)))];
      });
    } else acc = tf.add(prev, x);
    prev?.dispose();
    if (prevM2 !== m2) prevM2?.dispose();
    x.dispose();
  }
  const result = tf.tidy(() => (stat === 'mean' ? tf.div(acc!, FRAMES) : stat === 'var' ? tf.div(m2!, FRAMES) : tf.clone(acc!)));
  acc!.dispose();
  m2?.dispose();
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

/** This library: reduceX over a stream of { data, shape } frames. */
async function library(): Promise<Float32Array> {
  const op = { sum: lib.reduceSum, mean: lib.reduceMean, max: lib.reduceMax, var: lib.reduceVar }[stat as 'sum']!;
  const frames$ = range(0, FRAMES).pipe(map((k) => ({ data: timedFrame(k), shape: [SIDE, SIDE] })));
  const result = await lastValueFrom(frames$.pipe(op()));
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

const warn = console.warn;
console.warn = (...a: unknown[]) => (String(a[0]).includes('tfjs-node') ? undefined : warn(...a));
if (contender === 'tfjs' || contender === 'lib') await lib.useBackend(backend as 'wasm');
// warm-up outside the timing: backend start, kernels compiled, the first allocation
if (contender === 'lib') await lastValueFrom(range(0, 2).pipe(map(() => [[1, 2]]), lib.reduceSum())).then((t) => t.dispose());
const t0 = performance.now();
const values = contender === 'js-naive' ? jsLoop(false) : contender === 'js-compensated' ? jsLoop(true) : contender === 'tfjs' ? await tfjsPlain() : await library();
const total = performance.now() - t0;
writeFileSync(out, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
/** Peak RSS (VmHWM; resourceUsage().maxRSS can report the forking parent's). */
function peakRssKB(): number {
  try {
    const m = /VmHWM:\s*(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}
console.log(JSON.stringify({ genMs: genMs, netMs: total - genMs, rssKB: peakRssKB() }));
