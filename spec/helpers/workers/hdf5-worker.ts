// A Web Worker that reads HDF5 Files with the library's browser load (h5wasm's ESM build, the File
// mounted and read chunk by chunk through FileReaderSync), as the dashboard's reduction worker
// does. Bundled by scripts/bundle-specs.mjs into .tmp/browser/hdf5.worker.js, served by Karma;
// spec/hdf5-worker.browser.spec.ts drives it.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgpu';
import { lastValueFrom, toArray } from 'rxjs';
import { type BackendName, type LoadOptions, load, reduceMean, setHdf5Plugins, setWasmPaths, useBackend } from '../../../projects/npstreams-rx/src/public-api';
import { exposeFunctions } from '../../../projects/npstreams-rx/worker/src/public-api';

/** A File whose only way in is slice (what FileReaderSync reads through WORKERFS): reading it
 * whole throws, and the largest slice read is kept. */
class Guarded extends File {
  static largest = 0;
  override slice(start?: number, end?: number, type?: string): Blob {
    const part = super.slice(start, end, type);
    Guarded.largest = Math.max(Guarded.largest, part.size);
    return part;
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    throw new Error('the whole file was read');
  }
  override text(): Promise<string> {
    throw new Error('the whole file was read');
  }
  override stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
    throw new Error('the whole file was read');
  }
}
const guarded = (files: File[]) => files.map((f) => new Guarded([f], f.name));

// exported for its type (the spec's workerPool<typeof hdf5Functions>)
export const hdf5Functions = exposeFunctions({
  async setUp(plugins: string, backend: BackendName, wasmPaths: string) {
    setHdf5Plugins(plugins);
    await setWasmPaths(wasmPaths);
    return useBackend(backend);
  },
  /** Every frame of the Files (load's options), or the error's name and message; the largest
   * slice of a File read. */
  async frames(files: File[], options: LoadOptions) {
    Guarded.largest = 0;
    try {
      const frames = await lastValueFrom(load(guarded(files), options).pipe(toArray()));
      return { frames: frames.map((f) => ({ file: f.file, shape: f.shape, dtype: f.dtype, data: Array.from(f.data) })), largest: Guarded.largest };
    } catch (err) {
      return { error: { name: (err as Error).name, message: (err as Error).message } };
    }
  },
  /** The mean of the Files' frames with ignoreNaN, and the tensors alive after. */
  async mean(files: File[], options: LoadOptions) {
    const mean = await lastValueFrom(load(guarded(files), options).pipe(reduceMean({ ignoreNaN: true })));
    const values = Array.from(await mean.data());
    mean.dispose();
    return { values, tensors: tf.memory().numTensors };
  },
});
