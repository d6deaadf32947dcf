/// <reference types="node" />
// foldFiles for files that must be decoded whole (PNG, compressed TIFF, JPEG...) on several
// threads, light as fold-values.ts: `workers` threads decode files, this one folds their frames in
// the files' order (SlabSum, the fused kernel in a wasm memory of its own; no tfjs arithmetic). A frame's
// memory comes from the thread that decoded it and goes back to a decoding one, moved, not copied.
// This thread folds rather than one more: a thread's heap and its copy of the code is memory too
// (about 10 MB, and the fold state there lived until the thread ended), and this one only waited.
import type { DecodeLimits, FormatName } from 'npstreams-rx';
import type { DecodeOutcome } from '../decode-pool';
import type { threadPool } from '../thread-pool';
import { type SlabError, type SlabEvent, type SlabOutcome, overdue, sameShape, unreadable, wrongShape } from './slab-protocol';

/** What a fold of decoded frames needs (foldFileValues' options, checked, and the first shape). */
export interface DecodedFold {
  paths: readonly string[];
  shape: readonly number[];
  loader?: FormatName;
  skipBad: boolean;
  operator: string;
  statistic: 'mean' | 'sum';
  limits: DecodeLimits;
  deadline: number;
  /** The decoding threads (the pool `run` runs on). */
  workers: number;
}

type Pool = ReturnType<typeof threadPool>;
type Settled = { outcome: DecodeOutcome } | { failure: unknown; late: boolean };

/**
 * Decodes the files on the `workers` threads of the pool (read-ahead: at most workers + 1 files
 * decoded or decoding beyond the one being folded: a frame each, the fewest that keep every thread
 * decoding) and folds their frames on this thread, in the files' order, with the kernel and sum of
 * the slab folds: the same numbers, bit for bit. Once every file is decoded, the pool's threads
 * end (`terminate`), their memory with them, before the result is made.
 * The refusals are the slab folds' too (a file named, with skipBad reported in order, a frame of
 * another shape, a file past the deadline: its thread stopped and replaced).
 */
export async function foldDecoded(fold: DecodedFold, { run, terminate }: Pool, emit: (event: SlabEvent) => void): Promise<SlabOutcome> {
  const { paths, shape, loader, skipBad, operator, statistic, limits, deadline, workers } = fold;
  const n = shape.reduce((a, b) => a * b, 1);
  const pending = new Map<number, Promise<Settled>>();
  // frames' memory, folded, on its way back to a decoding thread
  const spares: ArrayBuffer[] = [];
  let [next, running, stopped] = [0, 0, false];
  const pump = (): void => {
    while (!stopped && next < paths.length && running < workers && pending.size < workers + 1) {
      const index = next++;
      // one buffer back per file: what a file's frame took away (more would pile up in the thread)
      const give = spares.splice(0, 1);
      // armed as the file starts: fewer files running than threads, so one is free for it
      const timer = AbortSignal.timeout(deadline);
      running++;
      const settled = run<DecodeOutcome>('decode', [paths[index], loader, give, limits], give, timer).then(
        (outcome): Settled => ({ outcome }),
        (failure: unknown): Settled => ({ failure, late: timer.aborted }),
      );
      pending.set(index, settled);
      void settled.then(() => {
        running--;
        pump();
      });
    }
  };
  const fileError = (index: number, message: string): { error: SlabError } => ({ error: { kind: 'file', file: paths[index], index, message } });
  try {
    // the slab folds' sum (kernels/wasm/slab-sum.ts), from the library's entry, which the caller
    // loads anyway (foldFiles makes a tensor, the command saves); one frame at a time, in chunks
    // of 1 MiB: a view or two made per chunk (V8's young generation stays as it is over
    // thousands of frames)
    const { ɵSlabSum: SlabSum } = await import('npstreams-rx');
    const sum = new SlabSum(n, 0, n, 1 << 18);
    let count = 0;
    pump();
    for (let index = 0; index < paths.length; index++) {
      const settled = await pending.get(index)!;
      pending.delete(index);
      pump();
      if ('failure' in settled) {
        if (settled.late) return fileError(index, overdue(deadline));
        throw settled.failure;
      }
      const { outcome } = settled;
      if ('error' in outcome) {
        const reason = outcome.error.stage === 'read' ? unreadable(outcome.error.message) : outcome.error.message;
        if (!skipBad) return fileError(index, reason);
        emit({ skipped: index, reason });
        continue;
      }
      const { frames } = outcome;
      for (const [k, frame] of frames.entries()) {
        const { data } = frame;
        if (!sameShape(frame.shape, shape)) return { error: wrongShape(operator, frame.shape, shape, paths[index], count) };
        sum.add((g, c, staging) => staging.set(data.subarray(g, g + c)));
        count++;
        // the memory goes back to a decoding thread once no later frame of the file views it
        const last = !frames.slice(k + 1).some((f) => f.data.buffer === data.buffer);
        if (last && spares.length < workers + 2) spares.push(data.buffer as ArrayBuffer);
      }
      emit({ file: index, frames: count });
    }
    // every file decoded: the decoding threads go, with their memory, before the result is made
    await terminate();
    const values = sum.value(statistic === 'mean' ? Math.max(1, count) : 1);
    return { values, count };
  } finally {
    // decodes still under way end with their threads (foldFileValues stops them)
    stopped = true;
  }
}
