import * as tf from '@tensorflow/tfjs-core';
import { setWasmPaths as tfSetWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * Where a browser finds the wasm backend's binaries (`tfjs-backend-wasm.wasm`,
 * `-simd.wasm`, `-threaded-simd.wasm` from `@tensorflow/tfjs-backend-wasm/dist/`): a URL
 * prefix ending in '/', or a map from file name to URL. Call it before `useBackend`. Without
 * it the browser looks next to the script that loaded tfjs. Node needs nothing.
 *
 * @param prefixOrFileMap The URL of the folder holding the binaries, ending in '/', or
 *   `{ 'tfjs-backend-wasm.wasm': url, ... }`.
 *
 * @example
 * ```ts
 * import { setWasmPaths, useBackend } from 'npstreams-rx';
 *
 * // the .wasm files copied from node_modules/@tensorflow/tfjs-backend-wasm/dist/ to /assets/tfjs/
 * setWasmPaths('/assets/tfjs/');
 * await useBackend('wasm');
 * ```
 */
export function setWasmPaths(prefixOrFileMap: string | { [fileName: string]: string }): void {
  tfSetWasmPaths(prefixOrFileMap as string);
  wasmPaths = prefixOrFileMap;
}

/** What setWasmPaths was given (null: never called). */
let wasmPaths: string | { [fileName: string]: string } | null = null;

/**
 * Where tfjs looks for the wasm binary it wants here (the SIMD one, threaded where threads are
 * available), for a message when the backend fails to start: the URL setWasmPaths gave, else
 * next to the script that holds tfjs (as this library's own module, in a bundle).
 */
export async function wasmBinaryTried(): Promise<string> {
  const flag = (name: string) =>
    tf
      .env()
      .getAsync(name)
      .catch(() => false);
  const [simd, threads] = await Promise.all([flag('WASM_HAS_SIMD_SUPPORT'), flag('WASM_HAS_MULTITHREAD_SUPPORT')]);
  const file = simd ? (threads ? 'tfjs-backend-wasm-threaded-simd.wasm' : 'tfjs-backend-wasm-simd.wasm') : 'tfjs-backend-wasm.wasm';
  if (typeof wasmPaths === 'string') return `${wasmPaths}${file} (setWasmPaths)`;
  if (wasmPaths) return `${wasmPaths[file] ?? `no URL for ${file}`} (setWasmPaths' map)`;
  const base = typeof document !== 'undefined' ? new URL(file, import.meta.url).href : `${file} in @tensorflow/tfjs-backend-wasm/dist/`;
  return `${base} (the default: next to the script that holds tfjs)`;
}
