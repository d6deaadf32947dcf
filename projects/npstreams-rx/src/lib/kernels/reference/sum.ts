import * as tf from '@tensorflow/tfjs-core';
import { traitsOf } from '../../core/backend-traits';
import { IntegerOverflow } from '../../core/errors';
import { own } from '../owned';
import { dfAdd, dfAddPair, dfValue, planes, stackPlanes } from './double-float';

/**
 * The running sum of a stream as one accumulator tensor, started from its first item: float32
 * sums are [2, ...shape] (the hi and lo planes of a renormalized compensated sum), int32 sums are
 * [...shape], exact, and checked: an addition that leaves the int32 range throws an Error named
 * IntegerOverflow instead of wrapping (the operators turn it into an OverflowError). Fold more items in with `sumAdd`, combine two sums with `sumMerge`, read
 * one with `sumValue`: the accumulator a reduction of your own (`accumulate`) can keep.
 *
 * @param x The first item, float32 or int32; it is read, never disposed or modified.
 * @returns A new accumulator tensor (its own buffer, never x's), yours to dispose. The fused
 *   kernels may update it in place: after `acc2 = sumAdd(acc, x)`, dispose `acc` only where
 *   `acc2 !== acc`.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sumAdd, sumInit, sumValue, useBackend } from 'npstreams-rx';
 *
 * await useBackend();
 * const items = [tf.tensor1d([1, 2]), tf.tensor1d([3, 4]), tf.tensor1d([5, 6])];
 * let acc = sumInit(items[0]);
 * console.log(acc.shape); // [2, 2]: the hi and lo planes of [2] items
 * for (const x of items.slice(1)) {
 *   const next = sumAdd(acc, x);
 *   if (next !== acc) acc.dispose();
 *   acc = next;
 * }
 * const sum = sumValue(acc);
 * console.log(sum.arraySync()); // [9, 12]
 * tf.dispose([acc, sum, ...items]);
 * ```
 */
export function sumInit(x: tf.Tensor): tf.Tensor {
  // a new buffer either way (never x's), which the fused kernels then update in place
  return own(x.dtype === 'float32' ? stackPlanes(x, tf.zerosLike(x)) : tf.mul(x, tf.scalar(1, x.dtype)));
}

/** acc + x (x of the item's shape). */
export function sumAdd(acc: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (acc.dtype !== 'float32') return checkedIntAdd(acc, x);
  const [hi, lo] = planes(acc);
  const r = dfAdd({ hi, lo }, x);
  return stackPlanes(r.hi, r.lo);
}

/**
 * Two running sums (`sumInit`, `sumAdd`) of items of one shape and dtype added into one, the
 * compensated float32 planes combined exactly as one pass would have: what a reduction's
 * `merge` does for partial results. An int32 sum that leaves the int32 range throws an Error
 * named IntegerOverflow; on webgpu, which cannot read back synchronously to check, int32 sums
 * throw an Error saying to sum in float32.
 *
 * @param a One accumulator.
 * @param b The other; both are read, never disposed or modified.
 * @returns A new accumulator tensor, yours to dispose.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { sumInit, sumMerge, sumValue, useBackend } from 'npstreams-rx';
 *
 * await useBackend();
 * const a = sumInit(tf.tensor1d([1, 2]));
 * const b = sumInit(tf.tensor1d([3, 4]));
 * const both = sumMerge(a, b);
 * const sum = sumValue(both);
 * console.log(sum.arraySync()); // [4, 6]
 * tf.dispose([a, b, both, sum]);
 * ```
 */
export function sumMerge(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.dtype !== 'float32') return checkedIntAdd(a, b);
  const [ah, al] = planes(a);
  const [bh, bl] = planes(b);
  const r = dfAddPair({ hi: ah, lo: al }, { hi: bh, lo: bl });
  return stackPlanes(r.hi, r.lo);
}

/** The value of a sum as a new tensor of the item's shape, divided by `divisor` (a count or a
 * weight total, not 0) when one is given. */
export function sumValue(acc: tf.Tensor, divisor = 1): tf.Tensor {
  if (acc.dtype !== 'float32') return divisor === 1 ? tf.clone(acc) : tf.div(tf.cast(acc, 'float32'), divisor);
  const [hi, lo] = planes(acc);
  const value = dfValue({ hi, lo });
  return divisor === 1 ? value : tf.div(value, divisor);
}

/** The largest int32. */
export const INT32_MAX = 2 ** 31 - 1;

/** The largest |int32| a backend sums without doubt: WebGL keeps int32 in float32 textures,
 * where 2^24 + 1 already rounds to 2^24. */
export function intLimit(): number {
  return tf.getBackend() === 'webgl' ? 2 ** 24 - 1 : INT32_MAX;
}

/** a + b for int32 tensors, or IntegerOverflow where the sum leaves the int32 range (or, on
 * WebGL, the range float32 holds exactly). One scalar is read back to decide. */
export function checkedIntAdd(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  refuseWithoutSyncReads();
  const s = tf.add(a, b);
  const overflow = tf.tidy(() => {
    if (tf.getBackend() === 'webgl') return tf.any(tf.greater(tf.abs(tf.cast(s, 'float32')), intLimit()));
    // two's complement: the operands share a sign and the sum has the other one
    const sa = tf.sign(a);
    return tf.any(tf.logicalAnd(tf.logicalAnd(tf.notEqual(sa, 0), tf.equal(sa, tf.sign(b))), tf.notEqual(tf.sign(s), sa)));
  });
  return unlessFlagged(s, overflow, 'sum');
}

/** `result`, or IntegerOverflow (the result released) where the scalar flag `overflow` is set:
 * the one value an int32 check reads back. */
export function unlessFlagged(result: tf.Tensor, overflow: tf.Tensor, what: 'sum' | 'product'): tf.Tensor {
  const overflowed = overflow.dataSync()[0] !== 0;
  overflow.dispose();
  if (overflowed) {
    result.dispose();
    throw new IntegerOverflow(intLimit(), what);
  }
  return result;
}

/**
 * The sum of an int32 item along `axes`, exact (JS numbers hold integers to 2^53) and checked:
 * tfjs's own int32 Sum wraps silently. Reads the item back once (free on cpu, a copy out of the
 * wasm heap, a synchronous read on GPUs).
 */
export function intSumAlong(x: tf.Tensor, axes: number[]): tf.Tensor {
  refuseWithoutSyncReads();
  const { out, shape } = foldAlongAxes(x, axes, 0, (sum, v) => sum + v);
  const limit = intLimit();
  if (out.some((s) => Math.abs(s) > limit)) throw new IntegerOverflow(limit);
  return tf.tensor(Int32Array.from(out), shape, 'int32');
}

/**
 * An item's values folded along `axes` in JS, in C order: each element of the result starts at
 * `initial` and takes `step(acc, value)` for each value that falls on it. Reads the item back once.
 */
export function foldAlongAxes(x: tf.Tensor, axes: number[], initial: number, step: (acc: number, value: number) => number): { out: Float64Array; shape: number[] } {
  const values = x.dataSync();
  const { shape } = x;
  // the stride of each item axis in the output (0 for a reduced axis)
  const outStrides = new Array<number>(shape.length).fill(0);
  let stride = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (!axes.includes(i)) {
      outStrides[i] = stride;
      stride *= shape[i];
    }
  }
  const out = new Float64Array(stride).fill(initial);
  const index = new Array<number>(shape.length).fill(0);
  let o = 0;
  for (let k = 0; k < values.length; k++) {
    out[o] = step(out[o], values[k]);
    // advance the multi-index in C order, keeping o = Σ index[i]·outStrides[i]
    for (let i = shape.length - 1; i >= 0; i--) {
      o += outStrides[i];
      if (++index[i] < shape[i]) break;
      o -= outStrides[i] * shape[i];
      index[i] = 0;
    }
  }
  return { out, shape: shape.filter((_, i) => !axes.includes(i)) };
}

/**
 * The int32 overflow checks read back synchronously. tfjs's webgpu backend has no reliable
 * synchronous read (it throws in Node and returns zeros on some adapters), so there an int32
 * sum is refused with the alternative rather than left unchecked.
 */
export function refuseWithoutSyncReads(what: 'sums' | 'products' = 'sums'): void {
  if (traitsOf(tf.getBackend()).noSyncRead) {
    throw new Error(
      `int32 ${what} are checked for overflow by a synchronous read, which the ${tf.getBackend()} backend cannot do reliably; accumulate in float32 instead (dtype: 'float32'${what === 'sums' ? ': compensated, exact for integer data up to 2^48' : ''})`,
    );
  }
}
