import * as tf from '@tensorflow/tfjs-core';
import { isTensor } from './inputs';

/** Every tensor inside a state (nested plain objects and arrays of tensors and numbers). */
export function tensorsIn(container: unknown, found = new Set<tf.Tensor>()): Set<tf.Tensor> {
  if (isTensor(container)) found.add(container);
  else if (Array.isArray(container)) container.forEach((c) => tensorsIn(c, found));
  else if (container !== null && typeof container === 'object' && !ArrayBuffer.isView(container)) {
    Object.values(container).forEach((c) => tensorsIn(c, found));
  }
  return found;
}

/** Disposes the tensors in `containers` that are not in `keep`. */
export function disposeExcept(keep: Set<tf.Tensor>, ...containers: unknown[]): void {
  const all = new Set<tf.Tensor>();
  containers.forEach((c) => tensorsIn(c, all));
  all.forEach((t) => {
    if (!keep.has(t) && !t.isDisposed) t.dispose();
  });
}

/** A copy of a state or output (nested plain objects and arrays) with each tensor replaced by
 * f(tensor); anything else is returned as it is. */
export function mapTensors<T>(value: T, f: (t: tf.Tensor) => tf.Tensor): T {
  if (isTensor(value)) return f(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapTensors(v, f)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapTensors(v, f)])) as T;
  }
  return value;
}

/** `value` with every tensor it shares with `held` cloned, so that disposing `held` leaves it valid. */
export function withOwnTensors<T>(value: T, held: unknown): T {
  const shared = tensorsIn(held);
  return mapTensors(value, (t) => (shared.has(t) ? tf.clone(t) : t));
}

/** tf.tidy for states and outputs: keeps the tensors the returned value holds, disposes the rest. */
export function tidyState<S>(fn: () => S): S {
  return tf.tidy(fn as unknown as () => tf.TensorContainer) as unknown as S;
}
