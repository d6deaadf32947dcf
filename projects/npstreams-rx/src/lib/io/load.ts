import { Observable, type ObservableInput, concatMap, defer, finalize, from, isObservable, of } from 'rxjs';
import { OptionError } from '../core/errors';
import { validateFlag } from '../core/options';
import { pmap } from '../parallel/pmap';
import { BufferPool, type Lease } from './buffer-pool';
import { type FormatName, type Loader, decodeFile } from './formats';
import type { DecodeLimits, SampleOptions } from './limits';
import { type Frame, FileFormatError } from './frame';
import type { Hdf5Frames } from './hdf5/hdf5';
import { type Hdf5Frame, hdf5Frames, isHdf5Frame, readHdf5Frame } from './hdf5/frame-sources';
import { isHdf5Blob, openHdf5Blob } from './hdf5/browser';

/** A frame as the loaders emit it: with the file it came from (and its page, for a TIFF). */
export interface LoadedFrame extends Frame {
  /** The path, URL or file name, with `#page` for the pages of a multi-page TIFF after the first. */
  file: string;
}

/** Options of `load` and `loadWith`: how files are decoded, how many at once, what to do with a
 * bad one; with `maxPixels` and `maxBytes` (DecodeLimits), what a file may declare; with
 * `maskMax` (SampleOptions), a detector's masked pixels as NaN. */
export interface LoadOptions extends DecodeLimits, SampleOptions {
  /** A format name (npy, png, tiff, jpeg) or a function of the bytes; default: by content, then
   * by extension. */
  loader?: FormatName | Loader;
  /** Files read and decoded at once (pmap's bound); default 1. */
  concurrency?: number;
  /** Frames in the order of the files (default), or as files finish. */
  ordered?: boolean;
  /** Skip a file that cannot be read or decoded, reporting it to `onSkip` (default: a console
   * warning), instead of erroring. */
  skipBad?: boolean;
  /** Where skipped files are reported, with the error naming the file and the reason. */
  onSkip?: (error: FileFormatError) => void;
  /**
   * Read and decode every file into memory that served earlier files, instead of new memory per
   * file: no garbage to collect, no untouched pages to fault in (what a reduction over thousands of
   * files wants). A frame's data then stays valid until `load` emits a later file's frames (the
   * contract of a scanX emission): reduce it as it comes, or copy what you keep longer. Default
   * false: every frame's memory is its own.
   */
  reuse?: boolean;
  /**
   * The dataset read in HDF5 files that do not name one (Node's `run.h5` rather than
   * `run.h5::/entry/data/data`; Files and Blobs always): an absolute path in the file. Default:
   * each file's NeXus default.
   */
  dataset?: string;
}

/** The bytes of one source and its name, for messages; or its frames, where the reading function
 * decodes them itself (in a worker thread: load({ workers }) of npstreams-rx/node). With a
 * `lease` (load's reuse), the bytes may go into the memory its `alloc` gives, and memory of the
 * reader's own be taken back when the lease is released (`onRelease`). */
export type ReadSource<S> = (
  source: S,
  signal: AbortSignal,
  lease?: Lease,
) => Promise<
  | {
      /** The source's bytes, decoded as `load` decodes a file. */
      bytes: Uint8Array;
      /** The source's name (a path, a URL, a key), for the frames' `file` and for messages. */
      name: string;
    }
  | {
      /** The source's frames, decoded already (a TIFF's pages in order). */
      frames: Frame[];
      /** The source's name (a path, a URL, a key), for the frames' `file` and for messages. */
      name: string;
    }
>;

/** What `load` reads in every environment: URLs (fetch) and Blobs/Files (drag and drop, a file input). */
export type BrowserSource = string | URL | Blob;

/** Validates the options common to every `load`. */
export function checkLoadOptions(operator: string, options: LoadOptions): void {
  const { concurrency = 1, ordered = true, skipBad = false, onSkip, loader, reuse = false, maskMax = false } = options;
  validateFlag(operator, 'reuse', reuse);
  validateFlag(operator, 'maskMax', maskMax);
  if (options.dataset !== undefined && !(typeof options.dataset === 'string' && options.dataset.startsWith('/'))) {
    throw new OptionError(`${operator}: dataset must be an absolute path in the file, as '/entry/data/data'; received ${JSON.stringify(options.dataset)}`);
  }
  if (!(concurrency === Infinity || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new OptionError(`${operator}: concurrency must be a positive integer or Infinity; received ${String(concurrency)}`);
  }
  validateFlag(operator, 'ordered', ordered);
  validateFlag(operator, 'skipBad', skipBad);
  if (onSkip !== undefined && typeof onSkip !== 'function') throw new OptionError(`${operator}: onSkip must be a function`);
  for (const key of ['maxPixels', 'maxBytes'] as const) {
    const v = options[key];
    if (v !== undefined && !(typeof v === 'number' && v > 0 && (Number.isSafeInteger(v) || v === Infinity))) {
      throw new OptionError(`${operator}: ${key} must be a positive integer (or Infinity); received ${String(v)}`);
    }
  }
  if (loader !== undefined && typeof loader !== 'function' && !['npy', 'png', 'tiff', 'jpeg'].includes(loader)) {
    throw new OptionError(`${operator}: loader must be npy, png, tiff, jpeg or a function; received ${JSON.stringify(loader)}`);
  }
}

/**
 * The frames of a list of sources of your own kind (keys in a store, records of a database),
 * read by `read` and decoded as `load` decodes files, `concurrency` sources at once, in the
 * sources' order unless `ordered: false`. A source that cannot be read or decoded errors with a
 * FileFormatError naming it, or, with `skipBad`, is reported and skipped. The options are
 * checked when loadWith is called (an OptionError).
 *
 * @param sources The sources: an array or another iterable, an Observable, a Promise.
 * @param read `(source, signal, lease?)`: resolves to the source's bytes and name (or its frames
 *   and name); `signal` aborts when the stream is torn down, pass it on to what you start.
 * @param options `loader`, `concurrency` (default 1), `ordered` (default true), `skipBad`,
 *   `onSkip`, `reuse`, `maxPixels`, `maxBytes`, `maskMax`.
 * @returns An Observable of the frames, one per image (per page of a TIFF), each with its
 *   `file`. A frame holds no tensor: it needs no disposal, and its memory is its own (with
 *   `reuse: true`, valid until a later source's frames are emitted). The bytes `read` gives are
 *   never modified, and a frame's data may be a view of them (a .npy's samples).
 *
 * @example
 * ```ts
 * import { lastValueFrom, toArray } from 'rxjs';
 * import { encodeArray, loadWith } from 'npstreams-rx';
 *
 * // .npy files kept in a key-value store
 * const store = new Map<string, Uint8Array>();
 * store.set('run-1/frame-0', await encodeArray({ data: new Float32Array([1, 2]), shape: [2], dtype: 'float32' }));
 * store.set('run-1/frame-1', await encodeArray({ data: new Float32Array([3, 4]), shape: [2], dtype: 'float32' }));
 *
 * const frames$ = loadWith([...store.keys()], async (key: string) => ({ bytes: store.get(key)!, name: key }));
 * const frames = await lastValueFrom(frames$.pipe(toArray()));
 * console.log(frames.map((f) => [f.file, Array.from(f.data)])); // [['run-1/frame-0', [1, 2]], ['run-1/frame-1', [3, 4]]]
 * ```
 */
export function loadWith<S>(sources: Iterable<S> | ObservableInput<S>, read: ReadSource<S>, options: LoadOptions = {}): Observable<LoadedFrame> {
  return loadAs('loadWith', sources, read, options);
}

/** loadWith, its messages naming `operator` (load of either entry). */
export function loadAs<S>(operator: string, sources: Iterable<S> | ObservableInput<S>, read: ReadSource<S>, options: LoadOptions = {}): Observable<LoadedFrame> {
  checkLoadOptions(operator, options);
  const { concurrency = 1, ordered = true, skipBad = false, loader, reuse = false, maxPixels, maxBytes, maskMax } = options;
  const limits = { maxPixels, maxBytes, maskMax };
  const onSkip = options.onSkip ?? ((err: FileFormatError) => console.warn(`${operator}: skipped ${err.message}`));
  const list = isObservable(sources) ? sources : from(sources as ObservableInput<S>);
  return defer(() => {
    const pool = reuse ? new BufferPool() : null; // one per subscription
    return list.pipe(
      pmap(
        async (source: S, index: number, signal: AbortSignal): Promise<FileFrames | { skip: FileFormatError }> => {
          let name = describeSource(source);
          const lease = pool?.lease();
          try {
            const file = await read(source, signal, lease);
            name = file.name;
            const frames = 'frames' in file ? file.frames : await decodeFile(file.bytes, name, loader, lease?.alloc, limits);
            return { frames: frames.map((f, page) => ({ ...f, file: page === 0 ? name : `${name}#${page}` })), lease };
          } catch (err) {
            lease?.release();
            const error =
              err instanceof FileFormatError
                ? new FileFormatError(err.file, err.message.slice(err.file.length + 2), { cause: err.cause, index })
                : new FileFormatError(name, `cannot be read: ${err instanceof Error ? err.message : String(err)}`, { cause: err, index });
            if (!skipBad || signal.aborted) throw error;
            // reported as the file's turn comes (in the files' order when ordered), not when it failed
            return { skip: error };
          }
        },
        { concurrency, ordered },
      ),
      (files) => emitFrames(files, onSkip),
    );
  });
}

/** One file's frames, and the memory they are in where it is leased (load's reuse). */
interface FileFrames {
  frames: LoadedFrame[];
  lease: Lease | undefined;
}

/** Each file's frames in turn (a skipped file reported to `onSkip` in its turn); a leased file's
 * memory goes back to the pool once a later file's frames have been emitted (or the stream ends),
 * never while its frames may still be in use. */
function emitFrames(files: Observable<FileFrames | { skip: FileFormatError }>, onSkip: (error: FileFormatError) => void): Observable<LoadedFrame> {
  return new Observable<LoadedFrame>((subscriber) => {
    let previous: Lease | undefined;
    const subscription = files.subscribe({
      next: (file) => {
        if ('skip' in file) {
          onSkip(file.skip);
          return;
        }
        for (const frame of file.frames) subscriber.next(frame);
        previous?.release();
        previous = file.lease;
      },
      error: (err) => subscriber.error(err),
      complete: () => subscriber.complete(),
    });
    return () => {
      subscription.unsubscribe();
      previous?.release();
    };
  });
}

function describeSource(source: unknown): string {
  if (typeof source === 'string') return source;
  if (source instanceof URL) return source.href;
  if (typeof Blob !== 'undefined' && source instanceof Blob) return (source as File).name || `a Blob of ${source.size} bytes`;
  return String(source);
}

/** Reads a URL (fetch) or a Blob/File. */
export const readBrowserSource: ReadSource<BrowserSource> = async (source, signal) => {
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return { bytes: new Uint8Array(await source.arrayBuffer()), name: describeSource(source) };
  }
  if (typeof source !== 'string' && !(source instanceof URL)) {
    throw new OptionError(`load: a source is a URL (string or URL) or a Blob/File; received ${typeof source}`);
  }
  const url = String(source);
  const response = await fetch(url, { signal });
  if (!response.ok) throw new FileFormatError(url, `HTTP ${response.status} ${response.statusText}`.trim());
  return { bytes: new Uint8Array(await response.arrayBuffer()), name: url };
};

/**
 * npstreams' `iload`/`pload` for every environment: the frames of URLs (fetched) or Blobs/Files
 * (drag and drop, a file input), decoded as .npy, PNG, TIFF (one frame per page) or JPEG, by
 * their content, then their extension (or by `loader`); an HDF5 or NeXus File (by its extension
 * or signature) gives the frames of its dataset (`dataset`, else its NeXus default), read chunk
 * by chunk where this runs in a Web Worker (refused on a page), its filters' plugins fetched as
 * setHdf5Plugins says. `concurrency` files are read and
 * decoded at once, their frames emitted in the files' order unless `ordered: false`. A file
 * that cannot be read or decoded errors the stream with a FileFormatError naming it (with
 * `skipBad`, it is reported to `onSkip` and skipped). Paths and globs on disk are read by `load`
 * from `npstreams-rx/node`.
 *
 * @param sources A URL (string or URL), a Blob/File, or an array, iterable or Observable of them.
 * @param options `loader`, `concurrency` (default 1), `ordered` (default true), `skipBad`,
 *   `onSkip`, `reuse`, `maxPixels`, `maxBytes`, `maskMax`, `dataset`; checked when load is called
 *   (an OptionError).
 * @returns An Observable of the frames, each with its `file`: `{ data, shape, dtype }`, stream
 *   items every operator takes. A frame holds no tensor: it needs no disposal, and its memory is
 *   its own (with `reuse: true`, valid until a later file's frames are emitted). The Blobs
 *   given are read, never modified.
 *
 * @example
 * ```ts
 * import { lastValueFrom } from 'rxjs';
 * import { encodeArray, load, reduceMean } from 'npstreams-rx';
 *
 * // two .npy files, as a file input or a drop gives them (URLs are fetched the same way)
 * const npy = (values: number[]) => encodeArray({ data: Float32Array.from(values), shape: [2], dtype: 'float32' });
 * const files = [new File([(await npy([1, 2])).slice()], 'a.npy'), new File([(await npy([3, 4])).slice()], 'b.npy')];
 *
 * const mean = await lastValueFrom(load(files, { concurrency: 2 }).pipe(reduceMean()));
 * console.log(mean.arraySync()); // [2, 3]
 * mean.dispose();
 * ```
 */
export function load(sources: BrowserSource | Iterable<BrowserSource> | ObservableInput<BrowserSource>, options: LoadOptions = {}): Observable<LoadedFrame> {
  const single = typeof sources === 'string' || sources instanceof URL || (typeof Blob !== 'undefined' && sources instanceof Blob);
  const list = single ? of(sources as BrowserSource) : isObservable(sources) ? sources : from(sources as Iterable<BrowserSource>);
  checkLoadOptions('load', options);
  const { maskMax, maxPixels, maxBytes } = options;
  return defer(() => {
    // an HDF5 File becomes one source per frame of its dataset, read chunk by chunk (in a worker)
    const opened = new Set<Hdf5Frames>();
    const expanded = list.pipe(
      concatMap((s): Observable<BrowserSource | Hdf5Frame> => {
        if (!(typeof Blob !== 'undefined' && s instanceof Blob)) return of(s);
        const name = describeSource(s);
        return from(isHdf5Blob(s)).pipe(concatMap((h5) => (h5 ? hdf5Frames(() => openHdf5Blob(s, name, options.dataset ?? null, { maskMax, maxPixels, maxBytes }), name, name, opened) : of(s))));
      }),
    );
    const read: ReadSource<BrowserSource | Hdf5Frame> = (source, signal, lease) => (isHdf5Frame(source) ? readHdf5Frame(source, opened, lease?.alloc) : readBrowserSource(source, signal, lease));
    return loadAs('load', expanded, read, options).pipe(finalize(() => opened.forEach((h) => h.close())));
  });
}
