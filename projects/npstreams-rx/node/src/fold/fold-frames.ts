import type { FrameData } from '../../../src/lib/io/frame';
import { SlabSum } from './slab-sum';

// The thread that folds whole frames others decoded (fold-decoded.ts): its sums, one per fold
// under way, by the id its fold chose.
const sums = new Map<number, SlabSum>();

/** A fold of frames of n elements starts (a compensated float32 sum, as fold-slab.ts's). */
export function startFrames(id: number, n: number): void {
  sums.set(id, new SlabSum(n, 0, n));
}

/** Folds one frame, in order, and gives its memory back (to decode into again). */
export function foldFrame(id: number, data: FrameData): ArrayBuffer {
  const sum = sums.get(id);
  if (!sum) throw new Error(`foldFrame: no fold ${id} under way on this thread`);
  if (data.length !== sum.n) throw new RangeError(`foldFrame: a frame of ${data.length} elements in a fold of ${sum.n}`);
  sum.add((g, c, staging) => staging.set(data.subarray(g, g + c)));
  return data.buffer as ArrayBuffer;
}

/** The fold's result, (hi + lo) / divisor, and its end. */
export function endFrames(id: number, divisor: number): Float32Array {
  const sum = sums.get(id);
  sums.delete(id);
  if (!sum) throw new Error(`endFrames: no fold ${id} under way on this thread`);
  return sum.value(divisor);
}
