import UTIF from 'utif2';
import { type Frame, sizeOf } from './frame';

/** Whether the bytes start as a TIFF (II*\0 or MM\0*). */
export const isTiff = (b: Uint8Array): boolean =>
  b.length > 4 && ((b[0] === 0x49 && b[1] === 0x49 && b[2] === 42 && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 42));

const tag = (ifd: UTIF.IFD, t: number): number[] | undefined => ifd[`t${t}`] as number[] | undefined;

/**
 * A TIFF (through utif2: uncompressed, LZW, deflate, PackBits...) as one frame per page (IFD
 * holding an image), with the samples as stored: 1/8/16-bit unsigned and 8/16/32-bit signed
 * integers as int32, 32-bit unsigned ones as int32 when they fit (refused otherwise), 32-bit
 * floats as float32, 64-bit floats rounded to float32. One sample per pixel is [h, w]; more are
 * [h, w, samples] (chunky layout; planar TIFFs are refused).
 */
export function decodeTiff(bytes: Uint8Array): Frame[] {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const pages = UTIF.decode(buffer).filter((ifd) => tag(ifd, 256) !== undefined);
  if (pages.length === 0) throw new Error('the TIFF holds no image');
  return pages.map((ifd, page) => {
    const where = pages.length > 1 ? `page ${page}: ` : '';
    const bits = tag(ifd, 258)?.[0] ?? 1;
    const samples = tag(ifd, 277)?.[0] ?? 1;
    const format = tag(ifd, 339)?.[0] ?? 1;
    if ((tag(ifd, 284)?.[0] ?? 1) !== 1 && samples > 1) throw new Error(`${where}planar (PlanarConfiguration 2) TIFFs are not supported`);
    if (![1, 2, 3].includes(format)) throw new Error(`${where}SampleFormat ${format} is not unsigned, signed or float`);
    const ok = (format === 3 && (bits === 32 || bits === 64)) || (format !== 3 && [8, 16, 32].includes(bits)) || (format === 1 && bits === 1);
    if (!ok) throw new Error(`${where}${bits}-bit ${['', 'unsigned', 'signed', 'float'][format]} samples are not supported`);
    if (tag(ifd, 317)?.[0] === 3) throw new Error(`${where}the floating-point predictor (Predictor 3) is not supported by utif2; save without it`);
    UTIF.decodeImage(buffer, ifd);
    const { width, height } = ifd;
    if (!ifd.data) throw new Error(`${where}utif2 could not decode the image data (compression ${tag(ifd, 259)?.[0] ?? 1})`);
    const shape = samples === 1 ? [height, width] : [height, width, samples];
    const n = sizeOf(shape);
    const fillOrder = tag(ifd, 266)?.[0] ?? 1;
    if (fillOrder === 2 && (tag(ifd, 259)?.[0] ?? 1) !== 1) throw new Error(`${where}FillOrder 2 with compression is not supported`);
    // FillOrder 2: the bits of every byte are stored lowest first
    const raw = fillOrder === 2 ? ifd.data.map(reverseBits) : ifd.data;
    // utif2 turns 16-bit samples little-endian (and undoes the horizontal predictor); wider
    // samples stay in the file's byte order
    const le = bits === 16 || (ifd as unknown as { isLE: boolean }).isLE;
    if (bits === 1) {
      const rowBytes = Math.ceil(width / 8);
      const data = new Int32Array(n);
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (raw[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1;
      return { data, shape, dtype: 'int32' } as Frame;
    }
    const bytesPer = bits / 8;
    if (raw.length < n * bytesPer) throw new Error(`${where}the image data holds ${raw.length} bytes, ${n * bytesPer} are needed for ${width}x${height}x${samples} ${bits}-bit samples`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    if (format === 3) {
      const data = new Float32Array(n);
      for (let i = 0; i < n; i++) data[i] = bits === 32 ? view.getFloat32(4 * i, le) : view.getFloat64(8 * i, le);
      return { data, shape, dtype: 'float32' } as Frame;
    }
    const data = new Int32Array(n);
    const signed = format === 2;
    for (let i = 0; i < n; i++) {
      const v =
        bits === 8 ? (signed ? view.getInt8(i) : view.getUint8(i)) : bits === 16 ? (signed ? view.getInt16(2 * i, le) : view.getUint16(2 * i, le)) : signed ? view.getInt32(4 * i, le) : view.getUint32(4 * i, le);
      if (v > 2147483647) throw new Error(`${where}value ${v} at flat index ${i} of a 32-bit unsigned TIFF does not fit int32 (what tfjs holds)`);
      data[i] = v;
    }
    return { data, shape, dtype: 'int32' } as Frame;
  });
}

/** A [h, w] or [h, w, samples] array as an uncompressed (big-endian) TIFF, with its dtype kept:
 * float32 as 32-bit float samples, int32 as 32-bit signed, bool as 8-bit unsigned, or, with
 * `depth: 16`, int32 values in 0..65535 as 16-bit unsigned (others refused). The directory is
 * written by utif2's encoder; the samples follow it. */
export function encodeTiff(frame: { data: ArrayLike<number>; shape: readonly number[]; dtype: Frame['dtype'] }, options: { depth?: 16 } = {}): Uint8Array {
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
  } as unknown as UTIF.IFD;
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

/** A byte with its bits in reverse order. */
function reverseBits(b: number): number {
  b = ((b & 0xf0) >> 4) | ((b & 0x0f) << 4);
  b = ((b & 0xcc) >> 2) | ((b & 0x33) << 2);
  return ((b & 0xaa) >> 1) | ((b & 0x55) << 1);
}
