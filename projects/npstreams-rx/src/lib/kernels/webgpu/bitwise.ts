import type * as tf from '@tensorflow/tfjs-core';
import { program, run } from './program';

const AND = `
  fn main(i : i32) {
    if (i < uniforms.n) {
      result[i] = i32(A[i]) & i32(B[i]);
    }
  }`;

/** a & b for int32 tensors of one shape: tfjs's webgpu backend has no BitwiseAnd kernel. */
export function bitwiseAnd(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const n = a.size;
  return run(program('bitwise_and', ['A', 'B'], [n], n, AND), [a, b], a.shape, n, [], 'int32');
}
