import type { Frame } from './frame';

/** Whether the bytes start as a JPEG (SOI marker). */
export const isJpeg = (b: Uint8Array): boolean => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;

/** The number of components of the first frame header (SOF0..SOF15 but DHT, JPG, DAC), or 0. */
function components(b: Uint8Array): number {
  let i = 2;
  while (i + 9 < b.length && b[i] === 0xff) {
    const marker = b[i + 1];
    const length = (b[i + 2] << 8) | b[i + 3];
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker)) return b[i + 9];
    i += 2 + length;
  }
  return 0;
}

/** A JPEG (through jpeg-js) as an int32 frame of 8-bit samples (a Uint8Array), 0..255: gray
 * JPEGs [h, w], color ones RGB [h, w, 3]. jpeg-js refuses images over 100 megapixels or 512 MB of
 * decoding memory. */
export async function decodeJpeg(bytes: Uint8Array): Promise<Frame> {
  // jpeg-js, loaded the first time a JPEG is read
  const jpeg = (await import('jpeg-js')).default;
  const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false });
  const rgb = image.data as Uint8Array;
  if (components(bytes) !== 1) return { data: rgb, shape: [image.height, image.width, 3], dtype: 'int32' };
  const n = image.width * image.height;
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = rgb[3 * i];
  return { data, shape: [image.height, image.width], dtype: 'int32' };
}
