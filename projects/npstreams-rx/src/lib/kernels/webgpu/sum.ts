import * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/sum';
import { program, run } from './program';

const SUM_ADD = `
  fn main(index : i32) {
    if (index < uniforms.n) {
      let r = dfAdd(f32(A[index]), f32(A[uniforms.n + index]), f32(X[index]));
      result[index] = r.x;
      result[uniforms.n + index] = r.y;
    }
  }`;

const SUM_VALUE = `
  fn main(index : i32) {
    if (index < uniforms.n) {
      result[index] = (f32(A[index]) + f32(A[uniforms.n + index])) / uniforms.divisor;
    }
  }`;

/** sumAdd on WebGPU: one dispatch per item writing both planes (int32 takes the reference). */
export function sumAdd(acc: tf.Tensor, x: tf.Tensor): tf.Tensor {
  if (acc.dtype !== 'float32' || x.dtype !== 'float32') return reference.sumAdd(acc, x);
  const n = x.size;
  return run(program('sum_add', ['A', 'X'], [2, n], n, SUM_ADD), [acc, x], acc.shape, n);
}

/** sumValue on WebGPU: one dispatch. */
export function sumValue(acc: tf.Tensor, divisor = 1): tf.Tensor {
  if (acc.dtype !== 'float32') return reference.sumValue(acc, divisor);
  const n = acc.size / 2;
  return run(program('sum_value', ['A'], [n], n, SUM_VALUE, 'divisor : f32,'), [acc], acc.shape.slice(1), n, [{ type: 'float32', data: [divisor] }]);
}
