import type * as tf from '@tensorflow/tfjs-core';
import { colorizeLoop } from '../cpu/colorize';
import type { ColorRange, Colorized } from '../reference/colorize';
import { inHeap, view, wasmKernels } from './heap';

/** colorize on the wasm backend: the cpu loop over a view of the heap (no copy out). */
export function colorize(x: tf.Tensor, lut: Int32Array, range: ColorRange): Colorized | null {
  const wk = wasmKernels();
  if (!wk || x.dtype === 'bool' || !inHeap(x)) return null;
  return colorizeLoop(view(wk.memory, x), lut, range);
}
