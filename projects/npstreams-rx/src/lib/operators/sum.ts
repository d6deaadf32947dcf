import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/** Running sum (npstreams' `isum`/`sum`; compensated in float32, ignoreNaN = nansum) of a stream of arrays, after every item. */
export function scanSum(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanSum', 'add', options, 'scan');
}

/** sum (npstreams' `isum`/`sum`; compensated in float32, ignoreNaN = nansum) of a whole stream of arrays, emitted once on complete. */
export function reduceSum(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceSum', 'add', options, 'reduce');
}
