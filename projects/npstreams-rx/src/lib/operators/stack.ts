import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import { stackReduction } from '../reductions/stack';

/** The dense stack of a finite stream (npstreams' `stack`): emitted once on complete, owned by
 * the subscriber. `axis` -1 (the default) stacks the items along a new last axis (np.stack);
 * an existing axis concatenates them along it (np.concatenate), as npstreams does. */
export function stack(options: { axis?: number } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('stack', stackReduction('stack', options.axis ?? -1), {}, 'reduce');
}
