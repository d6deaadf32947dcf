/// <reference types="node" />
// HDF5 and NeXus files in Node: h5wasm's Node build (it reads the host's files directly, chunk by
// chunk) with the filters of h5wasm-plugins (bitshuffle, LZ4, ...; gzip and shuffle are built
// in), loaded the first time an HDF5 source is read; the reading itself is the library's
// (openHdf5With, in every environment).
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import {
  type DecodeLimits,
  type Frame,
  type SampleOptions,
  type ɵHdf5Attributes as Hdf5Attributes,
  type ɵHdf5Frames as Hdf5Frames,
  type ɵH5wasm as H5wasm,
  ɵopenHdf5With as openHdf5With,
  ɵstartH5wasm as startH5wasm,
  ɵwriteHdf5With as writeHdf5With,
} from 'npstreams-rx';

export type { Hdf5Attributes, Hdf5Frames };
export { ɵDEFAULT_DATASET as DEFAULT_DATASET } from 'npstreams-rx';

// the filters' package (no types of its own): its install_local_plugins adds its folder of
// plugins to h5wasm's search path (install_plugins fetches them, which Node cannot from files)
const PLUGINS = 'h5wasm-plugins';
let module: Promise<H5wasm> | null = null;

/** h5wasm, ready, with the plugins' folder on its search path. */
function h5wasm(): Promise<H5wasm> {
  module ??= (async () => {
    const lib = await startH5wasm(await import('h5wasm/node'));
    const plugins = (await import(PLUGINS)) as { install_local_plugins(module: unknown): void };
    plugins.install_local_plugins(await lib.ready);
    return lib;
  })();
  return module;
}

/** Opens the file at `path` and its dataset of frames (openHdf5With): a file missing or
 * unreadable is the reader's error, named as any file's. */
export async function openHdf5(path: string, dataset: string | null, options: SampleOptions & DecodeLimits = {}): Promise<Hdf5Frames> {
  const h5 = await h5wasm();
  await access(path, constants.R_OK);
  return openHdf5With({ h5, path, label: path }, dataset, options);
}

/** Writes `frame` as `dataset` of a new HDF5 file at `path` (writeHdf5With). */
export async function writeHdf5(path: string, dataset: string, frame: Frame, attributes: Hdf5Attributes = {}): Promise<void> {
  writeHdf5With(await h5wasm(), path, dataset, frame, attributes);
}
