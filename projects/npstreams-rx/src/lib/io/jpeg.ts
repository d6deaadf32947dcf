import { type DecodeLimits, type DecodeOptions, checkBudget } from './limits';
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
function frameHeader(b: Uint8Array): { width: number; height: number; components: number; blocks: number; marker: number; at: number } | null {
  let i = 2;
  while (i + 9 < b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const length = (b[i + 2] << 8) | b[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) {
      const [height, width, components] = [(b[i + 5] << 8) | b[i + 6], (b[i + 7] << 8) | b[i + 8], b[i + 9]];
      // each component's 8x8 blocks, from its sampling factors (H, V) against the largest ones
      const sampling = Array.from({ length: components }, (_, c) => b[i + 11 + 3 * c] ?? 0x11).map((hv) => [Math.max(1, hv >> 4), Math.max(1, hv & 15)]);
      const [hmax, vmax] = [Math.max(1, ...sampling.map(([h]) => h)), Math.max(1, ...sampling.map(([, v]) => v))];
      const blocks = sampling.reduce((n, [h, v]) => n + Math.ceil(Math.ceil((width * h) / hmax) / 8) * Math.ceil(Math.ceil((height * v) / vmax) / 8), 0);
      return { height, width, components, blocks, marker, at: i };
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

/**
 * The platform's own decoder, where there is one (browsers, their workers): createImageBitmap
 * and an OffscreenCanvas, native and hardened against hostile files. The samples as stored: no
 * colour-profile conversion, no premultiplied alpha; a gray JPEG's one component from the red
 * channel.
 */
const platformJpeg: JpegDecoder = async (bytes) => {
  const bitmap = await createImageBitmap(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/jpeg' }), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    const { width, height } = bitmap;
    const context = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('no 2D context to read the decoded image from');
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height).data;
    const c = components(bytes) === 1 ? 1 : 3;
    const n = width * height;
    const data = new Uint8Array(n * c);
    if (c === 1) for (let i = 0; i < n; i++) data[i] = rgba[4 * i];
    else {
      for (let i = 0; i < n; i++) {
        data[3 * i] = rgba[4 * i];
        data[3 * i + 1] = rgba[4 * i + 1];
        data[3 * i + 2] = rgba[4 * i + 2];
      }
    }
    return { width, height, components: c, data };
  } finally {
    bitmap.close();
  }
};

/** Where the platform has no decoder (Node without npstreams-rx/node): an error saying what to do. */
const noJpegDecoder: JpegDecoder = () => {
  throw new Error("this platform has no JPEG decoder (no createImageBitmap): import 'npstreams-rx/node', which sets libjpeg-turbo, or give one to setJpegDecoder");
};

let decoder: JpegDecoder = typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function' ? platformJpeg : noJpegDecoder;

/**
 * Sets the JPEG decoder `load`, `decodeFile` and JPEG-compressed TIFFs use: by default the
 * browser's own (createImageBitmap); npstreams-rx/node sets libjpeg-turbo compiled to wasm (Node
 * has no decoder of its own). Frame headers are checked against the decode limits before the
 * decoder runs, a stream without its end-of-image marker (a truncated file) is refused, and a
 * decoder that gives a number of samples other than width x height x components is an error.
 *
 * @param fn The decoder: `(bytes, alloc?)` to a `DecodedJpeg` (or a promise of one); gray
 *   images as 1 component, color ones as 3 (RGB). It must not modify `bytes`.
 *
 * @example
 * ```ts
 * import { setJpegDecoder } from 'npstreams-rx';
 *
 * // a decoder of your own, e.g. a wasm build of libjpeg-turbo: (bytes) => { width, height, components, data }
 * declare function myDecoder(bytes: Uint8Array): { width: number; height: number; components: 1 | 3; data: Uint8Array };
 * setJpegDecoder((bytes) => myDecoder(bytes));
 * ```
 */
export function setJpegDecoder(fn: JpegDecoder): void {
  decoder = fn;
}

/** A JPEG as an int32 frame of 8-bit samples (a Uint8Array), 0..255: gray JPEGs [h, w], color
 * ones RGB [h, w, 3]. */
export async function decodeJpeg(bytes: Uint8Array, limits?: DecodeOptions, alloc?: Alloc): Promise<Frame> {
  const { width, height, components: c, data } = await decodeJpegBytes(bytes, limits, alloc);
  return { data, shape: c === 1 ? [height, width] : [height, width, c], dtype: 'int32' };
}

/** A JPEG stream decoded by the JPEG decoder (setJpegDecoder), its header checked first against
 * the limits and the stream's length, its result against its dimensions. */
export async function decodeJpegBytes(bytes: Uint8Array, limits?: DecodeLimits, alloc?: Alloc): Promise<DecodedJpeg> {
  const header = frameHeader(bytes);
  // checked before the decoder allocates (a few hundred bytes may claim 10000x10000)
  if (header) {
    const { width, height, marker } = header;
    checkBudget(`the frame header's width ${width} x height ${height}`, width * height, Math.max(1, header.components), 4, limits);
    // arithmetic coding can spend well under a bit on a block, so that nothing bounds what a few
    // bytes decode to; hierarchical frames likewise: refused by name (browsers decode neither)
    if (marker >= 0xc5 && marker !== 0xc8) {
      const kind = marker >= 0xc9 ? `arithmetic-coded${marker >= 0xcd ? ' hierarchical' : ''}` : 'hierarchical';
      throw new Error(`SOF${marker - 0xc0} (${kind}) JPEG is not supported: re-save it as a baseline or progressive JPEG`);
    }
    // Huffman data spends a bit at least on each 8x8 block of every component (2 where
    // sequential: its DC difference and end of block; 1 where progressive, in the DC scans) or each
    // sample (lossless): fewer bytes cannot be those pixels
    const { blocks } = header;
    const [kind, least] = marker === 0xc2 ? ['a progressive', Math.ceil(blocks / 8)] : marker === 0xc3 ? ['a lossless', Math.ceil((width * height) / 8)] : ['a baseline', Math.ceil(blocks / 4)];
    if (bytes.length < least) {
      throw new Error(`the frame header declares ${width}x${height} pixels, which ${kind} JPEG of ${bytes.length} bytes cannot hold (${least} bytes at the least)`);
    }
    // decoders fill what a truncated stream lacks with gray, silently: refuse it instead
    if (!endsWithEoi(bytes, header.at)) throw new Error('the JPEG stream has no end-of-image marker after its frame: the file is truncated');
  }
  const image = await decoder(bytes, alloc);
  if (image.data.length !== image.width * image.height * image.components) throw new Error(`the decoder gave ${image.data.length} samples for ${image.width}x${image.height}x${image.components}`);
  return image;
}

/** Whether an end-of-image marker (FF D9) follows offset `from` (entropy-coded data never holds
 * one: a 0xFF byte there is followed by 0x00 or a restart marker). */
function endsWithEoi(b: Uint8Array, from: number): boolean {
  for (let i = b.length - 2; i > from; i--) if (b[i] === 0xff && b[i + 1] === 0xd9) return true;
  return false;
}
