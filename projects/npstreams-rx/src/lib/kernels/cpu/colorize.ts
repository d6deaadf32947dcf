import type * as tf from '@tensorflow/tfjs-core';
import type { ColorRange, Colorized } from '../reference/colorize';
import { colorizeLoop } from '../shared/colorize';
import type { WasmKernels } from '../wasm/heap';
import { colorizeIn } from '../wasm/colorize';
import { accumulatorsInstance } from '../wasm/module';
import { values } from './buffers';

/** The fused module in a memory of its own, for the cpu backend's colorize; null without wasm
 * SIMD. The memory grows to the largest image met (and is kept). */
let own: { kernels: WasmKernels; memory: WebAssembly.Memory } | null | undefined;

function ownKernels(): { kernels: WasmKernels; memory: WebAssembly.Memory } | null {
  if (own === undefined) {
    try {
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536 });
      own = { kernels: accumulatorsInstance<WasmKernels>(memory), memory };
    } catch {
      own = null;
    }
  }
  return own;
}

/**
 * colorize on the cpu backend: float32 with an 'auto' or fixed range copied into the fused
 * module's own memory (a copy of 16 MB takes about a millisecond) and colorized there as on the
 * wasm backend (colorizeIn: float32x4 and float64x2 lanes, the JS loop's bits); otherwise, or
 * without wasm SIMD, the JS loop over the tensor's own buffer.
 */
export function colorize(x: tf.Tensor, lut: Int32Array, range: ColorRange): Colorized | null {
  if (x.dtype === 'bool') return null;
  const data = values(x);
  const wk = data instanceof Float32Array && data.length > 0 && (range === 'auto' || Array.isArray(range)) ? ownKernels() : null;
  if (!wk) return colorizeLoop(data, lut, range);
  const n = data.length;
  const bytes = 1040 + 8 * n;
  const have = wk.memory.buffer.byteLength;
  if (bytes > have) wk.memory.grow(Math.ceil((bytes - have) / 65536));
  // [the frame][lo, hi][8 bytes][the lut][the colours]
  new Float32Array(wk.memory.buffer, 0, n).set(data as Float32Array);
  return colorizeIn(wk.kernels, wk.memory, 0, n, lut, range as 'auto' | readonly [number, number], 4 * n);
}
