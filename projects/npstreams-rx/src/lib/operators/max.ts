import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/** Running maximum (npstreams' `imax`; NaN propagates unless ignoreNaN, which is NumPy's fmax) of a stream of arrays, after every item. */
export function scanMax(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanMax', 'maximum', options, 'scan', true);
}

/** maximum (npstreams' `imax`; NaN propagates unless ignoreNaN, which is NumPy's fmax) of a whole stream of arrays, emitted once on complete. */
export function reduceMax(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceMax', 'maximum', options, 'reduce', true);
}
