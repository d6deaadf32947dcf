/// <reference types="node" />
// foldFiles for files that must be decoded whole (PNG, compressed TIFF, JPEG...) on several
// threads, light as fold-values.ts: `workers` threads decode files, another folds their frames in
// the files' order (fold-frames.ts). No frame comes near this thread's heap or tfjs: a frame goes
// from the thread that decoded it to the one that folds it, and its memory back to a decoding one,
// moved each time, not copied.
import type { DecodeLimits, FormatName } from 'npstreams-rx';
import type { DecodeOutcome } from '../decode-pool';
import { decodeScriptUrl, threadPool } from '../thread-pool';
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

type Run = ReturnType<typeof threadPool>['run'];
type Settled = { outcome: DecodeOutcome } | { failure: unknown; late: boolean };

/** Ids of the folds under way in this process (a folding thread can tell them apart). */
let folds = 0;

/**
 * Decodes the files on the `workers` threads of `run` (read-ahead: at most 2 x workers + 1 files
 * decoded or decoding beyond the one being folded) and folds their frames on a thread of its own,
 * in the files' order, with the kernel and sum of the slab folds: the same numbers, bit for bit.
 * The refusals are the slab folds' too (a file named, with skipBad reported in order, a frame of
 * another shape, a file past the deadline: its thread stopped and replaced).
 */
export async function foldDecoded(fold: DecodedFold, run: Run, emit: (event: SlabEvent) => void): Promise<SlabOutcome> {
  const { paths, shape, loader, skipBad, operator, statistic, limits, deadline, workers } = fold;
  const n = shape.reduce((a, b) => a * b, 1);
  const folder = threadPool(decodeScriptUrl(), 1);
  const id = ++folds;
  const pending = new Map<number, Promise<Settled>>();
  // frames' memory, folded, on its way back to a decoding thread
  const spares: ArrayBuffer[] = [];
  let [next, running, stopped] = [0, 0, false];
  const pump = (): void => {
    while (!stopped && next < paths.length && running < workers && pending.size < 2 * workers + 1) {
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
    await folder.run('startFrames', [id, n]);
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
        // a buffer that later frames of the file view too goes as a copy of this frame's part
        const shared = frames.slice(k + 1).some((f) => f.data.buffer === data.buffer);
        const moving = shared ? data.slice() : data;
        const memory = await folder.run<ArrayBuffer>('foldFrame', [id, moving], [moving.buffer as ArrayBuffer]);
        count++;
        if (!shared && spares.length < 2 * workers + 2) spares.push(memory);
      }
      emit({ file: index, frames: count });
    }
    const values = await folder.run<Float32Array>('endFrames', [id, statistic === 'mean' ? Math.max(1, count) : 1]);
    return { values, count };
  } finally {
    // decodes still under way end with their threads (foldFileValues stops them)
    stopped = true;
    await folder.terminate();
  }
}
