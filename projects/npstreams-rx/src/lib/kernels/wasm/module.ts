import { ACCUMULATORS_WASM, ACCUMULATORS_WASM_SHARED } from './accumulators-wasm';

// The fused module (accumulators.wat), compiled once per variant: against tfjs-backend-wasm's
// heap (heap.ts; `shared` for tfjs's threaded build) or a memory of its own (SlabSum, the cpu
// backend's colorize). Free of tfjs: the decoding threads fold with it.

const compiled: { plain?: WebAssembly.Module; shared?: WebAssembly.Module } = {};

/** The fused module, compiled (throws where wasm SIMD is missing). */
export function accumulatorsModule(shared = false): WebAssembly.Module {
  const key = shared ? 'shared' : 'plain';
  compiled[key] ??= new WebAssembly.Module(Uint8Array.from(atob(shared ? ACCUMULATORS_WASM_SHARED : ACCUMULATORS_WASM), (c) => c.charCodeAt(0)));
  return compiled[key];
}

/** An instance of the fused module over `memory`, its exports typed as `T`. */
export function accumulatorsInstance<T>(memory: WebAssembly.Memory, shared = false): T {
  return new WebAssembly.Instance(accumulatorsModule(shared), { env: { memory } }).exports as unknown as T;
}
