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
}
