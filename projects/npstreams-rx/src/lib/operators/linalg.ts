import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import { OptionError } from '../core/errors';
import type { ArrayInput } from '../core/inputs';
import { type EinsumSpec, dot, einsum2, inner, parseEinsum, tensordot } from '../ops/linalg';
import { chainReduction } from '../reductions/linalg';

/**
 * The running matrix product of a stream of arrays, `np.dot` chained: a0·a1·a2... (npstreams'
 * `idot`), emitted after every item.
 *
 * Each emission is `np.dot(previous, item)`: a product of scalars, else the sum over the previous
 * result's last axis and the item's second-to-last (or only) axis. Items may differ in shape as a
 * matrix chain does; shapes that do not contract are a `StreamInputError` naming the item. The
 * result is float32. End the stream with `lastValue()` to keep the final product.
 *
 * @returns An operator emitting the running product after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanDot } from 'npstreams-rx';
 *
 * from([[[1, 2], [3, 4]], [[0, 1], [1, 0]], [1, 1]])
 *   .pipe(scanDot())
 *   .subscribe((product) => console.log(product.arraySync()));
 * // [[1, 2], [3, 4]], then [[2, 1], [4, 3]], then [3, 7]
 * ```
 */
export function scanDot(): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanDot', chainReduction('scanDot', dot, true), {}, 'scan');
}

/**
 * The running inner product of a stream of arrays, `np.inner` chained (npstreams' `iinner`),
 * emitted after every item.
 *
 * Each emission is `np.inner(previous, item)`: a product of scalars, else the sum over the last
 * axes of both. Items may differ in shape; last axes of different sizes are a `StreamInputError`
 * naming the item. The result is float32.
 *
 * @returns An operator emitting the running product after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanInner } from 'npstreams-rx';
 *
 * from([[1, 2], [3, 4], [1, 2]])
 *   .pipe(scanInner())
 *   .subscribe((product) => console.log(product.arraySync())); // [1, 2], then 11, then [11, 22]
 * ```
 */
export function scanInner(): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanInner', chainReduction('scanInner', inner, false), {}, 'scan');
}

/**
 * The running tensor product of a stream of arrays, `np.tensordot` chained (npstreams'
 * `itensordot`), emitted after every item: `np.tensordot(previous, item, axes)`.
 *
 * `axes` is a count N (the last N axes of the previous result with the first N of the item;
 * default 2) or `[axesOfPrevious, axesOfItem]`. A count that is not a non-negative integer is an
 * `OptionError` at once; axes that do not contract are a `StreamInputError` naming the item. The
 * result is float32.
 *
 * @param axes The axes to contract: a count N, or a pair of lists of axes.
 * @returns An operator emitting the running product after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanTensordot } from 'npstreams-rx';
 *
 * // one axis contracted: for matrices, the matrix product
 * from([[[1, 2], [3, 4]], [[0, 1], [1, 0]]])
 *   .pipe(scanTensordot(1))
 *   .subscribe((product) => console.log(product.arraySync()));
 * // [[1, 2], [3, 4]], then [[2, 1], [4, 3]]
 * ```
 */
export function scanTensordot(axes: number | [number[], number[]] = 2): OperatorFunction<ArrayInput, tf.Tensor> {
  let op: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor;
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0) throw new OptionError(`scanTensordot: axes must be a non-negative integer or [axesA, axesB]; received ${axes}`);
    op = (a, b) =>
      tensordot(
        a,
        b,
        Array.from({ length: axes }, (_, i) => a.rank - axes + i),
        Array.from({ length: axes }, (_, i) => i),
      );
  } else {
    const [axesA, axesB] = axes;
    op = (a, b) => tensordot(a, b, axesA, axesB);
  }
  return accumulate('scanTensordot', chainReduction('scanTensordot', op, false), {}, 'scan');
}

/**
 * The running `np.einsum` of a stream of arrays (npstreams' `ieinsum`), emitted after every item:
 * `np.einsum(subscripts, previous, item)`.
 *
 * The subscripts name two operands, the running result and the next item, e.g. 'ij,jk->ik', or
 * 'ij,jk' (the output then is the indices that appear once, in alphabetical order). Letters only:
 * no ellipsis, no index repeated within one operand. Subscripts that are not such are an
 * `OptionError` at once; operands whose shapes do not fit them are a `StreamInputError` naming
 * the item. The result is float32.
 *
 * @param subscripts The einsum subscripts of two operands, e.g. 'ij,jk->ik'.
 * @returns An operator emitting the running result after every item. Each emission stays valid
 *   until this operator's next emission or teardown: read it in `next`, or `.clone()` it to keep
 *   it longer. The library disposes it; never dispose it yourself.
 *
 * @example
 * ```ts
 * import { from } from 'rxjs';
 * import { scanEinsum } from 'npstreams-rx';
 *
 * from([[[1, 2]], [[0, 1], [1, 0]], [[1, 1], [1, -1]]])
 *   .pipe(scanEinsum('ij,jk->ik'))
 *   .subscribe((r) => console.log(r.arraySync())); // [[1, 2]], then [[2, 1]], then [[3, 1]]
 * ```
 */
export function scanEinsum(subscripts: string): OperatorFunction<ArrayInput, tf.Tensor> {
  let spec: EinsumSpec;
  try {
    spec = parseEinsum(subscripts);
  } catch (err) {
    throw new OptionError(`scanEinsum: ${(err as Error).message}`);
  }
  return accumulate(
    'scanEinsum',
    chainReduction('scanEinsum', (a, b) => einsum2(spec, a, b), false),
    {},
    'scan',
  );
}
