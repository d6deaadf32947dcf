import type * as tf from '@tensorflow/tfjs-core';
import { IntegerOverflow } from '../../core/errors';
import { sumAddF32, sumAddI32, sumValueF32 } from '../shared/loops';
import * as reference from '../reference/sum';
import { INT32_MAX } from '../reference/sum';
import { inHeap, newTensor, offset, outputFor, view, wasmKernels } from './heap';

/** sumAdd on the wasm backend: one SIMD pass over the frame in the heap, in place where the
 * accumulator allows. */
export function sumAdd(acc: tf.Tensor, x: tf.Tensor): tf.Tensor {
  const wk = wasmKernels();
  if (!wk || x.dtype !== acc.dtype || !inHeap(acc, x)) return reference.sumAdd(acc, x);
  const { kernels, memory } = wk;
  const n = x.size;
  const n4 = n - (n % 4);
  const out = outputFor(acc);
  if (acc.dtype === 'float32') {
    kernels.sum_add_f32(offset(acc), offset(x), offset(out), n, n4);
    if (n4 < n) sumAddF32(view(memory, acc) as Float32Array, view(memory, x), view(memory, out) as Float32Array, n, n4, n);
    return out;
  }
  const wrapped = kernels.sum_add_i32(offset(acc), offset(x), offset(out), n4) !== 0;
  if (wrapped || !sumAddI32(view(memory, acc) as Int32Array, view(memory, x), view(memory, out) as Int32Array, INT32_MAX, n4, n)) {
    if (out !== acc) out.dispose();
    throw new IntegerOverflow(INT32_MAX);
  }
  return out;
}

/** sumValue on the wasm backend: (hi + lo) / divisor in one SIMD pass. */
export function sumValue(acc: tf.Tensor, divisor = 1): tf.Tensor {
  const wk = wasmKernels();
  if (!wk || acc.dtype !== 'float32' || !inHeap(acc)) return reference.sumValue(acc, divisor);
  const n = acc.size / 2;
  const n4 = n - (n % 4);
  const out = newTensor(acc.shape.slice(1), 'float32');
  wk.kernels.sum_value_f32(offset(acc), offset(out), n, n4, divisor);
  if (n4 < n) sumValueF32(view(wk.memory, acc) as Float32Array, view(wk.memory, out) as Float32Array, n, divisor, n4, n);
  return out;
}
