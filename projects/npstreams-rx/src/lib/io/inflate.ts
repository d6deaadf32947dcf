/**
 * zlib (RFC 1950) decompression for the PNG and TIFF decoders, native where the platform has it:
 * by default the Compression Streams API (`DecompressionStream('deflate')`, in browsers and in
 * Node >= 18); npstreams-rx/node installs Node's zlib, synchronous and about twice as fast.
 * Either way the output is bounded: data that inflates beyond the size its header declared is
 * refused rather than inflated (a decompression bomb).
 */
import type { Alloc } from './buffer-pool';

/** A zlib decompressor: `data` inflated, at most `size` bytes (its declared size; throwing or
 * rejecting past it or on corrupt data), into memory from `alloc` where it is given and can. */
export type Inflate = (data: Uint8Array, size: number, alloc?: Alloc) => Uint8Array | Promise<Uint8Array>;

/** The most deflate expands: 1032:1 (a 258-byte match in the shortest codes). */
export const DEFLATE_MAX_RATIO = 1032;

/** Whether `packed` bytes of deflate data in `streams` streams (64 bytes of slack each, for their
 * headers and ends) can inflate to `needed` bytes: the decoders refuse data too short for what the
 * file declares before they inflate it. */
export function deflateCanHold(packed: number, needed: number, streams = 1): boolean {
  return packed * DEFLATE_MAX_RATIO + 64 * streams >= needed;
}

/** Thrown where compressed data inflates to more than its declared size, or is corrupt. */
export class InflateError extends Error {
  /** 'InflateError'. */
  override name = 'InflateError';
}

let inflateImpl: Inflate = inflateWithStreams;
/** The same inflate where it returns at once (setInflate's `sync`), else null. */
let inflateNowImpl: Inflate | null = null;

/**
 * Sets the zlib decompressor the PNG and TIFF decoders use: `fn(data, size, alloc?)` inflates
 * `data`, whose declared uncompressed size is `size`, throwing (or rejecting) past it, into
 * memory from `alloc` where it is given (load's reused buffers) or can. npstreams-rx/node sets
 * Node's zlib when it is imported; without a call, the Compression Streams API
 * (`DecompressionStream`). It applies to every decode from then on.
 *
 * @param fn The decompressor.
 * @param options `sync`: `fn` returns at once, never a promise (as Node's `inflateSync`), which
 *   lets a decoder inflate into memory it shares with other decodes; a promise from it is then an
 *   InflateError.
 *
 * @example
 * ```ts
 * import { inflateSync } from 'node:zlib';
 * import { decodeFile, encodeArray, setInflate } from 'npstreams-rx';
 *
 * setInflate((data, size) => inflateSync(data, { maxOutputLength: size }), { sync: true });
 * const png = await encodeArray({ data: new Int32Array([0, 1000, 2000, 65535]), shape: [2, 2], dtype: 'int32' }, { format: 'png' });
 * const [frame] = await decodeFile(png, 'frame.png');
 * console.log(Array.from(frame.data)); // [0, 1000, 2000, 65535]
 * ```
 */
export function setInflate(fn: Inflate, options: { sync?: boolean } = {}): void {
  inflateImpl = fn;
  inflateNowImpl = options.sync ? fn : null;
}

/**
 * `data` inflated at once, with no await before it returns, where the inflate is synchronous
 * (setInflate's `sync`: Node's zlib), into memory from `alloc`; null where it is not (the
 * Compression Streams API). A decoder can then inflate into memory it shares with other decodes
 * of the same thread and use it before they run.
 */
export function inflateNow(data: Uint8Array, size: number, alloc?: Alloc): Uint8Array | null {
  if (!inflateNowImpl) return null;
  const out = inflateNowImpl(data, size, alloc);
  if (out instanceof Promise) {
    out.catch(() => undefined);
    throw new InflateError('the inflate given to setInflate with sync: true returned a promise');
  }
  return out;
}

/** `data` inflated (at most `size` bytes; an InflateError past it or on corrupt data), into
 * memory from `alloc` where the inflate can. */
export function inflate(data: Uint8Array, size: number, alloc?: Alloc): Uint8Array | Promise<Uint8Array> {
  return inflateImpl(data, size, alloc);
}

/** The Compression Streams API: chunks copied into one buffer of the declared size. */
async function inflateWithStreams(data: Uint8Array, size: number, alloc?: Alloc): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new InflateError('this platform has no DecompressionStream: give the decoders an inflate with setInflate()');
  }
  const stream = new Blob([data as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = stream.getReader();
  const out = alloc ? alloc(size) : new Uint8Array(size);
  let at = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (at + value.length > size) throw new InflateError(`the compressed data inflates beyond the ${size} bytes declared`);
      out.set(value, at);
      at += value.length;
    }
  } catch (err) {
    await reader.cancel().catch(() => undefined);
    throw err instanceof InflateError ? err : new InflateError(`corrupt compressed data (${err instanceof Error ? err.message : String(err)})`);
  }
  return at === size ? out : out.subarray(0, at);
}
