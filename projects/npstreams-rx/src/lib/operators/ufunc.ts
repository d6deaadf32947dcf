import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { type EmitMode, accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import { type UserUfunc, resolveUfunc } from '../ops/ufuncs';
import { type UfuncOptions, ufuncReduction } from '../reductions/ufunc';

/** The operator behind scanUfunc/reduceUfunc and every named ufunc reduction (scanSum,
 * scanMax...); `nanVariant`: ignoreNaN takes the ufunc's NaN-skipping twin (scanMax: fmax). */
export function ufuncOperator(operator: string, ufunc: string | UserUfunc, options: UfuncOptions, emit: EmitMode, nanVariant = false): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate(operator, ufuncReduction(operator, resolveUfunc(operator, ufunc), options, nanVariant), options, emit);
}

/**
 * The running `ufunc.reduce` of a stream of arrays (npstreams' `ireduce_ufunc`), emitted after
 * every item: the first item, then `fn(running, item)` for every item after it (hypot, whose
 * NumPy reduction starts from its identity, starts from `hypot(0, item)`, that is `|item|`).
 *
 * `ufunc` is a name from `UFUNCS` ('add', 'maximum', 'logaddexp', 'bitwiseOr'...) or a user's
 * `{ fn, identity?, associative? }`: `fn(a, b)` built from tfjs ops, binary, returning a tensor of
 * its operands' broadcast shape (else the item errors with a `StreamInputError`). An unknown name,
 * or a function declared with one parameter, is an `OptionError` at once. `ignoreNaN` replaces
 * NaNs by the ufunc's identity and is an `OptionError` for one without (maximum, subtract...); a
 * non-associative ufunc cannot reduce over all axes (`axis: null`), as in NumPy.
 *
 * @param ufunc The ufunc: a name from `UFUNCS`, or `{ fn, identity?, associative? }`.
 * @param options `axis` (npstreams' convention), `dtype` of the result, `ignoreNaN`.
 * @returns An operator emitting the running reduction after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanUfunc } from 'npstreams-rx';
 *
 * from([[3, -5], [4, 12]])
 *   .pipe(scanUfunc('hypot'))
 *   .subscribe((r) => console.log(r.arraySync())); // [3, 5], then [5, 13]
 * ```
 */
export function scanUfunc(ufunc: string | UserUfunc, options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanUfunc', ufunc, options, 'scan');
}

/**
 * The `ufunc.reduce` of a whole stream of arrays (npstreams' `reduce_ufunc`), emitted once when
 * the stream completes; an empty stream errors with an `EmptyStreamError`. `ufunc` and the
 * options are checked as for `scanUfunc`.
 *
 * @param ufunc The ufunc: a name from `UFUNCS`, or `{ fn, identity?, associative? }`.
 * @param options `axis` (npstreams' convention), `dtype` of the result, `ignoreNaN`.
 * @returns An operator emitting the reduction once. The tensor belongs to the subscriber: dispose
 *   it when done.
 *
 * @example
 * ```ts
 * import * as tf from '@tensorflow/tfjs-core';
 * import { from, lastValueFrom } from 'rxjs';
 * import { reduceUfunc } from 'npstreams-rx';
 *
 * // the probability that at least one of independent events happens: a + b - ab
 * const fn = (a: tf.Tensor, b: tf.Tensor) => tf.sub(tf.add(a, b), tf.mul(a, b));
 * const either = { fn, identity: 0 };
 * const p = await lastValueFrom(from([[0.5, 0.5], [0.5, 0.25]]).pipe(reduceUfunc(either)));
 * console.log(p.arraySync()); // [0.75, 0.625]
 * p.dispose();
 * ```
 */
export function reduceUfunc(ufunc: string | UserUfunc, options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceUfunc', ufunc, options, 'reduce');
}
