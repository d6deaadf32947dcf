import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import { OptionError } from '../core/errors';
import type { ArrayInput } from '../core/inputs';
import { type EinsumSpec, dot, einsum2, inner, parseEinsum, tensordot } from '../ops/linalg';
import { chainReduction } from '../reductions/linalg';

/** Running np.dot of the stream, a0·a1·a2... (npstreams' `idot`); items may differ in shape
 * as a matrix chain does. */
export function scanDot(): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanDot', chainReduction('scanDot', dot, true), {}, 'scan');
}

/** Running np.inner of the stream (npstreams' `iinner`). */
export function scanInner(): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanInner', chainReduction('scanInner', inner, false), {}, 'scan');
}

/** Running np.tensordot(r, x, axes) of the stream (npstreams' `itensordot`): `axes` is a count
 * N (the last N axes of r with the first N of x) or [axesOfR, axesOfX]. */
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

/** Running np.einsum(subscripts, r, x) of the stream (npstreams' `ieinsum`): the subscripts name
 * two operands, the running result and the next item, e.g. 'ij,jk->ik'. */
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
