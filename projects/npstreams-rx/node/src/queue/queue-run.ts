/// <reference types="node" />
import { randomUUID } from 'node:crypto';
import type { Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import { EmptyStreamError, type PartialRecipe, type PartialResult, deserializePartial, disposePartial, ɵbackendReady as backendReady } from 'npstreams-rx';
import type { Observable, Subscriber, Subscription } from 'rxjs';
import { foldPartial } from '../parallel-reduce';
import { type QueueConnection, bullConnection } from './connection';
import { queuePackages } from '../peers';
import { SHARD_JOB, type ShardJob, type ShardOutcome, type ShardProgress } from './shard';
import type { QueueProgress, QueueReduceOptions, ShardInput } from './reduce-on-queue';

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

/**
 * Where a run is:
 * - `connecting`: waiting for a backend and for Redis; the source is not subscribed yet;
 * - `submitting`: each shard the source emits goes to the queue as a job;
 * - `draining`: the source has completed; the shards still out are awaited and merged;
 * - `ended`: the result was emitted, or the run failed, or it was torn down; nothing more happens.
 */
type Phase = 'connecting' | 'submitting' | 'draining' | 'ended';

/** One shard of the run: its files, and what came back for it. */
interface Shard {
  index: number;
  files: string[];
  submitted: number;
  progress: ShardProgress;
  outcome: ShardOutcome | null;
  state: PartialResult | null;
  /** Its state was taken (once, by index), or it had no files. */
  done: boolean;
  /** A look at its job is under way (the event and the poll may both ask). */
  looking: boolean;
}

/** What a run needs to know, checked by reduceOnQueue when it was made. */
export interface QueueRunSettings {
  operator: string;
  recipe: PartialRecipe;
  connection: QueueConnection;
  queueName: string;
  attempts: number;
  timeoutMs: number;
  options: QueueReduceOptions;
}

/**
 * One subscription of reduceOnQueue: its shards submitted as jobs, their states taken as the jobs
 * complete (told by QueueEvents, and looked at each second besides), merged in shard order, each
 * once, and the merged PartialResult emitted when the source has completed and every shard is
 * merged. Redis away for longer than `timeoutMs` fails it; teardown removes its waiting jobs.
 */
export class QueueRun {
  private phase: Phase = 'connecting';
  private readonly run: string;
  /** Made in start, once bullmq and ioredis are loaded (optional peers). */
  private redis!: Redis;
  private queue!: Queue;
  private connected = false;
  /** Made once Redis answers (a blocking connection of its own; one that never connected cannot be closed). */
  private events: QueueEvents | null = null;
  private readonly shards: Shard[] = [];
  private readonly progress: QueueProgress = { frames: 0, files: 0, total: 0, shards: 0, merged: 0, retried: 0, workers: [], timings: [] };
  /** The states of shards 0..nextToMerge-1, merged. */
  private merged: PartialResult | null = null;
  private nextToMerge = 0;
  /** Since when Redis has been unreachable (null: it answers). */
  private downSince: number | null = null;
  private lastRedisError = '';
  private sourceSubscription: Subscription | null = null;
  private readonly adds: Promise<unknown>[] = [];
  private readonly watchdog: ReturnType<typeof setInterval>;
  private readonly poll: ReturnType<typeof setInterval>;

  constructor(
    private readonly settings: QueueRunSettings,
    private readonly subscriber: Subscriber<PartialResult>,
  ) {
    this.run = settings.options.run ?? randomUUID();
    this.watchdog = setInterval(() => this.watch(), 200);
    // the events are a shortcut: every pending shard is also looked at each second
    this.poll = setInterval(() => {
      for (const shard of this.shards.slice(this.nextToMerge, this.nextToMerge + 64)) if (!shard.done) void this.lookSafely(shard);
    }, 1000);
  }

  /** Connects, then subscribes to the source: its shards go to the queue. */
  async start(source: Observable<ShardInput>): Promise<void> {
    const { connection, queueName, operator } = this.settings;
    let packages;
    try {
      packages = await queuePackages(operator);
    } catch (err) {
      this.fail(err as Error);
      return;
    }
    if (this.ended()) return;
    const { Queue, QueueEvents } = packages.bullmq;
    this.redis = new packages.ioredis.Redis({ ...connection.options, maxRetriesPerRequest: 1, enableOfflineQueue: true, retryStrategy: (times) => Math.min(100 * times, 1000) });
    this.queue = new Queue(queueName, { connection: this.redis });
    this.connected = true;
    // Redis lost for longer than timeoutMs fails the run (ioredis reconnects meanwhile)
    this.redis.on('error', (err) => this.down(err));
    this.redis.on('close', () => this.down());
    this.redis.on('ready', () => (this.downSince = null));
    this.queue.on('error', (err) => this.down(err as Error));
    try {
      // the states are read back into tensors here: a backend must be ready
      await backendReady();
      await this.queue.waitUntilReady();
      if (this.ended()) return;
      this.events = new QueueEvents(this.settings.queueName, { connection: bullConnection(this.settings.connection.options) });
      this.listen(this.events);
      await this.events.waitUntilReady();
    } catch (err) {
      this.down(err as Error);
      return;
    }
    if (this.ended()) return;
    this.phase = 'submitting';
    this.sourceSubscription = source.subscribe({
      next: (input) => this.submit(Array.isArray(input) ? input : input.files),
      error: (err) => this.fail(err as Error),
      complete: () => {
        if (this.phase !== 'submitting') return;
        this.phase = 'draining';
        this.mergeReady();
      },
    });
  }

  /** Stops: the source let go, the timers cleared, the states released, the run's waiting jobs
   * removed, and the connections closed (dropped if Redis does not answer). */
  teardown(): void {
    this.phase = 'ended';
    this.sourceSubscription?.unsubscribe();
    clearInterval(this.watchdog);
    clearInterval(this.poll);
    if (this.merged) disposePartial(this.merged);
    for (const shard of this.shards) if (shard.state) disposePartial(shard.state);
    if (!this.connected) return;
    const unmerged = this.shards.filter((s) => !s.done);
    const { redis, queue, events } = this;
    void (async () => {
      // the run's jobs still waiting go, and any state left behind
      if (redis.status === 'ready') {
        await Promise.allSettled(this.adds);
        await Promise.allSettled(unmerged.map(async (s) => (await queue.getJob(this.jobId(s.index)))?.remove()));
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
  }

  /** A shard's job id, and back (-1: another run's job). */
  private jobId(index: number): string {
    return `${this.run}-${index}`;
  }

  private shardOf(jobId: string | undefined): Shard | undefined {
    const prefix = `${this.run}-`;
    return jobId?.startsWith(prefix) ? this.shards[Number(jobId.slice(prefix.length))] : undefined;
  }

  /** One shard of files: a job on the queue (a shard without files is merged as nothing at once). */
  private submit(files: string[]): void {
    const { settings } = this;
    const index = this.shards.length;
    const shard: Shard = { index, files: [...files], submitted: Date.now(), progress: { frames: 0, files: 0 }, outcome: null, state: null, done: false, looking: false };
    this.shards.push(shard);
    this.progress.shards = this.shards.length;
    this.progress.total += files.length;
    if (files.length === 0) {
      shard.done = true;
      this.mergeReady();
      return;
    }
    const data: ShardJob = { kind: SHARD_JOB, version: 1, run: this.run, shard: index, files: shard.files, recipe: settings.recipe, skipBad: settings.options.skipBad ?? false };
    this.adds.push(
      this.queue
        .add(SHARD_JOB, data, {
          jobId: this.jobId(index),
          attempts: settings.attempts,
          backoff: { type: 'exponential', delay: settings.options.backoffMs ?? 1000 },
          removeOnComplete: { age: 3600 },
          removeOnFail: { age: 24 * 3600 },
        })
        .catch((err: Error) => this.down(err)),
    );
    this.report();
  }

  private listen(events: QueueEvents): void {
    events.on('error', (err) => this.down(err as Error));
    // a job that ended: look at it now (a shard's state is taken once, by index)
    const ended = ({ jobId }: { jobId: string }) => {
      const shard = this.shardOf(jobId);
      if (shard) void this.lookSafely(shard);
    };
    events.on('completed', ended);
    events.on('failed', ended);
    events.on('progress', ({ jobId, data }) => {
      const shard = this.shardOf(jobId);
      const p = data as ShardProgress;
      if (shard && !shard.done && typeof p?.frames === 'number') {
        shard.progress = { frames: p.frames, files: p.files };
        this.report();
      }
    });
  }

  /** Looks at a shard's job, once at a time; what goes wrong fails the run, unless Redis is
   * away (the watchdog decides then). */
  private async lookSafely(shard: Shard): Promise<void> {
    if (shard.looking || shard.done) return;
    shard.looking = true;
    const { operator, connection } = this.settings;
    try {
      await this.look(shard);
    } catch (err) {
      if (!(err instanceof QueueRunError) && this.redis.status !== 'ready') this.down(err as Error);
      else this.fail(err instanceof QueueRunError ? err : new QueueRunError(`${operator}: shard ${shard.index}: ${connection.redact((err as Error).message)}`, 'shard', { cause: err }));
    } finally {
      shard.looking = false;
    }
  }

  /** Takes a shard's state when its job has completed (once), fails the run when it failed for good. */
  private async look(shard: Shard): Promise<void> {
    const { operator, connection, options } = this.settings;
    const over = () => shard.done || this.ended();
    if (over()) return;
    // the state first, then the job: a job read before it finished has no return value yet
    const state = await this.queue.getJobState(this.jobId(shard.index));
    if ((state !== 'failed' && state !== 'completed') || over()) return;
    const job: Job | undefined = await this.queue.getJob(this.jobId(shard.index));
    if (!job || over()) return;
    if (state === 'failed') {
      const files = shard.files.length > 3 ? `${shard.files.slice(0, 3).join(', ')} and ${shard.files.length - 3} more` : shard.files.join(', ');
      this.fail(new QueueRunError(`${operator}: shard ${shard.index} (${files}) failed after ${job.attemptsMade} attempt(s): ${connection.redact(job.failedReason ?? 'no reason given')}`, 'shard'));
      return;
    }
    const outcome = job.returnvalue as ShardOutcome | null;
    if (!outcome) return; // not written yet: the next look takes it
    let partial: PartialResult | null = null;
    if (outcome.stateKey) {
      const bytes = await this.redis.getBuffer(outcome.stateKey);
      if (over()) return;
      if (!bytes) throw new QueueRunError(`${operator}: shard ${shard.index}'s state is gone from ${outcome.stateKey} (expired?)`, 'shard');
      partial = deserializePartial(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      void this.redis.del(outcome.stateKey).catch(() => undefined);
    }
    shard.done = true;
    shard.outcome = outcome;
    shard.state = partial;
    const { progress } = this;
    progress.merged++;
    if (job.attemptsStarted > 1 || job.stalledCounter > 0) progress.retried++;
    if (!progress.workers.includes(outcome.worker)) progress.workers.push(outcome.worker);
    progress.timings.push({ shard: shard.index, workerMs: outcome.ms, roundTripMs: Date.now() - shard.submitted });
    for (const s of outcome.skipped) options.onSkip?.(s.file, s.message);
    this.report();
    this.mergeReady();
  }

  /** Merges the states in shard order, as far as they are there; emits once all are, the source done. */
  private mergeReady(): void {
    const { shards } = this;
    while (this.nextToMerge < shards.length && shards[this.nextToMerge].done) {
      const shard = shards[this.nextToMerge++];
      const next = shard.state;
      shard.state = null;
      if (!next) continue;
      const previous = this.merged;
      this.merged = null; // foldPartial releases it, merged or not
      try {
        this.merged = foldPartial(previous, next);
      } catch (err) {
        this.fail(new QueueRunError(`${this.settings.operator}: shard ${shard.index} does not merge with the shards before it: ${(err as Error).message}`, 'shard', { cause: err }));
        return;
      }
    }
    if (this.phase !== 'draining' || this.nextToMerge < shards.length) return;
    this.phase = 'ended';
    const result = this.merged;
    this.merged = null;
    if (!result) {
      this.subscriber.error(new EmptyStreamError(this.settings.operator));
      return;
    }
    this.subscriber.next(result);
    this.subscriber.complete();
  }

  private report(): void {
    const { progress, shards } = this;
    progress.frames = shards.reduce((n, s) => n + (s.outcome?.frames ?? s.progress.frames), 0);
    progress.files = shards.reduce((n, s) => n + (s.outcome?.files ?? s.progress.files), 0);
    this.settings.options.onProgress?.({ ...progress, workers: [...progress.workers], timings: [...progress.timings] });
  }

  /** Whether the run has ended (a method: the phase changes across awaits). */
  private ended(): boolean {
    return this.phase === 'ended';
  }

  private fail(err: Error): void {
    if (this.ended()) return;
    this.phase = 'ended';
    this.subscriber.error(err);
  }

  private down(err?: Error): void {
    if (err) this.lastRedisError = this.settings.connection.redact(err.message);
    this.downSince ??= Date.now();
  }

  /** Fails the run once Redis has been away for longer than timeoutMs. */
  private watch(): void {
    const { operator, connection, timeoutMs } = this.settings;
    if (this.downSince === null || Date.now() - this.downSince <= timeoutMs) return;
    const why = this.lastRedisError ? ` (${this.lastRedisError})` : '';
    this.fail(new QueueRunError(`${operator}: lost the queue at ${connection.display} for ${(timeoutMs / 1000).toFixed(0)} s${why}: the run is abandoned, no result`, 'redis'));
  }
}
