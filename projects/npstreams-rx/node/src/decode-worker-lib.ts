// What the decoding threads' code (decode-worker.ts and the modules it shares with the node
// entry, hdf5.ts) takes from 'npstreams-rx': the worker's bundle maps that import here
// (scripts/bundle-specs.mjs, bundleDecodeWorker), so a thread loads these few sources, not the
// library's entry with tfjs.
export { FileFormatError } from '../../src/lib/io/frame';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, ɵmaskMaxSamples } from '../../src/lib/io/limits';
export {
  type Hdf5Attributes as ɵHdf5Attributes,
  type Hdf5Frames as ɵHdf5Frames,
  type H5wasm as ɵH5wasm,
  DEFAULT_DATASET as ɵDEFAULT_DATASET,
  openHdf5With as ɵopenHdf5With,
  writeHdf5With as ɵwriteHdf5With,
} from '../../src/lib/io/hdf5/hdf5';
