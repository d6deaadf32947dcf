// What the decoding threads' code (decode-worker.ts and the modules it shares with the node
// entry, hdf5.ts) takes from 'npstreams-rx': the worker's bundle maps that import here
// (scripts/bundle-specs.mjs, bundleDecodeWorker), so a thread loads these few sources, not the
// library's entry with tfjs.
export { FileFormatError } from '../../src/lib/io/frame';
export { DEFAULT_MAX_BYTES, DEFAULT_MAX_PIXELS, ɵmaskMaxSamples } from '../../src/lib/io/limits';
export * from '../../src/lib/io/hdf5/internal';
