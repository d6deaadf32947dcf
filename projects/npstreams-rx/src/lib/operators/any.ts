import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/** Running logical OR, as a bool tensor (npstreams' `iany`) of a stream of arrays, after every item. */
export function scanAny(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanAny', 'logicalOr', options, 'scan');
}

/** logical OR, as a bool tensor (npstreams' `iany`) of a whole stream of arrays, emitted once on complete. */
export function reduceAny(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceAny', 'logicalOr', options, 'reduce');
}
