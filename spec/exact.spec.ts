import * as tf from '@tensorflow/tfjs-core';
import { type OperatorFunction, from, lastValueFrom, map, range } from 'rxjs';
import * as api from '../projects/npstreams-rx/src/public-api';
import type { ArrayInput } from '../projects/npstreams-rx/src/public-api';
import { IN_BROWSER, describeOnBackends } from './helpers/backends';
import { prng } from './helpers/random';
import { runStream, streamError } from './helpers/streams';

// IEEE semantics as NumPy's in float32, and errors that do not grow with the stream. Expected
// values are closed forms (float32 arithmetic where NumPy computes in float32: 3e38 + 3e38 is
// inf there), or float64 sums computed here.

const inf = Infinity;

/** The emissions of `op` over `items`, read as plain numbers (after the leak check). */
async function emissions(items: ArrayInput[], op: OperatorFunction<ArrayInput, tf.Tensor>, owns = false): Promise<number[][]> {
  const { emissions, error } = await runStream(from(items).pipe(op), owns);
  expect(error).withContext('the stream failed').toBeUndefined();
  return emissions.map((e) => e.values);
}
const final = async (items: ArrayInput[], op: OperatorFunction<ArrayInput, tf.Tensor>) => (await emissions(items, op, true))[0];

describeOnBackends('IEEE special values follow NumPy (float32)', () => {
  it('inf stays inf through every scanSum emission: [inf,1],[1,inf],[2,2] -> [inf,1],[inf,inf],[inf,inf]', async () => {
    expect(
      await emissions(
        [
          [inf, 1],
          [1, inf],
          [2, 2],
        ],
        api.scanSum(),
      ),
    ).toEqual([
      [inf, 1],
      [inf, inf],
      [inf, inf],
    ]);
  });

  it('inf through means, averages and NaN-ignoring sums; inf + -inf is NaN', async () => {
    expect(await final([[inf], [1]], api.reduceMean())).toEqual([inf]);
    expect(
      await final(
        [
          [-inf, 2],
          [1, 2],
        ],
        api.reduceAverage({ weights: [1, 3] }),
      ),
    ).toEqual([-inf, 2]);
    expect(await final([[NaN], [inf], [1]], api.reduceSum({ ignoreNaN: true }))).toEqual([inf]);
    expect(await final([[NaN], [inf], [1]], api.reduceMean({ ignoreNaN: true }))).toEqual([inf]);
    expect(await final([[inf], [-inf]], api.reduceSum())).toEqual([NaN]);
    expect(await emissions([[inf], [1], [-inf], [2]], api.scanMean())).toEqual([[inf], [inf], [NaN], [NaN]]);
  });

  it('float32 overflow gives ±inf, never NaN: 3e38 + 3e38, and on the negative side', async () => {
    expect(
      await final(
        [
          [3e38, -3e38],
          [3e38, -3e38],
        ],
        api.reduceSum(),
      ),
    ).toEqual([inf, -inf]);
    expect(await emissions([[3e38], [3e38], [-3e38]], api.scanSum())).toEqual([[Math.fround(3e38)], [inf], [inf]]);
    expect(await final([[3e38], [3e38]], api.reduceMean())).toEqual([inf]);
  });

  it('logaddexp of -inf and -inf is -inf (and of inf and inf is inf)', async () => {
    expect(
      await final(
        [
          [-inf, inf],
          [-inf, inf],
        ],
        api.reduceUfunc('logaddexp'),
      ),
    ).toEqual([-inf, inf]);
    expect(await emissions([[-inf], [-inf], [0]], api.scanUfunc('logaddexp'))).toEqual([[-inf], [-inf], [0]]);
  });

  it('var, std and sem of data holding inf are NaN; the average is inf', async () => {
    expect(
      await final(
        [
          [1, 2],
          [inf, 3],
        ],
        api.reduceVar(),
      ),
    ).toEqual([NaN, 0.25]);
    expect(await final([[1], [inf]], api.reduceStd())).toEqual([NaN]);
    expect(await final([[1], [-inf]], api.reduceSem())).toEqual([NaN]);
    const { emissions: out } = await runStream(from([[1], [inf], [2]]).pipe(api.reduceAverageAndVar()), true);
    expect(out[0]).toEqual({ average: jasmine.objectContaining({ values: [inf] }), variance: jasmine.objectContaining({ values: [NaN] }) });
  });

  it('the float32 range of moments: the variance of ±1e30 is inf (its squares overflow), as NumPy float32', async () => {
    // NumPy: np.var(np.float32([1e30, -1e30])) -> inf; the mean of the same is 0
    expect(await final([[1e30], [-1e30]], api.reduceVar())).toEqual([inf]);
    const { emissions: out } = await runStream(from([[1e30], [-1e30]]).pipe(api.reduceAverageAndVar()), true);
    expect(out[0]).toEqual({ average: jasmine.objectContaining({ values: [0] }), variance: jasmine.objectContaining({ values: [inf] }) });
  });
});

describeOnBackends('int32 sums never wrap silently', (backend) => {
  // WebGL keeps int32 in float32 textures: refused from 2^24 on (2^24 + 1 rounds to 2^24 there)
  const limit = backend === 'webgl' ? 2 ** 24 - 1 : 2 ** 31 - 1;
  const int = (v: number) => tf.tensor1d([v], 'int32');

  if (backend === 'webgpu') {
    it('webgpu, which cannot read back synchronously to check, refuses int32 sums and names the float32 alternative', async () => {
      const items = [int(1), int(2)];
      const err = await streamError(from(items).pipe(api.reduceSum()));
      expect(err).toBeInstanceOf(api.StreamInputError);
      expect(err.message).toMatch(/reduceSum: item 1: .*webgpu.*dtype: 'float32'/);
      expect(await final(items, api.reduceSum({ dtype: 'float32' }))).toEqual([3]);
      items.forEach((t) => t.dispose());
    });
    return;
  }

  it('a sum that stays in range is exact', async () => {
    const items = [int(limit - 5), int(5)];
    expect(await final(items, api.reduceSum())).toEqual([limit]);
    items.forEach((t) => t.dispose());
  });

  it('a sum that leaves the range is an OverflowError naming the operator, the item and the float32 alternative', async () => {
    const items = [int(limit - 5), int(3), int(3), int(1)];
    const err = await streamError(from(items).pipe(api.scanSum()), false);
    expect(err).toBeInstanceOf(api.OverflowError);
    expect((err as api.OverflowError).index).toBe(2);
    expect(err.message).toMatch(/scanSum: item 2: .*int32.*dtype: 'float32'/);
    items.forEach((t) => t.dispose());
  });

  it('... also within an item (axis null, or an item axis) and in int32 means', async () => {
    const big = () => tf.tensor1d([limit, 1], 'int32');
    const items = [big()];
    expect(await streamError(from(items).pipe(api.reduceSum({ axis: null })))).toBeInstanceOf(api.OverflowError);
    expect(await streamError(from(items).pipe(api.reduceSum({ axis: 0 })))).toBeInstanceOf(api.OverflowError);
    const ints = [int(limit), int(limit)];
    expect(await streamError(from(ints).pipe(api.reduceMean({ dtype: 'int32' })))).toBeInstanceOf(api.OverflowError);
    [...items, ...ints].forEach((t) => t.dispose());
  });

  it("with dtype: 'float32' the same stream sums past 2^31", async () => {
    const items = [int(2 ** 30), int(2 ** 30), int(2 ** 30)];
    expect(await final(items, api.reduceSum({ dtype: 'float32' }))).toEqual([3 * 2 ** 30]);
    items.forEach((t) => t.dispose());
  });
});

describeOnBackends('int32 products never wrap silently', (backend) => {
  // WebGL keeps int32 in float32 textures: refused from 2^24 on
  const limit = backend === 'webgl' ? 2 ** 24 - 1 : 2 ** 31 - 1;
  const ints = (...v: number[]) => tf.tensor1d(v, 'int32');

  if (backend === 'webgpu') {
    it('webgpu, which cannot read back synchronously to check, refuses int32 products and names the float32 alternative', async () => {
      const items = [ints(2), ints(3)];
      const err = await streamError(from(items).pipe(api.reduceProd()));
      expect(err).toBeInstanceOf(api.StreamInputError);
      expect(err.message).toMatch(/reduceProd: item 1: int32 products are checked .*webgpu.*dtype: 'float32'/);
      expect(await final(items, api.reduceProd({ dtype: 'float32' }))).toEqual([6]);
      items.forEach((t) => t.dispose());
    });
    return;
  }

  it('products that stay in range are exact, to the last one below the limit (NumPy int64 agrees)', async () => {
    // 46341 * 46340 = 2147441940 <= 2^31 - 1; on webgl 4096 * 4095 = 16773120 <= 2^24 - 1
    const [a, b] = backend === 'webgl' ? [4096, 4095] : [46341, 46340];
    const items = [ints(a, -a, 0), ints(b, b, -7)];
    expect(await final(items, api.reduceProd())).toEqual([a * b, -a * b, 0]);
    const within = [ints(a, b)];
    expect(await final(within, api.reduceProd({ axis: 0 }))).toEqual([a * b]);
    [...items, ...within].forEach((t) => t.dispose());
  });

  it('a product that leaves the range is an OverflowError naming the operator, the item and the float32 alternative; also within an item', async () => {
    // 100000^2 = 1e10: tfjs's int32 Mul would give 1410065408
    const items = [ints(1, 100000), ints(1, 100000), ints(1, 1)];
    const err = await streamError(from(items).pipe(api.scanProd()), false);
    expect(err).toBeInstanceOf(api.OverflowError);
    expect((err as api.OverflowError).index).toBe(1);
    expect(err.message).toMatch(new RegExp(`scanProd: item 1: the int32 product (leaves the int32 range|passes ${limit}).*dtype: 'float32', or float32 data\\)$`));
    const one = [ints(100000, 100000)];
    expect(await streamError(from(one).pipe(api.reduceProd({ axis: null })))).toBeInstanceOf(api.OverflowError);
    expect(await streamError(from(one).pipe(api.reduceProd({ axis: 0 })))).toBeInstanceOf(api.OverflowError);
    expect(await final(one, api.reduceProd({ axis: null, dtype: 'float32' }))).toEqual([1e10]);
    [...items, ...one].forEach((t) => t.dispose());
  });
});

/** Relative errors of `actual` against float64 `truth`, elementwise; the largest. */
const maxRel = (actual: ArrayLike<number>, truth: ArrayLike<number>): number => Math.max(...Array.from(truth, (t, i) => Math.abs(actual[i] - t) / Math.abs(t)));

// A million frames through the whole pipeline takes ~10 s per backend in Node; the browser
// runners (webgl's draws on a software renderer) check the same kernels on shorter streams in
// spec/kernels.spec.ts.
const LONG = IN_BROWSER ? 0 : 1_000_000;

(LONG ? describeOnBackends : () => undefined)('the error of long streams does not grow with the stream', () => {
  const SIZE = 8;

  /** The mean of `n` frames cycling through `pattern`, its float64 truth, and what naive float32 accumulation gives. */
  async function periodicMean(pattern: Float32Array[], n: number) {
    const truth = new Float64Array(SIZE);
    const naive = new Float32Array(SIZE);
    for (let k = 0; k < n; k++) {
      const f = pattern[k % pattern.length];
      for (let i = 0; i < SIZE; i++) {
        truth[i] += f[i];
        naive[i] += f[i];
      }
    }
    truth.forEach((t, i) => (truth[i] = t / n));
    const mean = await lastValueFrom(
      range(0, n).pipe(
        map((k) => ({ data: pattern[k % pattern.length], shape: [SIZE] })),
        api.reduceMean(),
      ),
    );
    const values = await mean.data();
    mean.dispose();
    return {
      err: maxRel(values, truth),
      naiveErr: maxRel(
        naive.map((s) => s / n),
        truth,
      ),
    };
  }

  it(`the mean of ${LONG} frames of a constant 0.1 is within 1e-6 relative of float64`, async () => {
    const before = tf.memory().numTensors;
    const { err, naiveErr } = await periodicMean([new Float32Array(SIZE).fill(0.1)], LONG);
    expect(naiveErr).withContext('naive float32 accumulation (what the bound rules out)').toBeGreaterThan(1e-3);
    expect(err).withContext('library').toBeLessThan(1e-6);
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);

  it(`the mean of ${LONG} frames of an 8-frame periodic pattern is within 1e-6 relative of float64`, async () => {
    const next = prng(7);
    const pattern = Array.from({ length: 8 }, () => Float32Array.from({ length: SIZE }, () => 0.5 + next()));
    const { err, naiveErr } = await periodicMean(pattern, LONG);
    expect(naiveErr).withContext('naive float32 accumulation').toBeGreaterThan(1e-4);
    expect(err).withContext('library').toBeLessThan(1e-6);
  }, 300_000);

  it('the variance of 50,000 fresh U(0,1) frames is within 1e-6 relative of float64', async () => {
    const n = 50_000;
    const next = prng(2024);
    const frames = Array.from({ length: n }, () => Float32Array.from({ length: SIZE }, next));
    const mean = new Float64Array(SIZE);
    frames.forEach((f) => f.forEach((v, i) => (mean[i] += v / n)));
    const var64 = new Float64Array(SIZE);
    frames.forEach((f) => f.forEach((v, i) => (var64[i] += (v - mean[i]) ** 2 / n)));
    const v = await lastValueFrom(
      range(0, n).pipe(
        map((k) => ({ data: frames[k], shape: [SIZE] })),
        api.reduceVar(),
      ),
    );
    expect(maxRel(await v.data(), var64))
      .withContext('library')
      .toBeLessThan(1e-6);
    v.dispose();
  }, 300_000);
});
