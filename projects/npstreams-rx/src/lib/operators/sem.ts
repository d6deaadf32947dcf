import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import type { Weights } from '../core/weights';
import { type VarOptions, momentsReduction } from '../reductions/moments';

/** Running standard error of the mean (npstreams' `isem`/`sem`; ddof 1 by default, as scipy.stats.sem) of a stream of arrays, after every item. */
export function scanSem(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('scanSem', momentsReduction('scanSem', options, 'sem'), options, 'scan');
}

/** standard error of the mean (npstreams' `isem`/`sem`; ddof 1 by default, as scipy.stats.sem) of a whole stream of arrays, emitted once on complete. */
export function reduceSem(options: VarOptions & { weights?: Weights } = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate('reduceSem', momentsReduction('reduceSem', options, 'sem'), options, 'reduce');
}
