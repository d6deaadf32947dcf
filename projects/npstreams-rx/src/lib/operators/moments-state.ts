import * as tf from '@tensorflow/tfjs-core';
import type { OperatorFunction } from 'rxjs';
import { accumulateState } from '../core/accumulate';
import type { ArrayInput } from '../core/inputs';
import { disposeExcept } from '../core/tensors';
import type { Weights } from '../core/weights';
import { type AverageAndVar, type MomentState, type MomentsOutput, type VarOptions, mergeMoments as merge, momentsReduction } from '../reductions/moments';

/**
 * The mergeable moment state of a whole stream ({ shift, W, mean, S }), emitted once and owned by
 * the subscriber: reduce partial streams separately, combine them with `mergeMoments`, then read
 * the statistic with `momentsResult`. `axis` may be -1 or null (item axes stack finished results).
 */
export function reduceMomentState(options: Omit<VarOptions, 'ddof'> & { weights?: Weights } = {}): OperatorFunction<ArrayInput, MomentState> {
  return accumulateState('reduceMomentState', momentsReduction(options, 'var'), options);
}

/** Chan et al.'s merge of two partial moment states, as a new state (the inputs are left alone). */
export function mergeMoments(a: MomentState, b: MomentState): MomentState {
  const merged = tf.tidy(() => merge(a, b) as unknown as tf.TensorContainer) as unknown as MomentState;
  return { ...merged, shift: tf.clone(merged.shift) };
}

/** The statistic of a moment state: 'var', 'std', 'sem' or 'averageAndVar' (new tensors). */
export function momentsResult(state: MomentState, output: MomentsOutput, options: { ddof?: number } = {}): tf.Tensor | AverageAndVar {
  return tf.tidy(() => momentsReduction({ ddof: options.ddof }, output).finalize(state) as tf.TensorContainer) as tf.Tensor | AverageAndVar;
}

/** Disposes the tensors of a moment state. */
export function disposeMoments(state: MomentState): void {
  disposeExcept(new Set(), state);
}
