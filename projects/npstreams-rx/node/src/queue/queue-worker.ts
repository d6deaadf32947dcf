/// <reference types="node" />
import { hostname } from 'node:os';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Job } from 'bullmq';
import { queuePackages } from '../peers';
import { type BackendName, EmptyStreamError, FileFormatError, MergeError, OptionError, StreamInputError, useBackend } from 'npstreams-rx';
import { abandonRun, finishRun, pushShard } from '../thread-run';
import { type QueueTlsOptions, bullConnection, parseQueueUrl } from './connection';
import { SHARD_JOB, type ShardOutcome, ShardPayloadError, checkShardJob, stateKey } from './shard';

/** queueWorker's options: where the queue is, how many shards at once, which files may be read,
 * and how long locks and states last. */
export interface QueueWorkerOptions {
  /** redis://[:password@]host[:port][/db] or rediss://... (TLS). */
  queue: string;
  /** The queue's name (default 'npstreams-rx'): submits and workers of one name meet. */
  name?: string;
  /** Shards reduced at once by this process (default 1): more overlaps file reads. */
  concurrency?: number;
  /** The tfjs backend this process reduces on; default: useBackend's choice (wasm in Node). */
  backend?: BackendName;
  /** Only files under these folders are read (default: any path a job names). */
  allow?: string[];
  /** How long a job's lock lasts without renewal (ms, default 30000): a killed worker's shard is
   * given to another worker after about this long. */
  lockMs?: number;
  /** How long a shard's state stays in Redis for the submit to take (ms, default 24 h). */
  stateTtlMs?: number;
  /** For a rediss:// URL: the certificate authority to trust (parseQueueUrl). */
  tls?: QueueTlsOptions;
  /** Called per shard, and with problems that do not stop the worker (text, password hidden);
   * default: console.log. */
  log?: (line: string) => void;
}

/** A running queue worker: `closed` settles when it stops; `close()` stops it (finishing the
 * shards in hand). */
export interface QueueWorker {
  /** The worker's name, `host:pid`: what the logs and QueueProgress.workers show. */
  readonly name: string;
  /** Settles when the worker has stopped (after `close()`). */
  readonly closed: Promise<void>;
  /** Stops taking jobs, finishes the shards in hand (giving up after the lock's time and 30 s
   * more, or after a second where Redis is gone) and closes the connections; resolves when stopped. */
  close(): Promise<void>;
}

/** Read errors that may pass (a shared file system catching up, a busy server): retried. */
const TRANSIENT_IO = new Set(['ENOENT', 'EIO', 'EAGAIN', 'EBUSY', 'ESTALE', 'ETIMEDOUT', 'EMFILE', 'ENFILE', 'ECONNRESET']);

/** Files reduced between two progress reports. */
const GROUP = 4;

/**
 * A worker of reduceOnQueue's runs in this process (what `npstreams-rx worker` starts): it takes
 * shard jobs from the queue and reduces each with the library.
 *
 * For each job it checks the payload (a job that is not a shard descriptor fails, the worker goes
 * on), refuses files outside `allow`, reads and reduces the shard's files (reporting frames as it
 * goes), and stores the serialized partial state in Redis under the key derived from the run and
 * the shard. A file that does not decode fails the shard for good (no retry: it will not decode
 * next time either), unless the shard says skipBad; a file that could not be read for a reason
 * that may pass (missing on a shared file system that has not caught up, EIO, ESTALE...) and any
 * other error are retried by the engine (the submit's attempts). Redis going away does not stop
 * the worker: it reconnects, logging each new problem once.
 *
 * @param options `queue` (the Redis URL), `name` (the queue's), `concurrency`, `backend`, `allow`,
 *   `lockMs`, `stateTtlMs`, `tls`, `log`.
 * @returns A promise of the running worker, resolved once it is connected; `close()` stops it. It
 *   rejects with a QueueUrlError for a queue URL that cannot be used, a BackendError for a
 *   backend that cannot start.
 *
 * @example
 * ```ts
 * import { queueWorker } from 'npstreams-rx/node';
 *
 * const worker = await queueWorker({ queue: 'redis://127.0.0.1:6379', allow: ['/data'], concurrency: 2 });
 * console.log(`${worker.name}: taking shards`);
 * process.once('SIGTERM', () => void worker.close());
 * await worker.closed;
 * ```
 */
export async function queueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const connection = parseQueueUrl(options.queue, options.tls, 'queueWorker: queue');
  const { bullmq, ioredis } = await queuePackages('queueWorker');
  const { UnrecoverableError, Worker } = bullmq;
  const queueName = options.name ?? 'npstreams-rx';
  const log = options.log ?? ((line: string) => console.log(line));
  const name = `${hostname()}:${process.pid}`;
  const allow = options.allow?.map((d) => resolve(d));
  const backend = await useBackend(options.backend);
  const lockMs = options.lockMs ?? 30_000;
  const stateTtlMs = options.stateTtlMs ?? 24 * 3600 * 1000;
  const redis = new ioredis.Redis({ ...connection.options, maxRetriesPerRequest: null });
  redis.on('error', () => undefined); // reconnects by itself; the worker's own handler reports

  const process_ = async (job: Job): Promise<ShardOutcome> => {
    const started = performance.now();
    let shard;
    try {
      shard = checkShardJob(job.data);
    } catch (err) {
      throw new UnrecoverableError((err as Error).message);
    }
    if (allow) {
      const outside = shard.files.find((f) => !allow.some((dir) => isInside(dir, resolve(f))));
      if (outside) throw new UnrecoverableError(`shard ${shard.shard}: ${outside} is outside the folders this worker reads (--allow)`);
    }
    const id = `${job.id}#${job.attemptsMade}:${job.attemptsStarted}`;
    const skipped: ShardOutcome['skipped'] = [];
    let frames = 0;
    let files = 0;
    try {
      for (let i = 0; i < shard.files.length; i += GROUP) {
        const paths = shard.files.slice(i, i + GROUP);
        const out = await pushShard(id, { recipe: shard.recipe, paths, skipBad: shard.skipBad, loader: shard.loader }, backend as BackendName);
        frames += out.frames;
        files += paths.length;
        skipped.push(...out.skipped);
        await job.updateProgress({ frames, files });
      }
      const bytes = await finishRun(id);
      const key = bytes ? stateKey(queueName, shard.run, shard.shard) : null;
      if (bytes && key) await redis.set(key, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'PX', stateTtlMs);
      const ms = performance.now() - started;
      log(
        `${name}: run ${shard.run} shard ${shard.shard}: ${frames} frames from ${files - skipped.length} files${skipped.length ? ` (${skipped.length} skipped)` : ''} in ${(ms / 1000).toFixed(2)} s`,
      );
      return { stateKey: key, frames, files, skipped, bytes: bytes?.byteLength ?? 0, worker: name, ms };
    } catch (err) {
      abandonRun(id);
      const message = connection.redact(err instanceof Error ? err.message : String(err));
      // a file that could not be read for a reason that may pass: the engine retries the shard
      const code = (err as { cause?: { code?: unknown } }).cause?.code;
      if (err instanceof FileFormatError && typeof code === 'string' && TRANSIENT_IO.has(code)) throw new Error(`shard ${shard.shard}: ${message}`, { cause: err });
      // what will fail again on any worker: no retry
      if (err instanceof FileFormatError || err instanceof StreamInputError || err instanceof EmptyStreamError || err instanceof MergeError || err instanceof OptionError) {
        throw new UnrecoverableError(`shard ${shard.shard}: ${message}`);
      }
      throw new Error(`shard ${shard.shard}: ${message}`, { cause: err });
    }
  };

  const worker = new Worker(
    queueName,
    async (job: Job) => {
      if (job.name !== SHARD_JOB) throw new UnrecoverableError(new ShardPayloadError(`the job's name is ${JSON.stringify(job.name).slice(0, 40)}`).message);
      return process_(job);
    },
    {
      connection: bullConnection(connection.options),
      concurrency: options.concurrency ?? 1,
      lockDuration: lockMs,
      stalledInterval: Math.max(500, Math.floor(lockMs / 2)),
      maxStalledCount: 2,
      name,
    },
  );
  worker.on('failed', (job, err) => log(`${name}: job ${job?.id ?? '?'} failed: ${connection.redact(err.message)}`));
  let lastError = '';
  worker.on('error', (err) => {
    const message = connection.redact(err.message);
    if (message !== lastError) log(`${name}: ${message} (${connection.display})`);
    lastError = message;
  });
  await worker.waitUntilReady();
  let closing: Promise<void> | null = null;
  let settle: () => void = () => undefined;
  const closed = new Promise<void>((r) => (settle = r));
  return {
    name,
    closed,
    close: () =>
      (closing ??= (async () => {
        // the shards in hand finish first; with Redis gone that cannot end: give up after a while
        const finished = Promise.allSettled([worker.close(), redis.quit()]);
        await Promise.race([finished, new Promise((r) => setTimeout(r, redis.status === 'ready' ? lockMs + 30_000 : 1000).unref())]);
        await worker.disconnect().catch(() => undefined);
        redis.disconnect();
        settle();
      })()),
  };
}

function isInside(dir: string, path: string): boolean {
  const rel = relative(dir, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
