import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type VarOptions, momentsReduction } from '../reductions/moments';

/** Running variance (npstreams' `ivar`/`var`; shifted weighted Welford, mergeable; frequency weights) of a stream of arrays, after every item. */
export function scanVar(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanVar', momentsReduction('scanVar', options, 'var'), options, 'scan');
}

/** variance (npstreams' `ivar`/`var`; shifted weighted Welford, mergeable; frequency weights) of a whole stream of arrays, emitted once on complete. */
export function reduceVar(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceVar', momentsReduction('reduceVar', options, 'var'), options, 'reduce');
}
