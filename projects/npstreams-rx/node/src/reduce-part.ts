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

/** A share of a parallel reduction pushed to one worker: frames (moved to it) or files (read by it). */
export interface PartTask {
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
 * One job's stream in this worker: every share pushed to it flows through one running
 * `partials` operator, so the state accumulates in place across shares (no merge inside a
 * worker); `finish` completes the stream and answers with the partial result's bytes.
 */
interface Job {
  subject: Subject<Frame | FrameBatch>;
  subscription: Subscription;
  partial: PartialResult | null;
  error: unknown;
}

const jobs = new Map<string, Job>();
let ready: Promise<unknown> | null = null;
/** Frames per FrameBatch: the frames a worker holds at once beyond the one being read. */
const BATCH = 8;
const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((d, i) => d === b[i]);

function start(recipe: PartialRecipe): Job {
  const job: Job = { subject: new Subject<Frame | FrameBatch>(), subscription: null as unknown as Subscription, partial: null, error: null };
  job.subscription = job.subject.pipe(partialOperatorOf(recipe)).subscribe({
    next: (p) => (job.partial = p as PartialResult),
    error: (err: unknown) => (job.error = err),
  });
  return job;
}

/** Adds a share to the job's stream (started at its first share), on this thread's backend. */
export async function pushShare(id: string, task: PartTask, backend: BackendName = 'cpu'): Promise<PushOutcome> {
  ready ??= useBackend(backend);
  await ready;
  let job = jobs.get(id);
  if (!job) jobs.set(id, (job = start(task.recipe)));
  const skipped: PushOutcome['skipped'] = [];
  let frames = 0;
  /** Names the file(s) behind an error the operator reported (synchronously) for what was pushed. */
  const blame = (files: (string | undefined)[]): void => {
    const named = files.filter(Boolean);
    if (job.error instanceof Error && named.length) job.error = new Error(`${named.join(', ')}: ${job.error.message}`, { cause: job.error });
  };
  // float32 frames of one shape go as FrameBatches of up to BATCH (the state read once per batch)
  let pending: (Frame & { file?: string })[] = [];
  const flush = (): void => {
    const group = pending;
    pending = [];
    if (group.length === 0 || job.error) return;
    job.subject.next(
      group.length === 1
        ? group[0]
        : new FrameBatch(
            group.map((f) => f.data as Float32Array),
            group[0].shape,
          ),
    );
    frames += group.length;
    if (job.error) blame(group.map((f) => f.file));
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
  if (job.error) throw job.error;
  return { frames, skipped };
}

/** Completes the job's stream: the bytes of its partial result (null if no share came here). */
export async function finishShare(id: string): Promise<Uint8Array | null> {
  const job = jobs.get(id);
  if (!job) return null;
  jobs.delete(id);
  job.subject.complete();
  try {
    if (job.error) throw job.error;
    return job.partial ? await serializePartial(job.partial) : null;
  } finally {
    if (job.partial) disposePartial(job.partial);
    job.subscription.unsubscribe();
  }
}

/** Drops a job (its reduction failed or was cancelled elsewhere). */
export function abandonShare(id: string): void {
  const job = jobs.get(id);
  if (!job) return;
  jobs.delete(id);
  job.subscription.unsubscribe(); // the operator releases its state
  if (job.partial) disposePartial(job.partial);
}
