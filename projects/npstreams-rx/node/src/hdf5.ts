/// <reference types="node" />
// HDF5 and NeXus files in Node: h5wasm (the HDF5 C library compiled to wasm; it reads the host's
// files directly, chunk by chunk) with the filters of h5wasm-plugins (bitshuffle, LZ4, ...; gzip
// and shuffle are built in). Loaded the first time an HDF5 source is read.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { FileFormatError, type Frame } from 'npstreams-rx';
import type * as H5 from 'h5wasm';

type H5wasm = typeof H5;
// the filters' package (no types of its own): its install_local_plugins adds its folder of
// plugins to h5wasm's search path (install_plugins fetches them, which Node cannot from files)
const PLUGINS = 'h5wasm-plugins';
let module: Promise<H5wasm> | null = null;

/** h5wasm, ready, with the plugins' folder on its search path. */
function h5wasm(): Promise<H5wasm> {
  module ??= (async () => {
    const h5 = (await import('h5wasm/node')) as unknown as H5wasm & { default?: H5wasm };
    const lib = h5.default ?? h5;
    const Module = await lib.ready;
    const plugins = (await import(PLUGINS)) as { install_local_plugins(module: unknown): void };
    plugins.install_local_plugins(Module);
    return lib;
  })();
  return module;
}

/** An open dataset of frames: its name for messages, its shape and frames read one at a time. */
export interface Hdf5Frames {
  /** `file::/dataset`. */
  name: string;
  /** The dataset's shape: frames along the first axis. */
  shape: number[];
  /** Frame k (one slice along the first axis, read when asked: a chunk at a time). */
  frame(k: number): Frame;
  close(): void;
}

/** What the HDF5 library's dtype strings mean here: the samples' kind and size in bytes. */
function kindOf(metadata: H5.Metadata): { kind: 'int' | 'uint' | 'float'; size: number } | null {
  // h5wasm's type classes: 0 integer, 1 float
  if (metadata.type === 0) return { kind: metadata.signed ? 'int' : 'uint', size: metadata.size };
  if (metadata.type === 1) return { kind: 'float', size: metadata.size };
  return null;
}

/**
 * Opens `path` and its dataset of frames: `dataset` (an absolute path in the file), or the NeXus
 * default (the root's `default` attribute, then that NXentry's, then the NXdata's `signal`),
 * failing that the file's one dataset of 3 or more dimensions. Errors are FileFormatErrors naming
 * the file: not HDF5 or unreadable, a dataset missing (with the paths that exist near it), no
 * default and several candidates (listed), fewer than 2 dimensions, samples that are not numbers.
 */
export async function openHdf5(path: string, dataset: string | null): Promise<Hdf5Frames> {
  const h5 = await h5wasm();
  // a file missing or unreadable is the reader's error (named as any file's); one h5wasm cannot
  // open (not HDF5, truncated) gives a negative id, with the library's diagnostics on stderr
  await access(path, constants.R_OK);
  let file: H5.File;
  try {
    file = new h5.File(path, 'r');
  } catch (err) {
    throw new FileFormatError(path, `cannot be read as HDF5 (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  if (file.file_id < 0n) throw new FileFormatError(path, 'cannot be read as HDF5 (not an HDF5 file, or a truncated or corrupt one)');
  try {
    const where = dataset ?? defaultDataset(file, path);
    const entity = file.get(where);
    if (!(entity instanceof h5.Dataset)) {
      if (entity === null) throw new FileFormatError(path, `has no dataset ${where}${near(file, where)}`);
      throw new FileFormatError(path, `${where} is not a dataset (a ${entity.constructor.name})`);
    }
    const shape = entity.shape ?? [];
    const name = `${path}::${where.startsWith('/') ? where : `/${where}`}`;
    if (shape.length < 2) throw new FileFormatError(name, `is a dataset of shape [${shape.join(', ')}]: frames need 2 dimensions or more (frames along the first)`);
    const kind = kindOf(entity.metadata);
    if (!kind) throw new FileFormatError(name, `holds samples that are not numbers (HDF5 type class ${entity.metadata.type})`);
    const per = shape.slice(1);
    let closed = false;
    const ranges = per.map(() => [] as []);
    return {
      name,
      shape,
      frame: (k) => {
        let raw: unknown;
        try {
          raw = entity.slice([[k, k + 1], ...ranges]);
        } catch (err) {
          throw new FileFormatError(name, `frame ${k} cannot be read (${err instanceof Error ? err.message : String(err)})`, { cause: err });
        }
        return toFrame(raw, per, kind, name, k);
      },
      close: () => {
        if (!closed) file.close();
        closed = true;
      },
    };
  } catch (err) {
    file.close();
    throw err;
  }
}

/** A slice's samples as a frame: integers within int32 exactly (dtype int32), floats as float32
 * (float64 rounded), as the .npy reader does. */
function toFrame(raw: unknown, shape: number[], kind: { kind: string; size: number }, name: string, k: number): Frame {
  if (raw instanceof Float32Array) return { data: raw, shape, dtype: 'float32' };
  if (raw instanceof Float64Array) return { data: Float32Array.from(raw), shape, dtype: 'float32' };
  if (raw instanceof Uint8Array || raw instanceof Int8Array || raw instanceof Uint16Array || raw instanceof Int16Array || raw instanceof Int32Array) return { data: raw, shape, dtype: 'int32' };
  if (raw instanceof Uint32Array || raw instanceof BigInt64Array || raw instanceof BigUint64Array) {
    const out = new Int32Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const v = raw[i];
      if (v > 2147483647 || v < -2147483648) {
        throw new FileFormatError(name, `frame ${k}: sample ${i} is ${String(v)}, beyond int32 (${kind.kind}${8 * kind.size} samples are read exactly when they fit in int32)`);
      }
      out[i] = Number(v);
    }
    return { data: out, shape, dtype: 'int32' };
  }
  throw new FileFormatError(name, `frame ${k}: samples of an unsupported kind (${kind.kind}${8 * kind.size})`);
}

/** The NeXus default dataset's path, else the one dataset of 3+ dimensions. */
function defaultDataset(file: H5.File, path: string): string {
  const attr = (g: H5.Group, key: string): string | null => {
    const a = g.attrs[key];
    const v = a?.json_value;
    return typeof v === 'string' ? v : Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null;
  };
  const entry = attr(file, 'default');
  if (entry) {
    const group = file.get(entry);
    const data = group && 'keys' in group ? attr(group as H5.Group, 'default') : null;
    const nxdata = data ? (group as H5.Group).get(data) : null;
    const signal = nxdata && 'keys' in nxdata ? attr(nxdata as H5.Group, 'signal') : null;
    if (signal) return `/${entry}/${data}/${signal}`.replace(/\/+/g, '/');
  }
  const candidates: string[] = [];
  const walk = (g: H5.Group, at: string): void => {
    for (const key of g.keys()) {
      const child = g.get(key);
      const where = `${at}/${key}`;
      if (child && 'keys' in child) walk(child as H5.Group, where);
      else if (child && 'shape' in child && ((child as H5.Dataset).shape?.length ?? 0) >= 3) candidates.push(where);
    }
  };
  walk(file, '');
  if (candidates.length === 1) return candidates[0];
  throw new FileFormatError(
    path,
    candidates.length === 0
      ? 'has no NeXus default (root, entry and NXdata "default"/"signal" attributes) and no dataset of 3 or more dimensions: name one, as file.h5::/path'
      : `has no NeXus default and ${candidates.length} datasets of 3 or more dimensions: ${candidates.join(', ')}; name one, as file.h5::/path`,
  );
}

/** ", near it: a, b" listing what the deepest existing group on the way to `where` holds. */
function near(file: H5.File, where: string): string {
  const parts = where.split('/').filter(Boolean);
  let group: H5.Group = file;
  let at = '';
  for (const part of parts) {
    const next = group.get(part);
    if (!next || !('keys' in next)) break;
    group = next as H5.Group;
    at += `/${part}`;
  }
  const keys = group.keys().map((k) => `${at}/${k}`);
  return keys.length ? `; ${at || '/'} holds ${keys.join(', ')}` : '';
}
