import * as tf from '@tensorflow/tfjs-core';
import { from, lastValueFrom, map, range } from 'rxjs';
import {
  type MomentState,
  disposeMoments,
  mergeMoments,
  momentsResult,
  reduceMomentState,
  reduceVar,
} from '../projects/npstreams-rx/src/public-api';
import { describeOnBackends } from './helpers/backends';
import { type Expected, expectEmission } from './helpers/close';
import { CASES, asInput } from './helpers/fixtures';
import { snapshot } from './helpers/streams';

/** mulberry32, then Box-Muller: seeded N(0,1) samples. */
function normal(seed: number): () => number {
  const uniform = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

const SIZE = 16;

/** 1,000 frames of float32 1e4 + N(0,1); the float64 variance and what float32 formulas give. */
function offsetFrames(n: number) {
  const next = normal(99);
  const frames = Array.from({ length: n }, () => Float32Array.from({ length: SIZE }, () => 1e4 + next()));
  const var64: number[] = [];
  const textbook32: number[] = [];
  const welford32: number[] = [];
  const f = Math.fround;
  for (let i = 0; i < SIZE; i++) {
    const xs = frames.map((fr) => fr[i]);
    const mean = xs.reduce((a, b) => a + b, 0) / n; // float64 two-pass: the reference
    var64.push(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / n);
    let s = 0, s2 = 0; // npstreams' E[x²] - E[x]², in float32
    let m = 0, M2 = 0; // Welford without a shift, in float32
    xs.forEach((x, k) => {
      s = f(s + x);
      s2 = f(s2 + f(x * x));
      const d = f(x - m);
      m = f(m + f(d / (k + 1)));
      M2 = f(M2 + f(d * f(x - m)));
    });
    textbook32.push(f(f(s2 / n) - f(f(s / n) * f(s / n))));
    welford32.push(f(M2 / n));
  }
  return { frames, var64, textbook32, welford32 };
}

const maxRel = (a: ArrayLike<number>, truth: number[]) => Math.max(...truth.map((t, i) => Math.abs(a[i] - t) / t));

/** Splits [0, n) at `parts - 1` seeded random points into non-empty chunks. */
function randomChunks(n: number, parts: number, seed: number): [number, number][] {
  let s = seed;
  const cuts = new Set<number>();
  while (cuts.size < Math.min(parts - 1, n - 1)) {
    s = (s * 1103515245 + 12345) % 2147483648;
    cuts.add(1 + (s % (n - 1)));
  }
  const edges = [0, ...[...cuts].sort((a, b) => a - b), n];
  return edges.slice(1).map((e, i) => [edges[i], e]);
}

describeOnBackends('moments', () => {
  it('the variance of 1,000 frames of 1e4 + N(0,1) float32 is within 1e-5 relative of float64', async () => {
    const n = 1000;
    const { frames, var64, textbook32, welford32 } = offsetFrames(n);
    // what the bound rules out: npstreams' formula in float32, and Welford without a shift
    expect(maxRel(textbook32, var64)).withContext('textbook float32 error').toBeGreaterThan(1);
    expect(maxRel(welford32, var64)).withContext('unshifted float32 Welford error').toBeGreaterThan(1e-4);
    const before = tf.memory().numTensors;
    const v = await lastValueFrom(range(0, n).pipe(map((i) => ({ data: frames[i], shape: [SIZE] })), reduceVar()));
    expect(maxRel(v.dataSync(), var64)).withContext('shifted West/Welford error').toBeLessThan(1e-5);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  const mergeable = CASES.filter(
    (c) => (c.op === 'var' || c.op === 'averageAndVar') && c.items.length === 6 && c.options.axis !== 0 && c.options.axis !== 1 && c.options.axis !== 2,
  ).concat(CASES.filter((c) => c.op === 'var' && c.name.includes('NaNs, ignoreNaN=true') && c.options.axis !== 1));
  for (const c of mergeable) {
    it(`partial states merged after random splits equal one pass: ${c.name}`, async () => {
      const before = tf.memory().numTensors;
      const made: tf.Tensor[] = [];
      const items = c.items.map((v) => asInput(v, 'dataShape', c.itemDtype, made));
      const weights = c.weights?.map((w) => (typeof w === 'number' ? w : asInput(w, 'dataShape', 'float32', made)));
      for (const [k, chunks] of [2, 3, 6].map((p, k) => [k, randomChunks(items.length, p, 7 + k)] as const)) {
        const states: MomentState[] = [];
        for (const [lo, hi] of chunks) {
          const options = { axis: c.options.axis, ignoreNaN: c.options.ignoreNaN, weights: weights?.slice(lo, hi) };
          states.push(await lastValueFrom(from(items.slice(lo, hi)).pipe(reduceMomentState(options))));
        }
        let merged = states[0];
        for (const s of states.slice(1)) {
          const next = mergeMoments(merged, s);
          if (merged !== states[0]) disposeMoments(merged);
          merged = next;
        }
        const out = momentsResult(merged, c.op === 'var' ? 'var' : 'averageAndVar', { ddof: c.options.ddof });
        const seen = out instanceof tf.Tensor ? snapshot(out) : { average: snapshot(out.average), variance: snapshot(out.variance) };
        expectEmission(seen, c.expected[c.expected.length - 1] as Expected, `split ${k} into ${chunks.length} chunks`);
        tf.dispose(out as tf.TensorContainer);
        if (merged !== states[0]) disposeMoments(merged);
        states.forEach(disposeMoments);
      }
      made.forEach((t) => t.dispose());
      expect(tf.memory().numTensors).withContext('tensors after disposing states and results').toBe(before);
    });
  }
});
