import { type Observable, from, lastValueFrom, tap } from 'rxjs';
import {
  type BackendName,
  type FormatName,
  type Frame,
  type PartialRecipe,
  type PartialResult,
  disposePartial,
  loadWith,
  partialOperatorOf,
  serializePartial,
  useBackend,
} from 'npstreams-rx';
import { readNodeSource } from './load';

/** One worker's share of a parallel reduction: frames (moved to it) or files (read by it). */
export interface PartTask {
  recipe: PartialRecipe;
  frames?: Frame[];
  paths?: string[];
  loader?: FormatName;
  skipBad?: boolean;
}

/** What a worker sends back: its partial result as bytes (null when every file was skipped),
 * the frames it reduced and the files it skipped. */
export interface PartOutcome {
  partial: Uint8Array | null;
  frames: number;
  skipped: { file: string; message: string }[];
}

let ready: Promise<unknown> | null = null;

/** Reduces one share to its serialized partial result, on this thread's backend. */
export async function reducePart(task: PartTask, backend: BackendName = 'cpu'): Promise<PartOutcome> {
  ready ??= useBackend(backend);
  await ready;
  const skipped: PartOutcome['skipped'] = [];
  let frames = 0;
  const items: Observable<Frame> = task.paths
    ? loadWith('reducePart', task.paths, readNodeSource, { loader: task.loader, skipBad: task.skipBad, onSkip: (e) => skipped.push({ file: e.file, message: e.message }) })
    : from(task.frames ?? []);
  const counted = items.pipe(tap(() => frames++));
  let partial: PartialResult | null = null;
  try {
    partial = await lastValueFrom(counted.pipe(partialOperatorOf(task.recipe)), { defaultValue: null });
    return { partial: partial ? await serializePartial(partial) : null, frames, skipped };
  } finally {
    if (partial) disposePartial(partial);
  }
}
