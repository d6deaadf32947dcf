import * as tf from '@tensorflow/tfjs-core';
import { own, writableInPlace } from '../owned';
import { accumulatorsInstance } from './module';

/** The exports of accumulators.wat (see there for what each does). */
export interface WasmKernels {
  sum_add_f32(acc: number, x: number, out: number, n: number, n4: number): void;
  sum_add_i32(acc: number, x: number, out: number, n4: number): number;
  sum_value_f32(acc: number, out: number, n: number, n4: number, divisor: number): void;
  moments_update(acc: number, x: number, out: number, n: number, n4: number, p: number, w: number, r: number, wp: number, hasW: number, ignoreNaN: number): void;
  moments_value4(acc: number, out: number, n: number, n4: number, scale: number, what: number): void;
  sum_all_f32(x: number, n4: number): number;
  pool_f32(x: number, out: number, h: number, w: number, f: number, max: number): void;
  extrema_f32(acc: number, x: number, out: number, n4: number, op: number): void;
  extrema_i32(acc: number, x: number, out: number, n4: number, op: number): void;
  histogram(x: number, n: number, edges: number, ne: number, counts: number, w: number, wp: number, hasW: number): void;
  range_f32(x: number, n4: number, out: number): void;
  colorize_f32(x: number, n: number, lo: number, scale: number, lut: number, out: number): void;
}

/** What this library reads of tfjs-backend-wasm's backend object (4.x). */
interface WasmBackend {
  wasm: { asm?: { memory?: WebAssembly.Memory }; wasmMemory?: WebAssembly.Memory; _malloc(bytes: number): number; _free(ptr: number): void };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

const instances = new WeakMap<object, { kernels: WasmKernels; memory: WebAssembly.Memory } | null>();

function backend(): WasmBackend {
  return tf.backend() as unknown as WasmBackend;
}

/**
 * The fused kernels, instantiated once per wasm backend against that backend's own memory
 * (so they read and write tensors where tfjs keeps them, no copy), or null where that cannot
 * be done (no SIMD, an unknown tfjs build): the reference implementations run instead.
 * The module is under 4 KB, which browsers compile synchronously on the main thread too.
 */
export function wasmKernels(): { kernels: WasmKernels; memory: WebAssembly.Memory } | null {
  const b = backend();
  if (instances.has(b)) return instances.get(b)!;
  let made: { kernels: WasmKernels; memory: WebAssembly.Memory } | null = null;
  const memory = b.wasm?.asm?.memory ?? b.wasm?.wasmMemory;
  if (memory instanceof WebAssembly.Memory) {
    const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    try {
      made = { kernels: accumulatorsInstance<WasmKernels>(memory, shared), memory };
    } catch {
      made = null; // no wasm SIMD here
    }
  }
  instances.set(b, made);
  return made;
}

/** Whether every tensor's data sits in the active wasm backend's heap (tfjs moves data between
 * backends lazily; a tensor from before a backend switch may not). */
export function inHeap(...ts: tf.Tensor[]): boolean {
  const map = backend().dataIdMap;
  return ts.every((t) => map.get(t.dataId as object) !== undefined);
}

/** A tensor's byte offset in the heap. */
export function offset(t: tf.Tensor): number {
  return backend().dataIdMap.get(t.dataId as object)!.memoryOffset;
}

/** A new tensor allocated in the heap (uninitialised), owned by the kernels. */
export function newTensor(shape: number[], dtype: 'float32' | 'int32'): tf.Tensor {
  return own(tf.engine().makeTensorFromTensorInfo(backend().makeOutput(shape, dtype)));
}

/** `acc` itself when a kernel may update it in place, else a new heap buffer of its shape. */
export function outputFor(acc: tf.Tensor): tf.Tensor {
  return writableInPlace(acc) ? acc : newTensor(acc.shape, acc.dtype as 'float32' | 'int32');
}

/** A typed-array view of a tensor's heap buffer (take views after allocating: the heap may grow). */
export function view(memory: WebAssembly.Memory, t: tf.Tensor): Float32Array | Int32Array {
  return t.dtype === 'int32' ? new Int32Array(memory.buffer, offset(t), t.size) : new Float32Array(memory.buffer, offset(t), t.size);
}

/** Scratch memory in the heap for the duration of `fn` (freed after). */
export function withScratch<T>(bytes: number, fn: (ptr: number) => T): T {
  const { wasm } = backend();
  const ptr = wasm._malloc(bytes) >>> 0;
  try {
    return fn(ptr);
  } finally {
    wasm._free(ptr);
  }
}
