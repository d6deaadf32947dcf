// The HDF5 reading's internals that npstreams-rx/node builds on (its h5wasm, its threads), under
// the ɵ names of the library's internals: the main entry re-exports them, and the decoding
// threads' bundle takes them from here (node/src/decode-worker-lib.ts), without the entry.
export {
  type Hdf5Access as ɵHdf5Access,
  type Hdf5Attributes as ɵHdf5Attributes,
  type Hdf5Frames as ɵHdf5Frames,
  type H5wasm as ɵH5wasm,
  DEFAULT_DATASET as ɵDEFAULT_DATASET,
  openHdf5With as ɵopenHdf5With,
  startH5wasm as ɵstartH5wasm,
  writeHdf5With as ɵwriteHdf5With,
} from './hdf5';
