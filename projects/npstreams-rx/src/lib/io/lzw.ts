/**
 * TIFF's LZW (compression 5: codes of 9 to 12 bits, most significant bit first, the code width
 * growing one entry early, as libtiff writes it).
 *
 * Every table entry is a string that already stands in the output buffer: entry k is `length[k]`
 * bytes at `start[k]`. The buffer begins with the 256 bytes 0..255 (lzwBuffer), so that a literal
 * is an entry like any other, and a code is decoded by one forward copy, with no prefix chain to walk and
 * little to branch on (noisy detector data makes codes unpredictable; a mispredicted branch per
 * code would cost more than the copy). Codes are read at their bit position, three bytes at a
 * time. The loop consumes at least 9 bits of input per turn and never writes past the segment:
 * whatever the input, it ends.
 */
/** How many codes may follow a full table before a clear code: as many as libtiff takes (an
 * encoder clears the full table; libtiff 4.5 reads 1000 codes past it, refuses 1100). */
export const LZW_PAST_FULL = 1024;
/** Why data with more codes past a full table is refused. */
export const LZW_PAST_FULL_MESSAGE = `LZW: more than ${LZW_PAST_FULL} codes follow a full table with no clear code (corrupt data; libtiff refuses it too)`;

/**
 * The most `bytes` of LZW data can decode to here, for refusing a strip or tile too short for what
 * the file declares before its memory is allocated and filled. After a clear code the j-th code is
 * at most j bytes long (each new entry is the previous string and one byte); taken at the fewest
 * bits the decoder could read them in (256 codes of 9 bits, 512 of 10, 1024 of 11, 2048 of 12:
 * more cheap codes than it reads), then LZW_PAST_FULL codes of 12 bits past the full table, each at
 * most 3840 bytes (an entry is at most one byte longer than the 3838 entries before it); then a
 * clear code and the same again. About 1628:1: 100 KB of data decodes to 165 MB at the most.
 */
export function lzwMaxOutput(bytes: number): number {
  const TIERS = [
    [256, 9],
    [512, 10],
    [1024, 11],
    [2048, 12],
    [LZW_PAST_FULL, 12],
  ];
  const cycleBits = TIERS.reduce((a, [n, w]) => a + n * w, 0);
  const cycleOut = (3840 * 3841) / 2 + LZW_PAST_FULL * 3840;
  let bits = bytes * 8;
  const cycles = Math.floor(bits / cycleBits);
  let out = cycles * cycleOut;
  bits -= cycles * cycleBits;
  let j = 0;
  for (const [count, width] of TIERS) {
    const n = Math.min(count, Math.floor(bits / width));
    // codes j + 1 .. j + n of the table's filling, then codes of at most 3840 bytes past it
    out += j < 3840 ? n * j + (n * (n + 1)) / 2 : n * 3840;
    j += n;
    bits -= n * width;
    if (n < count) break;
  }
  return out;
}

const START = new Int32Array(4096);
const LENGTH = new Int32Array(4096);
/** Bytes 0..255 that stand before the output in an LZW buffer. */
export const LZW_DICTIONARY = 256;
const SLACK = 3; // short strings are copied four bytes at a time

/** A buffer for lzwDecode: the bytes 0..255, then `size` bytes for the output, then 3 of slack
 * (from `alloc` where given). */
export function lzwBuffer(size: number, alloc?: (bytes: number) => Uint8Array): Uint8Array {
  const buf = alloc ? alloc(LZW_DICTIONARY + size + SLACK) : new Uint8Array(LZW_DICTIONARY + size + SLACK);
  for (let c = 0; c < 256; c++) buf[c] = c;
  return buf;
}

/** Decodes one strip or tile into `buf` (made by lzwBuffer) at `at` (>= LZW_DICTIONARY), `size`
 * bytes of it; zero-fills what the data does not reach (as libtiff reads a short strip). Up to 3
 * bytes past at + size may be written over: decode segments in the order of the output. Throws on
 * a code that cannot occur. */
export function lzwDecode(src: Uint8Array, buf: Uint8Array, at: number, size: number): void {
  const end = at + size;
  if (at < LZW_DICTIONARY || end + SLACK > buf.length) throw new RangeError(`lzwDecode: [${at}, ${end}) is not within the buffer's output`);
  const o = decodeInto(src, buf, at, end, START, LENGTH);
  if (o < end) buf.fill(0, o, end);
}

/** The decoding loop, kept apart from the typed-array methods above (so that the optimizing
 * compiler sees only the loop) and given the tables as arguments (faster than module-level
 * constants here): returns where the output stopped. */
function decodeInto(src: Uint8Array, buf: Uint8Array, at: number, end: number, start: Int32Array, length: Int32Array): number {
  for (let c = 0; c < 256; c++) {
    start[c] = c;
    length[c] = 1;
  }
  const nbits = src.length * 8;
  let p = 0; // bit position of the next code
  let width = 9;
  let next = 258;
  let old = -1; // the previous code, -1 right after a clear
  let oldPos = 0; // where the previous code's string was written, and its length
  let oldLen = 0;
  let o = at;
  while (o < end && p + width <= nbits) {
    const i = p >>> 3;
    // reads past the input give undefined, which the bitwise operators take as 0
    const v = (src[i] << 16) | (src[i + 1] << 8) | src[i + 2];
    const code = (v >>> (24 - width - (p & 7))) & ((1 << width) - 1);
    p += width;
    if (code === 256) {
      width = 9;
      next = 258;
      old = -1;
      continue;
    }
    if (code === 257) break; // EOI
    let from: number;
    let len: number;
    if (code < next) {
      if (old === -1 && code > 255) throw new Error(`LZW: code ${code} follows a clear code (a literal byte must)`);
      from = start[code];
      len = length[code];
    } else if (code === next && old !== -1) {
      // the previous string and its own first byte (KwKwK): the forward copy repeats it
      from = oldPos;
      len = oldLen + 1;
    } else {
      throw new Error(`LZW: code ${code} is beyond the table (${next} entries)`);
    }
    if (o + len > end) len = end - o; // more data than the segment holds: the rest is dropped
    // byte by byte forward, so that a string overlapping its source (KwKwK) repeats as it should
    buf[o] = buf[from];
    buf[o + 1] = buf[from + 1];
    buf[o + 2] = buf[from + 2];
    buf[o + 3] = buf[from + 3];
    for (let k = 4; k < len; k++) buf[o + k] = buf[from + k];
    if (old !== -1) {
      if (next < 4096) {
        // the new entry: the previous string and this one's first byte, adjacent in the output
        start[next] = oldPos;
        length[next] = oldLen + 1;
      }
      // past a full table the entries are not kept, only counted (LZW_PAST_FULL)
      if (++next > 4096 + LZW_PAST_FULL) throw new Error(LZW_PAST_FULL_MESSAGE);
      if (next === (1 << width) - 1 && width < 12) width++;
    }
    old = code;
    oldPos = o;
    oldLen = len;
    o += len;
  }
  return o;
}
