import * as tf from '@tensorflow/tfjs-core';
// The three backends this library is built for register themselves on import. WebGL
// registers only in browsers (tfjs checks for one), cpu and wasm register everywhere.
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgl';
import { BackendError } from '../core/errors';
import { hasHardwareWebGL } from './webgl-probe';
import { hasHardwareWebGPU } from './webgpu-probe';

export type BackendName = 'webgl' | 'wasm' | 'cpu' | 'webgpu';

const HINTS: Record<BackendName, string> = {
  webgl: 'tfjs registers webgl only in a browser with a WebGL context',
  wasm: "in a browser the .wasm binaries of @tensorflow/tfjs-backend-wasm must be served: call setWasmPaths('<url of the folder holding them>/') before useBackend",
  cpu: 'the cpu backend is always available once @tensorflow/tfjs-backend-cpu is imported',
  webgpu: "install the optional peer @tensorflow/tfjs-backend-webgpu and import it to register the backend, where navigator.gpu exists (browsers; Node with a WebGPU binding such as Dawn's)",
};

let pending: Promise<string> | null = null;

/**
 * Chooses the tfjs backend the operators compute on and resolves to the backend really in use.
 * - With a name, starts exactly that backend or rejects with a BackendError saying why (no
 *   silent fallback).
 * - With no name, picks the fastest available: webgpu where its backend is registered and a
 *   hardware adapter exists, else webgl where a hardware GPU context exists (a software
 *   renderer such as SwiftShader counts for neither), else wasm, else cpu.
 * Operators subscribed before (or while) a backend is chosen wait for it.
 */
export function useBackend(name?: BackendName): Promise<string> {
  const run = (name ? start(name) : autoSelect()).finally(() => {
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
      return await start(candidate);
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
    throw new BackendError(`useBackend('${name}'): the ${name} backend failed to initialise${reason} (${HINTS[name]})`);
  }
  return name;
}

/**
 * True when tfjs has a backend initialised and nothing is being chosen, so operators can
 * create tensors synchronously.
 */
export function backendIsReady(): boolean {
  if (pending) return false;
  const engine = tf.engine() as unknown as { backendInstance: unknown; pendingBackendInit: unknown };
  return engine.backendInstance != null && engine.pendingBackendInit == null;
}

/** Resolves once a backend is ready: the one being chosen, else the one `useBackend()` picks. */
export async function whenBackendReady(): Promise<void> {
  while (!backendIsReady()) {
    const engine = tf.engine() as unknown as { pendingBackendInit: Promise<boolean> | null };
    if (pending) await pending.catch(() => undefined);
    else if (engine.pendingBackendInit) await engine.pendingBackendInit;
    else await useBackend();
  }
}
