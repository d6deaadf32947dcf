import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type MeanOptions, averageReduction } from '../reductions/average';

export interface AverageOptions extends MeanOptions {
  /** One weight per item, a scalar or an array of the item's shape, consumed in lockstep with
   * the stream; weights that run out before the stream are an error. Default: all 1. */
  weights?: Weights;
}

/** Running weighted average of a stream of arrays (npstreams' `iaverage`), after every item. */
export function scanAverage(options: AverageOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanAverage', averageReduction('scanAverage', options), options, 'scan');
}

/** Weighted average of a whole stream of arrays (npstreams' `average`), emitted once on complete. */
export function reduceAverage(options: AverageOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceAverage', averageReduction('reduceAverage', options), options, 'reduce');
}
