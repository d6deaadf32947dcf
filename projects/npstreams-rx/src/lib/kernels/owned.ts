import * as tf from '@tensorflow/tfjs-core';

/**
 * Buffers the fused kernels allocated themselves, by dataId. A fused kernel updates an
 * accumulator in place only when it made the buffer and nothing else refers to it (a clone, a
 * reshape or a scan emission sharing the data raises the backend's refCount): never a user's
 * data (tfjs's cpu backend adopts the typed array a tensor is made from), never a value someone
 * holds. Otherwise it writes a new buffer, which becomes the accumulator.
 */
const owned = new WeakSet<object>();

/** Marks a tensor's buffer as the kernels' own and returns the tensor. */
export function own<T extends tf.Tensor>(t: T): T {
  owned.add(t.dataId as object);
  return t;
}

/** Whether a kernel may overwrite `t` in place (see above). */
export function writableInPlace(t: tf.Tensor): boolean {
  const backend = tf.backend() as unknown as { refCount?(dataId: object): number };
  return owned.has(t.dataId as object) && backend.refCount?.(t.dataId as object) === 1;
}
