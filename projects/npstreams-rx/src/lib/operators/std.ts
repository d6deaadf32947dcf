import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type VarOptions, momentsReduction } from '../reductions/moments';

/** Running standard deviation (npstreams' `istd`/`std`) of a stream of arrays, after every item. */
export function scanStd(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanStd', momentsReduction('scanStd', options, 'std'), options, 'scan');
}

/** standard deviation (npstreams' `istd`/`std`) of a whole stream of arrays, emitted once on complete. */
export function reduceStd(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceStd', momentsReduction('reduceStd', options, 'std'), options, 'reduce');
}
