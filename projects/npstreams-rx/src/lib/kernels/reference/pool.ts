import * as tf from '@tensorflow/tfjs-core';

/** How an f x f block becomes one value: its mean or its max. */
export type PoolOp = 'mean' | 'max';

/**
 * Each f x f block of an [h, w] tensor as one value, float32 [floor(h / f), floor(w / f)] on the
 * tensor's device (the last h mod f rows and w mod f columns left out), with tfjs's pooling ops.
 * A new tensor, the caller's to dispose; x stays as it is.
 */
export function pool2d(x: tf.Tensor, f: number, op: PoolOp): tf.Tensor2D {
  return tf.tidy(() => {
    const [h, w] = x.shape;
    // 'valid' pooling leaves the remainder out itself (no slice: wasm's Slice reads its whole
    // input back into JS)
    const v = tf.reshape(x.dtype === 'float32' ? x : tf.cast(x, 'float32'), [1, h, w, 1]) as tf.Tensor4D;
    const p = op === 'max' ? tf.maxPool(v, f, f, 'valid') : tf.avgPool(v, f, f, 'valid');
    return tf.reshape(p, [Math.floor(h / f), Math.floor(w / f)]);
  });
}
