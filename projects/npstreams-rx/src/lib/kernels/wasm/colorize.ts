import type * as tf from '@tensorflow/tfjs-core';
import { colorizeLoop } from '../shared/colorize';
import type { ColorRange, Colorized } from '../reference/colorize';
import { type WasmKernels, inHeap, offset, view, wasmKernels, withScratch } from './heap';

/** The pixels of the last colorize, kept for the next of the same size. */
let kept: Int32Array | null = null;

/**
 * colorize on the wasm backend: for float32 with an 'auto' or fixed range, two passes of the fused
 * module over the heap (colorizeIn); percentiles, int32 and a range of zero width take the cpu
 * loop over a view of the heap (no copy out). Its pixels are valid until the next colorize
 * (Colorized): drawImage puts them on the canvas at once.
 */
export function colorize(x: tf.Tensor, lut: Int32Array, range: ColorRange): Colorized | null {
  const wk = wasmKernels();
  if (!wk || x.dtype === 'bool' || !inHeap(x)) return null;
  const n = x.size;
  if (x.dtype !== 'float32' || n === 0 || !(range === 'auto' || Array.isArray(range))) return colorizeLoop(view(wk.memory, x), lut, range);
  return withScratch(1040 + 4 * n, (ptr) => colorizeIn(wk.kernels, wk.memory, offset(x), n, lut, range as 'auto' | readonly [number, number], ptr));
}

/**
 * The colours of n float32 at byte `x` of `memory` through the fused module (the cpu backend's
 * colorize copies its data into a memory of its own and calls this too): the finite range in
 * float32x4 lanes (range_f32, the last n mod 4 here), then t = (v - lo)·255 / (hi - lo) in
 * float64 lanes, four colours a step (colorize_f32): the bits of colorizeLoop. `at` is 1040 + 4n
 * bytes of scratch in the same memory: [lo, hi][8 bytes][the lut][the colours].
 */
export function colorizeIn(kernels: WasmKernels, memory: WebAssembly.Memory, x: number, n: number, lut: Int32Array, range: 'auto' | readonly [number, number], at: number): Colorized {
  let lo: number;
  let hi: number;
  if (Array.isArray(range)) {
    [lo, hi] = range as [number, number];
  } else {
    const n4 = n - (n % 4);
    kernels.range_f32(x, n4, at);
    [lo, hi] = new Float32Array(memory.buffer, at, 2);
    const xs = new Float32Array(memory.buffer, x, n);
    for (let i = n4; i < n; i++) {
      const v = xs[i];
      if (v - v === 0) [lo, hi] = [Math.min(lo, v), Math.max(hi, v)];
    }
  }
  const span = hi - lo;
  if (!(span > 0)) return colorizeLoop(new Float32Array(memory.buffer, x, n), lut, [lo, hi]);
  new Int32Array(memory.buffer, at + 16, 256).set(lut);
  kernels.colorize_f32(x, n, lo, 255 / span, at + 16, at + 1040);
  // into memory kept from call to call (a fresh 16 MB array costs its pages each time)
  if (kept?.length !== n) kept = new Int32Array(n);
  kept.set(new Int32Array(memory.buffer, at + 1040, n));
  return { pixels: kept, lo, hi };
}
