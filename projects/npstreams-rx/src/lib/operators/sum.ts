import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import { type SumOptions, sumReduction } from '../reductions/sum';

/** Running sum of a stream of arrays (npstreams' `isum`): emits Σ of the items so far after every item. */
export function scanSum(options: SumOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanSum', sumReduction(options), options, 'scan');
}

/** Sum of a whole stream of arrays (npstreams' `sum`), emitted once on complete. */
export function reduceSum(options: SumOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceSum', sumReduction(options), options, 'reduce');
}
