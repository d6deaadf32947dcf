import * as tf from '@tensorflow/tfjs-core';

/** What tfjs-backend-wasm's module offers here. */
interface WasmPackage {
  setWasmPaths(prefixOrFileMap: string | { [fileName: string]: string }): void;
}

/**
 * Where a browser finds the wasm backend's binaries (`tfjs-backend-wasm.wasm`,
 * `-simd.wasm`, `-threaded-simd.wasm` from `@tensorflow/tfjs-backend-wasm/dist/`): a URL
 * prefix ending in '/', or a map from file name to URL. Call it before `useBackend`. Without
 * it the browser looks next to the script that loaded tfjs. Node needs nothing.
 *
 * It loads the wasm backend's code (a chunk of its own in a bundle), if not yet loaded, and
 * gives tfjs the paths; `useBackend` waits for it. Await it before calling `tf.setBackend('wasm')`
 * yourself.
 *
 * @param prefixOrFileMap The URL of the folder holding the binaries, ending in '/', or
 *   `{ 'tfjs-backend-wasm.wasm': url, ... }`.
 * @returns A promise that resolves once tfjs has the paths.
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
export async function setWasmPaths(prefixOrFileMap: string | { [fileName: string]: string }): Promise<void> {
  wasmPaths = prefixOrFileMap;
  applyWasmPaths(await import('@tensorflow/tfjs-backend-wasm'));
}

/** Gives tfjs-backend-wasm the paths setWasmPaths was given, if any (when its module loads). */
export function applyWasmPaths(wasm: WasmPackage): void {
  if (wasmPaths) wasm.setWasmPaths(wasmPaths);
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
