import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import { stackReduction } from '../reductions/stack';

/** The dense stack of a finite stream (npstreams' `stack`, np.stack): emitted once on complete,
 * with the stream along `axis` (default -1, a new last axis); owned by the subscriber. */
export function stack(options: { axis?: number } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('stack', stackReduction('stack', options.axis ?? -1), {}, 'reduce');
}
