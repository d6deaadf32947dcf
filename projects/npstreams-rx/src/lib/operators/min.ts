import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/** Running minimum (npstreams' `imin`; NaN propagates unless ignoreNaN, which is NumPy's fmin) of a stream of arrays, after every item. */
export function scanMin(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanMin', 'minimum', options, 'scan', true);
}

/** minimum (npstreams' `imin`; NaN propagates unless ignoreNaN, which is NumPy's fmin) of a whole stream of arrays, emitted once on complete. */
export function reduceMin(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceMin', 'minimum', options, 'reduce', true);
}
