import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import { type MeanOptions, averageReduction } from '../reductions/average';

/** Running mean of a stream of arrays (npstreams' `imean`), after every item. */
export function scanMean(options: MeanOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanMean', averageReduction('scanMean', options), { axis: options.axis }, 'scan');
}

/** Mean of a whole stream of arrays (npstreams' `mean`), emitted once on complete. */
export function reduceMean(options: MeanOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceMean', averageReduction('reduceMean', options), { axis: options.axis }, 'reduce');
}
