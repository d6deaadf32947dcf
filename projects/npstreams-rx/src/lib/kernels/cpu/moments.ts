import * as tf from '@tensorflow/tfjs-core';
import type { MomentsValue } from '../reference/moments';
import { newTensor, outputFor, values } from './buffers';
import { MOMENTS_VALUES, momentsUpdate as loop, momentsUpdateBatch as batchLoop, momentsMerge as mergeLoop, momentsValue as valueLoop } from '../shared/loops';

/** momentsUpdate on the cpu backend: one loop over the frame (see kernels/reference/moments.ts). */
export function momentsUpdate(acc: tf.Tensor, x: tf.Tensor, w: number | tf.Tensor, W: number, ignoreNaN: boolean): tf.Tensor {
  const p = acc.shape[0];
  const out = outputFor(acc);
  const r = p === 4 ? (W === 0 ? 0 : (w as number) / W) : 0;
  loop(values(acc) as Float32Array, values(x), values(out) as Float32Array, x.size, p, typeof w === 'number' ? w : values(w), r, ignoreNaN);
  return out;
}

/** momentsValue on the cpu backend: one loop over the accumulator. */
export function momentsValue(acc: tf.Tensor, W: number | null, ddof: number, what: MomentsValue): tf.Tensor {
  const p = acc.shape[0];
  const n = acc.size / p;
  const out = new Float32Array(n);
  valueLoop(values(acc) as Float32Array, out, n, p, W ?? 0, ddof, MOMENTS_VALUES[what]);
  return tf.tensor(out, acc.shape.slice(1), 'float32');
}

/** momentsMerge on the cpu backend: one loop over both accumulators into a new one. */
export function momentsMerge(a: tf.Tensor, Wa: number | null, b: tf.Tensor, Wb: number | null): tf.Tensor {
  const po = Wa !== null && Wb !== null ? 4 : 6;
  const n = a.size / a.shape[0];
  const out = newTensor([po, ...a.shape.slice(1)], 'float32');
  mergeLoop(values(a) as Float32Array, a.shape[0], Wa ?? 0, values(b) as Float32Array, b.shape[0], Wb ?? 0, values(out) as Float32Array, po, n);
  return out;
}

/** momentsUpdateFrames on the cpu backend: momentsUpdateBatch (kernels/shared/loops.ts), the
 * accumulator read and written once per batch, the frames folded in float64 in between. */
export function momentsUpdateFrames(acc: tf.Tensor, frames: readonly Float32Array[], w: number, W0: number): tf.Tensor | null {
  if (acc.shape[0] !== 4 || acc.dtype !== 'float32') return null;
  const out = outputFor(acc);
  const r = frames.map((_, k) => (W0 + (k + 1) * w === 0 ? 0 : w / (W0 + (k + 1) * w)));
  batchLoop(values(acc) as Float32Array, frames, values(out) as Float32Array, acc.size / 4, w, r);
  return out;
}
