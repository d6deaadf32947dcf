import * as tf from '@tensorflow/tfjs-core';
import { lastValueFrom, map, range } from 'rxjs';
import { reduceVar } from '../projects/npstreams-rx/src/public-api';
import { describeOnBackends } from './helpers/backends';
import { normal } from './helpers/random';

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
    let s = 0,
      s2 = 0; // npstreams' E[x²] - E[x]², in float32
    let m = 0,
      M2 = 0; // Welford without a shift, in float32
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

describeOnBackends('moments', () => {
  it('the variance of 1,000 frames of 1e4 + N(0,1) float32 is within 1e-5 relative of float64', async () => {
    const n = 1000;
    const { frames, var64, textbook32, welford32 } = offsetFrames(n);
    // what the bound rules out: npstreams' formula in float32, and Welford without a shift
    expect(maxRel(textbook32, var64)).withContext('textbook float32 error').toBeGreaterThan(1);
    expect(maxRel(welford32, var64)).withContext('unshifted float32 Welford error').toBeGreaterThan(1e-4);
    const before = tf.memory().numTensors;
    const v = await lastValueFrom(
      range(0, n).pipe(
        map((i) => ({ data: frames[i], shape: [SIZE] })),
        reduceVar(),
      ),
    );
    expect(maxRel(await v.data(), var64))
      .withContext('shifted West/Welford error')
      .toBeLessThan(1e-5);
    v.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
