import type * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/extrema';
import { program, run } from './program';

const RULES: Record<reference.ExtremumOp, string> = {
  max: 'select(max(a, x), uniforms.NAN, npsIsNaN(a) || npsIsNaN(x))',
  min: 'select(min(a, x), uniforms.NAN, npsIsNaN(a) || npsIsNaN(x))',
  fmax: 'select(select(max(a, x), x, npsIsNaN(a)), a, npsIsNaN(x))',
  fmin: 'select(select(min(a, x), x, npsIsNaN(a)), a, npsIsNaN(x))',
};

/** extremaUpdate on WebGPU: one dispatch per item with NumPy's NaN rules (int32: max/min). */
export function extremaUpdate(acc: tf.Tensor, x: tf.Tensor, op: reference.ExtremumOp): tf.Tensor {
  if (x.dtype !== acc.dtype || (acc.dtype !== 'float32' && acc.dtype !== 'int32')) return reference.extremaUpdate(acc, x, op);
  const n = x.size;
  const int = acc.dtype === 'int32';
  const rule = int ? (op === 'max' || op === 'fmax' ? 'max(a, x)' : 'min(a, x)') : RULES[op];
  const body = `
  fn main(i : i32) {
    if (i < uniforms.n) {
      let a = ${int ? 'i32' : 'f32'}(A[i]);
      let x = ${int ? 'i32' : 'f32'}(X[i]);
      result[i] = ${rule};
    }
  }`;
  return run(program(`extrema_${op}_${acc.dtype}`, ['A', 'X'], [n], n, body), [acc, x], acc.shape, n, [], acc.dtype);
}
