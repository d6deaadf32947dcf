import * as tf from '@tensorflow/tfjs-core';
import { type Observable, type OperatorFunction, asyncScheduler, concatMap, observeOn, of, range, sampleTime } from 'rxjs';

// The benchmark's workload and its plain contenders, apart from the library (they import only
// tfjs-core), so that bench/contenders/node-contender.ts can run them beside any version of
// the library under test.

/** The statistics of npstreams' benchmark workload. */
export type BenchStat = 'sum' | 'mean' | 'max' | 'var';

/** A plain tfjs accumulator over `frames` frames from `next`: one op per frame for sum, mean and
 * max, Welford in tfjs ops for var (uncompensated float32). Resolves to the result's values. */
export async function tfjsAccumulator(stat: BenchStat, frames: number, side: number, next: (k: number) => Float32Array): Promise<Float32Array> {
  let acc: tf.Tensor | null = null;
  let m2: tf.Tensor | null = null;
  for (let k = 0; k < frames; k++) {
    const x = tf.tensor(next(k), [side, side]);
    const prev: tf.Tensor | null = acc;
    const prevM2: tf.Tensor | null = m2;
    if (prev === null) {
      acc = tf.clone(x);
      if (stat === 'var') m2 = tf.zerosLike(x);
    } else if (stat === 'max') acc = tf.maximum(prev, x);
    else if (stat === 'var') {
      [acc, m2] = tf.tidy((): [tf.Tensor, tf.Tensor] => {
        const d = tf.sub(x, prev);
        const mean: tf.Tensor = tf.add(prev, tf.div(d, k + 1));
        return [mean, tf.add(prevM2!, tf.mul(d, tf.sub(x, mean)))];
      });
    } else acc = tf.add(prev, x);
    prev?.dispose();
    if (prevM2 !== m2) prevM2?.dispose();
    x.dispose();
  }
  const result = tf.tidy(() => (stat === 'mean' ? tf.div(acc!, frames) : stat === 'var' ? tf.div(m2!, frames) : tf.clone(acc!)));
  tf.dispose([acc!, ...(m2 ? [m2] : [])]);
  const values = (await result.data()) as Float32Array;
  result.dispose();
  return values;
}

/**
 * A plain JS in-place loop over Float32Arrays: naive float32, or (compensated) the algorithms of
 * the library's cpu kernels written out again (a float32 pair hi + lo read as one float64,
 * updated, split back), so that the cpu backend's cost around the same loop shows.
 */
export function jsLoop(stat: BenchStat, frames: number, n: number, next: (k: number) => Float32Array, compensated = false): Float32Array {
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  const c = new Float32Array(n);
  const e = new Float32Array(n);
  const f = Math.fround;
  for (let k = 0; k < frames; k++) {
    const x = next(k);
    if (stat === 'max') {
      if (k === 0) a.set(x);
      else for (let i = 0; i < n; i++) a[i] = x[i] > a[i] || x[i] !== x[i] ? x[i] : a[i];
    } else if (stat === 'var') {
      const r = 1 / (k + 1);
      if (!compensated) {
        const r32 = f(r);
        for (let i = 0; i < n; i++) {
          const d = f(x[i] - a[i]);
          a[i] = f(a[i] + f(d * r32));
          b[i] = f(b[i] + f(d * f(x[i] - a[i])));
        }
      } else {
        for (let i = 0; i < n; i++) {
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
      for (let i = 0; i < n; i++) a[i] += x[i];
    } else {
      for (let i = 0; i < n; i++) {
        const v = a[i] + b[i] + x[i];
        const h = f(v);
        a[i] = h;
        b[i] = v - h;
      }
    }
  }
  if (stat === 'mean') for (let i = 0; i < n; i++) a[i] = compensated ? (a[i] + b[i]) / frames : a[i] / frames;
  else if (stat === 'sum' && compensated) for (let i = 0; i < n; i++) a[i] += b[i];
  else if (stat === 'var') for (let i = 0; i < n; i++) a[i] = compensated ? (c[i] + e[i]) / frames : b[i] / frames;
  return a;
}

/** Element i of frame k: the benchmark's 32-bit hash (bench/contenders/frames.h), exactly a float32 in [0, 1). */
export function frame(k: number, n: number): Float32Array {
  const x = new Float32Array(n);
  const kk = Math.imul(k + 1, 0x85ebca77);
  for (let i = 0; i < n; i++) {
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

/** What `benchmarkPreview` measures. */
export interface PreviewResult {
  /** Frames reduced per second (scanMean over every frame). */
  framesPerSecond: number;
  /** Previews read (each reads the running mean back with data()). */
  previews: number;
  /** Previews per second. */
  previewsPerSecond: number;
}

/**
 * The live-preview workload with a given scanMean operator: frames arriving one per macrotask
 * (as from a camera or a loader), the running mean over every one, `sampleTime` previews that
 * read it back (data() of a clone taken while the emission is valid).
 */
export async function previewWorkload(scanMean: () => OperatorFunction<{ data: Float32Array; shape: number[] }, tf.Tensor>, frames: number, side: number, sampleMs: number): Promise<PreviewResult> {
  const pool = Array.from({ length: 4 }, (_, k) => frame(k, side * side));
  const reads: Promise<unknown>[] = [];
  let previews = 0;
  const source: Observable<{ data: Float32Array; shape: number[] }> = range(0, frames).pipe(concatMap((k) => of({ data: pool[k % pool.length], shape: [side, side] }).pipe(observeOn(asyncScheduler))));
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    source.pipe(scanMean(), sampleTime(sampleMs)).subscribe({
      next: (mean) => {
        previews++;
        // a clone (shared data, no copy) keeps the values for the read: webgpu does not defer
        // a disposal while a read is pending, as webgl does
        const kept = mean.clone();
        reads.push(kept.data().finally(() => kept.dispose()));
      },
      error: reject,
      complete: resolve,
    });
  });
  await Promise.all(reads);
  const seconds = (performance.now() - t0) / 1000;
  return { framesPerSecond: frames / seconds, previews, previewsPerSecond: previews / seconds };
}
