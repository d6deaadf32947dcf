/// <reference types="node" />
// libjpeg-turbo compiled to wasm (@cornerstonejs/codec-libjpeg-turbo-8bit, the codec the
// Cornerstone medical viewers maintain), the JPEG decoder of npstreams-rx/node: the same
// decoding as Pillow's and NumPy users' (libjpeg's); Node has no decoder of its own. Free of
// the library's entry, for the decoding threads too. Loaded the first time a JPEG is read.
import type { Alloc, DecodedJpeg } from 'npstreams-rx';

interface Codec {
  JPEGDecoder: new () => {
    getEncodedBuffer(length: number): Uint8Array;
    decode(): void;
    getFrameInfo(): { width: number; height: number; bitsPerSample: number; componentCount: number };
    getDecodedBuffer(): Uint8Array;
    delete(): void;
  };
}

let codec: Promise<Codec> | null = null;
// imported at run time from node_modules, never bundled: its glue finds its .wasm beside itself
const CODEC = '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs';

export async function decodeJpegTurbo(bytes: Uint8Array, alloc?: Alloc): Promise<DecodedJpeg> {
  codec ??= import(CODEC).then((m: { default: () => Promise<Codec> }) => m.default());
  const decoder = new (await codec).JPEGDecoder();
  try {
    decoder.getEncodedBuffer(bytes.length).set(bytes);
    try {
      decoder.decode();
    } catch (err) {
      // the codec throws its C++ exceptions as numbers (pointers): the reason is not recoverable
      throw new Error(`libjpeg-turbo could not decode the data${typeof err === 'string' ? ` (${err})` : ''}`);
    }
    const { width, height, bitsPerSample, componentCount } = decoder.getFrameInfo();
    if (bitsPerSample !== 8 || (componentCount !== 1 && componentCount !== 3)) throw new Error(`${componentCount} components of ${bitsPerSample} bits: gray and RGB 8-bit JPEGs are read`);
    // a copy out of the codec's memory, which the next image reuses (into load's reused memory)
    const n = width * height * componentCount;
    const data = alloc ? alloc(n) : new Uint8Array(n);
    data.set(decoder.getDecodedBuffer().subarray(0, n));
    return { width, height, components: componentCount, data };
  } finally {
    decoder.delete();
  }
}
