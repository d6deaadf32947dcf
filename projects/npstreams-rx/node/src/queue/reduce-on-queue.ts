/// <reference types="node" />
import { OptionError, type PartialOf, type PartialResult, ɵtravels as travels } from 'npstreams-rx';
import { Observable, type OperatorFunction, type Subscriber } from 'rxjs';
import { type QueueTlsOptions, parseQueueUrl } from './connection';
import { QueueRun, type QueueRunSettings } from './queue-run';
import { RUN_ID } from './shard';

export { QueueRunError } from './queue-run';

/** A shard: the files one job reduces (in this order), as a list or as an object holding it. */
export type ShardInput =
  | string[]
  | {
      /** The shard's files, read by a worker (paths every worker sees, not globs). */
      files: string[];
    };

/** reduceOnQueue's options: where the queue is, and how the run retries, times out and reports. */
export interface QueueReduceOptions {
  /** redis://[:password@]host[:port][/db] or rediss://... (TLS). */
  queue: string;
  /** The queue's name (default 'npstreams-rx'). */
  name?: string;
  /** Skip files that do not decode (reported to onSkip) instead of failing the run. */
  skipBad?: boolean;
  /** Attempts per shard (default 3): a failed or stalled shard is run again, after a backoff. */
  attempts?: number;
  /** The first retry's delay (ms, default 1000; doubling). */
  backoffMs?: number;
  /** How long Redis may be unreachable before the run fails (ms, default 10000). */
  timeoutMs?: number;
  /** For a rediss:// URL: the certificate authority to trust (parseQueueUrl). */
  tls?: QueueTlsOptions;
  /** Called with the run's progress as shards are submitted, report frames and are merged (a
   * copy each time: keep it if you like). */
  onProgress?: (progress: QueueProgress) => void;
  /** Called for each file a worker skipped (`skipBad`), with its path and the error's message
   * (which names the file too), once its shard is merged. */
  onSkip?: (file: string, message: string) => void;
  /** The run's id (default: a random UUID): the jobs are `<run>-<shard>`. Workers accept 8 to 64
   * letters, digits, - or _. */
  run?: string;
}

/** Where a run stands, summed over its shards. */
export interface QueueProgress {
  /** Frames reduced so far (a shard that restarts after a worker's loss counts from 0 again). */
  frames: number;
  /** Files read so far. */
  files: number;
  /** Files in the shards submitted so far. */
  total: number;
  /** Shards submitted so far. */
  shards: number;
  /** Shards whose states were merged: each once. */
  merged: number;
  /** Shards that took more than one attempt (a failure or a stalled worker). */
  retried: number;
  /** The workers that reduced merged shards. */
  workers: string[];
  /** Per merged shard: the worker's time and the time from submit to merge (ms). */
  timings: {
    /** The shard's index. */
    shard: number;
    /** The milliseconds the worker spent on it. */
    workerMs: number;
    /** The milliseconds from its submission to its state being taken. */
    roundTripMs: number;
  }[];
}

/**
 * A statistic of files reduced by worker processes on other machines, through a BullMQ queue on
 * Redis (npstreams' `preduce` across machines): each shard of files the source emits becomes a
 * job (`<run>-<index>`) that any `npstreams-rx worker` (or `queueWorker`) takes, reading the
 * files itself (a shared file system, or the same paths on every machine).
 *
 * The workers' partial states are merged in shard order (deterministic), each exactly once (a
 * shard retried after a worker's loss is merged once, by index), and the merged PartialResult is
 * emitted when the source has completed and every shard is merged. A shard that fails for good
 * (`attempts` spent, or a file that does not decode without `skipBad`) fails the run with a
 * QueueRunError naming its files; Redis unreachable for `timeoutMs` fails it too. No frame at
 * all errors with an EmptyStreamError. A statistic with `weights` or a user's ufunc is refused at
 * once with an OptionError, a queue URL that cannot be used with a QueueUrlError. Unsubscribing
 * removes the run's jobs still waiting and its states.
 *
 * @param statistic The statistic: a `partials.x(...)` operator, unweighted, with a named ufunc
 *   where it takes one.
 * @param options `queue` (the Redis URL), `name` (the queue's), `skipBad`, `attempts`,
 *   `backoffMs`, `timeoutMs`, `tls`, `onProgress`, `onSkip`, `run` (the run's id).
 * @returns An operator from shards of files to the PartialResult of all their frames, emitted
 *   once. It belongs to the subscriber: read it with partialValue (new tensors, also the
 *   caller's), and dispose it with disposePartial when done.
 *
 * @example
 * ```ts
 * import { from, lastValueFrom } from 'rxjs';
 * import { disposePartial, partialValue, partials } from 'npstreams-rx';
 * import { reduceOnQueue } from 'npstreams-rx/node';
 *
 * // workers on any machine that sees /data: npx npstreams-rx worker --queue redis://127.0.0.1:6379
 * const shards = from([['/data/a.npy', '/data/b.npy'], { files: ['/data/c.npy'] }]);
 * const partial = await lastValueFrom(
 *   shards.pipe(
 *     reduceOnQueue(partials.mean(), {
 *       queue: 'redis://127.0.0.1:6379',
 *       onProgress: (p) => console.log(`${p.merged}/${p.shards} shards merged, ${p.frames} frames`),
 *     }),
 *   ),
 * );
 * const mean = partialValue(partial);
 * disposePartial(partial);
 * console.log(mean.shape);
 * mean.dispose();
 * ```
 */
export function reduceOnQueue<O>(statistic: PartialOf<O>, options: QueueReduceOptions): OperatorFunction<ShardInput, PartialResult<object, O>> {
  const operator = 'reduceOnQueue';
  if (statistic.hasWeights) throw new OptionError(`${operator}: weights do not travel to the workers (files carry none)`);
  if (!travels(statistic.recipe)) throw new OptionError(`${operator}: a user ufunc cannot run on a worker (functions do not travel); name one of the library's ufuncs`);
  if (options.run !== undefined && (typeof options.run !== 'string' || !RUN_ID.test(options.run))) {
    throw new OptionError(`${operator}: run must be 8 to 64 letters, digits, - or _ (what workers accept); received ${JSON.stringify(options.run)}`);
  }
  const settings: QueueRunSettings = {
    operator,
    recipe: statistic.recipe,
    connection: parseQueueUrl(options.queue, options.tls, `${operator}: queue`),
    queueName: options.name ?? 'npstreams-rx',
    attempts: options.attempts ?? 3,
    timeoutMs: options.timeoutMs ?? 10_000,
    options,
  };
  return (source) =>
    new Observable<PartialResult<object, O>>((subscriber) => {
      const run = new QueueRun(settings, subscriber as Subscriber<PartialResult>);
      void run.start(source);
      return () => run.teardown();
    });
}
