// The functions the browser worker pool spec runs in Web Workers (bundled by
// scripts/bundle-specs.mjs into .tmp/browser/functions.worker.js, served by Karma).
import { exposeFunctions } from '../../../projects/npstreams-rx/worker/src/public-api';

interface Frame {
  data: Float32Array;
  shape: number[];
}

// exported for its type: the spec's workerPool<typeof functions> (the page never runs this module)
export const functions = exposeFunctions({
  /** Whether this runs in a worker (no document, a WorkerGlobalScope). */
  whereAmI: () => ({ inWorker: typeof (globalThis as { document?: unknown }).document === 'undefined' && 'WorkerGlobalScope' in globalThis }),
  /** The frame times its index, in a new buffer, and the byte length it received. */
  scale: (frame: Frame, k: number) => ({ data: frame.data.map((v) => v * k), shape: frame.shape, byteLengthSeen: frame.data.byteLength }),
  fail: (frame: Frame) => {
    throw new Error(`cannot denoise a frame of ${frame.data.length} values`);
  },
  sleep: (ms: number) => new Promise((resolve) => setTimeout(() => resolve(ms), ms)),
});
