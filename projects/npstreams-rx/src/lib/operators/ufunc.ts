import type * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { type EmitMode, accumulate } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import { type UserUfunc, resolveUfunc } from '../ops/ufuncs';
import { type UfuncOptions, ufuncReduction } from '../reductions/ufunc';

/** The operator behind scanUfunc/reduceUfunc and every named ufunc reduction (scanSum,
 * scanMax...); `nanVariant`: ignoreNaN takes the ufunc's NaN-skipping twin (scanMax: fmax). */
export function ufuncOperator(operator: string, ufunc: string | UserUfunc, options: UfuncOptions, emit: EmitMode, nanVariant = false): OperatorFunction<ArrayInput, tf.Tensor> {
  return accumulate(operator, ufuncReduction(operator, resolveUfunc(operator, ufunc), options, nanVariant), options, emit);
}

/** Running `ufunc.reduce` of a stream (npstreams' `ireduce_ufunc`): a registered ufunc name
 * ('add', 'maximum', 'logaddexp'...) or `{ fn, identity? }` built from tfjs ops. */
export function scanUfunc(ufunc: string | UserUfunc, options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('scanUfunc', ufunc, options, 'scan');
}

/** `ufunc.reduce` of a whole stream (npstreams' `reduce_ufunc`), emitted once on complete. */
export function reduceUfunc(ufunc: string | UserUfunc, options: UfuncOptions = {}): OperatorFunction<ArrayInput, tf.Tensor> {
  return ufuncOperator('reduceUfunc', ufunc, options, 'reduce');
}
