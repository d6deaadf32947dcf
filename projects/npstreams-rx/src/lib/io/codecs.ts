import { CODECS_WASM } from './codecs-wasm';
import { LZW_PAST_FULL, LZW_PAST_FULL_MESSAGE } from './lzw';

/**
 * The decoders' inner loops in wasm (codecs.wat): LZW strips and 16-bit gray PNG rows, two to
 * three times the speed of the same loops in JavaScript. One instance per thread, its memory grown
 * to the largest image met (and kept). Where wasm cannot run (a platform without it), every
 * function returns null and the decoders run their JavaScript loops.
 */
interface Exports {
  memory: WebAssembly.Memory;
  lzw_decode(src: number, n: number, buf: number, at: number, end: number, tab: number, pastFull: number): number;
  png_gray16(raw: number, width: number, height: number, out: number): number;
}

let instance: Exports | null | undefined;
let enabled = true;

/** Turns the wasm loops off (and on again): the specs check the JavaScript loops that run where
 * wasm cannot against the same files. */
export function useCodecsWasm(on: boolean): void {
  enabled = on;
}

function codecs(): Exports | null {
  if (!enabled) return null;
  if (instance === undefined) {
    try {
      const bytes = Uint8Array.from(atob(CODECS_WASM), (c) => c.charCodeAt(0));
      instance = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as Exports;
    } catch {
      instance = null;
    }
  }
  return instance;
}

/** The module's memory, at least `bytes` long (grown in whole 64 KiB pages). */
function memory(wasm: Exports, bytes: number): Uint8Array {
  const have = wasm.memory.buffer.byteLength;
  if (bytes > have) wasm.memory.grow(Math.ceil((bytes - have) / 65536));
  return new Uint8Array(wasm.memory.buffer);
}

const TABLES = 32768; // 4096 string addresses and 4096 lengths (i32)
/** The largest image lzwDecodeWasm makes (64 MiB). */
const WASM_LZW_MAX = 2 ** 26;
/** What lzw_decode returns where more than LZW_PAST_FULL codes follow a full table. */
const PAST_FULL = -5000;

/** One LZW-compressed segment and where its `size` bytes go in the image. */
export interface LzwSegment {
  src: Uint8Array;
  at: number;
  size: number;
}

/**
 * LZW segments decoded into `out` (each at its place; zero-filled where its data ends early), or
 * false where wasm is not available or the image is larger than 64 MiB. Throws on a code that
 * cannot occur, naming the segment.
 */
export function lzwDecodeWasm(segments: readonly LzwSegment[], out: Uint8Array, name: (k: number) => string): boolean {
  const wasm = codecs();
  // the image is made in the module's memory and copied out: twice its size, for good; an image
  // past 64 MiB (beyond 4096x4096 float32) is left to the JS loop, which writes it in place
  if (!wasm || out.length > WASM_LZW_MAX) return false;
  // [tables][bytes 0..255][the image][3 bytes of slack][a segment's input][2 zero bytes]
  const image = TABLES + 256;
  const input = image + out.length + 3;
  const longest = segments.reduce((n, s) => Math.max(n, s.src.length), 0);
  let mem = memory(wasm, input + longest + 2);
  for (let c = 0; c < 256; c++) mem[TABLES + c] = c;
  segments.forEach(({ src, at, size }, k) => {
    mem = new Uint8Array(wasm.memory.buffer);
    mem.set(src, input);
    mem[input + src.length] = 0;
    mem[input + src.length + 1] = 0;
    const end = image + at + size;
    const o = wasm.lzw_decode(input, src.length, TABLES, image + at, end, 0, LZW_PAST_FULL);
    if (o === PAST_FULL) throw new Error(`${name(k)}: ${LZW_PAST_FULL_MESSAGE}`);
    if (o < 0) throw new Error(`${name(k)}: LZW: code ${-1 - o} cannot occur there (corrupt data)`);
    if (o < end) mem.fill(0, o, end);
  });
  out.set(new Uint8Array(wasm.memory.buffer, image, out.length));
  return true;
}

/**
 * Where pngGray16Wasm reads a 16-bit gray PNG's inflated rows: the codecs' memory from byte 0,
 * rows + 1 bytes (an inflate's byte of slack), grown to hold the samples too; null without wasm.
 * Valid until the codecs' memory is used for something else: fill it and call pngGray16Wasm with
 * no await between.
 */
export function pngGray16Input(width: number, height: number): Uint8Array | null {
  const wasm = codecs();
  if (!wasm) return null;
  const rows = height * (2 * width + 1);
  return memory(wasm, rows + 2 * width * height).subarray(0, rows + 1);
}

/**
 * A 16-bit gray PNG's inflated rows unfiltered into samples (`out`, width·height of them), or
 * false where wasm is not available. Throws naming a row whose filter type PNG does not define.
 * Rows already in place (pngGray16Input) are not copied.
 */
export function pngGray16Wasm(raw: Uint8Array, width: number, height: number, out: Uint16Array): boolean {
  const wasm = codecs();
  if (!wasm) return false;
  const rows = height * (2 * width + 1);
  const samples = 2 * width * height;
  const mem = memory(wasm, rows + samples);
  if (!(raw.buffer === mem.buffer && raw.byteOffset === 0)) mem.set(raw.subarray(0, rows), 0);
  const bad = wasm.png_gray16(0, width, height, rows);
  if (bad > 0) throw new Error(`row ${bad - 1} has filter type ${mem[(bad - 1) * (2 * width + 1)]}, which PNG does not define`);
  new Uint8Array(out.buffer, out.byteOffset, samples).set(new Uint8Array(wasm.memory.buffer, rows, samples));
  return true;
}
