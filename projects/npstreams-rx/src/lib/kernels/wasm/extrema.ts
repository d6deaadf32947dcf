import type * as tf from '@tensorflow/tfjs-core';
import { EXTREMUM_CODES, extremaUpdate as loop } from '../shared/loops';
import * as reference from '../reference/extrema';
import { inHeap, offset, outputFor, view, wasmKernels } from './heap';

/** extremaUpdate on the wasm backend: one SIMD pass (f32x4/i32x4 max and min, NaN masks for fmax/fmin). */
export function extremaUpdate(acc: tf.Tensor, x: tf.Tensor, op: reference.ExtremumOp): tf.Tensor {
  const wk = wasmKernels();
  if (!wk || x.dtype !== acc.dtype || (acc.dtype !== 'float32' && acc.dtype !== 'int32') || !inHeap(acc, x)) return reference.extremaUpdate(acc, x, op);
  const n = x.size;
  const n4 = n - (n % 4);
  const out = outputFor(acc);
  const code = EXTREMUM_CODES[op];
  (acc.dtype === 'float32' ? wk.kernels.extrema_f32 : wk.kernels.extrema_i32)(offset(acc), offset(x), offset(out), n4, code);
  if (n4 < n) loop(view(wk.memory, acc), view(wk.memory, x), view(wk.memory, out), code, n4, n);
  return out;
}
