import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/** Running logical AND, as a bool tensor (npstreams' `iall`) of a stream of arrays, after every item. */
export function scanAll(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanAll', 'logicalAnd', options, 'scan');
}

/** logical AND, as a bool tensor (npstreams' `iall`) of a whole stream of arrays, emitted once on complete. */
export function reduceAll(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceAll', 'logicalAnd', options, 'reduce');
}
