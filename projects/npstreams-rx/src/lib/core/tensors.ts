import type * as tf from '@tensorflow/tfjs-core';
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
