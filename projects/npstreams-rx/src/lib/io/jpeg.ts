import { type DecodeOptions, checkBudget, checkIsolation } from './limits';
import type { Frame } from './frame';
import type { Alloc } from './buffer-pool';

/** Whether the bytes start as a JPEG (SOI marker). */
export const isJpeg = (b: Uint8Array): boolean => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** The number of components of the first frame header (SOF0..SOF15 but DHT, JPG, DAC), or 0. */
function components(b: Uint8Array): number {
  return frameHeader(b)?.components ?? 0;
}

/** The frame header (SOFn) of a JPEG: its dimensions and components, or null where the segments
 * before it do not lead to one (the decoder then says what is wrong). */
function frameHeader(b: Uint8Array): { width: number; height: number; components: number; marker: number } | null {
  let i = 2;
  while (i + 9 < b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const length = (b[i + 2] << 8) | b[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      return { height: (b[i + 5] << 8) | b[i + 6], width: (b[i + 7] << 8) | b[i + 8], components: b[i + 9], marker };
    }
    if (length < 2) return null;
    i += 2 + length;
  }
  return null;
}

/** A JPEG decoded: its samples, 8-bit, interleaved (`components` per pixel: 1 gray, 3 RGB). */
export interface DecodedJpeg {
  /** Pixels per row. */
  width: number;
  /** Rows. */
  height: number;
  /** Samples per pixel: 1 (gray) or 3 (RGB). */
  components: 1 | 3;
  /** The samples, row by row, `components` per pixel: width x height x components of them. */
  data: Uint8Array;
}

/** Decodes a JPEG's bytes (see setJpegDecoder), the samples into memory from `alloc` where it is
 * given (load's reuse) and the decoder can. */
export type JpegDecoder = (bytes: Uint8Array, alloc?: Alloc) => DecodedJpeg | Promise<DecodedJpeg>;

/** jpeg-js (JavaScript, loaded the first time a JPEG is read): every platform has it. It refuses
 * images over 100 megapixels or 512 MB of decoding memory. */
const jpegJs: JpegDecoder = async (bytes) => {
  const jpeg = (await import('jpeg-js')).default;
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  const rgb = image.data as Uint8Array;
  if (components(bytes) !== 1) return { width: image.width, height: image.height, components: 3, data: rgb };
  const n = image.width * image.height;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = rgb[3 * i];
  return { width: image.width, height: image.height, components: 1, data };
};

let decoder: JpegDecoder = jpegJs;

/**
 * Sets the JPEG decoder `load` and `decodeFile` use: by default jpeg-js (JavaScript, on every
 * platform); npstreams-rx/node sets libjpeg-turbo compiled to wasm, about eight times faster.
 * Frame headers are checked against the decode limits before the decoder runs, and a decoder
 * that gives a number of samples other than width x height x components is an error.
 *
 * @param fn The decoder: `(bytes, alloc?)` to a `DecodedJpeg` (or a promise of one); gray
 *   images as 1 component, color ones as 3 (RGB). It must not modify `bytes`.
 *
 * @example
 * ```ts
 * import { setJpegDecoder } from 'npstreams-rx';
 *
 * // the browser's own decoder, every JPEG as RGB
 * setJpegDecoder(async (bytes) => {
 *   const bitmap = await createImageBitmap(new Blob([bytes.slice()], { type: 'image/jpeg' }));
 *   const { width, height } = bitmap;
 *   const context = new OffscreenCanvas(width, height).getContext('2d')!;
 *   context.drawImage(bitmap, 0, 0);
 *   const rgba = context.getImageData(0, 0, width, height).data;
 *   const data = new Uint8Array(width * height * 3);
 *   for (let i = 0; i < width * height; i++) data.set(rgba.subarray(4 * i, 4 * i + 3), 3 * i);
 *   return { width, height, components: 3, data };
 * });
 * ```
 */
export function setJpegDecoder(fn: JpegDecoder): void {
  decoder = fn;
}

/** A JPEG as an int32 frame of 8-bit samples (a Uint8Array), 0..255: gray JPEGs [h, w], color
 * ones RGB [h, w, 3]. */
export async function decodeJpeg(bytes: Uint8Array, limits?: DecodeOptions, alloc?: Alloc): Promise<Frame> {
  const header = frameHeader(bytes);
  // checked before the decoder allocates (a few hundred bytes may claim 10000x10000)
  if (header) {
    const { width, height, marker } = header;
    checkBudget(`the frame header's width ${width} x height ${height}`, width * height, Math.max(1, header.components), 4, limits);
    // sequential Huffman data (SOF0, SOF1) spends 2 bits at least on each 8x8 block of the first
    // component (its DC difference and end of block): fewer bytes cannot be those pixels
    const least = Math.ceil((Math.ceil(width / 8) * Math.ceil(height / 8)) / 4);
    if ((marker === 0xc0 || marker === 0xc1) && bytes.length < least) {
      throw new Error(`the frame header declares ${width}x${height} pixels, which a baseline JPEG of ${bytes.length} bytes cannot hold (${least} bytes at the least)`);
    }
  }
  if (decoder === jpegJs) checkIsolation(limits, 'jpeg-js', 'a JPEG');
  const { width, height, components: c, data } = await decoder(bytes, alloc);
  if (data.length !== width * height * c) throw new Error(`the decoder gave ${data.length} samples for ${width}x${height}x${c}`);
  return { data, shape: c === 1 ? [height, width] : [height, width, c], dtype: 'int32' };
}
