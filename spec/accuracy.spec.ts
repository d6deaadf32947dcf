import * as tf from '@tensorflow/tfjs-core';
import { range, map, lastValueFrom } from 'rxjs';
import { reduceMean, reduceSum } from '../projects/npstreams-rx/src/public-api';
import { describeOnBackends } from './helpers/backends';
import { prng } from './helpers/random';

const SIZE = 16;

/** `n` frames of U(0,1) float32 data, with their float64 mean and the naive float32 running sum's mean. */
function uniformFrames(n: number): { frames: Float32Array[]; mean64: number[]; naive32: number[] } {
  const next = prng(12345);
  const frames = Array.from({ length: n }, () => Float32Array.from({ length: SIZE }, next));
  const sum64 = new Array(SIZE).fill(0);
  const sum32 = new Float32Array(SIZE);
  for (const f of frames) {
    f.forEach((v, i) => {
      sum64[i] += v; // float64: error ~ n·2^-53, negligible
      sum32[i] = Math.fround(sum32[i] + v); // what a plain float32 accumulator does
    });
  }
  return { frames, mean64: sum64.map((s) => s / n), naive32: Array.from(sum32, (s) => Math.fround(s / n)) };
}

const maxRelError = (actual: ArrayLike<number>, truth: number[]): number => Math.max(...truth.map((t, i) => Math.abs(actual[i] - t) / Math.abs(t)));

describeOnBackends('float32 accuracy over long streams', () => {
  const n = 100_000;

  it(`the mean of ${n} frames of U(0,1) float32 data is within 1e-6 relative of float64`, async () => {
    const { frames, mean64, naive32 } = uniformFrames(n);
    // The bound must be one that naive float32 accumulation misses, or the spec proves nothing.
    expect(maxRelError(naive32, mean64)).withContext('naive float32 error').toBeGreaterThan(2e-6);
    const before = tf.memory().numTensors;
    const mean = await lastValueFrom(
      range(0, n).pipe(
        map((i) => ({ data: frames[i], shape: [4, 4] })),
        reduceMean(),
      ),
    );
    const rel = maxRelError(await mean.data(), mean64);
    mean.dispose();
    expect(rel).withContext('compensated mean error').toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);

  it('the compensation survives this backend: 1 + 2000 × 3e-8 (each addend below half an ulp of 1)', async () => {
    const tiny = Math.fround(3e-8);
    const items = range(0, 2001).pipe(map((i) => (i === 0 ? 1 : tiny)));
    const sum = await lastValueFrom(items.pipe(reduceSum()));
    const value = (await sum.data())[0];
    sum.dispose();
    // float64 truth 1.00006; a plain float32 accumulator stays at exactly 1
    expect(Math.abs(value - (1 + 2000 * tiny))).toBeLessThan(1.2e-7);
  }, 60_000);
});
