import type { Alloc } from './buffer-pool';
import { type Frame, FileFormatError } from './frame';
import { decodeJpeg, isJpeg } from './jpeg';
import { decodeNpy, isNpy } from './npy';
import { decodePng, isPng } from './png';
import { decodeTiff, isTiff } from './tiff';
import { type DecodeOptions, IsolationNeeded } from './limits';

/** The formats the loaders read. */
export type FormatName = 'npy' | 'png' | 'tiff' | 'jpeg';

/** A loader of one file's bytes: a frame, or several (the pages of a TIFF). */
export type Loader = (bytes: Uint8Array, name: string) => Frame | Frame[] | Promise<Frame | Frame[]>;

const DECODERS: Record<FormatName, (bytes: Uint8Array, alloc?: Alloc, limits?: DecodeOptions) => Frame | Frame[] | Promise<Frame | Frame[]>> = {
  npy: (bytes, _alloc, limits) => decodeNpy(bytes, limits),
  png: decodePng,
  tiff: decodeTiff,
  jpeg: (bytes, alloc, limits) => decodeJpeg(bytes, limits, alloc),
};

const EXTENSIONS: Record<string, FormatName> = { npy: 'npy', png: 'png', tif: 'tiff', tiff: 'tiff', jpg: 'jpeg', jpeg: 'jpeg' };

/**
 * The format of a file: by its content (magic bytes) first, then by its extension (.npy, .png,
 * .tif/.tiff, .jpg/.jpeg, in any case, before a URL's `?query` or `#hash`).
 *
 * @param bytes The file's bytes (its first few are enough); read only.
 * @param name Its path, URL or file name.
 * @returns 'npy', 'png', 'tiff' or 'jpeg'; undefined where neither tells.
 *
 * @example
 * ```ts
 * import { formatOf } from 'npstreams-rx';
 *
 * const pngSignature = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
 * console.log(formatOf(pngSignature, 'frame.dat')); // png
 * console.log(formatOf(new Uint8Array(0), 'https://example.org/scan.TIF?v=2')); // tiff
 * console.log(formatOf(new Uint8Array(0), 'notes.txt')); // undefined
 * ```
 */
export function formatOf(bytes: Uint8Array, name: string): FormatName | undefined {
  if (isNpy(bytes)) return 'npy';
  if (isPng(bytes)) return 'png';
  if (isTiff(bytes)) return 'tiff';
  if (isJpeg(bytes)) return 'jpeg';
  return EXTENSIONS[/\.([a-z0-9]+)(?:[?#].*)?$/i.exec(name)?.[1]?.toLowerCase() ?? ''];
}

/**
 * The frames of one file's bytes, by the given loader (a format name or a function) or by the
 * format found in the bytes or the name (see formatOf). Every failure is a FileFormatError naming
 * the file, with what the decoder threw as `cause`. `limits` bound what a file may declare (see
 * DecodeLimits), checked before anything is allocated; with `limits.isolate`, a file that needs
 * a dependency's decoder throws an IsolationNeeded (not a FileFormatError) instead.
 *
 * @param bytes The file's bytes; never modified. A frame's data may be a view of them (a .npy's
 *   or an uncompressed TIFF's samples): leave them unchanged while you use the frames.
 * @param name Its path, URL or file name, for the format and for messages.
 * @param loader A format name (npy, png, tiff, jpeg) or a function of the bytes; default: by
 *   content, then by extension.
 * @param alloc Gives the decoders memory for the samples (load's reuse); by default they allocate.
 * @param limits `maxPixels`, `maxBytes` (defaults DEFAULT_MAX_PIXELS, DEFAULT_MAX_BYTES), `isolate`.
 * @returns A promise of the frames: one, or one per page of a TIFF. They hold no tensor (nothing
 *   to dispose) and are yours.
 *
 * @example
 * ```ts
 * import { decodeFile, encodeArray } from 'npstreams-rx';
 *
 * const bytes = await encodeArray({ data: new Int32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: 'int32' });
 * const [frame] = await decodeFile(bytes, 'frame.npy');
 * console.log(frame.shape, frame.dtype, Array.from(frame.data)); // [2, 3] int32 [1, 2, 3, 4, 5, 6]
 * ```
 */
export async function decodeFile(bytes: Uint8Array, name: string, loader?: FormatName | Loader, alloc?: Alloc, limits?: DecodeOptions): Promise<Frame[]> {
  let decode: Loader;
  if (typeof loader === 'function') decode = loader;
  else {
    const format = loader ?? formatOf(bytes, name);
    if (format === undefined) {
      throw new FileFormatError(name, bytes.length === 0 ? 'the file is empty' : 'not a .npy, PNG, TIFF or JPEG file (by its content or its extension); give a loader');
    }
    if (!(format in DECODERS)) throw new FileFormatError(name, `no loader named '${String(format)}'; known: ${Object.keys(DECODERS).join(', ')}`);
    decode = (b) => DECODERS[format](b, alloc, limits);
  }
  let frames: Frame | Frame[];
  try {
    frames = await decode(bytes, name);
  } catch (err) {
    // not an answer about the file: the caller decodes it elsewhere (DecodeOptions.isolate)
    if (err instanceof IsolationNeeded) throw err;
    // an engine error (a decoder reading past what it checked) is no reason to give: it stays the cause
    const engine = err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || /call stack/i.test(String(err));
    const reason = engine ? 'the data is corrupt: the decoder failed on it (see the cause)' : err instanceof Error ? err.message : String(err);
    throw new FileFormatError(name, `cannot be decoded${typeof loader === 'function' ? ' by the given loader' : ` as ${loader ?? formatOf(bytes, name)}`}: ${reason}`, { cause: err });
  }
  return Array.isArray(frames) ? frames : [frames];
}
