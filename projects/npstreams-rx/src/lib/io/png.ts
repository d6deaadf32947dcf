import { convertIndexedToRgb, decode, encode, hasPngSignature } from 'fast-png';
import { type Frame, sizeOf } from './frame';

/** Whether the bytes start with PNG's signature. */
export const isPng = (bytes: Uint8Array): boolean => hasPngSignature(bytes);

/**
 * A PNG (through fast-png) as an int32 frame of its sample values, unscaled: 8-bit samples are
 * 0..255, 16-bit 0..65535, 1/2/4-bit gray 0..2^depth-1. Gray is [h, w]; gray+alpha, RGB and RGBA
 * keep their channels as the last axis, [h, w, 2|3|4] (no conversion to gray: pipe a
 * transform for that); palette images become RGB or RGBA through their palette.
 */
export function decodePng(bytes: Uint8Array): Frame {
  const png = decode(bytes);
  let samples: ArrayLike<number> = png.data;
  let channels = png.channels;
  if (png.palette) {
    samples = convertIndexedToRgb(png);
    channels = samples.length / (png.width * png.height);
  } else if (png.depth < 8) {
    samples = unpackBits(png.data, png.width * channels, png.height, png.depth);
  }
  const shape = channels === 1 ? [png.height, png.width] : [png.height, png.width, channels];
  const data = new Int32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = samples[i];
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
export function encodePng(frame: { data: ArrayLike<number>; shape: readonly number[] }, options: PngSaveOptions = {}): Uint8Array {
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
  return encode({ width: shape[1], height: shape[0], data: out, depth, channels });
}
