// Hostile files built byte by byte, for the specs of the decoders' bounds (spec/limits.spec.ts)
// and for `npm run bench:bounds` (bench/bounds.mjs, which bundles this module).

/** The codes of LZW's most expanding run, [code, width in bits]: a clear code (`clearWidth` bits:
 * 9 at a stream's start, 12 after a full table), a literal 0, then every code the entry it makes
 * (KwKwK) in the decoder's widths until the table is full, then the longest entry `past` times. */
export function lzwWorstRun(past: number, clearWidth = 9): [number, number][] {
  const codes: [number, number][] = [
    [256, clearWidth],
    [0, 9],
  ];
  let width = 9;
  for (let next = 258; next < 4096;) {
    codes.push([next, width]);
    next++;
    if (next === (1 << width) - 1 && width < 12) width++;
  }
  for (let k = 0; k < past; k++) codes.push([4095, 12]);
  return codes;
}

/** Codes packed most significant bit first, as TIFF's LZW stores them. */
export function packCodes(codes: readonly [number, number][]): Uint8Array {
  const stream = new Uint8Array(Math.ceil(codes.reduce((a, [, w]) => a + w, 0) / 8));
  let p = 0;
  for (const [code, w] of codes) for (let b = w - 1; b >= 0; b--, p++) if ((code >> b) & 1) stream[p >> 3] |= 0x80 >> (p & 7);
  return stream;
}

/** A little-endian TIFF of one strip at byte 128: 8-bit gray, `width` x `height`, the strip
 * compressed with `compression` (5: LZW). */
export function oneStripTiff(width: number, height: number, compression: number, strip: Uint8Array): Uint8Array {
  const entries: [number, number, number][] = [
    [256, 4, width],
    [257, 4, height],
    [258, 3, 8],
    [259, 3, compression],
    [273, 4, 128],
    [277, 3, 1],
    [278, 4, height],
    [279, 4, strip.length],
  ];
  const bytes = new Uint8Array(128 + strip.length);
  const v = new DataView(bytes.buffer);
  bytes.set([0x49, 0x49, 42, 0]);
  v.setUint32(4, 8, true);
  v.setUint16(8, entries.length, true);
  entries.forEach(([tag, type, value], k) => {
    v.setUint16(10 + 12 * k, tag, true);
    v.setUint16(12 + 12 * k, type, true);
    v.setUint32(14 + 12 * k, 1, true);
    if (type === 3) v.setUint16(18 + 12 * k, value, true);
    else v.setUint32(18 + 12 * k, value, true);
  });
  bytes.set(strip, 128);
  return bytes;
}
