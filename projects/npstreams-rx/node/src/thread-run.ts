import { Subject, type Subscription } from 'rxjs';
import {
  type BackendName,
  type FormatName,
  FrameBatch,
  type Frame,
  type PartialRecipe,
  type PartialResult,
  disposePartial,
  ɵloadAs as loadAs,
  ɵpartialOperatorOf as partialOperatorOf,
  serializePartial,
  useBackend,
} from 'npstreams-rx';
import { readNodeSource } from './load';

/** A shard of a run pushed to one worker thread (parallelReduce's, or a queue worker's): frames
 * (moved to it) or files (read by it). */
export interface ShardTask {
  recipe: PartialRecipe;
  frames?: Frame[];
  paths?: string[];
  loader?: FormatName;
  skipBad?: boolean;
}

/** What a push answers: the frames it added and the files it skipped. */
export interface PushOutcome {
  frames: number;
  skipped: { file: string; message: string }[];
}

/**
 * One run's stream in this thread: every shard pushed to it flows through one running
 * `partials` operator, so the state accumulates in place across shards (no merge inside a
 * thread); finishing completes the stream and answers with the partial result's bytes.
 */
interface ThreadRun {
  subject: Subject<Frame | FrameBatch>;
  subscription: Subscription;
  partial: PartialResult | null;
  error: unknown;
}

const runs = new Map<string, ThreadRun>();
let ready: Promise<unknown> | null = null;
/** Frames per FrameBatch: the frames a worker holds at once beyond the one being read. */
const BATCH = 8;
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function start(recipe: PartialRecipe): ThreadRun {
  const run: ThreadRun = { subject: new Subject<Frame | FrameBatch>(), subscription: null as unknown as Subscription, partial: null, error: null };
  run.subscription = run.subject.pipe(partialOperatorOf(recipe)).subscribe({
    next: (p) => (run.partial = p as PartialResult),
    error: (err: unknown) => (run.error = err),
  });
  return run;
}

/** Adds a shard to the run's stream (started at its first shard), on this thread's backend. */
export async function pushShard(id: string, task: ShardTask, backend: BackendName = 'cpu'): Promise<PushOutcome> {
  ready ??= useBackend(backend);
  await ready;
  let run = runs.get(id);
  if (!run) runs.set(id, (run = start(task.recipe)));
  const skipped: PushOutcome['skipped'] = [];
  let frames = 0;
  /** Names the file(s) behind an error the operator reported (synchronously) for what was pushed. */
  const blame = (files: (string | undefined)[]): void => {
    const named = files.filter(Boolean);
    if (run.error instanceof Error && named.length) run.error = new Error(`${named.join(', ')}: ${run.error.message}`, { cause: run.error });
  };
  // float32 frames of one shape go as FrameBatches of up to BATCH (the state read once per batch)
  let pending: (Frame & { file?: string })[] = [];
  const flush = (): void => {
    const group = pending;
    pending = [];
    if (group.length === 0 || run.error) return;
    run.subject.next(
      group.length === 1
        ? group[0]
        : new FrameBatch(
            group.map((f) => f.data as Float32Array),
            group[0].shape,
          ),
    );
    frames += group.length;
    if (run.error) blame(group.map((f) => f.file));
  };
  const add = (frame: Frame & { file?: string }): void => {
    if (pending.length && (!(frame.data instanceof Float32Array) || !sameShape(frame.shape, pending[0].shape))) flush();
    pending.push(frame);
    if (!(frame.data instanceof Float32Array) || pending.length === BATCH) flush();
  };
  if (task.paths) {
    const loaded = loadAs('reduceFiles', task.paths, readNodeSource, {
      loader: task.loader,
      skipBad: task.skipBad,
      onSkip: (e) => skipped.push({ file: e.file, message: e.message }),
    });
    await new Promise<void>((resolve, reject) => loaded.subscribe({ next: add, error: reject, complete: resolve }));
  } else {
    for (const frame of task.frames ?? []) add(frame);
  }
  flush();
  if (run.error) throw run.error;
  return { frames, skipped };
}

/** Completes the run's stream: the bytes of its partial result (null if no shard came here). */
export async function finishRun(id: string): Promise<Uint8Array | null> {
  const run = runs.get(id);
  if (!run) return null;
  runs.delete(id);
  run.subject.complete();
  try {
    if (run.error) throw run.error;
    return run.partial ? await serializePartial(run.partial) : null;
  } finally {
    if (run.partial) disposePartial(run.partial);
    run.subscription.unsubscribe();
  }
}

/** Drops a run (its reduction failed or was cancelled elsewhere). */
export function abandonRun(id: string): void {
  const run = runs.get(id);
  if (!run) return;
  runs.delete(id);
  run.subscription.unsubscribe(); // the operator releases its state
  if (run.partial) disposePartial(run.partial);
}
