import { type Frame, sizeOf } from './frame';
import type { Alloc } from './buffer-pool';
import { type DecodeOptions, checkIsolation } from './limits';
import { TiffFile, UnsupportedCompression, decodePage, samplesOf } from './tiff-reader';

/** Whether the bytes start as a TIFF (II*\0 or MM\0*). */
export const isTiff = (b: Uint8Array): boolean => b.length > 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42));

/**
 * A TIFF as one frame per page (IFD holding an image), with the samples as stored: 1/8/16-bit
 * unsigned and 8/16/32-bit signed integers as int32 (8- and 16-bit ones keep their typed array,
 * Uint16Array..., which the kernels read as it is), 32-bit unsigned ones as int32 when they fit
 * (refused otherwise), 32-bit floats as float32, 64-bit floats rounded to float32. One sample per
 * pixel is [h, w]; more are [h, w, samples] (chunky layout; planar TIFFs are refused).
 * The library's own reader (tiff-reader.ts: strips and tiles; none, LZW, deflate, PackBits) reads
 * what detectors write; other compressions (JPEG in TIFF, CCITT...) go through utif2.
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
      if (err instanceof UnsupportedCompression) {
        checkIsolation(limits, 'utif2', `${where}compression ${ifd.get(259)?.[0]}`);
        frames.push(await decodeWithUtif(bytes, page, where));
      } else throw where && err instanceof Error ? new Error(`${where}${err.message}`, { cause: err }) : err;
    }
  }
  return frames;
}

/** utif2, loaded the first time it is needed (compressions the reader does not implement; writing). */
const utif = async () => (await import('utif2')).default;

/** A page through utif2, for the compressions the library's reader does not implement. */
async function decodeWithUtif(bytes: Uint8Array, page: number, where: string): Promise<Frame> {
  const UTIF = await utif();
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const ifd = UTIF.decode(buffer).filter((d) => d['t256'] !== undefined)[page];
  const tag = (t: number): number | undefined => (ifd[`t${t}`] as number[] | undefined)?.[0];
  UTIF.decodeImage(buffer, ifd);
  if (!ifd.data) throw new Error(`${where}utif2 could not decode the image data (compression ${tag(259) ?? 1})`);
  const samples = tag(277) ?? 1;
  const shape = samples === 1 ? [ifd.height, ifd.width] : [ifd.height, ifd.width, samples];
  // utif2 turns 16-bit samples little-endian; wider samples stay in the file's byte order
  const bits = tag(258) ?? 1;
  return samplesOf(ifd.data, shape, bits, tag(339) ?? 1, bits === 16 || (ifd as unknown as { isLE: boolean }).isLE);
}

/** A [h, w] or [h, w, samples] array as an uncompressed (big-endian) TIFF, with its dtype kept:
 * float32 as 32-bit float samples, int32 as 32-bit signed, bool as 8-bit unsigned, or, with
 * `depth: 16`, int32 values in 0..65535 as 16-bit unsigned (others refused). The directory is
 * written by utif2's encoder; the samples follow it. */
export async function encodeTiff(frame: { data: ArrayLike<number>; shape: readonly number[]; dtype: Frame['dtype'] }, options: { depth?: 16 } = {}): Promise<Uint8Array> {
  const UTIF = await utif();
  const { shape, data, dtype } = frame;
  if (shape.length !== 2 && shape.length !== 3) throw new Error(`a TIFF holds a [h, w] or [h, w, samples] array, not shape [${shape.join(', ')}]`);
  const [height, width] = shape;
  const samples = shape.length === 3 ? shape[2] : 1;
  const sixteen = options.depth === 16;
  if (sixteen && dtype !== 'int32') throw new Error(`depth 16 is for int32 arrays; this one is ${dtype}`);
  const bits = dtype === 'bool' ? 8 : sixteen ? 16 : 32;
  const format = dtype === 'float32' ? 3 : dtype === 'int32' && !sixteen ? 2 : 1;
  const n = sizeOf(shape);
  const dataOffset = 1024;
  const ifd = {
    t256: [width],
    t257: [height],
    t258: new Array(samples).fill(bits),
    t259: [1],
    t262: [samples >= 3 ? 2 : 1],
    t273: [dataOffset],
    t277: [samples],
    t278: [height],
    t279: [(n * bits) / 8],
    t284: [1],
    t339: new Array(samples).fill(format),
  } as unknown as import('utif2').IFD;
  const directory = new Uint8Array(UTIF.encode([ifd]));
  if (directory.length > dataOffset) throw new Error('the TIFF directory outgrew its space');
  const out = new Uint8Array(dataOffset + (n * bits) / 8);
  out.set(directory);
  const view = new DataView(out.buffer);
  // utif2 writes its directory big-endian ('MM'): the samples follow that byte order
  for (let i = 0; i < n; i++) {
    const v = data[i];
    if (bits === 8) out[dataOffset + i] = v ? 1 : 0;
    else if (bits === 16) {
      if (!(Number.isInteger(v) && v >= 0 && v <= 65535)) throw new Error(`value ${v} at flat index ${i} does not fit a 16-bit TIFF (0..65535)`);
      view.setUint16(dataOffset + 2 * i, v, false);
    } else if (format === 3) view.setFloat32(dataOffset + 4 * i, v, false);
    else view.setInt32(dataOffset + 4 * i, v, false);
  }
  return out;
}
