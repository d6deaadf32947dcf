import { sumAddF32, sumValueF32 } from '../shared/loops';
import { accumulatorsInstance } from './module';

/** Floats a chunk holds: 64 KiB, folded while in cache (as kernels/wasm/frames.ts does). */
export const SLAB_CHUNK = 16384;

interface Kernels {
  sum_add_f32(acc: number, x: number, out: number, n: number, n4: number): void;
  sum_value_f32(acc: number, out: number, n: number, n4: number, divisor: number): void;
  widen16_f32(src: number, dst: number, n: number, signed: number): void;
}

/**
 * The compensated float32 sum (kernels/reference/sum.ts: planes hi and lo) of elements
 * [from, to) of frames of n elements, in a wasm memory of its own: the library's fused kernel
 * (accumulators.wat, sum_add_f32) over the elements below n - n mod 4 and its JS loop
 * (kernels/shared/loops.ts) over the last ones, as the wasm backend runs them over a whole frame.
 * So slabs folded apart, on any threads, hold the same numbers as one reduceSum/reduceMean of
 * the frames on the wasm backend, bit for bit. No tfjs: a thread that only reads and folds starts
 * in milliseconds. `from` is a multiple of 4.
 */
export class SlabSum {
  /** The chunk a frame's elements are put in before they are folded (float32). */
  readonly staging: Float32Array;
  /** Bytes beside the staging chunk, for samples read as they are stored before conversion. */
  readonly raw: Uint8Array;
  /** Frames folded so far. */
  count = 0;
  private readonly kernels: Kernels;
  private readonly memory: WebAssembly.Memory;
  private readonly m: number;
  private readonly acc: number;
  private readonly at: number;
  private readonly n4: number;

  constructor(
    /** Elements a frame holds. */
    readonly n: number,
    /** The first element of the slab (a multiple of 4). */
    readonly from: number,
    /** One past the slab's last element. */
    readonly to: number,
    /** Elements a chunk holds (SLAB_CHUNK: folds of several frames at once keep their chunk of the
     * state in cache; one frame at a time may take larger ones, fewer views made per frame). */
    readonly chunk = SLAB_CHUNK,
  ) {
    if (from % 4 !== 0 || !(0 <= from && from <= to && to <= n)) throw new RangeError(`SlabSum: [${from}, ${to}) is not a slab of ${n} elements starting at a multiple of 4`);
    this.m = to - from;
    this.n4 = n - (n % 4);
    this.at = 64;
    const rawAt = this.at + 4 * chunk;
    this.acc = rawAt + 4 * chunk;
    const bytes = this.acc + 8 * this.m;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536), maximum: 65536 });
    this.kernels = accumulatorsInstance<Kernels>(this.memory);
    this.staging = new Float32Array(this.memory.buffer, this.at, chunk);
    this.raw = new Uint8Array(this.memory.buffer, rawAt, 4 * chunk);
  }

  /**
   * Folds frames in, in order: `fills[k](g, c, staging)` puts frame k's elements g..g+c-1 (global
   * indices) as float32 into staging[0..c). The frames go chunk by chunk, all of them through a
   * chunk while its part of the state is in cache: the state is read and written from memory
   * once per call, not once per frame (per element, the arithmetic is the same).
   */
  add(...fills: ((g: number, c: number, staging: Float32Array) => void)[]): void {
    const { m, from, to, acc, at, kernels, n4, chunk } = this;
    const planes = new Float32Array(this.memory.buffer, acc, 2 * m);
    // no allocation per chunk but the last's view (a long fold on the main thread would otherwise
    // make V8 double its young generation, 16 MB of RSS, after some hundred frames)
    for (let g = from; g < to; g += chunk) {
      const c = Math.min(chunk, to - g);
      const local = g - from;
      const c4 = Math.max(0, Math.min(c, n4 - g));
      const staging = c === chunk ? this.staging : this.staging.subarray(0, c);
      for (let k = 0; k < fills.length; k++) {
        fills[k](g, c, staging);
        if (this.count + k === 0) {
          // the first frame is the sum (sumInit: hi = x, lo = 0; the memory starts zeroed)
          planes.set(staging, local);
          continue;
        }
        if (c4 > 0) kernels.sum_add_f32(acc + 4 * local, at, acc + 4 * local, m, c4);
        if (c4 < c) {
          // the last n mod 4 elements of the frame: the JS loop, on views starting at them
          const tail = c - c4;
          const view = new Float32Array(this.memory.buffer, acc + 4 * (local + c4), m + tail);
          sumAddF32(view, this.staging.subarray(c4, c), view, m, 0, tail);
        }
      }
    }
    this.count += fills.length;
  }

  /** The first c samples in `raw`, 16-bit integers (int16 where `signed`), as float32 into
   * staging (exact; in wasm SIMD). */
  widen16(c: number, signed: boolean): void {
    this.kernels.widen16_f32(this.raw.byteOffset, this.at, c, signed ? 1 : 0);
  }

  /** (hi + lo) / divisor of the slab, as sumValue gives it (a copy: the state stays). */
  value(divisor: number): Float32Array {
    const { m, from, acc, n4, kernels } = this;
    const out = new Float32Array(m);
    for (let local = 0; local < m; local += this.chunk) {
      const c = Math.min(this.chunk, m - local);
      const c4 = Math.max(0, Math.min(c, n4 - (from + local)));
      if (c4 > 0) kernels.sum_value_f32(acc + 4 * local, this.at, m, c4, divisor);
      out.set(this.staging.subarray(0, c4), local);
      if (c4 < c) {
        const k = c - c4;
        const view = new Float32Array(this.memory.buffer, acc + 4 * (local + c4), m + k);
        sumValueF32(view, out.subarray(local + c4, local + c), m, divisor, 0, k);
      }
    }
    return out;
  }
}
