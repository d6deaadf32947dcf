import * as tf from '@tensorflow/tfjs-core';
import { BackendError } from '../core/errors';
import { engineIsReady, setReadiness } from '../core/ready';
import { backendLoaded, loadBackend } from './load-backend';
import { declareKnownBackendTraits } from './traits';
import { wasmBinaryTried } from './wasm';
import { hasHardwareWebGL } from './webgl-probe';
import { hasHardwareWebGPU } from './webgpu-probe';

/** The tfjs backends the library has kernels for (webgpu needs the optional peer
 * `@tensorflow/tfjs-backend-webgpu`, imported). */
export type BackendName = 'webgl' | 'wasm' | 'cpu' | 'webgpu';

const HINTS: Record<BackendName, string> = {
  webgl: 'tfjs registers webgl only in a browser with a WebGL context',
  wasm: "in a browser the .wasm binaries of @tensorflow/tfjs-backend-wasm must be served: call setWasmPaths('<url of the folder holding them>/') before useBackend",
  cpu: 'the cpu backend is always available where @tensorflow/tfjs-backend-cpu is installed',
  webgpu: "install the optional peer @tensorflow/tfjs-backend-webgpu and import it to register the backend, where navigator.gpu exists (browsers; Node with a WebGPU binding such as Dawn's)",
};

let pending: Promise<string> | null = null;
/** useBackend() has warned that wasm could not start. */
let warnedWasm = false;
/** Why wasm failed to start, last time it did. */
let wasmFailure = '';

/**
 * Chooses the tfjs backend the operators compute on and resolves to the backend really in use.
 * - With a name, starts exactly that backend or rejects with a BackendError saying why (no
 *   silent fallback); the backend in use before stays in use.
 * - With no name, picks the fastest available: webgpu where its backend is registered and a
 *   hardware adapter exists, else webgl where a hardware GPU context exists (a software
 *   renderer such as SwiftShader counts for neither), else wasm, else cpu; a BackendError lists
 *   every failure where none starts.
 *
 * Calls run one after the other: a call made while another is choosing waits for it, then
 * starts its own backend (the last call made decides the backend in use).
 *
 * Operators wait for a backend being chosen before they take an item; where no backend is ready
 * when an item arrives (no call, no tfjs backend set), they call `useBackend()` themselves.
 *
 * @param name The backend to start: webgpu, webgl, wasm or cpu; none: the fastest available.
 * @returns A promise of the name of the backend in use.
 *
 * @example
 * ```ts
 * import { useBackend } from 'npstreams-rx';
 *
 * console.log(await useBackend()); // webgpu or webgl on a hardware GPU, else wasm (in Node: wasm)
 * console.log(await useBackend('cpu')); // cpu
 * ```
 */
export function useBackend(name?: BackendName): Promise<string> {
  // one switch at a time: a call waits for the one before it (two overlapping tf.setBackend
  // calls could leave tfjs naming a backend whose initialisation was abandoned)
  const before = pending;
  const choose = () => (name ? start(name) : autoSelect());
  const run = (before ? before.then(choose, choose) : choose()).finally(() => {
    if (pending === run) pending = null;
  });
  pending = run;
  return run;
}

async function autoSelect(): Promise<string> {
  const candidates: BackendName[] = ['wasm', 'cpu'];
  if (hasHardwareWebGL()) candidates.unshift('webgl');
  if (tf.findBackendFactory('webgpu') != null && (await hasHardwareWebGPU())) candidates.unshift('webgpu');
  const failures: string[] = [];
  for (const candidate of candidates) {
    try {
      const started = await start(candidate);
      if (wasmFailure && candidates.indexOf('wasm') < candidates.indexOf(started as BackendName) && !warnedWasm) {
        // the usual cause: a bundle that does not serve the .wasm files (say it once)
        warnedWasm = true;
        console.warn(`useBackend: the wasm backend could not start, so ${started} runs instead (several times slower): ${wasmFailure}`);
      }
      return started;
    } catch (err) {
      failures.push((err as Error).message);
    }
  }
  throw new BackendError(`useBackend: no backend could start:\n${failures.join('\n')}`);
}

async function start(name: BackendName): Promise<string> {
  if (!(name in HINTS)) {
    throw new BackendError(`useBackend: unknown backend '${name}'; expected one of ${Object.keys(HINTS).join(', ')}`);
  }
  try {
    await loadBackend(name);
  } catch (err) {
    throw new BackendError(`useBackend('${name}'): the ${name} backend's code could not be loaded: ${(err as Error).message}`, { cause: err });
  }
  if (tf.findBackendFactory(name) == null) {
    throw new BackendError(`useBackend('${name}'): the ${name} backend is not registered here (${HINTS[name]})`);
  }
  const engine = tf.engine() as unknown as { backendName: string | null };
  const previous = engine.backendName;
  let ok = false;
  let reason = '';
  try {
    ok = await tf.setBackend(name);
  } catch (err) {
    reason = `: ${(err as Error).message}`;
  }
  if (!ok) {
    // tfjs leaves no backend selected after a failed start: go back to the one in use before.
    if (previous && previous !== name) await tf.setBackend(previous);
    if (name === 'wasm') {
      wasmFailure = `its binary was looked for at ${await wasmBinaryTried()}${reason}; serve the .wasm files of @tensorflow/tfjs-backend-wasm/dist/ and call setWasmPaths('<the URL of their folder>/') before useBackend (once per page: tfjs cannot retry another path afterwards)`;
      throw new BackendError(`useBackend('wasm'): the wasm backend failed to initialise: ${wasmFailure}`);
    }
    throw new BackendError(`useBackend('${name}'): the ${name} backend failed to initialise${reason} (${HINTS[name]})`);
  }
  return name;
}

/**
 * True when tfjs has a backend initialised, the library's kernels for it are loaded and nothing
 * is being chosen, so operators can create tensors synchronously.
 */
function backendIsReady(): boolean {
  return !pending && engineIsReady() && backendLoaded(tf.getBackend());
}

/** Resolves once a backend is ready: the one being chosen, else the one `useBackend()` picks. */
async function whenBackendReady(): Promise<void> {
  while (!backendIsReady()) {
    const engine = tf.engine() as unknown as { pendingBackendInit: Promise<boolean> | null };
    if (pending) await pending.catch(() => undefined);
    else if (engine.pendingBackendInit) await engine.pendingBackendInit;
    // a backend set with tf.setBackend (its package imported by the application): its kernels
    else if (engineIsReady()) await loadBackend(tf.getBackend());
    else await useBackend();
  }
}

// what the core must know of backends, which it does not import: how to wait for one (the one
// being chosen, else the fastest available), and the known backends' traits
setReadiness({ isReady: backendIsReady, whenReady: whenBackendReady });
declareKnownBackendTraits();
