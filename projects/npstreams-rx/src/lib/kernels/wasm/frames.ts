import * as tf from '@tensorflow/tfjs-core';
import type { FloatFrameData } from '../../core/inputs';
import { EXTREMUM_CODES, extremaUpdate as extremaLoop, momentsUpdate as momentsLoop, sumAddF32 } from '../shared/loops';
import type { ExtremumOp } from '../reference/extrema';
import { inHeap, offset, outputFor, view, wasmKernels } from './heap';

/**
 * The frame kernels (Reduction.updateFrames) on the wasm backend. A frame given as a JS typed
 * array (float32, or 8/16-bit integers, converted as they are copied) has to enter the heap: instead of copying all of it (tfjs's tensor) and then
 * reading it again from memory, it goes through a 64 KiB scratch buffer, a chunk at a time, each
 * chunk folded in while it is still in cache. The SIMD functions take the accumulator's plane
 * stride (n) apart from the count they process, so a chunk is the same call at an offset.
 */
const CHUNK = 16384; // floats: 64 KiB, well inside L2
const scratches = new WeakMap<object, number>();

function scratch(): number {
  const backend = tf.backend() as unknown as { wasm: { _malloc(bytes: number): number } };
  let ptr = scratches.get(backend);
  if (ptr === undefined) {
    ptr = ((backend.wasm._malloc(CHUNK * 4 + 16) >>> 0) + 15) & ~15; // kept for the backend's life
    scratches.set(backend, ptr);
  }
  return ptr;
}

/** Runs `step(j, c4, at)` over the frame in chunks of CHUNK (the last may be shorter), each chunk
 * first copied to the scratch buffer at `at`; `c4` is the chunk's length rounded down to a
 * multiple of 4 (the fused kernels' lanes): the caller folds the last n mod 4 elements itself. */
function chunked(memory: WebAssembly.Memory, frame: FloatFrameData, step: (j: number, c4: number, at: number) => void): void {
  const at = scratch();
  const staging = new Float32Array(memory.buffer, at, CHUNK);
  for (let j = 0; j < frame.length; j += CHUNK) {
    const c = Math.min(CHUNK, frame.length - j);
    staging.set(frame.subarray(j, j + c));
    step(j, c - (c % 4), at);
  }
}

function ready(acc: tf.Tensor): ReturnType<typeof wasmKernels> {
  const wk = wasmKernels();
  return wk && acc.dtype === 'float32' && inHeap(acc) ? wk : null;
}

export function sumAddFrame(acc: tf.Tensor, frame: FloatFrameData): tf.Tensor | null {
  const wk = ready(acc);
  if (!wk) return null;
  const n = frame.length;
  const out = outputFor(acc);
  const [a, o] = [offset(acc), offset(out)];
  chunked(wk.memory, frame, (j, c4, at) => wk.kernels.sum_add_f32(a + 4 * j, at, o + 4 * j, n, c4));
  const n4 = n - (n % 4);
  if (n4 < n) sumAddF32(view(wk.memory, acc) as Float32Array, frame, view(wk.memory, out) as Float32Array, n, n4, n);
  return out;
}

export function momentsUpdateFrame(acc: tf.Tensor, frame: FloatFrameData, w: number, W: number): tf.Tensor | null {
  const wk = ready(acc);
  if (!wk || acc.shape[0] !== 4) return null;
  const n = frame.length;
  const out = outputFor(acc);
  const [a, o] = [offset(acc), offset(out)];
  const r = W === 0 ? 0 : w / W;
  chunked(wk.memory, frame, (j, c4, at) => wk.kernels.moments_update(a + 4 * j, at, o + 4 * j, n, c4, 4, w, r, 0, 0, 0));
  const n4 = n - (n % 4);
  if (n4 < n) momentsLoop(view(wk.memory, acc) as Float32Array, frame, view(wk.memory, out) as Float32Array, n, 4, w, r, false, n4, n);
  return out;
}

/** momentsUpdateFrames on the wasm backend: per chunk of elements, every frame's slice goes
 * through the scratch buffer and is folded in (SIMD) while the accumulator's chunk is in cache. */
export function momentsUpdateFrames(acc: tf.Tensor, frames: readonly Float32Array[], w: number, W0: number): tf.Tensor | null {
  const wk = ready(acc);
  if (!wk || acc.shape[0] !== 4) return null;
  const n = acc.size / 4;
  const out = outputFor(acc);
  const [a, o] = [offset(acc), offset(out)];
  const r = frames.map((_, k) => (W0 + (k + 1) * w === 0 ? 0 : w / (W0 + (k + 1) * w)));
  const at = scratch();
  const staging = new Float32Array(wk.memory.buffer, at, CHUNK);
  for (let j = 0; j < n; j += CHUNK) {
    const c = Math.min(CHUNK, n - j);
    frames.forEach((frame, k) => {
      staging.set(frame.subarray(j, j + c));
      wk.kernels.moments_update((k === 0 ? a : o) + 4 * j, at, o + 4 * j, n, c - (c % 4), 4, w, r[k], 0, 0, 0);
    });
  }
  const n4 = n - (n % 4);
  if (n4 < n) {
    frames.forEach((frame, k) => momentsLoop(view(wk.memory, k === 0 ? acc : out) as Float32Array, frame, view(wk.memory, out) as Float32Array, n, 4, w, r[k], false, n4, n));
  }
  return out;
}

export function extremaUpdateFrame(acc: tf.Tensor, frame: FloatFrameData, op: ExtremumOp): tf.Tensor | null {
  const wk = ready(acc);
  if (!wk) return null;
  const n = frame.length;
  const out = outputFor(acc);
  const [a, o] = [offset(acc), offset(out)];
  const code = EXTREMUM_CODES[op];
  chunked(wk.memory, frame, (j, c4, at) => wk.kernels.extrema_f32(a + 4 * j, at, o + 4 * j, c4, code));
  const n4 = n - (n % 4);
  if (n4 < n) extremaLoop(view(wk.memory, acc), frame, view(wk.memory, out), code, n4, n);
  return out;
}
