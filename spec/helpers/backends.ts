import * as tf from '@tensorflow/tfjs-core';
// the optional peer: registers 'webgpu' where navigator.gpu exists (Karma's Chromium; not Node 20)
import '@tensorflow/tfjs-backend-webgpu';
import { type BackendName, setWasmPaths, useBackend } from '../../projects/npstreams-rx/src/public-api';

export const IN_BROWSER = typeof window !== 'undefined' && typeof document !== 'undefined';

/**
 * The backends this environment must have: every spec runs on each of them, and
 * spec/backends.spec.ts fails when one cannot start (webgl in Karma's Chromium included).
 * NPSTREAMS_BACKENDS narrows the list, e.g. NPSTREAMS_BACKENDS=cpu (Node) or =webgpu (Karma).
 */
const narrowed = (
  IN_BROWSER
    ? (globalThis as { __karma__?: { config?: { args?: string[] } } }).__karma__?.config?.args?.[0]
    : (globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env['NPSTREAMS_BACKENDS']
)
  ?.split(',')
  .filter(Boolean) as BackendName[] | undefined;
export const BACKENDS: BackendName[] = narrowed?.length ? narrowed : IN_BROWSER ? ['webgl', 'webgpu', 'wasm', 'cpu'] : ['cpu', 'wasm'];

if (IN_BROWSER) {
  // Karma serves node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm (see karma.conf.js).
  void setWasmPaths('/base/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
}

/** describe(), once per backend of this environment, with that backend active. */
export function describeOnBackends(title: string, body: (backend: BackendName) => void): void {
  for (const backend of BACKENDS) {
    describe(`${title} [${backend}]`, () => {
      beforeAll(async () => {
        const active = await useBackend(backend);
        if (active !== backend || tf.getBackend() !== backend) throw new Error(`could not start ${backend}`);
      });
      body(backend);
    });
  }
}
