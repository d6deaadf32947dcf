// Hostile files (issue 15): the mutations the fuzz stage of the specs (spec/fuzz.node.spec.ts)
// and the attacker's run (npm run bench:hostile) make of the fixtures, and the words of an engine
// error, which a refusal must not give as its reason.

/** One seeded mutation of a file's bytes: bits flipped, bytes overwritten with 0, 255, 0x7f or
 * 0x80, the file cut short, junk appended, a byte of the first 64 (the header) changed, or a 16-
 * or 32-bit field of the first 256 set to 0, 1, 2^31 - 1, 2^31 or 2^32 - 1. */
export function mutate(b: Uint8Array, r: () => number): Uint8Array {
  const kind = Math.floor(r() * 6);
  const out = b.slice();
  const at = Math.floor(r() * b.length);
  if (kind === 0) {
    for (let k = 0, n = 1 + Math.floor(r() * 4); k < n; k++) out[Math.floor(r() * b.length)] ^= 1 << Math.floor(r() * 8);
  } else if (kind === 1) {
    for (let k = 0, n = 1 + Math.floor(r() * 8); k < n && at + k < out.length; k++) out[at + k] = [0, 255, 0x7f, 0x80][Math.floor(r() * 4)];
  } else if (kind === 2) {
    return b.slice(0, at);
  } else if (kind === 3) {
    const junk = new Uint8Array(b.length + 1 + Math.floor(r() * 64));
    junk.set(b);
    for (let i = b.length; i < junk.length; i++) junk[i] = Math.floor(r() * 256);
    return junk;
  } else if (kind === 4) {
    out[Math.floor(r() * Math.min(64, b.length))] = Math.floor(r() * 256);
  } else {
    // a 16- or 32-bit field of the first 256 bytes (a dimension, a count, an offset) set to an extreme
    const width = r() < 0.5 ? 2 : 4;
    const field = Math.floor(r() * Math.max(1, Math.min(256, b.length) - width));
    const value = [0, 0xffffffff, 0x7fffffff, 0x80000000, 1][Math.floor(r() * 5)];
    for (let i = 0; i < width && field + i < out.length; i++) out[field + i] = (value >>> (8 * (r() < 0.5 ? i : width - 1 - i))) & 255;
  }
  return out;
}

/** An engine error's words (a decoder reading past what it checked). */
export const ENGINE = /TypeError|RangeError|call stack|out of bounds|Cannot read prop|Cannot set prop|is not a function|undefined|\bNaN\b/;

/** Whether a decoded frame is well formed: dimensions safe integers, positive for images (a .npy
 * may hold an empty array), and as many samples as its shape says. */
export function wellFormed(shape: readonly number[], samples: number, format: string): boolean {
  const dims = shape.every((d) => Number.isSafeInteger(d) && (format === 'npy' ? d >= 0 : d > 0));
  return dims && samples === shape.reduce((a, b) => a * b, 1);
}
