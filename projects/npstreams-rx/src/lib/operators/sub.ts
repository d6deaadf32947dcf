import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/** Running difference x0 - x1 - x2 ... (NumPy's subtract.reduce; axis: null is an error) of a stream of arrays, after every item. */
export function scanSub(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanSub', 'subtract', options, 'scan');
}

/** difference x0 - x1 - x2 ... (NumPy's subtract.reduce; axis: null is an error) of a whole stream of arrays, emitted once on complete. */
export function reduceSub(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceSub', 'subtract', options, 'reduce');
}
