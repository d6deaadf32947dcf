import type { FormatName } from './formats';
import type { DecodeLimits } from './limits';
import { checkNpyBudget, isNpy, parseDescr, readNpyHeader } from './npy';
import { isTiff } from './tiff';
import { LITTLE_ENDIAN_HOST, TiffFile, pageGeometry } from './tiff-reader';

/**
 * Where a file holds its one frame's samples as they are: one after another, in C order and the
 * machine's byte order, of a type the kernels read directly. Such a file needs no decoding: any
 * range of its samples can be read straight into the memory a kernel folds from (foldFiles of
 * npstreams-rx/node reads each thread's part of every frame that way). A float32 or 8/16-bit
 * .npy, an uncompressed single-page TIFF whose strips follow each other.
 */
export interface RawLayout {
  /** The byte offset of the first sample in the file. */
  offset: number;
  /** The frame's shape, as the decoder would give it. */
  shape: number[];
  /** The samples' type, as the decoder's frame would hold them. */
  sample: RawSample;
  /** The frame's dtype in tfjs (what the decoder gives): float32, or int32 for 8/16-bit integers. */
  dtype: 'float32' | 'int32';
}

/** The sample types a raw layout can have: float32, and 8- and 16-bit integers. */
export type RawSample = 'float32' | 'uint8' | 'int8' | 'uint16' | 'int16';

/** The typed array of each sample type. */
export const RAW_ARRAYS = { float32: Float32Array, uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array } as const;

/** How many bytes of a file's head rawLayout wants (an .npy header; a TIFF's first IFD, as
 * tifffile and libtiff write it before the image). */
export const RAW_HEAD_BYTES = 65536;

/**
 * The raw layout of a file of `fileLength` bytes, from its first bytes (`head`, up to
 * RAW_HEAD_BYTES), or null where the file has to go through its decoder: another format or
 * sample type, compression, several pages, a directory beyond the head, anything malformed (the
 * decoder then says what), or a big-endian machine. Everything the decoder checks before it
 * reads the samples is checked here against `fileLength`, so a file with a raw layout decodes,
 * samples aside, as the decoder would.
 *
 * @param head The file's first bytes (RAW_HEAD_BYTES of them, or the whole file if shorter); read
 *   only.
 * @param fileLength The file's length in bytes.
 * @param loader load's option: a format name other than the file's turns the answer to null.
 * @param limits As the decoder's (a file beyond them is the decoder's to refuse).
 * @returns A new RawLayout (plain data), or null.
 *
 * @example
 * ```ts
 * import { RAW_HEAD_BYTES, encodeArray, rawLayout } from 'npstreams-rx';
 *
 * const npy = await encodeArray({ data: new Float32Array([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: 'float32' });
 * console.log(rawLayout(npy.subarray(0, RAW_HEAD_BYTES), npy.length));
 * // { offset: 128, shape: [2, 3], sample: 'float32', dtype: 'float32' }: the samples start at byte 128
 * ```
 */
export function rawLayout(head: Uint8Array, fileLength: number, loader?: FormatName, limits?: DecodeLimits): RawLayout | null {
  if (!LITTLE_ENDIAN_HOST) return null;
  try {
    if (isNpy(head) && (loader === undefined || loader === 'npy')) return npyLayout(head, fileLength, limits);
    if (isTiff(head) && (loader === undefined || loader === 'tiff')) return tiffLayout(head, fileLength, limits);
  } catch {
    // a head that does not hold the whole header, or a malformed one: the decoder's turn
  }
  return null;
}

function npyLayout(head: Uint8Array, fileLength: number, limits?: DecodeLimits): RawLayout | null {
  const header = readNpyHeader(head, fileLength);
  const d = parseDescr(header.descr);
  checkNpyBudget(header, d, limits);
  if (header.fortranOrder || (d.bigEndian && d.bytes > 1)) return null;
  const sample: RawSample | undefined =
    d.kind === 'f'
      ? d.bytes === 4
        ? 'float32'
        : undefined
      : d.kind === 'u'
        ? ({ 1: 'uint8', 2: 'uint16' } as const)[d.bytes as 1 | 2]
        : d.kind === 'i'
          ? ({ 1: 'int8', 2: 'int16' } as const)[d.bytes as 1 | 2]
          : undefined;
  return sample ? { offset: header.dataOffset, shape: header.shape, sample, dtype: sample === 'float32' ? 'float32' : 'int32' } : null;
}

function tiffLayout(head: Uint8Array, fileLength: number, limits?: DecodeLimits): RawLayout | null {
  const file = new TiffFile(head);
  const pages = file.pages();
  if (pages.length !== 1 || (!file.le && !LITTLE_ENDIAN_HOST)) return null;
  const g = pageGeometry(pages[0], fileLength, limits);
  if (g.contiguousAt < 0 || (!file.le && g.bits > 8)) return null;
  const sample: RawSample | undefined =
    g.format === 3 ? (g.bits === 32 ? 'float32' : undefined) : g.bits === 8 ? (g.format === 2 ? 'int8' : 'uint8') : g.bits === 16 ? (g.format === 2 ? 'int16' : 'uint16') : undefined;
  return sample ? { offset: g.contiguousAt, shape: g.shape, sample, dtype: sample === 'float32' ? 'float32' : 'int32' } : null;
}
