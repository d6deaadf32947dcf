import * as tf from '@tensorflow/tfjs-core';
import { IntegerOverflow } from '../../core/errors';
import { foldAlongAxes, intLimit, refuseWithoutSyncReads, unlessFlagged } from './sum';

/**
 * a * b for int32 tensors, or IntegerOverflow where a product leaves the int32 range (on WebGL,
 * the range float32 holds exactly): tfjs's int32 multiplication wraps silently. The product is
 * also made in float32, whose relative error is below 2^-22 where nothing overflowed; a wrapped
 * product differs from it by about 2^32 or by more than half its size, so |p - pf| > 2^-18 |pf| + 1
 * tells them apart. One scalar is read back to decide.
 */
export function checkedIntMul(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  refuseWithoutSyncReads('products');
  const p = tf.mul(a, b);
  const overflow = tf.tidy(() => {
    const pf = tf.mul(tf.cast(a, 'float32'), tf.cast(b, 'float32'));
    if (tf.getBackend() === 'webgl') return tf.any(tf.greater(tf.abs(pf), intLimit()));
    const gap = tf.abs(tf.sub(tf.cast(p, 'float32'), pf));
    return tf.any(tf.greater(gap, tf.add(tf.mul(tf.abs(pf), 2 ** -18), 1)));
  });
  return unlessFlagged(p, overflow, 'product');
}

/**
 * The product of an int32 item along `axes`, exact and checked (tfjs's int32 Prod wraps
 * silently): each running product is a JS number, exact while it stays within the int32 range,
 * and refused as soon as it leaves it. Reads the item back once.
 */
export function intProdAlong(x: tf.Tensor, axes: number[]): tf.Tensor {
  refuseWithoutSyncReads('products');
  const limit = intLimit();
  const { out, shape } = foldAlongAxes(x, axes, 1, (product, v) => {
    const p = product * v;
    if (Math.abs(p) > limit) throw new IntegerOverflow(limit, 'product');
    return p;
  });
  return tf.tensor(Int32Array.from(out), shape, 'int32');
}
