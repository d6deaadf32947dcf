import * as tf from '@tensorflow/tfjs-core';
import { CallbackError, OptionError, describeThrown } from '../core/errors';
import { sumAxes } from '../math/sum-axes';
import { type FloatFrameData, describeValue, formatShape, isTensor } from '../core/inputs';
import { checkedIntMul, intProdAlong } from '../kernels/accumulators';
import { EXTREMA, type ExtremumOp, bitwiseAnd, extremaUpdate, extremaUpdateFrame, intSumAlong, sumAdd, sumAddFrame, sumInit, sumMerge, sumValue } from '../kernels/accumulators';

/**
 * How a ufunc's running value is kept in one accumulator tensor: plain (the value itself), or
 * a compensated sum (add, see sumInit). `fold` may update `acc` in place when the accumulator is
 * the library's own (the fused kernels decide); `merge` never does.
 */
export interface UfuncAccumulator {
  /** The accumulator holding one value, `x` (the first item, or its reduction over the axes). */
  init(x: tf.Tensor): tf.Tensor;
  /** The accumulator with one more item folded in: `fn(running value, x)`. */
  fold(acc: tf.Tensor, x: tf.Tensor): tf.Tensor;
  /** Two accumulators combined into one (partial results), neither modified. */
  merge(a: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** The running value an accumulator holds. */
  value(acc: tf.Tensor): tf.Tensor;
  /** fold with the item as float32 JS data, where the backend has a frame kernel; else null. */
  foldFrame?(acc: tf.Tensor, frame: FloatFrameData): tf.Tensor | null;
}

/** A binary elementwise function that reduces a stream, as NumPy's ufunc.reduce. */
export interface Ufunc {
  /** The name, as in `UFUNCS` ('user ufunc' for a user's). */
  name: string;
  /** The binary elementwise function, with NumPy's broadcasting. */
  fn(a: tf.Tensor, b: tf.Tensor): tf.Tensor;
  /** NumPy's identity, where the ufunc has one: what `ignoreNaN` puts in place of NaN. */
  identity?: number;
  /** The dtype results have, given the items' dtype; null where the ufunc is not defined for it. */
  dtype(input: tf.DataType): tf.DataType | null;
  /** Reduces one item along axes in one kernel where tfjs has one (else a fold over slices). */
  reduce?(x: tf.Tensor, axes: number[]): tf.Tensor;
  /** Converts items to the result dtype (default tf.cast). */
  prepare?(x: tf.Tensor): tf.Tensor;
  /** Whether partial results can be merged (f(f(a, b), c) = f(a, f(b, c))). */
  associative: boolean;
  /** NumPy starts a reduction from the identity: true where that changes the result
   * (hypot of one value is |x|). */
  startsFromIdentity?: boolean;
  /** The ufunc that ignores NaNs instead (maximum -> fmax), used by `ignoreNaN`. */
  nanVariant?: string;
  /** How the running value is kept, where not plainly (add: a compensated sum; the extrema: a
   * fused kernel). Default: the value itself, folded and merged with `fn`. */
  accumulator?: UfuncAccumulator;
}

/** A user's ufunc: a binary function built from tfjs ops, and its identity if it has one. */
export interface UserUfunc {
  /** The binary function, `fn(a, b)`, built from tfjs ops: it must return a tensor of its
   * operands' broadcast shape (else the item errors with a `StreamInputError`). */
  fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  /** The identity, if the ufunc has one (fn(identity, x) = x): what `ignoreNaN` puts in place of
   * NaN; without one, `ignoreNaN` is an `OptionError`. */
  identity?: number;
  /** Whether partial results can be merged; default true. */
  associative?: boolean;
}

const sameDtype = (d: tf.DataType): tf.DataType => (d === 'bool' ? 'int32' : d);
const float = (): tf.DataType => 'float32';
const bool = (): tf.DataType => 'bool';
const intOnly = (d: tf.DataType): tf.DataType | null => (d === 'float32' ? null : 'int32');
/** x != 0 as bool, NaN counting as true (as NumPy's bool(nan)). */
const truthy = (x: tf.Tensor): tf.Tensor => (x.dtype === 'bool' ? x : x.dtype === 'int32' ? tf.notEqual(x, 0) : tf.logicalOr(tf.notEqual(x, 0), tf.isNaN(x)));
/** Reduction along axes that propagates NaN (max, min). */
const nanPropagatingReduce =
  (op: (x: tf.Tensor, axes: number[]) => tf.Tensor) =>
  (x: tf.Tensor, axes: number[]): tf.Tensor =>
    x.dtype !== 'float32' ? op(x, axes) : tf.where(tf.any(tf.isNaN(x), axes), tf.fill(op(x, axes).shape, NaN), op(x, axes));
/** Reduction along axes that skips NaN: NaN only where every value is NaN (fmax, fmin). */
const nanIgnoringReduce =
  (op: (x: tf.Tensor, axes: number[]) => tf.Tensor, fill: number) =>
  (x: tf.Tensor, axes: number[]): tf.Tensor => {
    if (x.dtype !== 'float32') return op(x, axes);
    const nan = tf.isNaN(x);
    const r = op(tf.where(nan, tf.fill(x.shape, fill), x), axes);
    return tf.where(tf.all(nan, axes), tf.fill(r.shape, NaN), r);
  };

const compensated: UfuncAccumulator = { init: sumInit, fold: sumAdd, merge: sumMerge, value: (acc) => sumValue(acc), foldFrame: sumAddFrame };
/** The running extremum: the fused extremaUpdate kernel, NumPy's NaN rules. */
const extremum = (op: ExtremumOp): UfuncAccumulator => ({
  init: (x) => x,
  fold: (acc, x) => extremaUpdate(acc, x, op),
  merge: EXTREMA[op],
  value: (acc) => acc,
  foldFrame: (acc, frame) => extremaUpdateFrame(acc, frame, op),
});
/** log(e^a + e^b) = max + log1p(e^-|a - b|), stable for large arguments; where a == b (both
 * -inf or both inf included) it is a + log 2, so logaddexp(-inf, -inf) is -inf, not NaN. */
const logaddexp = (a: tf.Tensor, b: tf.Tensor): tf.Tensor => tf.where(tf.equal(a, b), tf.add(a, Math.LN2), tf.add(tf.maximum(a, b), tf.log1p(tf.exp(tf.neg(tf.abs(tf.sub(a, b)))))));

/** The built-in ufuncs, by name (NumPy's names in camelCase): add, subtract, multiply, divide,
 * power, maximum, minimum, fmax, fmin, logicalAnd, logicalOr, logicalXor, hypot, atan2,
 * logaddexp, mod, bitwiseAnd, bitwiseOr, bitwiseXor (the bitwise ones for integer items only). */
export const UFUNCS: Record<string, Ufunc> = {
  add: {
    name: 'add',
    fn: tf.add,
    identity: 0,
    dtype: sameDtype,
    // tfjs's int32 Sum wraps silently past 2^31: int32 items are summed exactly, or refused
    reduce: (x, a) => (x.dtype === 'int32' ? intSumAlong(x, a) : sumAxes(x, a)),
    associative: true,
    accumulator: compensated,
  },
  subtract: { name: 'subtract', fn: tf.sub, dtype: sameDtype, associative: false },
  multiply: {
    name: 'multiply',
    // tfjs's int32 Mul and Prod wrap silently past 2^31: int32 products are checked, or refused
    fn: (a, b) => (a.dtype === 'int32' && b.dtype === 'int32' ? checkedIntMul(a, b) : tf.mul(a, b)),
    identity: 1,
    dtype: sameDtype,
    reduce: (x, a) => (x.dtype === 'int32' ? intProdAlong(x, a) : tf.prod(x, a)),
    associative: true,
  },
  divide: { name: 'divide', fn: tf.div, dtype: float, associative: false },
  power: { name: 'power', fn: tf.pow, dtype: sameDtype, associative: false },
  maximum: {
    name: 'maximum',
    fn: EXTREMA.max,
    dtype: sameDtype,
    reduce: nanPropagatingReduce((x, a) => tf.max(x, a)),
    associative: true,
    nanVariant: 'fmax',
    accumulator: extremum('max'),
  },
  minimum: {
    name: 'minimum',
    fn: EXTREMA.min,
    dtype: sameDtype,
    reduce: nanPropagatingReduce((x, a) => tf.min(x, a)),
    associative: true,
    nanVariant: 'fmin',
    accumulator: extremum('min'),
  },
  fmax: { name: 'fmax', fn: EXTREMA.fmax, dtype: sameDtype, reduce: nanIgnoringReduce((x, a) => tf.max(x, a), -Infinity), associative: true, accumulator: extremum('fmax') },
  fmin: { name: 'fmin', fn: EXTREMA.fmin, dtype: sameDtype, reduce: nanIgnoringReduce((x, a) => tf.min(x, a), Infinity), associative: true, accumulator: extremum('fmin') },
  logicalAnd: { name: 'logicalAnd', fn: tf.logicalAnd, identity: 1, dtype: bool, prepare: truthy, reduce: (x, a) => tf.all(x, a), associative: true },
  logicalOr: { name: 'logicalOr', fn: tf.logicalOr, identity: 0, dtype: bool, prepare: truthy, reduce: (x, a) => tf.any(x, a), associative: true },
  logicalXor: { name: 'logicalXor', fn: tf.logicalXor, identity: 0, dtype: bool, prepare: truthy, associative: true },
  hypot: { name: 'hypot', fn: (a, b) => tf.sqrt(tf.add(tf.square(a), tf.square(b))), identity: 0, dtype: float, associative: true, startsFromIdentity: true },
  atan2: { name: 'atan2', fn: tf.atan2, dtype: float, associative: false },
  logaddexp: { name: 'logaddexp', fn: logaddexp, identity: -Infinity, dtype: float, associative: true },
  mod: { name: 'mod', fn: tf.mod, dtype: sameDtype, associative: false },
  bitwiseAnd: { name: 'bitwiseAnd', fn: bitwiseAnd, identity: -1, dtype: intOnly, associative: true },
  // tfjs has only BitwiseAnd; for integers a|b = a + b - (a&b) and a^b = a + b - 2(a&b), exactly
  // (mod 2^32 on cpu and wasm; on WebGL, whose int32 is stored in float32, for |values| < 2^24).
  bitwiseOr: { name: 'bitwiseOr', fn: (a, b) => tf.sub(tf.add(a, b), bitwiseAnd(a, b)), identity: 0, dtype: intOnly, associative: true },
  bitwiseXor: {
    name: 'bitwiseXor',
    fn: (a, b) => tf.sub(tf.add(a, b), tf.mul(bitwiseAnd(a, b), tf.scalar(2, 'int32'))),
    identity: 0,
    dtype: intOnly,
    associative: true,
  },
};

/**
 * NumPy's ufunc.reduce of one array along `axes` (one axis, or all of them): one tfjs kernel
 * where there is one, else a left fold over the slices in C order (one op per slice). The fold
 * slices without transposing, and webgpu always folds: tfjs's webgpu reductions transpose
 * non-trailing axes with a program that corrupts int32 and bool data.
 */
export function reduceAlong(ufunc: Ufunc, x: tf.Tensor, axes: number[]): tf.Tensor {
  const trailing = axes.every((a, i) => a === x.rank - axes.length + i);
  if (ufunc.reduce && (trailing || tf.getBackend() !== 'webgpu')) return ufunc.reduce(x, axes);
  const slices = axes.length === 1 ? tf.unstack(x, axes[0]) : tf.unstack(tf.reshape(x, [-1]));
  return slices.slice(1).reduce((acc, s) => ufunc.fn(acc, s), fromIdentity(ufunc, slices[0]));
}

/** x, or fn(identity, x) for a ufunc whose NumPy reduction starts from its identity. */
export function fromIdentity(ufunc: Ufunc, x: tf.Tensor): tf.Tensor {
  return ufunc.startsFromIdentity && ufunc.identity !== undefined ? ufunc.fn(tf.fill(x.shape, ufunc.identity, x.dtype), x) : x;
}

/** The ufunc an option names, or a user's, checked when the operator is made. */
export function resolveUfunc(operator: string, ufunc: string | UserUfunc): Ufunc {
  if (typeof ufunc === 'string') {
    const found = UFUNCS[ufunc];
    if (!found) throw new OptionError(`${operator}: there is no ufunc named '${ufunc}'; known: ${Object.keys(UFUNCS).join(', ')}`);
    return found;
  }
  if (!ufunc || typeof ufunc.fn !== 'function') {
    throw new OptionError(`${operator}: a ufunc is a registered name or { fn: (a, b) => tf.Tensor, identity? }`);
  }
  // a function declared with one parameter is not binary (tfjs's ops take rest parameters: length 0)
  if (ufunc.fn.length === 1) throw new OptionError(`${operator}: a ufunc is binary, fn(a, b); this fn takes one argument`);
  if (ufunc.identity !== undefined && typeof ufunc.identity !== 'number') throw new OptionError(`${operator}: a ufunc's identity is a number; received ${String(ufunc.identity)}`);
  return { name: 'user ufunc', fn: checkedUserFn(ufunc.fn), identity: ufunc.identity, dtype: sameDtype, associative: ufunc.associative ?? true };
}

/** A user's binary function that must return a tensor of its operands' (broadcast) shape: what it
 * throws, or a result that is not such a tensor, becomes a CallbackError (the core names the item). */
function checkedUserFn(fn: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): (a: tf.Tensor, b: tf.Tensor) => tf.Tensor {
  return (a, b) => {
    let r: unknown;
    try {
      r = fn(a, b);
    } catch (err) {
      throw new CallbackError(`the ufunc's fn threw: ${describeThrown(err)}`, err);
    }
    if (!isTensor(r)) throw new CallbackError(`the ufunc's fn returned ${r === undefined ? 'undefined' : describeValue(r)}, not a tf.Tensor`);
    const expected = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    if (r.shape.length !== expected.length || r.shape.some((d, i) => d !== expected[i])) {
      throw new CallbackError(`the ufunc's fn returned shape ${formatShape(r.shape)} for operands ${formatShape(a.shape)} and ${formatShape(b.shape)}; a binary ufunc gives ${formatShape(expected)}`);
    }
    return r;
  };
}
