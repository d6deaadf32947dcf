import * as tf from '@tensorflow/tfjs-core';
import { type OperatorFunction, map } from 'rxjs';
import { type AccumulateOptions, accumulateState } from './accumulate';
import type { ArrayInput } from './inputs';
import type { Reduction } from './reduction';
import { disposeExcept, tensorsIn } from './tensors';

/**
 * The mergeable state of a reduction over part of a stream, with the definition that made it:
 * partial results computed on separate streams (files, workers, machines) merge into what one
 * pass over everything gives. Owned by the subscriber: dispose it with `disposePartial`.
 */
export interface PartialResult<S extends object = object, O = unknown> {
  readonly reduction: Reduction<S, O>;
  readonly state: S;
}

/** The operator behind every `partials.x(...)`: emits the PartialResult of the whole stream once. */
export function partialOperator<S extends object, O>(
  operator: string,
  reduction: Reduction<S, O>,
  options: AccumulateOptions,
): OperatorFunction<ArrayInput, PartialResult<S, O>> {
  return (source) => source.pipe(accumulateState(operator, reduction, options), map((state) => ({ reduction, state })));
}

/** Chan et al.-style merge of two partial results of the same reduction, as a new partial result
 * (a and b are left as they are; dispose them when done). */
export function mergePartials<S extends object, O>(a: PartialResult<S, O>, b: PartialResult<S, O>): PartialResult<S, O> {
  const inputs = tensorsIn([a.state, b.state]);
  const merged = tf.tidy(() => {
    const state = a.reduction.merge(a.state, b.state);
    // the merged state may reuse an input's tensor (a shift, a count): give it its own copy
    return replaceTensors(state, (t) => (inputs.has(t) ? tf.clone(t) : t)) as unknown as tf.TensorContainer;
  }) as unknown as S;
  return { reduction: a.reduction, state: merged };
}

/** The final value of a partial result, as new tensors (the partial result stays valid). */
export function partialValue<S extends object, O>(p: PartialResult<S, O>): O {
  const held = tensorsIn(p.state);
  return tf.tidy(() => replaceTensors(p.reduction.finalize(p.state), (t) => (held.has(t) ? tf.clone(t) : t)) as unknown as tf.TensorContainer) as unknown as O;
}

/** Disposes the tensors of a partial result. */
export function disposePartial(p: PartialResult): void {
  disposeExcept(new Set(), p.state);
}

/** A copy of a state or output with each tensor replaced by f(tensor). */
function replaceTensors<T>(value: T, f: (t: tf.Tensor) => tf.Tensor): T {
  if (value instanceof tf.Tensor) return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => replaceTensors(v, f)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceTensors(v, f)])) as T;
  }
  return value;
}
