import { type Frame, sizeOf } from './frame';
import type { Alloc } from './buffer-pool';
import type { DecodeOptions } from './limits';
import { TiffFile, decodePage } from './tiff-reader';

/** Whether the bytes start as a TIFF (II*\0 or MM\0*). */
export const isTiff = (b: Uint8Array): boolean => b.length > 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42));

/**
 * A TIFF as one frame per page (IFD holding an image), with the samples as stored: 1/8/16-bit
 * unsigned and 8/16/32-bit signed integers as int32 (8- and 16-bit ones keep their typed array,
 * Uint16Array..., which the kernels read as it is), 32-bit unsigned ones as int32 when they fit
 * (refused otherwise), 32-bit floats as float32, 64-bit floats rounded to float32. One sample per
 * pixel is [h, w]; more are [h, w, samples] (chunky layout; planar TIFFs are refused).
 * The library's own reader (tiff-reader.ts: strips and tiles; none, LZW, deflate, PackBits, and
 * JPEG through the JPEG decoder) reads what detectors write; CCITT and old-style JPEG are refused.
 */
export async function decodeTiff(bytes: Uint8Array, alloc?: Alloc, limits?: DecodeOptions): Promise<Frame[]> {
  const file = new TiffFile(bytes);
  const pages = file.pages();
  if (pages.length === 0) throw new Error('the TIFF holds no image');
  const frames: Frame[] = [];
  for (const [page, ifd] of pages.entries()) {
    const where = pages.length > 1 ? `page ${page}: ` : '';
    try {
      frames.push(await decodePage(file, ifd, alloc, limits));
    } catch (err) {
      throw where && err instanceof Error ? new Error(`${where}${err.message}`, { cause: err }) : err;
    }
  }
  return frames;
}

/** A [h, w] or [h, w, samples] array as an uncompressed little-endian TIFF of one strip, with its
 * dtype kept: float32 as 32-bit float samples, int32 as 32-bit signed, bool as 8-bit unsigned, or,
 * with `depth: 16`, int32 values in 0..65535 as 16-bit unsigned (others refused). */
export async function encodeTiff(frame: { data: ArrayLike<number>; shape: readonly number[]; dtype: Frame['dtype'] }, options: { depth?: 16 } = {}): Promise<Uint8Array> {
  const { shape, data, dtype } = frame;
  if (shape.length !== 2 && shape.length !== 3) throw new Error(`a TIFF holds a [h, w] or [h, w, samples] array, not shape [${shape.join(', ')}]`);
  const [height, width] = shape;
  const samples = shape.length === 3 ? shape[2] : 1;
  if (samples < 1 || samples > 4) throw new Error(`a TIFF holds 1 to 4 samples per pixel, not ${samples}`);
  const sixteen = options.depth === 16;
  if (sixteen && dtype !== 'int32') throw new Error(`depth 16 is for int32 arrays; this one is ${dtype}`);
  const bits = dtype === 'bool' ? 8 : sixteen ? 16 : 32;
  const format = dtype === 'float32' ? 3 : dtype === 'int32' && !sixteen ? 2 : 1;
  const n = sizeOf(shape);
  const bytes = (n * bits) / 8;
  // the header (8 bytes), the IFD (its entries, then the next IFD's offset), the per-sample arrays
  // of BitsPerSample and SampleFormat where there are more than fit an entry, then the samples
  const entries: [tag: number, type: number, values: number[]][] = [
    [256, 4, [width]],
    [257, 4, [height]],
    [258, 3, new Array<number>(samples).fill(bits)],
    [259, 3, [1]],
    [262, 3, [samples >= 3 ? 2 : 1]],
    [273, 4, [0]], // StripOffsets: set below
    [277, 3, [samples]],
    [278, 4, [height]],
    [279, 4, [bytes]],
    [284, 3, [1]],
    // ExtraSamples (unspecified) beyond gray's one sample or RGB's three
    ...(samples !== 1 && samples !== 3 ? [[338, 3, new Array<number>(samples === 4 ? 1 : samples - 1).fill(0)] as [number, number, number[]]] : []),
    [339, 3, new Array<number>(samples).fill(format)],
  ];
  const ifdAt = 8;
  let extraAt = ifdAt + 2 + 12 * entries.length + 4;
  const extras: [at: number, values: number[]][] = [];
  for (const [, type, values] of entries) {
    if (values.length * (type === 3 ? 2 : 4) > 4) {
      extras.push([extraAt, values]);
      extraAt += 2 * values.length;
    }
  }
  const dataAt = extraAt + ((4 - (extraAt % 4)) % 4);
  entries[5][2] = [dataAt];
  const out = new Uint8Array(dataAt + bytes);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0]);
  view.setUint32(4, ifdAt, true);
  view.setUint16(ifdAt, entries.length, true);
  let extra = 0;
  for (const [k, [tag, type, values]] of entries.entries()) {
    const at = ifdAt + 2 + 12 * k;
    view.setUint16(at, tag, true);
    view.setUint16(at + 2, type, true);
    view.setUint32(at + 4, values.length, true);
    if (values.length * (type === 3 ? 2 : 4) > 4) {
      const [where] = extras[extra++];
      view.setUint32(at + 8, where, true);
      values.forEach((v, i) => view.setUint16(where + 2 * i, v, true));
    } else if (type === 3) values.forEach((v, i) => view.setUint16(at + 8 + 2 * i, v, true));
    else view.setUint32(at + 8, values[0], true);
  }
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (bits === 8) out[dataAt + i] = v ? 1 : 0;
    else if (bits === 16) {
      if (!(Number.isInteger(v) && v >= 0 && v <= 65535)) throw new Error(`value ${v} at flat index ${i} does not fit a 16-bit TIFF (0..65535)`);
      view.setUint16(dataAt + 2 * i, v, true);
    } else if (format === 3) view.setFloat32(dataAt + 4 * i, v, true);
    else view.setInt32(dataAt + 4 * i, v, true);
  }
  return out;
}
