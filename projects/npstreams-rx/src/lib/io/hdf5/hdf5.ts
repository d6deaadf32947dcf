// HDF5 and NeXus datasets as frames, in every environment: h5wasm (the HDF5 C library compiled to
// wasm) opens the file where the environment's loader put it (Node: the host's files; browsers:
// a File mounted in a worker, read chunk by chunk), and this reads the frames along the first
// axis, one slice at a time, checks what the dataset declares, and writes results.
import type * as H5 from 'h5wasm';
import type { Alloc } from '../buffer-pool';
import { FileFormatError, type Frame, sizeOf } from '../frame';
import { DEFAULT_MAX_BYTES, type DecodeLimits, type SampleOptions, checkBudget, ɵmaskMaxSamples as maskMaxSamples } from '../limits';

/** The HDF5 filters built into the library: deflate 1, shuffle 2, Fletcher-32 3, N-bit 5,
 * scale-offset 6. */
const BUILT_IN = new Set([1, 2, 3, 5, 6]);
/** The filters of h5wasm-plugins, by id: each its file libH5Z<name>.so. */
export const PLUGINS: Readonly<Record<number, string>> = {
  307: 'bz2',
  32000: 'lzf',
  32001: 'blosc',
  32004: 'lz4',
  32008: 'bshuf',
  32013: 'zfp',
  32015: 'zstd',
  32019: 'jpeg',
  32022: 'bitgroom',
  32023: 'bitround',
  32026: 'blosc2',
};

/** h5wasm's module (its ESM build in browsers, its Node build in Node), ready. */
export type H5wasm = typeof H5;

/** h5wasm as an environment's build of it was imported (a module namespace, or its default
 * export), ready, the library's errors thrown as Errors carrying its diagnostics (by default it
 * prints HDF5-DIAG stacks and returns a negative id). */
export async function startH5wasm(imported: unknown): Promise<H5wasm> {
  const lib = (imported as { default?: H5wasm }).default ?? (imported as H5wasm);
  const Module = await lib.ready;
  Module.activate_throwing_error_handler();
  return lib;
}

/** How openHdf5With reaches a file: h5wasm, the file's path in h5wasm's file system, and what
 * messages call it (the path on disk, a File's name). */
export interface Hdf5Access {
  /** h5wasm, ready. */
  h5: H5wasm;
  /** The file's path in h5wasm's file system. */
  path: string;
  /** The file's name in messages. */
  label: string;
  /** Makes the plugins the dataset's filters need available (browsers fetch them); called with
   * their names (PLUGINS) before a frame is read. */
  plugins?: (names: string[]) => Promise<void>;
}

/** An open dataset of frames: its name for messages, its shape and frames read one at a time. */
export interface Hdf5Frames {
  /** `file::/dataset`. */
  name: string;
  /** The dataset's absolute path in the file (the NeXus default resolved). */
  dataset: string;
  /** The dataset's shape: frames along the first axis. */
  shape: number[];
  /** Frame k (one slice along the first axis, read when asked: a chunk at a time), its samples
   * in memory `alloc` gives (load's reuse) or new memory. */
  frame(k: number, alloc?: Alloc): Frame;
  /** Closes the file (once; later calls do nothing). */
  close(): void;
}

/** Attributes written beside a dataset (save's `attributes`): strings, numbers or lists of one. */
export type Hdf5Attributes = Record<string, string | number | readonly string[] | readonly number[]>;

/** Where save puts an array in an HDF5 file named without `::/path`: NeXus's default plot. */
export const DEFAULT_DATASET = '/entry/data/data';

/**
 * Writes `frame` as the dataset `dataset` of a new HDF5 file at `path` (an existing file there is
 * truncated: save writes a temporary file and renames it), its `attributes` on the dataset. At
 * DEFAULT_DATASET the groups are a NeXus entry and NXdata whose signal it is (the root's and
 * entry's `default` attributes pointing to it), so viewers plot it and `load` finds it; at another
 * path the groups are plain ones. Samples keep their type (float32, int32, 8/16-bit integers as
 * stored; bool as 8-bit 0/1).
 */
export function writeHdf5With(h5: H5wasm, path: string, dataset: string, frame: Frame, attributes: Hdf5Attributes = {}): void {
  const where = `/${dataset.split('/').filter(Boolean).join('/')}`;
  if (where === '/') throw new Error(`'${dataset}' is not a dataset path (as /entry/data/data)`);
  let file: H5.File;
  try {
    file = new h5.File(path, 'w');
  } catch (err) {
    throw new Error(reasonOf(err), { cause: err });
  }
  try {
    const parts = where.split('/').filter(Boolean);
    let group: H5.Group = file;
    for (const part of parts.slice(0, -1)) group = (group.get(part) as H5.Group | null) ?? group.create_group(part);
    const data = group.create_dataset({ name: parts[parts.length - 1], data: frame.data, shape: [...frame.shape] });
    for (const [key, value] of Object.entries(attributes)) {
      data.create_attribute(key, (Array.isArray(value) ? [...value] : value) as string | number | string[] | number[]);
    }
    if (where === DEFAULT_DATASET) {
      file.create_attribute('default', 'entry');
      const entry = file.get('entry') as H5.Group;
      entry.create_attribute('NX_class', 'NXentry');
      entry.create_attribute('default', 'data');
      const nxdata = file.get('entry/data') as H5.Group;
      nxdata.create_attribute('NX_class', 'NXdata');
      nxdata.create_attribute('signal', 'data');
    }
  } catch (err) {
    throw new Error(reasonOf(err), { cause: err });
  } finally {
    file.close();
  }
}

/** The samples' kind and size in bytes, and the typed array they are read into. */
interface Kind {
  kind: 'int' | 'uint' | 'float';
  size: number;
  Type: new (buffer: ArrayBuffer, offset: number, length: number) => ArrayBufferView;
}

/** The typed arrays of the samples read here, by kind and size. */
const ARRAYS: Record<string, Kind['Type']> = {
  int1: Int8Array,
  uint1: Uint8Array,
  int2: Int16Array,
  uint2: Uint16Array,
  int4: Int32Array,
  uint4: Uint32Array,
  int8: BigInt64Array,
  uint8: BigUint64Array,
  float4: Float32Array,
  float8: Float64Array,
};

/** What the HDF5 library's type says of the samples (h5wasm's type classes: 0 integer, 1 float):
 * their kind, or a words for a kind not read here (float16, strings, compounds...). */
function kindOf(metadata: H5.Metadata): Kind | string {
  const kind = metadata.type === 0 ? (metadata.signed ? 'int' : 'uint') : metadata.type === 1 ? 'float' : null;
  if (!kind) return `samples that are not numbers (HDF5 type class ${metadata.type})`;
  const Type = ARRAYS[`${kind}${metadata.size}`];
  return Type ? { kind, size: metadata.size, Type } : `${kind}${8 * metadata.size} samples, which are not read here`;
}

/**
 * Opens an HDF5 file (where `access` says) and its dataset of frames: `dataset` (an absolute
 * path in the file), or the NeXus default (the root's `default` attribute, then that NXentry's,
 * then the NXdata's `signal`), failing that the file's one dataset of 3 or more dimensions.
 * Errors are FileFormatErrors naming the file (its label): not HDF5 or unreadable, a dataset
 * missing (with the paths that exist near it), no default and several candidates (listed), fewer
 * than 2 dimensions, samples that are not numbers, a filter no reader here has (its id). With
 * `maskMax`, unsigned samples equal to their type's maximum are NaN (SampleOptions). The limits
 * (load's maxPixels, maxBytes) bound what the dataset declares: a frame's pixels and samples (as
 * float32 or int32), and a chunk's bytes (what the library inflates to read a frame).
 */
export async function openHdf5With(access: Hdf5Access, dataset: string | null, options: SampleOptions & DecodeLimits = {}): Promise<Hdf5Frames> {
  const { h5, label: path } = access;
  let file: H5.File;
  try {
    file = new h5.File(access.path, 'r');
  } catch (err) {
    throw new FileFormatError(path, `cannot be read as HDF5 (${reasonOf(err)})`, { cause: err });
  }
  if (file.file_id < 0n) {
    file.close();
    throw new FileFormatError(path, 'cannot be read as HDF5 (not an HDF5 file, or a truncated or corrupt one)');
  }
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
    if (typeof kind === 'string') throw new FileFormatError(name, `holds ${kind}`);
    const unknown = entity.filters.filter((f) => !BUILT_IN.has(f.id) && !(f.id in PLUGINS));
    if (unknown.length) {
      const named = unknown.map((f) => `${f.id}${f.name ? ` (${f.name})` : ''}`).join(', ');
      throw new FileFormatError(
        name,
        `is compressed with HDF5 filter ${named}, which no reader here has (built in: deflate, shuffle, Fletcher-32, N-bit, scale-offset; plugins: bitshuffle, LZ4, LZF, Blosc, Blosc2, Zstandard, bzip2, ZFP, JPEG, BitGroom, BitRound)`,
      );
    }
    const per = shape.slice(1);
    checkDeclared(name, shape, entity.metadata.chunks, kind.size, options);
    const needed = entity.filters.filter((f) => f.id in PLUGINS).map((f) => PLUGINS[f.id]);
    if (needed.length && access.plugins) {
      try {
        await access.plugins(needed);
      } catch (err) {
        throw new FileFormatError(name, `needs the HDF5 plugin${needed.length > 1 ? 's' : ''} ${needed.join(', ')}, which could not be had: ${err instanceof Error ? err.message : String(err)}`, {
          cause: err,
        });
      }
    }
    let closed = false;
    const reader = frameReader(await h5.ready, file.file_id, entity.path, shape, kind);
    return {
      name,
      dataset: name.slice(path.length + 2),
      shape,
      frame: (k, alloc) => {
        if (closed) throw new Error(`${name}: closed`);
        let raw: ArrayBufferView;
        try {
          raw = reader.read(k, alloc);
        } catch (err) {
          throw new FileFormatError(name, `frame ${k} cannot be read (${reasonOf(err)})`, { cause: err });
        }
        return toFrame(raw, per, kind, name, k, options.maskMax ?? false, alloc);
      },
      close: () => {
        if (!closed) {
          reader.free();
          file.close();
        }
        closed = true;
      },
    };
  } catch (err) {
    file.close();
    throw err;
  }
}

/** A slice's samples as a frame: integers within int32 exactly (dtype int32), floats as float32
 * (float64 rounded), as the .npy reader does; with `maskMax`, unsigned ones as float32 with their
 * type's maximum NaN. */
function toFrame(raw: ArrayBufferView, shape: number[], kind: Kind, name: string, k: number, maskMax: boolean, alloc?: Alloc): Frame {
  if (maskMax && kind.kind === 'uint') {
    if (raw instanceof Uint8Array || raw instanceof Uint16Array || raw instanceof Uint32Array) {
      const room = alloc?.(4 * raw.length);
      const out = room ? new Float32Array(room.buffer as ArrayBuffer, room.byteOffset, raw.length) : undefined;
      return { data: maskMaxSamples(raw, 2 ** (8 * kind.size) - 1, out), shape, dtype: 'float32' };
    }
    if (raw instanceof BigUint64Array) return { data: Float32Array.from(raw, (v) => (v === 2n ** 64n - 1n ? NaN : Number(v))), shape, dtype: 'float32' };
  }
  if (raw instanceof Float32Array) return { data: raw, shape, dtype: 'float32' };
  if (raw instanceof Float64Array) return { data: Float32Array.from(raw), shape, dtype: 'float32' };
  if (raw instanceof Uint8Array || raw instanceof Int8Array || raw instanceof Uint16Array || raw instanceof Int16Array || raw instanceof Int32Array) return { data: raw, shape, dtype: 'int32' };
  // the rest (uint32, int64, uint64): int32 where every sample fits
  const wide = raw as Uint32Array | BigInt64Array | BigUint64Array;
  const out = new Int32Array(wide.length);
  for (let i = 0; i < wide.length; i++) {
    const v = wide[i];
    if (v > 2147483647 || v < -2147483648) {
      const max = kind.kind === 'uint' && BigInt(v) === 2n ** BigInt(8 * kind.size) - 1n;
      const hint = max ? `; it is the type's maximum, a detector's mask: maskMax (the command's --mask-max) reads it as NaN` : '';
      throw new FileFormatError(
        name,
        `frame ${k}: sample ${i} (${pixelAt(i, shape)}) is ${String(v)}, beyond int32 (${kind.kind}${8 * kind.size} samples are read exactly when they fit in int32)${hint}`,
      );
    }
    out[i] = Number(v);
  }
  return { data: out, shape, dtype: 'int32' };
}

/**
 * Reads frames straight into memory of the caller's (load's reuse) through one buffer in h5wasm's
 * heap kept for the dataset, instead of h5wasm's slice (a new heap buffer and a new array a
 * frame; h5wasm reads the samples in the machine's byte order, whatever the file's).
 */
function frameReader(Module: Awaited<H5wasm['ready']>, fileId: bigint, path: string, shape: number[], { size, Type }: Kind) {
  const per = shape.slice(1);
  const n = sizeOf(per);
  const bytes = n * size;
  const count = [1n, ...per.map(BigInt)];
  const strides = shape.map(() => 1n);
  let at = 0;
  return {
    read(k: number, alloc?: Alloc): ArrayBufferView {
      at ||= Module._malloc(Math.max(1, bytes));
      if (at === 0) throw new Error(`no memory for a frame of ${bytes} bytes`);
      Module.get_dataset_data(fileId, path, count, [BigInt(k), ...per.map(() => 0n)], strides, BigInt(at));
      const out = alloc ? alloc(bytes) : new Uint8Array(bytes);
      out.set(Module.HEAPU8.subarray(at, at + bytes));
      return new Type(out.buffer as ArrayBuffer, out.byteOffset, n);
    },
    free(): void {
      if (at) Module._free(at);
      at = 0;
    },
  };
}

/** Refuses a dataset whose frames or chunks declare more than the limits admit (before reading):
 * a frame as every decoder's image (checkBudget: its pixels, and its samples as float32 or
 * int32), a chunk by its bytes (each is inflated whole to read a frame). */
function checkDeclared(name: string, shape: number[], chunks: number[] | null, size: number, limits: DecodeLimits): void {
  const frame = shape.slice(1);
  try {
    checkBudget(`a frame of ${frame.join(' x ')}`, sizeOf(frame), 1, 4, limits);
  } catch (err) {
    throw new FileFormatError(name, (err as Error).message);
  }
  const { maxBytes = DEFAULT_MAX_BYTES } = limits;
  const chunk = chunks ? sizeOf(chunks) * size : 0;
  if (chunk > maxBytes)
    throw new FileFormatError(name, `declares chunks of ${chunks!.join(' x ')} x ${size} bytes = ${chunk} bytes, beyond maxBytes ${maxBytes} (each is inflated whole to read a frame)`);
}

/** What the HDF5 library says went wrong: the innermost entry of its error stack ("truncated
 * file: eof = 300, ..."), where it gave one; the whole stack stays in the error's cause. */
function reasonOf(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const entries = [...message.matchAll(/#\d+: .* in [\w.]+\(\): (.*)$/gm)];
  return entries.length ? entries[entries.length - 1][1].trim() : message.split('\n')[0];
}

/** Where flat index `i` of a frame of `shape` is: "row 3, column 7" (or its indices). */
function pixelAt(i: number, shape: number[]): string {
  const at: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    at.unshift(i % shape[d]);
    i = Math.floor(i / shape[d]);
  }
  return shape.length === 2 ? `row ${at[0]}, column ${at[1]}` : `at [${at.join(', ')}]`;
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
