import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import type { ArrayInput } from '../core/inputs';
import type { UfuncOptions } from '../reductions/ufunc';
import { ufuncOperator } from './ufunc';

/** Running product (npstreams' `iprod`/`prod`; ignoreNaN = nanprod) of a stream of arrays, after every item. */
export function scanProd(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanProd', 'multiply', options, 'scan');
}

/** product (npstreams' `iprod`/`prod`; ignoreNaN = nanprod) of a whole stream of arrays, emitted once on complete. */
export function reduceProd(options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceProd', 'multiply', options, 'reduce');
}
