/// <reference types="node" />
import { randomUUID } from 'node:crypto';
import { type Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { EmptyStreamError, OptionError, type PartialOf, type PartialResult, deserializePartial, disposePartial, ɵbackendReady as backendReady, ɵtravels as travels } from 'npstreams-rx';
import { foldPartial } from '../parallel-reduce';
import { Observable, type OperatorFunction, type Subscription } from 'rxjs';
import { type QueueTlsOptions, bullConnection, parseQueueUrl } from './connection';
import { SHARD_JOB, type ShardJob, type ShardOutcome, type ShardProgress } from './shard';

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

/** The run failed: a shard failed for good, or the queue was lost. Names the shard and files. */
export class QueueRunError extends Error {
  constructor(
    message: string,
    /** Why: `shard`, a shard failed for good (or its state was lost or does not merge);
     * `redis`, the queue was unreachable for longer than `timeoutMs`. */
    readonly reason: 'shard' | 'redis',
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'QueueRunError';
  }
}

interface ShardEntry {
  index: number;
  files: string[];
  submitted: number;
  progress: ShardProgress;
  outcome: ShardOutcome | null;
  state: PartialResult | null;
  done: boolean;
  /** A look at its job is under way (the event and the poll may both ask). */
  checking: boolean;
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
  const connection = parseQueueUrl(options.queue, options.tls);
  const queueName = options.name ?? 'npstreams-rx';
  const attempts = options.attempts ?? 3;
  const timeoutMs = options.timeoutMs ?? 10_000;
  return (source) =>
    new Observable<PartialResult<object, O>>((subscriber) => {
      const run = options.run ?? randomUUID();
      const redis = new Redis({ ...connection.options, maxRetriesPerRequest: 1, enableOfflineQueue: true, retryStrategy: (times) => Math.min(100 * times, 1000) });
      const queue = new Queue(queueName, { connection: redis });
      // made once Redis answers (a blocking connection of its own; one that never connected cannot be closed)
      let events: QueueEvents | null = null;
      const shards: ShardEntry[] = [];
      const progress: QueueProgress = { frames: 0, files: 0, total: 0, shards: 0, merged: 0, retried: 0, workers: [], timings: [] };
      let merged: PartialResult | null = null;
      let nextToMerge = 0;
      let sourceDone = false;
      let finished = false;
      let downSince: number | null = null;
      let lastRedisError = '';
      let sourceSubscription: Subscription | null = null;
      const adds: Promise<unknown>[] = [];

      const report = () => {
        progress.frames = shards.reduce((n, s) => n + (s.outcome?.frames ?? s.progress.frames), 0);
        progress.files = shards.reduce((n, s) => n + (s.outcome?.files ?? s.progress.files), 0);
        options.onProgress?.({ ...progress, workers: [...progress.workers], timings: [...progress.timings] });
      };
      const fail = (err: Error) => {
        if (finished) return;
        finished = true;
        subscriber.error(err);
      };
      /** A shard's job id, and back (-1: another run's job). */
      const jobId = (index: number) => `${run}-${index}`;
      const jobIndex = (id: string | undefined): number => {
        const prefix = `${run}-`;
        return id?.startsWith(prefix) ? Number(id.slice(prefix.length)) : -1;
      };

      // Redis lost for longer than timeoutMs fails the run (ioredis reconnects meanwhile)
      const onDown = (err?: Error) => {
        if (err) lastRedisError = connection.redact(err.message);
        downSince ??= Date.now();
      };
      redis.on('error', onDown);
      redis.on('close', () => onDown());
      redis.on('ready', () => (downSince = null));
      queue.on('error', (err) => onDown(err as Error));
      const watchdog = setInterval(() => {
        if (downSince !== null && Date.now() - downSince > timeoutMs) {
          fail(
            new QueueRunError(
              `${operator}: lost the queue at ${connection.display} for ${(timeoutMs / 1000).toFixed(0)} s${lastRedisError ? ` (${lastRedisError})` : ''}: the run is abandoned, no result`,
              'redis',
            ),
          );
        }
      }, 200);

      /** Merges the states in shard order, as far as they are there; emits at the end. */
      const mergeReady = () => {
        while (nextToMerge < shards.length && shards[nextToMerge].done) {
          const entry = shards[nextToMerge++];
          const next = entry.state;
          entry.state = null;
          if (!next) continue;
          const previous = merged;
          merged = null; // foldPartial releases it, merged or not
          try {
            merged = foldPartial(previous, next);
          } catch (err) {
            fail(new QueueRunError(`${operator}: shard ${entry.index} does not merge with the shards before it: ${(err as Error).message}`, 'shard', { cause: err }));
            return;
          }
        }
        if (sourceDone && nextToMerge === shards.length && !finished) {
          finished = true;
          const result = merged;
          merged = null;
          if (!result) {
            subscriber.error(new EmptyStreamError(operator));
            return;
          }
          subscriber.next(result as PartialResult<object, O>);
          subscriber.complete();
        }
      };

      /** Looks at a shard's job: takes its state when completed (once), fails the run when failed for good. */
      const check = async (entry: ShardEntry) => {
        if (entry.done || finished) return;
        // the state first, then the job: a job read before it finished has no return value yet
        const state = await queue.getJobState(jobId(entry.index));
        if ((state !== 'failed' && state !== 'completed') || entry.done || finished) return;
        const job: Job | undefined = await queue.getJob(jobId(entry.index));
        if (!job || entry.done || finished) return;
        if (state === 'failed') {
          const files = entry.files.length > 3 ? `${entry.files.slice(0, 3).join(', ')} and ${entry.files.length - 3} more` : entry.files.join(', ');
          fail(new QueueRunError(`${operator}: shard ${entry.index} (${files}) failed after ${job.attemptsMade} attempt(s): ${connection.redact(job.failedReason ?? 'no reason given')}`, 'shard'));
          return;
        }
        const outcome = job.returnvalue as ShardOutcome | null;
        if (!outcome) return; // not written yet: the next look takes it
        let partial: PartialResult | null = null;
        if (outcome.stateKey) {
          const bytes = await redis.getBuffer(outcome.stateKey);
          if (entry.done || finished) return;
          if (!bytes) throw new QueueRunError(`${operator}: shard ${entry.index}'s state is gone from ${outcome.stateKey} (expired?)`, 'shard');
          partial = deserializePartial(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
          void redis.del(outcome.stateKey).catch(() => undefined);
        }
        entry.done = true;
        entry.outcome = outcome;
        entry.state = partial;
        progress.merged++;
        if (job.attemptsStarted > 1 || job.stalledCounter > 0) progress.retried++;
        if (!progress.workers.includes(outcome.worker)) progress.workers.push(outcome.worker);
        progress.timings.push({ shard: entry.index, workerMs: outcome.ms, roundTripMs: Date.now() - entry.submitted });
        for (const s of outcome.skipped) options.onSkip?.(s.file, s.message);
        report();
        mergeReady();
      };
      const checkSafely = async (entry: ShardEntry) => {
        if (entry.checking || entry.done) return;
        entry.checking = true;
        try {
          await check(entry);
        } catch (err) {
          // a command that failed while Redis was away: the watchdog decides; anything else ends the run
          if (!(err instanceof QueueRunError) && redis.status !== 'ready') onDown(err as Error);
          else fail(err instanceof QueueRunError ? err : new QueueRunError(`${operator}: shard ${entry.index}: ${connection.redact((err as Error).message)}`, 'shard', { cause: err }));
        } finally {
          entry.checking = false;
        }
      };

      const listen = (e: QueueEvents) => {
        e.on('error', (err) => onDown(err as Error));
        // a job that ended: look at it now (checkSafely takes a shard's state once, by index)
        const ended = ({ jobId }: { jobId: string }) => {
          const entry = shards[jobIndex(jobId)];
          if (entry) void checkSafely(entry);
        };
        e.on('completed', ended);
        e.on('failed', ended);
        e.on('progress', ({ jobId, data }) => {
          const entry = shards[jobIndex(jobId)];
          const p = data as ShardProgress;
          if (entry && !entry.done && typeof p?.frames === 'number') {
            entry.progress = { frames: p.frames, files: p.files };
            report();
          }
        });
      };
      // the events are a shortcut: every pending shard is also looked at each second
      const poll = setInterval(() => {
        for (const entry of shards.slice(nextToMerge, nextToMerge + 64)) if (!entry.done) void checkSafely(entry);
      }, 1000);

      void (async () => {
        try {
          // the states are read back into tensors here: a backend must be ready
          await backendReady();
          await queue.waitUntilReady();
          if (finished) return;
          events = new QueueEvents(queueName, { connection: bullConnection(connection.options) });
          listen(events);
          await events.waitUntilReady();
        } catch (err) {
          onDown(err as Error);
          return;
        }
        if (finished) return;
        sourceSubscription = source.subscribe({
          next: (input) => {
            const files = Array.isArray(input) ? input : input.files;
            const index = shards.length;
            const entry: ShardEntry = { index, files: [...files], submitted: Date.now(), progress: { frames: 0, files: 0 }, outcome: null, state: null, done: false, checking: false };
            shards.push(entry);
            progress.shards = shards.length;
            progress.total += files.length;
            if (files.length === 0) {
              entry.done = true;
              mergeReady();
              return;
            }
            const data: ShardJob = { kind: SHARD_JOB, version: 1, run, shard: index, files: entry.files, recipe: statistic.recipe, skipBad: options.skipBad ?? false };
            adds.push(
              queue
                .add(SHARD_JOB, data, {
                  jobId: jobId(index),
                  attempts,
                  backoff: { type: 'exponential', delay: options.backoffMs ?? 1000 },
                  removeOnComplete: { age: 3600 },
                  removeOnFail: { age: 24 * 3600 },
                })
                .catch((err: Error) => onDown(err)),
            );
            report();
          },
          error: (err) => fail(err as Error),
          complete: () => {
            sourceDone = true;
            mergeReady();
          },
        });
      })();

      return () => {
        finished = true;
        sourceSubscription?.unsubscribe();
        clearInterval(watchdog);
        clearInterval(poll);
        if (merged) disposePartial(merged);
        for (const entry of shards) if (entry.state) disposePartial(entry.state);
        const unmerged = shards.filter((s) => !s.done);
        void (async () => {
          // the run's jobs still waiting go, and any state left behind
          if (redis.status === 'ready') {
            await Promise.allSettled(adds);
            await Promise.allSettled(unmerged.map(async (s) => (await queue.getJob(jobId(s.index)))?.remove()));
          }
          // closing waits for Redis: when it is gone, give up after a moment and drop the sockets
          const closed = Promise.allSettled([events?.close(), queue.close(), redis.quit()]);
          await Promise.race([closed, new Promise((r) => setTimeout(r, redis.status === 'ready' ? 5000 : 500).unref())]);
        })()
          .catch(() => undefined)
          .finally(() => {
            void events?.disconnect().catch(() => undefined);
            void queue.disconnect().catch(() => undefined);
            redis.disconnect();
          });
      };
    });
}
