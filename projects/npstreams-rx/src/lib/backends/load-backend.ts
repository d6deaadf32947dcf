import type { BackendName } from './use-backend';
import { applyWasmPaths } from './wasm';

/**
 * Each backend loaded on first use, with a dynamic import that bundlers split into a chunk of
 * its own: tfjs's package (which registers the backend) and the library's fused kernels for it
 * (kernels/<backend>/register.ts). An application that runs one backend downloads that one.
 * webgpu's package is an optional peer the application imports itself (a bundler cannot resolve
 * a package that is not installed), so only its kernels load here.
 */
const LOADERS: Record<BackendName, () => Promise<unknown>> = {
  cpu: () => Promise.all([import('@tensorflow/tfjs-backend-cpu'), import('../kernels/cpu/register')]),
  wasm: () => Promise.all([import('@tensorflow/tfjs-backend-wasm').then(applyWasmPaths), import('../kernels/wasm/register')]),
  webgl: () => Promise.all([import('@tensorflow/tfjs-backend-webgl'), import('../kernels/webgl/register')]),
  webgpu: () => import('../kernels/webgpu/register'),
};

/** The loads begun, by backend; a failed one is forgotten so that a later call can retry. */
const loads = new Map<string, Promise<void>>();
/** The backends whose load has completed. */
const loaded = new Set<string>();

/** Whether the library has loaded what it runs on this backend (true for a backend it has no
 * kernels for, a user's own: nothing to load). */
export function backendLoaded(name: string): boolean {
  return loaded.has(name) || !(name in LOADERS);
}

/** Loads a backend's tfjs package and the library's kernels for it, once. */
export function loadBackend(name: string): Promise<void> {
  if (backendLoaded(name)) return Promise.resolve();
  let load = loads.get(name);
  if (!load) {
    load = LOADERS[name as BackendName]().then(
      () => void loaded.add(name),
      (err: unknown) => {
        loads.delete(name);
        throw err;
      },
    );
    loads.set(name, load);
  }
  return load;
}
