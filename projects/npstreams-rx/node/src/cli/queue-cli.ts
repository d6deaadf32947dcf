/// <reference types="node" />
import { Command, Option, type OptionValues } from 'commander';
import { from, lastValueFrom } from 'rxjs';
import { type BackendName, EmptyStreamError, disposePartial, partialValue, useBackend } from 'npstreams-rx';
import { expandGlob } from '../glob';
import { QueueUrlError, parseQueueUrl } from '../queue/connection';
import { queueWorker } from '../queue/queue-worker';
import { QueueRunError, reduceOnQueue } from '../queue/reduce-on-queue';
import { save } from '../save';
import { type Output, Progress } from './progress';
import { OPERATORS, applyCliSetup, operatorOptions } from './operators';
import { integer, parseArgs, parseBins } from './arguments';
import { type CliOptions, type CliSetup, EXIT, STATISTICS, type Statistic, UsageError, checkCombination, failWith } from './statistics';

interface QueueCliOptions extends OptionValues {
  queue?: string;
  name: string;
  tlsCa?: string;
  quiet: boolean;
}

interface SubmitOptions extends QueueCliOptions {
  out: string;
  backend: 'auto' | 'wasm' | 'cpu';
  shards: number;
  skipBad: boolean;
  ddof?: number;
  axis?: number | 'none';
  bins?: number[];
  attempts: number;
  timeout: number;
}

interface WorkerOptions extends QueueCliOptions {
  concurrency: number;
  backend: 'auto' | 'wasm' | 'cpu';
  allow?: string[];
  lockMs: number;
}

const QUEUE_HELP = 'the queue: redis://[:password@]host[:port][/db], rediss://... for TLS (default: env NPSTREAMS_RX_QUEUE, which keeps a password out of the process list)';

/** The queue's URL: --queue, else NPSTREAMS_RX_QUEUE. */
const queueUrlOf = (o: QueueCliOptions): string | undefined => o.queue ?? process.env['NPSTREAMS_RX_QUEUE'];
const NO_QUEUE = 'no queue: give --queue redis://host:port or set NPSTREAMS_RX_QUEUE';

function base(name: string, output: Output): Command {
  return new Command()
    .name(`npstreams-rx ${name}`)
    .option('--queue <url>', QUEUE_HELP)
    .option('--name <queue>', "the queue's name: submits and workers of one name meet", 'npstreams-rx')
    .option('--tls-ca <file>', "a PEM certificate authority for rediss:// (default: Node's, or env NPSTREAMS_RX_REDIS_CA)")
    .option('-q, --quiet', 'no progress, only the summary', false)
    .showHelpAfterError(`(npstreams-rx ${name} --help for the usage)`)
    .configureOutput({ writeOut: (s) => output.stdout.write(s), writeErr: (s) => output.stderr.write(s) })
    .exitOverride();
}

/** `npstreams-rx submit <statistic> <files...> --queue URL --shards K --out result.npy` */
export async function runSubmit(argv: string[], output: Output, setup: CliSetup = {}): Promise<number> {
  applyCliSetup(setup);
  const command = base('submit', output)
    .description(
      'Splits the files into shards, one job each on a BullMQ queue in Redis, waits while `npstreams-rx worker` processes on any machine that sees the files reduce them, ' +
        'merges their partial states in shard order (each once, a retried shard included) and writes the result.',
    )
    .argument('<statistic>', `one of ${STATISTICS.join(', ')}`)
    .argument('<files...>', 'paths or globs (each glob sorted), as the workers see them: absolute paths on a shared file system')
    .requiredOption('-o, --out <path>', 'where the result goes: .npy, .png or .tif (written once, at the end)')
    .option('-k, --shards <k>', 'jobs to split the files into (contiguous runs of files)', integer('--shards', 1), 8)
    .option('--skip-bad', 'skip files that cannot be read or decoded (reported) instead of failing', false)
    .option('--ddof <n>', 'delta degrees of freedom (var, std, sem)', integer('--ddof', 0))
    .option('--axis <k>', "'none' reduces all axes; default: along the stream (an item axis does not split into shards)", (v: string) => (v === 'none' ? 'none' : integer('--axis', -1)(v)))
    .option('--bins <edges>', 'histogram bin edges: 0,10,20,50 or start:stop:count', parseBins)
    .addOption(new Option('-b, --backend <name>', 'tfjs backend for the merge').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .option('--attempts <n>', 'attempts per shard: a failed or stalled shard runs again (backoff from 1 s, doubling)', integer('--attempts', 1), 3)
    .option('--timeout <s>', 'seconds Redis may be unreachable before the submit gives up', integer('--timeout', 1), 10);
  const parsed = parseArgs<SubmitOptions>(command, argv);
  if (typeof parsed === 'number') return parsed;
  const { opts: o, args } = parsed;
  const [statisticArg, fileArgs] = args as [string, string[]];
  const fail = failWith(output, 'npstreams-rx submit');
  const url = queueUrlOf(o);
  if (!url) return fail(EXIT.badArguments, NO_QUEUE);
  if (!(STATISTICS as readonly string[]).includes(statisticArg)) return fail(EXIT.badArguments, `unknown statistic '${statisticArg}': use one of ${STATISTICS.join(', ')}`);
  const statistic = statisticArg as Statistic;
  let display: string;
  let redact: (s: string) => string;
  try {
    checkCombination(statistic, { ...o, workers: 0, backend: 'auto', concurrency: 1, maskMax: false, ignoreNan: false } as CliOptions);
    if (o.axis !== undefined && o.axis !== 'none' && o.axis !== -1) throw new UsageError(`--axis ${o.axis} does not split into shards (only the stream axis or none)`);
    ({ display, redact } = parseQueueUrl(url, { ca: o.tlsCa }, '--queue'));
  } catch (err) {
    return fail(EXIT.badArguments, (err as Error).message);
  }

  const started = performance.now();
  let progress: Progress | null = null;
  let result: import('@tensorflow/tfjs-core').Tensor | null = null;
  try {
    const paths: string[] = [];
    for (const arg of fileArgs) paths.push(...(await expandGlob(arg)));
    if (paths.length === 0) return fail(EXIT.badFile, 'no files matched');
    await useBackend(o.backend === 'auto' ? undefined : (o.backend as BackendName));
    const k = Math.min(o.shards, paths.length);
    const shards = Array.from({ length: k }, (_, i) => paths.slice(Math.floor((i * paths.length) / k), Math.floor(((i + 1) * paths.length) / k)));
    if (!o.quiet) output.stderr.write(`npstreams-rx submit: ${paths.length} files in ${k} shard${k === 1 ? '' : 's'} to ${display} (queue ${o.name})\n`);
    progress = new Progress(output, paths.length, o.quiet);
    const bar = progress;
    const skipped: string[] = [];
    let last = { merged: 0, retried: 0, workers: [] as string[], frames: 0 };
    const merged = await lastValueFrom(
      from(shards).pipe(
        reduceOnQueue(OPERATORS[statistic].partial(operatorOptions({ ...o } as unknown as CliOptions)), {
          queue: url,
          name: o.name,
          skipBad: o.skipBad,
          attempts: o.attempts,
          timeoutMs: o.timeout * 1000,
          tls: { ca: o.tlsCa },
          onProgress: (p) => {
            last = p;
            bar.update(p.files, p.frames);
          },
          onSkip: (file, message) => {
            skipped.push(file);
            bar.note(`skipped ${redact(message)}`);
          },
        }),
      ),
    );
    try {
      result = partialValue(merged) as import('@tensorflow/tfjs-core').Tensor;
    } finally {
      disposePartial(merged);
    }
    progress.done();
    await save(result, o.out);
    const seconds = (performance.now() - started) / 1000;
    output.stdout.write(
      `npstreams-rx: ${statistic} of ${last.frames} frames from ${paths.length - skipped.length} files${skipped.length ? ` (${skipped.length} skipped)` : ''} ` +
        `in ${k} shard${k === 1 ? '' : 's'} (${last.merged} merged, each once${last.retried ? `; ${last.retried} retried` : ''}) on ${last.workers.length} worker${last.workers.length === 1 ? '' : 's'}, ` +
        `in ${seconds.toFixed(2)} s -> ${o.out} [${result.shape.join(', ')}] ${result.dtype}\n`,
    );
    return EXIT.ok;
  } catch (err) {
    progress?.done();
    const message = redact(err instanceof Error ? err.message : String(err));
    if (err instanceof QueueRunError)
      return fail(err.reason === 'redis' ? EXIT.queue : EXIT.badFile, `${message}${err.reason === 'shard' && !o.skipBad ? ' (--skip-bad skips unreadable files)' : ''}`);
    if (err instanceof EmptyStreamError) return fail(EXIT.badFile, `${message} (no file gave a frame)`);
    if (err instanceof QueueUrlError) return fail(EXIT.badArguments, message);
    return fail(EXIT.badFile, err instanceof Error ? redact(err.stack ?? message) : message);
  } finally {
    result?.dispose();
  }
}

/** `npstreams-rx worker --queue URL [--concurrency N] [--backend ...]`: until SIGINT or SIGTERM. */
export async function runWorkerCommand(argv: string[], output: Output, setup: CliSetup = {}): Promise<number> {
  applyCliSetup(setup);
  const command = base('worker', output)
    .description(
      'Takes shard jobs from the queue and reduces them: reads the files each names (they must be at the same paths here), stores the partial state in Redis. ' +
        "Runs until SIGINT or SIGTERM (finishing the shards in hand); a killed worker's shard goes to another worker once its lock expires.",
    )
    .option('-c, --concurrency <n>', 'shards reduced at once by this process', integer('--concurrency', 1), 1)
    .addOption(new Option('-b, --backend <name>', 'tfjs backend').choices(['auto', 'wasm', 'cpu']).default('auto'))
    .option('--allow <dirs...>', 'read only files under these folders (a job naming another path fails)')
    .option('--lock-ms <ms>', "a shard's lock: how long before a lost worker's shard goes to another", integer('--lock-ms', 500), 30000);
  const parsed = parseArgs<WorkerOptions>(command, argv);
  if (typeof parsed === 'number') return parsed;
  const o = parsed.opts;
  const url = queueUrlOf(o);
  const fail = failWith(output, 'npstreams-rx worker');
  if (!url) return fail(EXIT.badArguments, NO_QUEUE);
  let connection;
  try {
    connection = parseQueueUrl(url, { ca: o.tlsCa }, '--queue');
  } catch (err) {
    return fail(EXIT.badArguments, (err as Error).message);
  }
  const log = (line: string) => (o.quiet ? undefined : output.stdout.write(`npstreams-rx worker ${line}\n`));
  try {
    const worker = await queueWorker({
      queue: url,
      name: o.name,
      concurrency: o.concurrency,
      backend: o.backend === 'auto' ? undefined : (o.backend as BackendName),
      allow: o.allow,
      lockMs: o.lockMs,
      tls: { ca: o.tlsCa },
      log,
    });
    output.stdout.write(`npstreams-rx worker ${worker.name}: ready on ${connection.display}, queue ${o.name}, concurrency ${o.concurrency}\n`);
    const stop = () => void worker.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    await worker.closed;
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    output.stdout.write(`npstreams-rx worker ${worker.name}: stopped\n`);
    return EXIT.ok;
  } catch (err) {
    return fail(EXIT.queue, connection.redact(err instanceof Error ? err.message : String(err)));
  }
}
