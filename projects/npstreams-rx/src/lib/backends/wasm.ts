import { setWasmPaths as tfSetWasmPaths } from '@tensorflow/tfjs-backend-wasm';

/**
 * Where a browser finds the wasm backend's binaries (`tfjs-backend-wasm.wasm`,
 * `-simd.wasm`, `-threaded-simd.wasm` from `@tensorflow/tfjs-backend-wasm/dist/`): a URL
 * prefix ending in '/', or a map from file name to URL. Call it before `useBackend`. Without
 * it the browser looks next to the script that loaded tfjs. Node needs nothing.
 */
export function setWasmPaths(prefixOrFileMap: string | { [fileName: string]: string }): void {
  tfSetWasmPaths(prefixOrFileMap as string);
}
