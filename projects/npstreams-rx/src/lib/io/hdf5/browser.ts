// HDF5 and NeXus Files in browsers: h5wasm's ESM build, loaded the first time one is read (4 MB:
// bundlers put it in a chunk of its own), the File mounted in its file system (WORKERFS: read
// chunk by chunk through FileReaderSync, which only workers have), and the filters' plugins
// fetched from where the application serves h5wasm-plugins' plugins folder (setHdf5Plugins).
import { OptionError } from '../../core/errors';
import { FileFormatError } from '../frame';
import type { DecodeLimits, SampleOptions } from '../limits';
import { type H5wasm, type Hdf5Frames, openHdf5With, startH5wasm } from './hdf5';

let module: Promise<H5wasm> | null = null;
let pluginFolder: URL | null = null;
const installed = new Set<string>();
let mounts = 0;

/**
 * Where browsers fetch the HDF5 filters' plugins (bitshuffle, LZ4, Blosc, Zstandard...): the URL
 * of a folder serving the files of h5wasm-plugins' `plugins/` folder (`libH5Zbshuf.so`...), as an
 * application's assets copy it. Each plugin is fetched once, when a dataset first needs it. gzip
 * and shuffle are built in and need none; without a folder, a dataset needing a plugin is refused
 * naming it and this function. Node reads the plugins from the installed package.
 *
 * @param folder The folder's URL (relative to the page or worker), e.g. '/assets/h5wasm-plugins/'.
 *
 * @example
 * ```ts
 * import { setHdf5Plugins } from 'npstreams-rx';
 *
 * // angular.json copies node_modules/h5wasm-plugins/plugins to /h5wasm-plugins/
 * setHdf5Plugins('/h5wasm-plugins/');
 * ```
 */
export function setHdf5Plugins(folder: string | URL): void {
  if (typeof folder !== 'string' && !(folder instanceof URL)) throw new OptionError(`setHdf5Plugins: give the folder's URL; received ${typeof folder}`);
  const base = typeof location !== 'undefined' ? location.href : undefined;
  const url = new URL(String(folder), base);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  pluginFolder = url;
}

/** h5wasm's ESM build, ready, its errors thrown (not printed). */
function h5wasm(): Promise<H5wasm> {
  module ??= import('h5wasm').then(startH5wasm);
  return module;
}

/** Fetches the plugins not installed yet into h5wasm's plugin folder. */
async function installPlugins(h5: H5wasm, names: string[]): Promise<void> {
  const missing = names.filter((n) => !installed.has(n));
  if (missing.length === 0) return;
  if (!pluginFolder) throw new Error("no plugin folder is set: serve h5wasm-plugins' plugins folder and call setHdf5Plugins(its URL)");
  const Module = await h5.ready;
  const dir = Module.get_plugin_search_paths()[0];
  Module.FS.mkdirTree(dir);
  for (const name of missing) {
    const url = new URL(`libH5Z${name}.so`, pluginFolder);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url.href}: HTTP ${response.status}`);
    Module.FS.writeFile(`${dir}/libH5Z${name}.so`, new Uint8Array(await response.arrayBuffer()));
    installed.add(name);
  }
}

/** Whether a Blob is an HDF5 file: its name's extension, else the HDF5 signature at its start. */
export async function isHdf5Blob(blob: Blob): Promise<boolean> {
  const name = (blob as File).name;
  if (typeof name === 'string' && /\.(h5|hdf5|hdf|nxs|nx5|nx)$/i.test(name)) return true;
  const head = new Uint8Array(await blob.slice(0, 8).arrayBuffer());
  return [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a].every((b, i) => head[i] === b);
}

/**
 * Opens a File's (or Blob's) HDF5 dataset of frames (openHdf5With), the File mounted in
 * h5wasm's file system and read chunk by chunk: in a Web Worker only (FileReaderSync); on a
 * page it is refused in words. The mount goes with `close`.
 */
export async function openHdf5Blob(blob: Blob, label: string, dataset: string | null, options: SampleOptions & DecodeLimits = {}): Promise<Hdf5Frames> {
  if (typeof (globalThis as { FileReaderSync?: unknown }).FileReaderSync === 'undefined') {
    throw new FileFormatError(label, 'an HDF5 file is read in a Web Worker, chunk by chunk (through FileReaderSync, which pages do not have): run load there');
  }
  const h5 = await h5wasm();
  const FS = (await h5.ready).FS as unknown as {
    mkdir(p: string): void;
    rmdir(p: string): void;
    mount(type: unknown, opts: unknown, at: string): void;
    unmount(at: string): void;
    filesystems: Record<string, unknown>;
  };
  const dir = `/npstreams-rx-${++mounts}`;
  FS.mkdir(dir);
  FS.mount(FS.filesystems['WORKERFS'], { blobs: [{ name: 'file.h5', data: blob }] }, dir);
  const unmount = () => {
    FS.unmount(dir);
    FS.rmdir(dir);
  };
  let frames: Hdf5Frames;
  try {
    frames = await openHdf5With({ h5, path: `${dir}/file.h5`, label, plugins: (names) => installPlugins(h5, names) }, dataset, options);
  } catch (err) {
    unmount();
    throw err;
  }
  let closed = false;
  return {
    ...frames,
    close: () => {
      if (closed) return;
      closed = true;
      frames.close();
      unmount();
    },
  };
}
