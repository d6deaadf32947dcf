import * as tf from '@tensorflow/tfjs-core';
import { OptionError } from '../core/errors';
import { type NumericDtype, castTo } from '../core/inputs';
import { validateDtype, validateFlag } from '../core/options';
import { type Reduction, frameByFrame } from '../core/reduction';
import { UFUNCS, type Ufunc, type UfuncAccumulator, fromIdentity, reduceAlong } from '../ops/ufuncs';

/** Options of the ufunc reductions (scanSum, scanProd, scanMax... and scanUfunc). */
export interface UfuncOptions {
  /** npstreams' axis: omitted/-1 the stream axis, null all axes, k an axis of each item. */
  axis?: number | null;
  /** Accumulator and result dtype (add, multiply...). Default: the ufunc's own for the items. */
  dtype?: NumericDtype;
  /** Replace NaNs by the ufunc's identity (maximum and minimum become fmax and fmin). */
  ignoreNaN?: boolean;
}

/** The state of a ufunc reduction: one accumulator tensor (see UfuncAccumulator). */
export interface UfuncState {
  /** The running value (or the ufunc's own accumulator of it). */
  acc: tf.Tensor;
}

/** The plain accumulator: the running value, combined with the ufunc. */
const plain = (fn: Ufunc['fn']): UfuncAccumulator => ({ init: (x) => x, fold: fn, merge: fn, value: (acc) => acc });

/**
 * NumPy's `ufunc.reduce` over a stream (npstreams' `ireduce_ufunc`): every named reduction
 * (sum, prod, max, min, all, any, sub) is this definition with a ufunc. `nanVariant`: with ignoreNaN, use the ufunc's NaN-skipping
 * twin (maximum -> fmax), as npstreams' imax/imin do; only the named max and min operators ask
 * for it. Elsewhere ignoreNaN replaces NaN by the ufunc's identity, and a ufunc without one
 * (maximum, subtract...) is an OptionError, as npstreams' ireduce_ufunc raises.
 */
export function ufuncReduction(operator: string, given: Ufunc, options: UfuncOptions, nanVariant = false): Reduction<UfuncState> {
  validateDtype(operator, options.dtype);
  validateFlag(operator, 'ignoreNaN', options.ignoreNaN);
  if (options.axis === null && !given.associative) {
    // NumPy: "reduction operation 'subtract' is not reorderable, so at most one axis may be specified"
    throw new OptionError(`${operator}: ${given.name} is not associative, so it cannot reduce over all axes (axis: null)`);
  }
  let ufunc = given;
  let replaceNaN: number | null = null;
  if (options.ignoreNaN) {
    if (nanVariant && ufunc.nanVariant) ufunc = UFUNCS[ufunc.nanVariant];
    else if (ufunc.identity === undefined) {
      throw new OptionError(`${operator}: ignoreNaN replaces NaNs by the ufunc's identity, and ${ufunc.name} has none`);
    } else replaceNaN = ufunc.identity;
  }
  const acc = ufunc.accumulator ?? plain(ufunc.fn);
  const clean = (x: tf.Tensor): tf.Tensor => (replaceNaN === null || x.dtype !== 'float32' ? x : tf.where(tf.isNaN(x), tf.fill(x.shape, replaceNaN), x));
  const dtypeFor = (first: tf.DataType): tf.DataType => {
    const dtype = ufunc.dtype(first);
    if (dtype === null) throw new OptionError(`${operator}: ${ufunc.name} is not defined for ${first} items`);
    return options.dtype ?? dtype;
  };
  return {
    computeDtype: dtypeFor,
    // NaN must be replaced before a cast (to bool or int32) hides it
    prepare: (x) => {
      const target = dtypeFor(x.dtype);
      const cleaned = clean(x);
      return ufunc.prepare ? ufunc.prepare(cleaned) : castTo(cleaned, target);
    },
    init: ({ x }, axes) => ({ acc: acc.init(axes.length ? reduceAlong(ufunc, clean(x), axes) : fromIdentity(ufunc, clean(x))) }),
    update: (state, { x }) => ({ acc: acc.fold(state.acc, clean(x)) }),
    // a frame needs no cleaning where NaN stays NaN (no identity to put in its place)
    updateFrames:
      replaceNaN === null && acc.foldFrame
        ? frameByFrame((state, frame) => {
            const next = acc.foldFrame!(state.acc, frame);
            return next && { acc: next };
          })
        : undefined,
    merge: (a, b) => {
      if (!ufunc.associative) throw new OptionError(`${operator}: ${ufunc.name} is not associative, so partial results cannot be merged`);
      return { acc: acc.merge(a.acc, b.acc) };
    },
    finalize: (state) => acc.value(state.acc),
  };
}
