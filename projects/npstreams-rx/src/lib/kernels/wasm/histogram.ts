import type * as tf from '@tensorflow/tfjs-core';
import { addBinCounts } from '../bin-counts';
import * as reference from '../reference/histogram';
import { inHeap, offset, view, wasmKernels, withScratch } from './heap';

/** histogramUpdate on the wasm backend: one pass over the item in the heap (a binary search per
 * value), per-bin counts in float64, added into the accumulator (int32, checked, or compensated). */
export function histogramUpdate(acc: tf.Tensor | null, x: tf.Tensor, w: number | tf.Tensor, edges: Float32Array, weighted: boolean, seen: number): tf.Tensor {
  const wk = wasmKernels();
  const wTensor = weighted && typeof w !== 'number' ? w : null;
  if (!wk || x.dtype !== 'float32' || !inHeap(x, ...(acc ? [acc] : []), ...(wTensor ? [wTensor] : []))) {
    return reference.histogramUpdate(acc, x, w, edges, weighted, seen);
  }
  const nBins = edges.length - 1;
  const perElement = wTensor !== null && wTensor.size === x.size && x.size > 1;
  const scalarW = !weighted ? 1 : wTensor === null ? (w as number) : perElement ? 0 : view(wk.memory, wTensor)[0];
  // scratch: the edges (float32), then the counts (float64, 8-byte aligned)
  const counts = withScratch(edges.length * 4 + 8 + nBins * 8, (ptr) => {
    new Float32Array(wk.memory.buffer, ptr, edges.length).set(edges);
    const at = align8(ptr + edges.length * 4);
    new Float64Array(wk.memory.buffer, at, nBins).fill(0);
    wk.kernels.histogram(offset(x), x.size, ptr, edges.length, at, scalarW, perElement ? offset(wTensor!) : 0, perElement ? 1 : 0);
    return Float64Array.from(new Float64Array(wk.memory.buffer, at, nBins));
  });
  return addBinCounts(acc, counts, weighted);
}

const align8 = (p: number): number => (p + 7) & ~7;
