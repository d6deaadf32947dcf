import type { Alloc } from './buffer-pool';
import { type DecodeLimits, type DecodeOptions, checkBudget, ɵmaskMaxSamples as maskMaxSamples } from './limits';
import { type Frame, sizeOf } from './frame';
import { DEFLATE_MAX_RATIO, deflateCanHold, inflate } from './inflate';
import { lzwDecodeWasm } from './codecs';
import { LZW_DICTIONARY, lzwBuffer, lzwDecode, lzwMaxOutput } from './lzw';
import { type DecodedJpeg, decodeJpegBytes } from './jpeg';

/**
 * The library's own TIFF reader, for what detectors write: classic TIFF in either byte order,
 * strips or tiles, uncompressed, LZW, deflate or PackBits, with or without the horizontal
 * predictor, or 8-bit JPEG (each strip or tile given to the JPEG decoder, setJpegDecoder). Uncompressed samples in the machine's byte order whose strips follow each other are
 * a view on the file's bytes (no copy). The structure is checked against the file before anything
 * is allocated: each IFD visited once, every entry, strip and tile within the file, dimensions
 * positive. CCITT (bilevel fax) and old-style JPEG are refused, naming the compression.
 */

const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };

/** The compressions read here: 1 none, 5 LZW, 7 JPEG, 8 and 32946 deflate, 32773 PackBits. */
const COMPRESSIONS = new Set([1, 5, 7, 8, 32946, 32773]);
/** Compressions refused by name: what they are, for the message. */
const REFUSED: Record<number, string> = { 2: 'CCITT modified Huffman', 3: 'CCITT T.4', 4: 'CCITT T.6', 6: 'old-style JPEG' };

/** One IFD's entries: tag -> values (numbers; a RATIONAL as its quotient). */
export type Ifd = Map<number, number[]>;

export const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export class TiffFile {
  readonly le: boolean;
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    const b = bytes;
    const ok = b.length >= 8 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42));
    if (!ok) throw new Error('not a classic TIFF file (no II*\\0 or MM\\0* header of 8 bytes)');
    this.le = bytes[0] === 0x49;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The IFDs that hold an image (ImageWidth present), in file order; each visited once. */
  pages(): Ifd[] {
    const seen = new Set<number>();
    const out: Ifd[] = [];
    let offset = this.view.getUint32(4, this.le);
    while (offset !== 0) {
      if (seen.has(offset)) throw new Error(`the IFD chain loops back to offset ${offset}`);
      seen.add(offset);
      if (offset + 2 > this.bytes.length) throw new Error(`an IFD at offset ${offset} lies beyond the file's ${this.bytes.length} bytes`);
      const count = this.view.getUint16(offset, this.le);
      if (offset + 2 + 12 * count + 4 > this.bytes.length) throw new Error(`the IFD at offset ${offset} claims ${count} entries, beyond the file's end`);
      const ifd: Ifd = new Map();
      for (let k = 0; k < count; k++) {
        const at = offset + 2 + 12 * k;
        const values = this.entry(at);
        if (values) ifd.set(this.view.getUint16(at, this.le), values);
      }
      if (ifd.has(256)) out.push(ifd);
      offset = this.view.getUint32(offset + 2 + 12 * count, this.le);
    }
    return out;
  }

  /** The values of the entry at `at` (null for a type no reader needs). */
  private entry(at: number): number[] | null {
    const { view: v, le } = this;
    const type = v.getUint16(at + 2, le);
    const count = v.getUint32(at + 4, le);
    const size = TYPE_SIZES[type];
    if (size === undefined) return null;
    const total = size * count;
    const start = total <= 4 ? at + 8 : v.getUint32(at + 8, le);
    if (start + total > this.bytes.length) {
      throw new Error(`tag ${v.getUint16(at, le)} claims ${count} values at offset ${start}, beyond the file's ${this.bytes.length} bytes`);
    }
    const rational = (i: number, signed: boolean): number => {
      const num = signed ? v.getInt32(start + 8 * i, le) : v.getUint32(start + 8 * i, le);
      const den = signed ? v.getInt32(start + 8 * i + 4, le) : v.getUint32(start + 8 * i + 4, le);
      return den === 0 ? NaN : num / den;
    };
    const read: (i: number) => number =
      type === 3
        ? (i) => v.getUint16(start + 2 * i, le)
        : type === 4 || type === 13
          ? (i) => v.getUint32(start + 4 * i, le)
          : type === 8
            ? (i) => v.getInt16(start + 2 * i, le)
            : type === 9
              ? (i) => v.getInt32(start + 4 * i, le)
              : type === 11
                ? (i) => v.getFloat32(start + 4 * i, le)
                : type === 12
                  ? (i) => v.getFloat64(start + 8 * i, le)
                  : type === 5 || type === 10
                    ? (i) => rational(i, type === 10)
                    : type === 6
                      ? (i) => v.getInt8(start + i)
                      : (i) => v.getUint8(start + i);
    const out = new Array<number>(count);
    for (let i = 0; i < count; i++) out[i] = read(i);
    return out;
  }
}

/** A tag's first value as a non-negative integer: `fallback` where absent; refused otherwise. */
function integerTag(ifd: Ifd, tag: number, name: string, fallback?: number): number {
  const values = ifd.get(tag);
  if (values === undefined || values.length === 0) {
    if (fallback === undefined) throw new Error(`the ${name} tag (${tag}) is missing`);
    return fallback;
  }
  const v = values[0];
  if (!Number.isSafeInteger(v) || v < 0) throw new Error(`the ${name} tag (${tag}) holds ${v}, not a non-negative integer`);
  return v;
}

/** A page's geometry, checked against a file of `fileLength` bytes (see pageGeometry). */
export interface PageGeometry {
  width: number;
  height: number;
  samples: number;
  bits: number;
  format: number;
  compression: number;
  predictor: number;
  fillOrder: number;
  tiled: boolean;
  segW: number;
  segH: number;
  segments: number;
  offsets: number[];
  counts: number[];
  shape: number[];
  /** Bytes of one row of the image (of whole bytes). */
  rowBytes: number;
  /** Where the image's samples lie in the file as they are (uncompressed strips that follow each
   * other, no predictor, FillOrder 1), or -1. */
  contiguousAt: number;
}

/** A page's tags read and checked: supported sample types, compression and predictor, strips or
 * tiles within a file of `fileLength` bytes; everything a decoder needs before it allocates. */
export function pageGeometry(ifd: Ifd, fileLength: number, limits?: DecodeLimits): PageGeometry {
  const width = integerTag(ifd, 256, 'ImageWidth');
  const height = integerTag(ifd, 257, 'ImageLength');
  if (width < 1 || height < 1) throw new Error(`the image is ${width}x${height}: no pixels`);
  const samples = integerTag(ifd, 277, 'SamplesPerPixel', 1);
  if (samples < 1 || samples > 4) throw new Error(`SamplesPerPixel ${samples} is not 1 to 4`);
  const bits = integerTag(ifd, 258, 'BitsPerSample', 1);
  // in tfjs every sample takes 4 bytes (float32, int32)
  checkBudget(`ImageWidth ${width} x ImageLength ${height}`, width * height, samples, 4, limits);
  const format = integerTag(ifd, 339, 'SampleFormat', 1);
  const compression = integerTag(ifd, 259, 'Compression', 1);
  const predictor = integerTag(ifd, 317, 'Predictor', 1);
  const fillOrder = integerTag(ifd, 266, 'FillOrder', 1);
  if (integerTag(ifd, 284, 'PlanarConfiguration', 1) !== 1 && samples > 1) throw new Error('planar (PlanarConfiguration 2) TIFFs are not supported');
  if (![1, 2, 3].includes(format)) throw new Error(`SampleFormat ${format} is not unsigned, signed or float`);
  const ok = (format === 3 && (bits === 32 || bits === 64)) || (format !== 3 && [8, 16, 32].includes(bits)) || (format === 1 && bits === 1);
  if (!ok) throw new Error(`${bits}-bit ${['', 'unsigned', 'signed', 'float'][format]} samples are not supported`);
  if (predictor === 3) throw new Error('the floating-point predictor (Predictor 3) is not supported; save without it');
  if (predictor !== 1 && predictor !== 2) throw new Error(`Predictor ${predictor} is not 1 (none) or 2 (horizontal)`);
  if (predictor === 2 && (format === 3 || bits === 1)) throw new Error(`the horizontal predictor (Predictor 2) on ${bits}-bit ${format === 3 ? 'float ' : ''}samples is not supported`);
  if (!COMPRESSIONS.has(compression)) {
    const what = REFUSED[compression] ? ` (${REFUSED[compression]})` : '';
    throw new Error(`Compression ${compression}${what} is not supported (none, LZW, deflate, PackBits and JPEG are); rewrite the file uncompressed, e.g. tiffcp -c none`);
  }
  if (compression === 7 && (bits !== 8 || format !== 1 || predictor !== 1 || (samples !== 1 && samples !== 3))) {
    throw new Error(
      `JPEG compression holds 8-bit unsigned gray or RGB samples without a predictor, not ${samples} ${bits}-bit ${['', 'unsigned', 'signed', 'float'][format]} samples (Predictor ${predictor})`,
    );
  }
  if (fillOrder === 2 && compression !== 1) throw new Error('FillOrder 2 with compression is not supported');
  if (!Number.isSafeInteger(width * height * samples * Math.max(1, bits / 8))) throw new Error(`the image is ${width}x${height}x${samples}: too large`);

  const rowBytes = Math.ceil((width * samples * bits) / 8);
  const tiled = ifd.has(322);
  const noun = tiled ? 'tile' : 'strip';
  const segW = tiled ? integerTag(ifd, 322, 'TileWidth') : width;
  const segH = tiled ? integerTag(ifd, 323, 'TileLength') : Math.min(height, integerTag(ifd, 278, 'RowsPerStrip', height) || height);
  if (segW < 1 || segH < 1) throw new Error(`${noun}s of ${segW}x${segH} pixels hold nothing`);
  const segments = Math.ceil(width / segW) * Math.ceil(height / segH);
  const segRowBytes = Math.ceil((segW * samples * bits) / 8);
  const offsets = ifd.get(tiled ? 324 : 273) ?? [];
  // a single uncompressed strip may leave its byte count out
  const counts = ifd.get(tiled ? 325 : 279) ?? (segments === 1 && compression === 1 ? [rowBytes * height] : []);
  if (offsets.length < segments) throw new Error(`${segments} ${noun}s are needed, ${offsets.length} offsets are given`);
  if (counts.length < segments) throw new Error(`${segments} ${noun} byte counts are needed, ${counts.length} are given`);
  for (let k = 0; k < segments; k++) {
    if (!(offsets[k] >= 0 && counts[k] >= 0 && offsets[k] + counts[k] <= fileLength)) {
      throw new Error(`${noun} ${k} (${counts[k]} bytes at offset ${offsets[k]}) lies beyond the file's ${fileLength} bytes`);
    }
  }
  if (compression === 8 || compression === 32946) {
    // data this short cannot be the image its tags declare
    const packed = counts.slice(0, segments).reduce((a, b) => a + b, 0);
    const needed = tiled ? segments * segH * segRowBytes : rowBytes * height;
    if (!deflateCanHold(packed, needed, segments)) {
      throw new Error(`the deflate data (${packed} bytes) cannot hold the ${needed} bytes of the image its tags declare (${DEFLATE_MAX_RATIO}:1 at the most)`);
    }
  }
  if (compression === 5) {
    // a strip or tile whose data cannot decode to what it must hold is corrupt: refused before the
    // image's memory is allocated and zero-filled (a 100 KB file could otherwise claim maxBytes)
    for (let k = 0; k < segments; k++) {
      const needed = tiled ? segH * segRowBytes : rowBytes * Math.min(segH, height - k * segH);
      const most = lzwMaxOutput(counts[k]);
      if (needed > most) throw new Error(`${noun} ${k}: its LZW data (${counts[k]} bytes) cannot hold the ${needed} bytes its tags declare (${most} at the most)`);
    }
  }
  const shape = samples === 1 ? [height, width] : [height, width, samples];
  let contiguousAt = -1;
  if (!tiled && compression === 1 && fillOrder === 1 && predictor === 1) {
    let contiguous = offsets[0] + rowBytes * height <= fileLength;
    for (let k = 1; k < segments && contiguous; k++) contiguous = offsets[k] === offsets[k - 1] + segRowBytes * segH;
    if (contiguous) contiguousAt = offsets[0];
  }
  return { width, height, samples, bits, format, compression, predictor, fillOrder, tiled, segW, segH, segments, offsets, counts, shape, rowBytes, contiguousAt };
}

/** One page as a frame of its samples (see decodeTiff in tiff.ts for the dtypes); `alloc` gives
 * the memory the samples are assembled in, where they are not a view of the file's bytes. */
export async function decodePage(file: TiffFile, ifd: Ifd, alloc?: Alloc, limits?: DecodeOptions): Promise<Frame> {
  const mask = limits?.maskMax ?? false;
  const g = pageGeometry(ifd, file.bytes.length, limits);
  const { width, height, samples, bits, format, compression, predictor, fillOrder, tiled, segW, segH, segments, offsets, counts, shape, rowBytes } = g;
  const bytesPer = Math.max(1, bits / 8);
  const noun = tiled ? 'tile' : 'strip';
  const across = Math.ceil(width / segW);
  const segRowBytes = Math.ceil((segW * samples * bits) / 8);

  if (compression === 7) return jpegPage(ifd, file, g, alloc, limits);
  // uncompressed strips that follow each other: the image is a view of the file's bytes
  if (g.contiguousAt >= 0) return samplesOf(file.bytes.subarray(g.contiguousAt, g.contiguousAt + rowBytes * height), shape, bits, format, file.le, mask);
  const lzw = compression === 5;
  if (lzw && !tiled) {
    // LZW strips in wasm where it runs: the strips decoded in place, then the predictor undone
    const raw = alloc ? alloc(rowBytes * height) : new Uint8Array(rowBytes * height);
    const strips = Array.from({ length: segments }, (_, k) => ({
      src: file.bytes.subarray(offsets[k], offsets[k] + counts[k]),
      at: k * segH * rowBytes,
      size: rowBytes * Math.min(segH, height - k * segH),
    }));
    if (lzwDecodeWasm(strips, raw, (k) => `strip ${k}`)) {
      if (predictor === 2) for (const { at, size } of strips) undoPredictor(raw.subarray(at, at + size), rowBytes, samples, bits, file.le);
      return samplesOf(raw, shape, bits, format, file.le, mask);
    }
  }
  // the image's bytes, segment by segment; LZW decodes straight into them (after its dictionary)
  const base = lzw ? LZW_DICTIONARY : 0;
  const buf = lzw ? lzwBuffer(rowBytes * height, alloc) : alloc ? alloc(rowBytes * height) : new Uint8Array(rowBytes * height);
  const raw = buf.subarray(base, base + rowBytes * height);
  let tile: Uint8Array | null = null; // an LZW tile's own buffer, reused
  for (let k = 0; k < segments; k++) {
    const x0 = (k % across) * segW;
    const y0 = Math.floor(k / across) * segH;
    const rows = Math.min(segH, height - y0);
    // a strip is as long as its rows; a tile is always whole (its edges padded)
    const size = segRowBytes * (tiled ? segH : rows);
    const src = file.bytes.subarray(offsets[k], offsets[k] + counts[k]);
    let data: Uint8Array;
    if (lzw) {
      try {
        if (tiled) {
          tile ??= lzwBuffer(size);
          lzwDecode(src, tile, LZW_DICTIONARY, size);
          data = tile.subarray(LZW_DICTIONARY, LZW_DICTIONARY + size);
        } else {
          lzwDecode(src, buf, base + y0 * rowBytes, size);
          data = raw.subarray(y0 * rowBytes, y0 * rowBytes + size);
        }
      } catch (err) {
        throw new Error(`${noun} ${k}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
    } else data = await decompress(compression, src, size, `${noun} ${k}`);
    if (fillOrder === 2) data = data.map(reverseBits);
    if (predictor === 2) undoPredictor(data, segRowBytes, samples, bits, file.le);
    if (!tiled) {
      if (data.buffer !== raw.buffer) raw.set(data.subarray(0, segRowBytes * rows), y0 * rowBytes);
    } else {
      const cols = Math.min(segW, width - x0) * samples * bytesPer;
      for (let r = 0; r < rows; r++) raw.set(data.subarray(r * segRowBytes, r * segRowBytes + cols), (y0 + r) * rowBytes + x0 * samples * bytesPer);
    }
  }
  return samplesOf(raw, shape, bits, format, file.le, mask);
}

/**
 * A JPEG-compressed page (Compression 7): each strip or tile a JPEG stream, the tables it leaves
 * out in JPEGTables (a stream of tables only), decoded by the JPEG decoder (setJpegDecoder), which
 * converts YCbCr to RGB as the stream's markers say (as libtiff's JPEGCOLORMODE_RGB does).
 */
async function jpegPage(ifd: Ifd, file: TiffFile, g: PageGeometry, alloc: Alloc | undefined, limits: DecodeLimits | undefined): Promise<Frame> {
  const { width, height, samples, tiled, segW, segH, segments, offsets, counts, shape, rowBytes } = g;
  const noun = tiled ? 'tile' : 'strip';
  const tables = ifd.get(347);
  // JPEGTables: SOI, tables, EOI; a segment: SOI, (tables,) frame, scans, EOI
  const head = tables && tables.length >= 4 && tables[0] === 0xff && tables[1] === 0xd8 ? Uint8Array.from(tables.slice(0, tables.at(-2) === 0xff && tables.at(-1) === 0xd9 ? -2 : undefined)) : null;
  const raw = alloc ? alloc(rowBytes * height) : new Uint8Array(rowBytes * height);
  const across = Math.ceil(width / segW);
  for (let k = 0; k < segments; k++) {
    const x0 = (k % across) * segW;
    const y0 = Math.floor(k / across) * segH;
    const rows = Math.min(segH, height - y0);
    let src = file.bytes.subarray(offsets[k], offsets[k] + counts[k]);
    if (head && src.length >= 2 && src[0] === 0xff && src[1] === 0xd8) {
      const whole = new Uint8Array(head.length + src.length - 2);
      whole.set(head);
      whole.set(src.subarray(2), head.length);
      src = whole;
    }
    let image: DecodedJpeg;
    try {
      image = await decodeJpegBytes(src, limits);
    } catch (err) {
      throw new Error(`${noun} ${k}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    }
    const wide = tiled ? segW : width;
    if (image.components !== samples || image.width !== wide || image.height < rows || (tiled && image.height !== segH)) {
      throw new Error(`${noun} ${k} holds a ${image.width}x${image.height} JPEG of ${image.components} components; the tags call for ${wide}x${tiled ? segH : rows} of ${samples}`);
    }
    const cols = Math.min(segW, width - x0) * samples;
    for (let r = 0; r < rows; r++) raw.set(image.data.subarray(r * wide * samples, r * wide * samples + cols), (y0 + r) * rowBytes + x0 * samples);
  }
  return samplesOf(raw, shape, 8, 1, file.le);
}

/** One strip's or tile's bytes, uncompressed (none, deflate, PackBits): `size` of them
 * (zero-padded where the data ends early, as libtiff reads it); a view of the file's own for
 * compression 1. */
async function decompress(compression: number, data: Uint8Array, size: number, what: string): Promise<Uint8Array> {
  if (compression === 1) {
    if (data.length < size) throw new Error(`${what} holds ${data.length} bytes, ${size} are needed`);
    return data.subarray(0, size);
  }
  try {
    if (compression === 8 || compression === 32946) {
      const out = await inflate(data, size);
      if (out.length === size) return out;
      const whole = new Uint8Array(size);
      whole.set(out);
      return whole;
    }
    const out = new Uint8Array(size);
    unpackBits(data, out);
    return out;
  } catch (err) {
    throw new Error(`${what}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}

/** PackBits (compression 32773) into `out`; bounded by both buffers. */
function unpackBits(src: Uint8Array, out: Uint8Array): void {
  let i = 0;
  let o = 0;
  while (i < src.length && o < out.length) {
    const n = (src[i++] << 24) >> 24;
    if (n >= 0) {
      const len = Math.min(n + 1, out.length - o, src.length - i);
      out.set(src.subarray(i, i + len), o);
      i += n + 1;
      o += len;
    } else if (n !== -128) {
      const len = Math.min(1 - n, out.length - o);
      if (i < src.length) out.fill(src[i++], o, o + len);
      o += len;
    }
  }
}

/** Undoes the horizontal predictor (Predictor 2) in place: each sample is the sum of the
 * differences before it in its row, per channel, in the samples' width and byte order. */
function undoPredictor(data: Uint8Array, rowBytes: number, samples: number, bits: number, le: boolean): void {
  const rows = Math.floor(data.length / rowBytes);
  if (bits === 8) {
    for (let r = 0; r < rows; r++) {
      const o = r * rowBytes;
      for (let i = o + samples; i < o + rowBytes; i++) data[i] = data[i] + data[i - samples];
    }
    return;
  }
  const bytesPer = bits / 8;
  const perRow = rowBytes / bytesPer;
  if (bits === 16 && le === LITTLE_ENDIAN_HOST && data.byteOffset % 2 === 0) {
    const a = new Uint16Array(data.buffer, data.byteOffset, (rows * rowBytes) / 2);
    for (let r = 0; r < rows; r++) {
      const o = r * perRow;
      for (let i = o + samples; i < o + perRow; i++) a[i] = a[i] + a[i - samples];
    }
    return;
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let r = 0; r < rows; r++) {
    for (let i = samples; i < perRow; i++) {
      const at = r * rowBytes + i * bytesPer;
      const before = at - samples * bytesPer;
      if (bytesPer === 2) view.setUint16(at, view.getUint16(at, le) + view.getUint16(before, le), le);
      else view.setUint32(at, view.getUint32(at, le) + view.getUint32(before, le), le);
    }
  }
}

/**
 * The image's bytes (in the file's byte order, rows of whole bytes) as a frame of its samples:
 * a typed-array view of the same bytes where they are in the machine's order and aligned, else a
 * copy put right. 8/16-bit integers keep their typed array (dtype int32); 32-bit unsigned ones
 * are checked to fit int32; float64 is rounded to float32. With `maskMax`, 8/16/32-bit unsigned
 * samples are float32, their maximum NaN (SampleOptions).
 */
export function samplesOf(raw: Uint8Array, shape: number[], bits: number, format: number, le: boolean, maskMax = false): Frame {
  const n = sizeOf(shape);
  if (bits === 1) {
    const [height, width] = shape;
    const rowBytes = Math.ceil(width / 8);
    const data = new Uint8Array(n);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (raw[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1;
    return { data, shape, dtype: 'int32' };
  }
  const bytesPer = bits / 8;
  if (raw.length < n * bytesPer) throw new Error(`the image data holds ${raw.length} bytes, ${n * bytesPer} are needed for ${shape.join('x')} ${bits}-bit samples`);
  const native = le === LITTLE_ENDIAN_HOST || bytesPer === 1;
  const own = native && raw.byteOffset % bytesPer === 0 ? raw : reordered(raw.subarray(0, n * bytesPer), bytesPer, !native);
  const { buffer, byteOffset: at } = own;
  if (format === 3) {
    if (bits === 32) return { data: new Float32Array(buffer, at, n), shape, dtype: 'float32' };
    const data = new Float32Array(n);
    data.set(new Float64Array(buffer, at, n));
    return { data, shape, dtype: 'float32' };
  }
  const signed = format === 2;
  if (maskMax && !signed) {
    const samples = bits === 8 ? new Uint8Array(buffer, at, n) : bits === 16 ? new Uint16Array(buffer, at, n) : new Uint32Array(buffer, at, n);
    return { data: maskMaxSamples(samples, 2 ** bits - 1), shape, dtype: 'float32' };
  }
  if (bits === 8) return { data: signed ? new Int8Array(buffer, at, n) : new Uint8Array(buffer, at, n), shape, dtype: 'int32' };
  if (bits === 16) return { data: signed ? new Int16Array(buffer, at, n) : new Uint16Array(buffer, at, n), shape, dtype: 'int32' };
  const data = new Int32Array(buffer, at, n);
  if (!signed) {
    const big = data.findIndex((v) => v < 0);
    if (big >= 0) {
      const mask = data[big] === -1 ? " (the type's maximum, a detector's mask: maskMax, the command's --mask-max, reads it as NaN)" : '';
      throw new Error(`value ${data[big] >>> 0} at flat index ${big} of a 32-bit unsigned TIFF does not fit int32 (what tfjs holds)${mask}`);
    }
  }
  return { data, shape, dtype: 'int32' };
}

/** A copy of `raw` (aligned), each sample's bytes reversed where `swap`. */
function reordered(raw: Uint8Array, bytesPer: number, swap: boolean): Uint8Array {
  const out = raw.slice();
  if (!swap) return out;
  for (let i = 0; i + bytesPer <= out.length; i += bytesPer) {
    for (let a = i, b = i + bytesPer - 1; a < b; a++, b--) {
      const t = out[a];
      out[a] = out[b];
      out[b] = t;
    }
  }
  return out;
}

/** A byte with its bits in reverse order (FillOrder 2). */
export function reverseBits(b: number): number {
  b = ((b & 0xf0) >> 4) | ((b & 0x0f) << 4);
  b = ((b & 0xcc) >> 2) | ((b & 0x33) << 2);
  return ((b & 0xaa) >> 1) | ((b & 0x55) << 1);
}
