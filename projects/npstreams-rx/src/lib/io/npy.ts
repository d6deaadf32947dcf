import { type Frame, type FrameData, sizeOf } from './frame';
import { type DecodeOptions, type DecodeLimits, checkBudget, ɵmaskMaxSamples as maskMaxSamples } from './limits';

/**
 * NumPy's .npy format (numpy.lib.format), versions 1.0, 2.0 and 3.0: a magic string, a
 * version, the header length (uint16 in 1.0, uint32 after), then a Python dict literal
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }` and the raw data.
 *
 * What tfjs holds is float32, int32 and bool, so the dtypes convert by this rule:
 * - f4 as it is; f2 exactly to float32; f8 rounded to the nearest float32 (as
 *   `a.astype(np.float32)`: beyond ±3.4e38 it is ±inf, below 1.4e-45 it is 0);
 * - i1, i2, u1, u2, i4 exactly to int32; u4, i8, u8 to int32 when every value fits
 *   (|v| <= 2^31 - 1), otherwise refused: never a wrapped integer;
 * - b1 to bool;
 * - with `maskMax`, u1, u2, u4, u8 to float32, the dtype's maximum as NaN (SampleOptions);
 * - anything else (complex, strings, objects, structured dtypes) is refused.
 * Big-endian data is swapped; Fortran-order data is transposed to C order.
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Thrown for what is not a valid or supported .npy: the loader adds the file's name. */
export class NpyError extends Error {
  override name = 'NpyError';
}

export interface NpyHeader {
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  dataOffset: number;
}

/** Whether the bytes start as a .npy file. */
export function isNpy(bytes: Uint8Array): boolean {
  return bytes.length >= 6 && MAGIC.every((b, i) => bytes[i] === b);
}

/** Reads the header and checks that the data it promises is there, before any allocation:
 * within `fileLength` bytes (default: the bytes given; more where they are the file's head). */
export function readNpyHeader(bytes: Uint8Array, fileLength = bytes.length): NpyHeader {
  if (!isNpy(bytes)) throw new NpyError('not a .npy file (no \\x93NUMPY magic)');
  if (bytes.length < 10) throw new NpyError(`truncated: ${bytes.length} bytes, shorter than the preamble`);
  const major = bytes[6];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.length < 12) throw new NpyError(`truncated: ${bytes.length} bytes, shorter than the preamble`);
    headerLength = view.getUint32(8, true);
    start = 12;
  } else {
    throw new NpyError(`format version ${major}.${bytes[7]} is not one of 1.0, 2.0, 3.0`);
  }
  if (start + headerLength > bytes.length) {
    throw new NpyError(`truncated: the header claims ${headerLength} bytes, the file has ${bytes.length - start} after the preamble`);
  }
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + headerLength));
  const dict = parseHeaderDict(text);
  const { descr, fortran_order: fortran, shape } = dict;
  for (const key of ['descr', 'fortran_order', 'shape']) {
    if (!(key in dict)) throw new NpyError(`the header has no '${key}' key: ${JSON.stringify(text.slice(0, 120))}`);
  }
  if (typeof descr !== 'string') throw new NpyError(`the header's descr is ${JSON.stringify(descr)}: structured dtypes are not supported`);
  if (typeof fortran !== 'boolean') throw new NpyError(`the header's fortran_order is ${JSON.stringify(fortran)}, not True or False`);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw new NpyError(`the header's shape ${JSON.stringify(shape)} is not a tuple of non-negative integers`);
  }
  const itemBytes = parseDescr(descr).bytes;
  const dataOffset = start + headerLength;
  const size = sizeOf(shape as number[]);
  const needed = size * itemBytes;
  if (!Number.isSafeInteger(needed) || needed > fileLength - dataOffset) {
    throw new NpyError(`truncated or hostile: shape (${(shape as number[]).join(', ')}) of ${descr} needs ${needed} bytes of data, the file has ${fileLength - dataOffset}`);
  }
  return { descr, fortranOrder: fortran, shape: shape as number[], dataOffset };
}

/** The header's Python literal, read as JSON after a translation of its few Python forms. */
function parseHeaderDict(text: string): Record<string, unknown> {
  const json = text
    .trim()
    .replace(/'/g, '"')
    .replace(/\bTrue\b/g, 'true')
    .replace(/\bFalse\b/g, 'false')
    .replace(/\(/g, '[')
    .replace(/\)/g, ']')
    .replace(/(\d)L\b/g, '$1') // Python 2's long integers: (3L, 4L)
    .replace(/,\s*([\]}])/g, '$1');
  try {
    const dict = JSON.parse(json);
    if (dict && typeof dict === 'object' && !Array.isArray(dict)) return dict;
  } catch {
    // reported below
  }
  throw new NpyError(`the header is not a dict literal with descr, fortran_order and shape: ${JSON.stringify(text.slice(0, 120))}`);
}

export interface Descr {
  kind: 'f' | 'i' | 'u' | 'b';
  bytes: number;
  bigEndian: boolean;
}

export function parseDescr(descr: string): Descr {
  const m = /^([<>|=]?)([fiub])(\d+)$/.exec(descr);
  const kind = m?.[2] as Descr['kind'] | undefined;
  const bytes = Number(m?.[3]);
  const ok = m !== null && ((kind === 'f' && [2, 4, 8].includes(bytes)) || ((kind === 'i' || kind === 'u') && [1, 2, 4, 8].includes(bytes)) || (kind === 'b' && bytes === 1));
  if (!ok) throw new NpyError(`dtype ${descr} is not supported: float16/32/64, (u)int8-64 and bool are (tfjs holds float32, int32 and bool)`);
  return { kind: kind!, bytes, bigEndian: m![1] === '>' };
}

/** The budget of a .npy's array (its elements as pixels; 4 bytes each in tfjs, 1 for bool). */
export function checkNpyBudget(header: NpyHeader, d: Descr, limits?: DecodeLimits): void {
  checkBudget(`shape (${header.shape.join(', ')})`, sizeOf(header.shape), 1, d.kind === 'b' ? 1 : 4, limits);
}

/** Decodes a .npy file into a Frame (C order, float32/int32/bool by the module's rule). Aligned
 * little-endian float32, int32 and 8/16-bit integer data in C order is a view on `bytes` (no
 * copy; integers keep their width: a Uint16Array for u2); everything else is copied. */
export function decodeNpy(bytes: Uint8Array, limits?: DecodeOptions): Frame {
  const header = readNpyHeader(bytes);
  const d = parseDescr(header.descr);
  const size = sizeOf(header.shape);
  checkNpyBudget(header, d, limits);
  const view = new DataView(bytes.buffer, bytes.byteOffset + header.dataOffset, size * d.bytes);
  const le = !d.bigEndian;
  let data: FrameData;
  let dtype: Frame['dtype'];
  if (d.kind === 'b') {
    data = new Uint8Array(size);
    for (let i = 0; i < size; i++) data[i] = view.getUint8(i) ? 1 : 0;
    dtype = 'bool';
  } else if (d.kind === 'f') {
    dtype = 'float32';
    if (d.bytes === 4 && le && (bytes.byteOffset + header.dataOffset) % 4 === 0) {
      // little-endian float32, aligned (NumPy aligns the data to 64 bytes): a view, no copy
      data = new Float32Array(bytes.buffer, bytes.byteOffset + header.dataOffset, size);
    } else {
      data = new Float32Array(size);
      const get = d.bytes === 2 ? (i: number) => float16(view.getUint16(i * 2, le)) : d.bytes === 4 ? (i: number) => view.getFloat32(i * 4, le) : (i: number) => view.getFloat64(i * 8, le);
      for (let i = 0; i < size; i++) data[i] = get(i);
    }
  } else if (limits?.maskMax && d.kind === 'u') {
    // a detector's mask: the dtype's maximum as NaN
    dtype = 'float32';
    const at = bytes.byteOffset + header.dataOffset;
    const Type = d.bytes === 1 ? Uint8Array : d.bytes === 2 ? Uint16Array : d.bytes === 4 ? Uint32Array : null;
    if (Type && (le || d.bytes === 1) && at % d.bytes === 0) data = maskMaxSamples(new Type(bytes.buffer as ArrayBuffer, at, size), unsignedMax(d) as number);
    else {
      data = new Float32Array(size);
      const get = intReader(view, d, le);
      const max = unsignedMax(d);
      for (let i = 0; i < size; i++) {
        const v = get(i);
        data[i] = v === max ? NaN : Number(v);
      }
    }
  } else if (d.bytes <= 2 || (d.kind === 'i' && d.bytes === 4)) {
    // 8/16-bit integers and int32 as they are stored (the kernels read them as they are): a view
    // where the data is little-endian and aligned, else a copy put in order
    dtype = 'int32';
    const Type = d.bytes === 1 ? (d.kind === 'i' ? Int8Array : Uint8Array) : d.bytes === 2 ? (d.kind === 'i' ? Int16Array : Uint16Array) : Int32Array;
    const at = bytes.byteOffset + header.dataOffset;
    if ((le || d.bytes === 1) && at % d.bytes === 0) data = new Type(bytes.buffer as ArrayBuffer, at, size);
    else {
      data = new Type(size);
      const get = intReader(view, d, le) as (i: number) => number;
      for (let i = 0; i < size; i++) data[i] = get(i);
    }
  } else {
    data = new Int32Array(size);
    dtype = 'int32';
    const get = intReader(view, d, le);
    for (let i = 0; i < size; i++) {
      const v = get(i);
      if (v > 2147483647 || v < -2147483648) {
        const mask = d.kind === 'u' && v === unsignedMax(d) ? ` (the dtype's maximum, a detector's mask: maskMax, the command's --mask-max, reads it as NaN)` : '';
        throw new NpyError(`value ${v} at flat index ${i} of dtype ${header.descr} does not fit int32 (what tfjs holds)${mask}; convert the file to float64 or a smaller range first`);
      }
      data[i] = Number(v);
    }
  }
  const shape = header.shape;
  return { data: header.fortranOrder && shape.length > 1 ? fortranToC(data, shape) : data, shape: [...shape], dtype };
}

/** The maximum of an unsigned dtype, as intReader reads it (a bigint for u8): maskMax's mask. */
const unsignedMax = (d: Descr): number | bigint => (d.bytes === 8 ? 2n ** 64n - 1n : 2 ** (8 * d.bytes) - 1);

function intReader(view: DataView, d: Descr, le: boolean): (i: number) => number | bigint {
  const signed = d.kind === 'i';
  switch (d.bytes) {
    case 1:
      return signed ? (i) => view.getInt8(i) : (i) => view.getUint8(i);
    case 2:
      return signed ? (i) => view.getInt16(i * 2, le) : (i) => view.getUint16(i * 2, le);
    case 4:
      return signed ? (i) => view.getInt32(i * 4, le) : (i) => view.getUint32(i * 4, le);
    default:
      return signed ? (i) => view.getBigInt64(i * 8, le) : (i) => view.getBigUint64(i * 8, le);
  }
}

/** IEEE half precision to a number (exact). */
function float16(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Column-major data to row-major, for any rank. */
function fortranToC<T extends FrameData>(src: T, shape: number[]): T {
  const out = new (src.constructor as new (n: number) => T)(src.length);
  const rank = shape.length;
  // Fortran strides: the first axis varies fastest
  const fStrides = new Array<number>(rank);
  let s = 1;
  for (let k = 0; k < rank; k++) {
    fStrides[k] = s;
    s *= shape[k];
  }
  const index = new Array<number>(rank).fill(0);
  let f = 0;
  for (let c = 0; c < out.length; c++) {
    out[c] = src[f];
    // next C index: the last axis varies fastest
    for (let k = rank - 1; k >= 0; k--) {
      index[k]++;
      f += fStrides[k];
      if (index[k] < shape[k]) break;
      f -= fStrides[k] * shape[k];
      index[k] = 0;
    }
  }
  return out;
}

/** A .npy file (version 1.0, or 2.0 for a header over 64 KiB) of a float32, int32 or bool array
 * in C order, little-endian, its header padded so that the data starts 64-byte aligned (as
 * NumPy writes it). */
export function encodeNpy(frame: { data: ArrayLike<number>; shape: readonly number[]; dtype: Frame['dtype'] }): Uint8Array {
  const descr = frame.dtype === 'float32' ? '<f4' : frame.dtype === 'int32' ? '<i4' : '|b1';
  const shape = frame.shape.length === 1 ? `(${frame.shape[0]},)` : `(${frame.shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }`;
  const v2 = dict.length + 11 > 65535;
  const pre = v2 ? 12 : 10;
  const total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const itemBytes = frame.dtype === 'bool' ? 1 : 4;
  const size = sizeOf(frame.shape);
  const out = new Uint8Array(total + size * itemBytes);
  out.set(MAGIC, 0);
  out[6] = v2 ? 2 : 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  if (v2) view.setUint32(8, dict.length, true);
  else view.setUint16(8, dict.length, true);
  out.set(new TextEncoder().encode(dict), pre);
  const { data } = frame;
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  if (little && ((frame.dtype === 'float32' && data instanceof Float32Array) || (frame.dtype === 'int32' && data instanceof Int32Array)) && data.length === size) {
    // the machine's order is the file's: the bytes as they are
    out.set(new Uint8Array(data.buffer, data.byteOffset, 4 * size), total);
  } else if (frame.dtype === 'bool') for (let i = 0; i < size; i++) out[total + i] = data[i] ? 1 : 0;
  else if (frame.dtype === 'float32') for (let i = 0; i < size; i++) view.setFloat32(total + 4 * i, data[i], true);
  else for (let i = 0; i < size; i++) view.setInt32(total + 4 * i, data[i], true);
  return out;
}
