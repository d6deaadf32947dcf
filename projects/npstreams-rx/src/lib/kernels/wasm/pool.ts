import type * as tf from '@tensorflow/tfjs-core';
import * as reference from '../reference/pool';
import { inHeap, newTensor, offset, wasmKernels } from './heap';

/** pool2d on the wasm backend: one pass of the fused module over the heap (block sums in float64,
 * the cpu loop's bits), instead of tfjs's AvgPool, which runs one channel slowly. */
export function pool2d(x: tf.Tensor, f: number, op: reference.PoolOp): tf.Tensor2D {
  const wk = wasmKernels();
  if (!wk || x.dtype !== 'float32' || !inHeap(x)) return reference.pool2d(x, f, op);
  const [h, w] = x.shape;
  const out = newTensor([Math.floor(h / f), Math.floor(w / f)], 'float32');
  wk.kernels.pool_f32(offset(x), offset(out), h, w, f, op === 'max' ? 1 : 0);
  return out as tf.Tensor2D;
}
