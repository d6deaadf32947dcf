import type { Alloc } from './buffer-pool';
import { type Frame } from './frame';
import { pngGray16Input, pngGray16Wasm } from './codecs';
import { DEFLATE_MAX_RATIO, deflateCanHold, inflate, inflateNow } from './inflate';
import { type DecodeOptions, checkBudget, checkIsolation } from './limits';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the bytes start with PNG's signature. */
export const isPng = (bytes: Uint8Array): boolean => bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);

/** fast-png, loaded the first time a PNG needs it (palette, sub-byte and interlaced images; writing). */
const fastPng = () => import('fast-png');

/**
 * A PNG as an int32 frame of its sample values, unscaled: 8-bit samples are 0..255 (a
 * Uint8Array), 16-bit 0..65535 (a Uint16Array), 1/2/4-bit gray 0..2^depth-1. Gray is [h, w];
 * gray+alpha, RGB and RGBA keep their channels as the last axis, [h, w, 2|3|4] (no conversion to
 * gray: pipe a transform for that); palette images become RGB or RGBA through their palette.
 *
 * What detectors and image tools write (8 or 16 bits, not interlaced, not a palette) is read by
 * the library: the chunks checked against the file, the image data inflated natively (see
 * setInflate) to no more than the size IHDR declares, the rows unfiltered into the samples (16-bit
 * gray in one wasm pass). Palette, sub-byte and interlaced images go through fast-png.
 */
export async function decodePng(bytes: Uint8Array, alloc?: Alloc, limits?: DecodeOptions): Promise<Frame> {
  const png = readChunks(bytes, alloc);
  const { width, height, depth, colorType, interlace } = png;
  const channels = CHANNELS[colorType];
  // a palette image becomes RGB or RGBA; in tfjs every sample takes 4 bytes
  checkBudget(`IHDR width ${width} x height ${height}`, width * height, channels ?? 4, 4, limits);
  // image data this short cannot hold the rows IHDR declares
  const rows = height * (Math.ceil((width * (channels ?? 1) * depth) / 8) + 1);
  if (!deflateCanHold(png.data.length, rows)) {
    throw new Error(`IHDR width ${width} x height ${height} needs ${rows} bytes of rows, which ${png.data.length} bytes of deflate data cannot hold (${DEFLATE_MAX_RATIO}:1 at the most)`);
  }
  if (channels === undefined || interlace !== 0 || (depth !== 8 && depth !== 16)) {
    checkIsolation(limits, 'fast-png', channels === undefined ? 'a palette PNG' : interlace !== 0 ? 'an interlaced PNG' : `a ${depth}-bit PNG`);
    return decodeWithFastPng(bytes);
  }
  const bpp = (channels * depth) / 8; // bytes per pixel
  const rowBytes = width * bpp;
  const size = height * (rowBytes + 1);
  const shape = channels === 1 ? [height, width] : [height, width, channels];
  const n = width * height * channels;
  const idat = (err: unknown) => new Error(`the image data (IDAT): ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  const enough = (raw: Uint8Array): Uint8Array => {
    if (raw.length < size) throw new Error(`the image data inflates to ${raw.length} bytes, ${size} are needed for ${width}x${height} ${depth}-bit samples`);
    return raw;
  };
  // 16-bit gray, the detectors' PNG: inflated straight into the memory the wasm unfilter reads
  // where the inflate returns at once (Node's zlib; nothing else can use that memory meanwhile),
  // then the rows unfiltered into the samples in wasm
  // (not past 64 MiB of rows: the wasm pass keeps rows and samples in its memory and copies the
  // samples out, three times the image; larger ones are unfiltered in place below)
  const inPlace = size > IN_PLACE;
  const input = channels === 1 && depth === 16 && !inPlace ? pngGray16Input(width, height) : null;
  if (input) {
    let now: Uint8Array | null;
    try {
      now = inflateNow(png.data, size, (bytes) => (bytes <= input.length ? input.subarray(0, bytes) : alloc ? alloc(bytes) : new Uint8Array(bytes)));
    } catch (err) {
      throw idat(err);
    }
    if (now) {
      const data = alloc ? new Uint16Array(alloc(2 * n).buffer, 0, n) : new Uint16Array(n);
      pngGray16Wasm(enough(now), width, height, data);
      return { data, shape, dtype: 'int32' };
    }
  }
  let raw: Uint8Array;
  try {
    raw = await inflate(png.data, size, alloc);
  } catch (err) {
    throw idat(err);
  }
  enough(raw);
  if (inPlace && raw.byteOffset % 2 === 0) {
    // a very large image (a hostile file can claim 1032 bytes per byte of data): its samples made
    // in the inflated rows' own memory, each row moved down over the filter bytes before it
    unfilter(raw, height, rowBytes, bpp);
    if (depth === 8) {
      // in order: row y's bytes lie above where it goes, and above rows before it only
      for (let y = 0; y < height; y++) raw.copyWithin(y * rowBytes, y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1));
      return { data: raw.subarray(0, n), shape, dtype: 'int32' };
    }
    const data = new Uint16Array(raw.buffer, raw.byteOffset, n);
    samples16(raw, data, height, rowBytes);
    return { data, shape, dtype: 'int32' };
  }
  if (depth === 8) {
    unfilter(raw, height, rowBytes, bpp);
    const data = alloc ? alloc(n) : new Uint8Array(n);
    for (let y = 0; y < height; y++) data.set(raw.subarray(y * (rowBytes + 1) + 1, (y + 1) * (rowBytes + 1)), y * rowBytes);
    return { data, shape, dtype: 'int32' };
  }
  const data = alloc ? new Uint16Array(alloc(2 * n).buffer, 0, n) : new Uint16Array(n);
  // 16-bit gray, the detectors' PNG: rows unfiltered straight into the samples in wasm, where it runs
  if (channels === 1 && pngGray16Wasm(raw, width, height, data)) return { data, shape, dtype: 'int32' };
  unfilter(raw, height, rowBytes, bpp);
  samples16(raw, data, height, rowBytes);
  return { data, shape, dtype: 'int32' };
}

/** The 16-bit samples of unfiltered rows (big-endian pairs after each row's filter byte) into
 * `data` as native ones, row by row, forward: `data` may view `raw`'s own memory (a sample is read
 * before anything is written over it). */
function samples16(raw: Uint8Array, data: Uint16Array, height: number, rowBytes: number): void {
  const perRow = rowBytes / 2;
  for (let y = 0; y < height; y++) {
    let s = y * (rowBytes + 1) + 1;
    const o = y * perRow;
    for (let x = 0; x < perRow; x++, s += 2) data[o + x] = (raw[s] << 8) | raw[s + 1];
  }
}

/** Rows (bytes) beyond which an image's samples are made in the inflated rows' memory (64 MiB). */
const IN_PLACE = 2 ** 26;

/** Samples per pixel of the color types the library reads itself (0 gray, 2 RGB, 4 gray+alpha,
 * 6 RGBA; 3, palette, goes through fast-png). */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 4: 2, 6: 4 };

interface PngChunks {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlace: number;
  /** The IDAT chunks' data, joined (a view where there is one). */
  data: Uint8Array;
}

/** IHDR and the IDAT data, every chunk checked to lie within the file; IDAT chunks (Pillow
 * writes 64 KiB each) joined in memory from `alloc` where it is given. */
function readChunks(bytes: Uint8Array, alloc?: Alloc): PngChunks {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const idat: Uint8Array[] = [];
  let header: Omit<PngChunks, 'data'> | null = null;
  let at = 8;
  for (;;) {
    if (at + 12 > bytes.length) throw new Error(`truncated: the file ends at byte ${bytes.length} before IEND`);
    const length = view.getUint32(at);
    const type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    if (at + 12 + length > bytes.length) throw new Error(`truncated: the ${type} chunk at byte ${at} claims ${length} bytes, beyond the file's ${bytes.length}`);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (header === null && type !== 'IHDR') throw new Error(`the first chunk is ${JSON.stringify(type)}, not IHDR`);
    if (type === 'IHDR') {
      if (length < 13) throw new Error(`IHDR holds ${length} bytes, 13 are needed`);
      const width = view.getUint32(at + 8);
      const height = view.getUint32(at + 12);
      if (width < 1 || height < 1 || width > 0x7fffffff || height > 0x7fffffff) throw new Error(`IHDR declares ${width}x${height} pixels: dimensions must be 1 to 2^31-1`);
      header = { width, height, depth: body[8], colorType: body[9], interlace: body[12] };
      if (![1, 2, 4, 8, 16].includes(header.depth) || ![0, 2, 3, 4, 6].includes(header.colorType)) {
        throw new Error(`IHDR declares bit depth ${header.depth} and color type ${header.colorType}, which PNG does not define`);
      }
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    at += 12 + length;
  }
  if (idat.length === 0) throw new Error('no image data (IDAT chunk)');
  let data = idat[0];
  if (idat.length > 1) {
    const total = idat.reduce((n, c) => n + c.length, 0);
    data = alloc ? alloc(total) : new Uint8Array(total);
    let o = 0;
    for (const c of idat) {
      data.set(c, o);
      o += c.length;
    }
  }
  return { ...header!, data };
}

/** Undoes PNG's row filters in place: rows of 1 + rowBytes bytes (the filter type first). */
function unfilter(r: Uint8Array, height: number, rowBytes: number, bpp: number): void {
  const row = rowBytes + 1;
  for (let y = 0; y < height; y++) {
    const s = y * row + 1;
    const e = s + rowBytes;
    const filter = r[s - 1];
    if (filter === 0) continue;
    if (filter > 4) throw new Error(`row ${y} has filter type ${filter}, which PNG does not define`);
    if (y === 0) {
      // no row above: Up is None, Average halves the left byte, Paeth takes it
      if (filter === 1 || filter === 4) for (let i = s + bpp; i < e; i++) r[i] = r[i] + r[i - bpp];
      else if (filter === 3) for (let i = s + bpp; i < e; i++) r[i] = r[i] + (r[i - bpp] >> 1);
      continue;
    }
    switch (filter) {
      case 1:
        for (let i = s + bpp; i < e; i++) r[i] = r[i] + r[i - bpp];
        break;
      case 2:
        for (let i = s; i < e; i++) r[i] = r[i] + r[i - row];
        break;
      case 3:
        for (let i = s; i < s + bpp; i++) r[i] = r[i] + (r[i - row] >> 1);
        for (let i = s + bpp; i < e; i++) r[i] = r[i] + ((r[i - bpp] + r[i - row]) >> 1);
        break;
      default:
        for (let i = s; i < s + bpp; i++) r[i] = r[i] + r[i - row];
        for (let i = s + bpp; i < e; i++) r[i] = r[i] + paeth(r[i - bpp], r[i - row], r[i - row - bpp]);
    }
  }
}

/** The Paeth predictor of left a, above b, upper-left c. */
function paeth(a: number, b: number, c: number): number {
  const pa = Math.abs(b - c); // |p - a| where p = a + b - c
  const pb = Math.abs(a - c);
  const pc = Math.abs(a + b - 2 * c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Palette, sub-byte and interlaced PNGs, through fast-png. */
async function decodeWithFastPng(bytes: Uint8Array): Promise<Frame> {
  const { convertIndexedToRgb, decode } = await fastPng();
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (err) {
    // fast-png's own words where it has them ("Unsupported filter 5"), the data named as corrupt;
    // not where they are an engine's ("Unsupported filter: undefined": it read past the data)
    const engine = err instanceof TypeError || err instanceof RangeError || /undefined|NaN/.test(String(err));
    throw new Error(`the image data is corrupt or truncated${engine ? '' : ` (fast-png: ${err instanceof Error ? err.message : String(err)})`}`, { cause: err });
  }
  let samples: ArrayLike<number> = png.data;
  let channels = png.channels;
  if (png.palette) {
    samples = convertIndexedToRgb(png);
    channels = samples.length / (png.width * png.height);
  } else if (png.depth < 8) {
    samples = unpackBits(png.data, png.width * channels, png.height, png.depth);
  }
  const shape = channels === 1 ? [png.height, png.width] : [png.height, png.width, channels];
  const data = samples instanceof Uint8Array || samples instanceof Uint16Array ? samples : Int32Array.from(samples);
  return { data, shape, dtype: 'int32' };
}

/** Rows of packed 1/2/4-bit samples (each row padded to a byte) as one value per sample. */
function unpackBits(packed: ArrayLike<number>, perRow: number, rows: number, depth: number): Uint8Array {
  const out = new Uint8Array(perRow * rows);
  const rowBytes = Math.ceil((perRow * depth) / 8);
  const mask = (1 << depth) - 1;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < perRow; c++) {
      const bit = c * depth;
      out[r * perRow + c] = (packed[r * rowBytes + (bit >> 3)] >> (8 - depth - (bit & 7))) & mask;
    }
  }
  return out;
}

/** Options of PNG output. */
export interface PngSaveOptions {
  /** Bits per sample: 8 or 16 (default 16). */
  depth?: 8 | 16;
  /** Map the array's finite [min, max] linearly onto [0, 2^depth - 1] (for previews of a mean or
   * a variance); without it the values are rounded to the nearest integer and must lie in
   * [0, 2^depth - 1]. */
  normalize?: boolean;
}

/** A [h, w] or [h, w, 1..4] array as PNG bytes; values outside the depth's range (or NaN) are
 * refused, naming the first one, unless `normalize`. */
export async function encodePng(frame: { data: ArrayLike<number>; shape: readonly number[] }, options: PngSaveOptions = {}): Promise<Uint8Array> {
  const depth = options.depth ?? 16;
  if (depth !== 8 && depth !== 16) throw new Error(`a PNG depth of ${String(depth)} bits is not 8 or 16`);
  const { shape, data } = frame;
  const channels = shape.length === 2 ? 1 : shape.length === 3 ? shape[2] : 0;
  if (channels < 1 || channels > 4) throw new Error(`a PNG holds a [h, w] or [h, w, 1-4] array, not shape [${shape.join(', ')}]`);
  const top = 2 ** depth - 1;
  const out = depth === 8 ? new Uint8Array(data.length) : new Uint16Array(data.length);
  if (options.normalize) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < data.length; i++) if (Number.isFinite(data[i])) [lo, hi] = [Math.min(lo, data[i]), Math.max(hi, data[i])];
    const scale = hi > lo ? top / (hi - lo) : 0;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      out[i] = Number.isNaN(v) ? 0 : v === Infinity ? top : v === -Infinity ? 0 : Math.round((v - lo) * scale);
    }
  } else {
    for (let i = 0; i < data.length; i++) {
      const v = Math.round(data[i]);
      if (!(v >= 0 && v <= top)) {
        throw new Error(`value ${data[i]} at flat index ${i} does not fit a ${depth}-bit PNG (0..${top}); save as .npy, or pass normalize: true`);
      }
      out[i] = v;
    }
  }
  const { encode } = await fastPng();
  return encode({ width: shape[1], height: shape[0], data: out, depth, channels });
}
