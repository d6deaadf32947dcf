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

/** The format of a file: by its content (magic bytes) first, then by its extension. */
export function formatOf(bytes: Uint8Array, name: string): FormatName | undefined {
  if (isNpy(bytes)) return 'npy';
  if (isPng(bytes)) return 'png';
  if (isTiff(bytes)) return 'tiff';
  if (isJpeg(bytes)) return 'jpeg';
  return EXTENSIONS[/\.([a-z0-9]+)(?:[?#].*)?$/i.exec(name)?.[1]?.toLowerCase() ?? ''];
}

/**
 * The frames of one file's bytes, by the given loader (a format name or a function) or by the
 * format found in the bytes or the name. Every failure is a FileFormatError naming the file,
 * with what the decoder threw as `cause`. `alloc` gives the decoders memory for the samples
 * (load's reuse); by default they allocate. `limits` bound what a file may declare (see
 * DecodeLimits), checked before anything is allocated; with `limits.isolate`, a file that needs a
 * dependency's decoder throws an IsolationNeeded (not a FileFormatError) instead.
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
