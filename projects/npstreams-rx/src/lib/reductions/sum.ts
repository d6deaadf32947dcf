import * as tf from '@tensorflow/tfjs-core';
import type { NumericDtype } from '../core/inputs';
import type { Reduction } from '../core/reduction';
import { type CompensatedSum, compensatedAdd, compensatedInit, compensatedMerge, compensatedValue } from '../kernels/compensated-sum';
import { zeroNaNs } from './nan';

export interface SumOptions {
  /** npstreams' axis: omitted/-1 the stream axis, null all axes, k an axis of each item. */
  axis?: number | null;
  /** Accumulator and result dtype. Default: float32 for float data, int32 for int32 and bool data. */
  dtype?: NumericDtype;
  /** Treat NaNs as zero (NumPy's nansum). */
  ignoreNaN?: boolean;
}

/** Σ x, compensated in float32 (error independent of the stream length), exact in int32. */
export function sumReduction(options: SumOptions): Reduction<CompensatedSum> {
  const clean = (x: tf.Tensor): tf.Tensor => (options.ignoreNaN ? zeroNaNs(x) : x);
  return {
    computeDtype: (first) => options.dtype ?? (first === 'float32' ? 'float32' : 'int32'),
    init: ({ x }, axes) => compensatedInit(axes.length ? tf.sum(clean(x), axes) : clean(x)),
    update: (state, { x }) => compensatedAdd(state, clean(x)),
    merge: compensatedMerge,
    finalize: compensatedValue,
  };
}
