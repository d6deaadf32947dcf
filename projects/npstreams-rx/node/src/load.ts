/// <reference types="node" />
import { fileURLToPath } from 'node:url';
import { type Observable, type ObservableInput, concatMap, defer, finalize, from, isObservable, map } from 'rxjs';
import {
  type DecodeOptions,
  type FormatName,
  InflateError,
  IsolationNeeded,
  type LoadOptions,
  type LoadedFrame,
  OptionError,
  type ReadSource,
  ɵcheckLoadOptions as checkLoadOptions,
  decodeFile,
  ɵloadAs as loadAs,
  ɵreadBrowserSource as readBrowserSource,
  type ɵHdf5Frame as Hdf5Frame,
  ɵhdf5Frames as hdf5Frames,
  ɵisHdf5Frame as isHdf5Frame,
  ɵreadHdf5Frame as readHdf5Frame,
  setInflate,
  setJpegDecoder,
} from 'npstreams-rx';
import { decodeJpegTurbo } from './jpeg-turbo';
import { expandGlob, expandSource } from './glob';
import { type DecodePool, decodePool } from './decode-pool';
import { readBytes, zlibInflate } from './read';
import { type Hdf5Frames, openHdf5 } from './hdf5';
import { isHdf5Source, splitHdf5Source } from './hdf5-source';

// Node's zlib for the PNG and TIFF decoders (synchronous, about twice the Compression Streams
// API's speed), bounded by the size the file declares
setInflate((data, size, alloc) => zlibInflate(data, size, (reason) => new InflateError(reason), alloc), { sync: true });
// libjpeg-turbo (wasm) for JPEGs
setJpegDecoder(decodeJpegTurbo);

/** A source in Node: a path, a glob (expanded here, sorted), an http(s) or file URL, or a Blob. */
export type NodeSource = string | URL | Blob;

/**
 * load's reading function in Node, for `loadWith`: a path (or a file: URL) read from disk, an
 * http(s) URL fetched and a Blob read as in the browser. Globs are not expanded here (`load` does
 * that).
 */
export const readNodeSource: ReadSource<NodeSource> = async (source, signal, lease) => {
  if (typeof source === 'string' && !/^https?:\/\//i.test(source)) {
    return { bytes: await readBytes(source, signal, lease?.alloc), name: source };
  }
  if (source instanceof URL && source.protocol === 'file:') {
    const path = fileURLToPath(source);
    return { bytes: await readBytes(path, signal, lease?.alloc), name: path };
  }
  return readBrowserSource(source, signal);
};

/** load's options in Node: those of every environment, and threads to decode on. */
export interface NodeLoadOptions extends LoadOptions {
  /**
   * Worker threads that read and decode the files (paths and globs; `loader` a format name, not a
   * function): PNG inflating, LZW decoding and such run beside the thread that reduces, the
   * frames moved back without a copy, in the same order (so a reduction gives the same result).
   * 0 (default): in this thread. `concurrency` then defaults to workers + 1.
   */
  workers?: number;
  /**
   * The milliseconds a thread may spend on one file (default 60000): every file with workers;
   * without, the files only a dependency's decoder reads (palette, sub-byte or interlaced PNGs,
   * CCITT or JPEG in TIFF), which go to a thread for that. A file that takes longer (a
   * pathological or hostile one) stops its thread, which is replaced, and errors as a
   * FileFormatError naming it (`skipBad` skips it).
   */
  deadline?: number;
}

/**
 * The frames of files, read and decoded in Node (npstreams' `iload` and `pload`): paths, globs
 * (expanded here, each sorted, so quoted globs work), http(s) or file URLs, or Blobs, decoded as
 * .npy, PNG, TIFF (one frame per page) or JPEG, `concurrency` files at once, on `workers` threads
 * or this one.
 *
 * Frames come in the order of the list (then of each glob's sorted matches) unless
 * `ordered: false`. A glob that matches nothing errors with a FileFormatError naming it. A file
 * that cannot be read or decoded errors with a FileFormatError naming it; `skipBad` reports it to
 * `onSkip` (default: a console warning) and goes on. With `workers`, every source must be a path,
 * a glob or a file: URL (any other errors the stream with an OptionError). The options are
 * checked at once: a bad one throws an OptionError from `load` itself. Nothing is read before
 * subscription, and each subscription reads the files again.
 *
 * @param sources One source, or an iterable or Observable of them: paths, globs, http(s) or file
 *   URLs, Blobs.
 * @param options `loader` (a format name, or a function of the bytes without `workers`),
 *   `concurrency` (default 1, or workers + 1), `ordered`, `skipBad` and `onSkip`, `reuse`,
 *   `workers` (decoding threads, default 0), `deadline` (ms per file on a thread), `maxPixels`
 *   and `maxBytes`.
 * @returns An Observable of the frames (`{ data, shape, dtype, file }`: typed arrays, no tensors),
 *   each the subscriber's to keep. With `reuse: true` a frame's data stays valid only until `load`
 *   emits a later file's frames: reduce it as it comes, or copy it.
 *
 * @example
 * ```ts
 * import { mkdtemp } from 'node:fs/promises';
 * import { tmpdir } from 'node:os';
 * import { basename, join } from 'node:path';
 * import { lastValueFrom, tap } from 'rxjs';
 * import { reduceMean } from 'npstreams-rx';
 * import { load, save } from 'npstreams-rx/node';
 *
 * const dir = await mkdtemp(join(tmpdir(), 'frames-'));
 * await save({ data: new Float32Array([1, 2]), shape: [2], dtype: 'float32' }, join(dir, 'a.npy'));
 * await save({ data: new Float32Array([3, 6]), shape: [2], dtype: 'float32' }, join(dir, 'b.npy'));
 *
 * const mean = await lastValueFrom(
 *   load(join(dir, '*.npy')).pipe(
 *     tap((frame) => console.log(basename(frame.file), frame.shape)), // a.npy [2], then b.npy [2]
 *     reduceMean(),
 *   ),
 * );
 * console.log(mean.arraySync()); // [2, 4]
 * mean.dispose();
 * ```
 */
export function load(sources: NodeSource | Iterable<NodeSource> | ObservableInput<NodeSource>, options: NodeLoadOptions = {}): Observable<LoadedFrame> {
  return loadNode(sources, options);
}

/** What load tells the command (not its users): each HDF5 dataset's frames as it is opened. */
export interface LoadHooks {
  /** An HDF5 dataset opened: `file::/dataset` and its frames. */
  hdf5Opened?: (name: string, frames: number) => void;
}

/** load, with the command's hooks. */
export function loadNode(sources: NodeSource | Iterable<NodeSource> | ObservableInput<NodeSource>, options: NodeLoadOptions = {}, hooks: LoadHooks = {}): Observable<LoadedFrame> {
  const { workers = 0, deadline = 60000, ...rest } = options;
  if (!(Number.isInteger(workers) && workers >= 0)) throw new OptionError(`load: workers must be a non-negative integer; received ${String(workers)}`);
  if (!(typeof deadline === 'number' && deadline > 0)) throw new OptionError(`load: deadline must be a positive number of milliseconds; received ${String(deadline)}`);
  if (workers > 0 && typeof rest.loader === 'function') throw new OptionError('load: a loader function cannot run on worker threads: give a format name, or workers: 0');
  const single = typeof sources === 'string' || sources instanceof URL || sources instanceof Blob;
  const list = single ? from([sources as NodeSource]) : isObservable(sources) ? sources : from(sources as Iterable<NodeSource>);
  // an HDF5 source (file.h5::/dataset, or a .h5/.nxs path) becomes one source per frame, read
  // a chunk at a time (hdf5.ts), here or with workers on a thread (each opens the file once, the
  // first to count its frames: h5wasm is then never started here); its file's pattern is a glob
  // like any path (`opened`: the HDF5 files open in a subscription, closed after their last
  // frame or at its end)
  const sampling = { maskMax: rest.maskMax, maxPixels: rest.maxPixels, maxBytes: rest.maxBytes };
  const expand = (open: (path: string, dataset: string | null) => Promise<Hdf5Frames>, opened: Set<Hdf5Frames> | null) =>
    list.pipe(
      concatMap((s): Observable<NodeSource | Hdf5Frame> => {
        if (typeof s !== 'string') return from([s]);
        if (!isHdf5Source(s)) return from(expandGlob(s)).pipe(concatMap((paths) => from(paths)));
        return from(expandSource(s)).pipe(
          concatMap((sources) =>
            from(sources).pipe(
              concatMap((source) => {
                const { path, dataset } = splitHdf5Source(source);
                const opening = async () => {
                  const handle = await open(path, dataset ?? rest.dataset ?? null);
                  hooks.hdf5Opened?.(handle.name, handle.shape[0]);
                  return handle;
                };
                return hdf5Frames(opening, path, source, opened);
              }),
            ),
          ),
        );
      }),
    );
  if (workers === 0) {
    // a loader function is the caller's to trust; the library's decoders run here, but for files
    // only a dependency decodes (no deadline could stop it here): those go to a thread
    const custom = typeof rest.loader === 'function';
    if (!custom) checkLoadOptions('load', rest);
    return defer(() => {
      const isolated = custom ? null : isolatedDecoding(rest.loader as FormatName | undefined, { maxPixels: rest.maxPixels, maxBytes: rest.maxBytes, maskMax: rest.maskMax }, deadline);
      const opened = new Set<Hdf5Frames>();
      const others = isolated ? isolated.read : readNodeSource;
      const read: ReadSource<NodeSource | Hdf5Frame> = async (source, signal, lease) => (isHdf5Frame(source) ? readHdf5Frame(source, opened, lease?.alloc) : others(source, signal, lease));
      return loadAs(
        'load',
        expand((path, dataset) => openHdf5(path, dataset, sampling), opened),
        read,
        rest,
      ).pipe(
        finalize(() => {
          void isolated?.terminate();
          opened.forEach((h) => h.close());
        }),
      );
    });
  }
  // the threads' pool is made per subscription (below): the options are checked now, as loadWith does
  checkLoadOptions('load', rest);
  return defer(() => {
    const pool = decodePool(workers, rest.loader as FormatName | undefined, { maxPixels: rest.maxPixels, maxBytes: rest.maxBytes, maskMax: rest.maskMax }, deadline);
    const paths = expand((path, dataset) => pool.openHdf5(path, dataset, new AbortController().signal), null).pipe(
      map((s) => {
        if (isHdf5Frame(s) || (typeof s === 'string' && !/^https?:\/\//i.test(s))) return s;
        if (s instanceof URL && s.protocol === 'file:') return fileURLToPath(s);
        throw new OptionError(`load: with workers, every source is a path, a glob or a file: URL; received ${describe(s)}`);
      }),
    );
    const read: ReadSource<string | Hdf5Frame> = async (source, signal, lease) => {
      if (!isHdf5Frame(source)) return pool.read(source, signal, lease);
      if ('error' in source) throw source.error;
      return { frames: [await pool.readHdf5(source.path, source.dataset, source.k, signal, lease)], name: String(source) };
    };
    return loadAs('load', paths, read, { ...rest, concurrency: rest.concurrency ?? workers + 1 }).pipe(finalize(() => void pool.terminate()));
  });
}

/**
 * load's reading without workers: the file read and decoded here by the library's decoders, but
 * where it needs a dependency's (fast-png: DecodeOptions.isolate), decoded on a thread
 * under the deadline, started the first time one is needed.
 */
function isolatedDecoding(loader: FormatName | undefined, limits: DecodeOptions, deadline: number): { read: ReadSource<NodeSource>; terminate(): void } {
  let pool: DecodePool | null = null;
  const read: ReadSource<NodeSource> = async (source, signal, lease) => {
    const file = await readNodeSource(source, signal, lease);
    if ('frames' in file) return file;
    try {
      return { frames: await decodeFile(file.bytes, file.name, loader, lease?.alloc, { ...limits, isolate: true }), name: file.name };
    } catch (err) {
      if (!(err instanceof IsolationNeeded)) throw err;
      pool ??= decodePool(1, loader, limits, deadline);
      return { frames: await pool.decodeBytes(file.bytes, file.name, signal), name: file.name };
    }
  };
  return { read, terminate: () => void pool?.terminate() };
}

const describe = (s: unknown): string => (s instanceof URL ? s.href : typeof Blob !== 'undefined' && s instanceof Blob ? 'a Blob' : String(s));
