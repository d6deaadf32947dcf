import type * as tf from '@tensorflow/tfjs-core';
import { MOMENTS_VALUES, momentsScale, momentsUpdate as loop, momentsMerge as mergeLoop, momentsValue as valueLoop } from '../shared/loops';
import * as reference from '../reference/moments';
import { inHeap, newTensor, offset, outputFor, view, wasmKernels } from './heap';

/** momentsUpdate on the wasm backend: one SIMD pass over the frame (see kernels/reference/moments.ts). */
export function momentsUpdate(acc: tf.Tensor, x: tf.Tensor, w: number | tf.Tensor, W: number, ignoreNaN: boolean): tf.Tensor {
  const wk = wasmKernels();
  const wTensor = typeof w === 'number' ? null : w;
  if (!wk || x.dtype !== 'float32' || !inHeap(acc, x, ...(wTensor ? [wTensor] : []))) return reference.momentsUpdate(acc, x, w, W, ignoreNaN);
  const p = acc.shape[0];
  const n = x.size;
  const n4 = n - (n % 4);
  const out = outputFor(acc);
  const r = p === 4 ? (W === 0 ? 0 : (w as number) / W) : 0;
  // a scalar weight tensor is read once; an array weight is read per element
  const perElement = wTensor !== null && wTensor.size === n && n > 1;
  const scalarW = wTensor === null ? (w as number) : perElement ? 0 : view(wk.memory, wTensor)[0];
  wk.kernels.moments_update(offset(acc), offset(x), offset(out), n, n4, p, scalarW, r, perElement ? offset(wTensor!) : 0, perElement ? 1 : 0, ignoreNaN ? 1 : 0);
  if (n4 < n) {
    const { memory } = wk;
    loop(view(memory, acc) as Float32Array, view(memory, x), view(memory, out) as Float32Array, n, p, perElement ? view(memory, wTensor!) : scalarW, r, ignoreNaN, n4, n);
  }
  return out;
}

/** momentsValue on the wasm backend (once per emission): with a scalar total weight, a SIMD pass
 * in float64 with the JS loop's bits; per-element weights (and an empty mean) by the JS loop over
 * views of the heap. */
export function momentsValue(acc: tf.Tensor, W: number | null, ddof: number, what: reference.MomentsValue): tf.Tensor {
  const wk = wasmKernels();
  if (!wk || !inHeap(acc)) return reference.momentsValue(acc, W, ddof, what);
  const p = acc.shape[0];
  const n = acc.size / p;
  const out = newTensor(acc.shape.slice(1), 'float32');
  const code = MOMENTS_VALUES[what];
  let from = 0;
  if (p === 4 && W !== null && (W !== 0 || code !== 0)) {
    from = n - (n % 4);
    wk.kernels.moments_value4(offset(acc), offset(out), n, from, momentsScale(W, ddof, code), code);
  }
  if (from < n) valueLoop(view(wk.memory, acc) as Float32Array, view(wk.memory, out) as Float32Array, n, p, W ?? 0, ddof, code, from, n);
  return out;
}

/** momentsMerge on the wasm backend: one JS loop over views of the heap (once per merge). */
export function momentsMerge(a: tf.Tensor, Wa: number | null, b: tf.Tensor, Wb: number | null): tf.Tensor {
  const wk = wasmKernels();
  if (!wk || !inHeap(a, b)) return reference.momentsMerge(a, Wa, b, Wb);
  const po = Wa !== null && Wb !== null ? 4 : 6;
  const n = a.size / a.shape[0];
  const out = newTensor([po, ...a.shape.slice(1)], 'float32');
  const { memory } = wk;
  mergeLoop(view(memory, a) as Float32Array, a.shape[0], Wa ?? 0, view(memory, b) as Float32Array, b.shape[0], Wb ?? 0, view(memory, out) as Float32Array, po, n);
  return out;
}
